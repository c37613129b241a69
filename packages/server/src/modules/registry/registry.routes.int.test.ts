import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { isRegistrationId, type RegistrationInput } from '@passage/domain';
import { verifyAuditTrail } from '../../platform/audit.ts';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';
import { newPersonRow, reserveRegistrationIds } from './registry.repository.ts';
import { NAME_CANDIDATES } from './registry.search.ts';
import { hasConsent } from './registry.service.ts';

/** A household of five: the head, a spouse and three children, with an Arabic-script name for the head. */
function familyOfFive(officeId: string): RegistrationInput {
  const child = (given: string, dob: string, sex: 'female' | 'male') => ({ givenName: given, familyName: 'Al-Hassan', sex, dateOfBirth: dob, nationality: 'SYR', populationGroup: 'refugee' as const, relationship: 'child' as const });
  return {
    officeId,
    members: [
      {
        givenName: 'Mohammed',
        familyName: 'Al-Hassan',
        fullNameOriginal: 'محمد الحسن',
        sex: 'male',
        dateOfBirth: '1985-03-14',
        nationality: 'SYR',
        languages: ['ar'],
        phones: ['+963 944 123 456'],
        populationGroup: 'refugee',
        relationship: 'head',
        documents: [{ type: 'passport', number: 'N 0123-4567', issuingCountry: 'SYR', issueDate: '2015-01-01', expiryDate: '2025-01-01' }],
        specificNeeds: { needs: ['serious_medical_condition'], washingtonGroup: { walking: 'a_lot_of_difficulty' }, note: 'Uses crutches' },
        consents: [
          { purpose: 'registration', granted: true, method: 'verbal', language: 'ar' },
          { purpose: 'referral', granted: true, method: 'signed', language: 'ar' },
        ],
      },
      { givenName: 'Fatima', familyName: 'Al-Hassan', fullNameOriginal: 'فاطمة الحسن', sex: 'female', dateOfBirth: '1988-07-02', nationality: 'SYR', populationGroup: 'refugee', relationship: 'spouse' },
      child('Yusuf', '2012-05-20', 'male'),
      child('Amina', '2015-09-01', 'female'),
      child('Omar', '2020-01-15', 'male'),
    ],
  };
}

describe('registry API', () => {
  let t: TestApp;
  let officer: TestClient;
  let nl: string;
  let port: string;
  let sl: string;
  let household: { householdId: string; people: { id: string; registrationId: string }[] };

  const countPeople = async () => Number((await t.database.db.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const problem = (res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, field?: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    const body = JSON.parse(res.body) as { code: string; errors?: { field: string; message: string }[] };
    if (field) assert.ok(body.errors?.some((e) => e.field === field), `expected a problem naming ${field}: ${res.body}`);
    return body;
  };
  /** A user holding one role at one office. */
  let users = 0;
  const userAt = async (role: string, officeId: string): Promise<TestClient> => {
    const u = await t.database.db.insertInto('app_user').values({ email: `${role}.${++users}@test.invalid`, display_name: `Test ${role}` }).returning('id').executeTakeFirstOrThrow();
    await t.database.db.insertInto('user_role').values({ user_id: u.id, office_id: officeId, role }).execute();
    return t.asUser(u.id);
  };

  before(async () => {
    t = await createTestApp();
    officer = await t.as('registration_officer');
    const id = (code: string) => t.demo.offices.find((o) => o.code === code)!.id;
    nl = id('DEMO-NL');
    port = id('DEMO-NL-PORT');
    sl = id('DEMO-SL');
    const res = await t.request('POST', '/api/registry/registrations', officer, familyOfFive(nl));
    assert.equal(res.statusCode, 201, res.body);
    household = res.json();
  });
  after(() => t.close());

  it('registers a household of five with unique, check-charactered registration ids', async () => {
    assert.equal(household.people.length, 5);
    const ids = household.people.map((p) => p.registrationId);
    assert.equal(new Set(ids).size, 5);
    for (const id of ids) {
      assert.ok(isRegistrationId(id), id);
      assert.match(id, /^DEMO-NL-\d{6}-[0-9A-Z]$/);
    }
    const hh = (await t.request('GET', `/api/registry/households/${household.householdId}`, officer)).json();
    assert.equal(hh.size, 5);
    assert.equal(hh.headPersonId, household.people[0]!.id);
    assert.equal(hh.members[0].relationship, 'head');
  });

  it('shows a person with documents, consent and specific needs; stores needs encrypted; audits the view', async () => {
    const head = household.people[0]!.id;
    const res = await t.request('GET', `/api/registry/people/${head}?purpose=assistance`, officer);
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.fullNameOriginal, 'محمد الحسن');
    assert.deepEqual(p.phones, ['+963944123456']);
    assert.equal(p.documents[0].number, 'N 0123-4567');
    assert.deepEqual(p.consentInForce.sort(), ['referral', 'registration']);
    assert.deepEqual(p.specificNeeds.effective, ['serious_medical_condition', 'disability'], 'disability follows from the Washington Group answers');
    const row = await t.database.db.selectFrom('person').select(['specific_needs_sealed', 'needs_index']).where('id', '=', head).executeTakeFirstOrThrow();
    assert.ok(row.specific_needs_sealed && !row.specific_needs_sealed.includes('crutches') && !row.specific_needs_sealed.includes('medical'));
    assert.equal(row.needs_index.length, 2);
    const views = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.view').where('entity_id', '=', head).execute();
    assert.equal(views.length, 1);
    assert.equal(views[0]!.purpose, 'assistance');
    assert.ok(!JSON.stringify(views[0]).includes('Mohammed'), 'no personal data in the audit event');
  });

  it('hides specific needs from a role that may read the registry but not sensitive fields', async () => {
    const border = await t.as('border_officer');
    const p = (await t.request('GET', `/api/registry/people/${household.people[0]!.id}`, border)).json();
    assert.equal(p.specificNeeds, null);
    assert.equal(p.specificNeedsHidden, true);
    const filtered = await t.request('GET', '/api/registry/people?need=disability', border);
    assert.equal(filtered.json().total, 0, 'a need filter reveals nothing to someone who may not see needs');
    const officerFiltered = await t.request('GET', '/api/registry/people?need=disability', officer);
    assert.equal(officerFiltered.json().items[0].id, household.people[0]!.id);
  });

  describe('search', () => {
    const search = async (q: string) => (await t.request('GET', `/api/registry/people?q=${encodeURIComponent(q)}`, officer)).json();
    it('finds by Arabic script, misspelled Latin, registration id, document number in another format, and local phone', async () => {
      const head = household.people[0]!;
      for (const q of ['محمد', 'Mohamad Alhasan', 'muhammad al hassan', 'MOHAMMED']) {
        const r = await search(q);
        assert.ok(r.items.some((i: { id: string }) => i.id === head.id), `"${q}" should find the head: ${JSON.stringify(r.items.map((i: { givenName: string }) => i.givenName))}`);
        assert.equal(r.items[0].matchedBy, 'name');
      }
      const byArabicFamily = await search('الحسن');
      assert.ok(byArabicFamily.total >= 5, 'the family name in Arabic finds the whole family');
      const byId = await search(head.registrationId.toLowerCase());
      assert.equal(byId.items[0].id, head.id);
      assert.equal(byId.items[0].matchedBy, 'registration_id');
      const byDoc = await search('n01234567');
      assert.equal(byDoc.items[0].id, head.id);
      assert.equal(byDoc.items[0].matchedBy, 'document');
      const byPhone = await search('+963944123456');
      assert.equal(byPhone.items[0].id, head.id);
      assert.equal(byPhone.items[0].matchedBy, 'phone');
    });
    it('filters by sex and age band, sorts, pages', async () => {
      const kids = (await t.request('GET', '/api/registry/people?ageBand=5-11&sort=name', officer)).json();
      assert.ok(kids.items.every((i: { age: number }) => i.age >= 5 && i.age <= 11), JSON.stringify(kids.items));
      const women = (await t.request('GET', '/api/registry/people?sex=female&pageSize=1&page=2', officer)).json();
      assert.equal(women.pageSize, 1);
      assert.ok(women.total >= 2);
      problem(await t.request('GET', '/api/registry/people?pageSize=1000', officer), 400, 'querystring.pageSize');
      problem(await t.request('GET', '/api/registry/people?nationality=syria', officer), 400, 'querystring.nationality');
    });
    it('a very common name: a bounded set of candidates, the best matches first, the total as "at least", later pages reachable', async () => {
      const officeCode = t.demo.offices.find((o) => o.id === nl)!.code;
      const ids = await reserveRegistrationIds(t.database.db, nl, officeCode, NAME_CANDIDATES + 51);
      const member = (givenName: string, familyName: string) => ({ givenName, familyName, sex: 'female' as const, dobPrecision: 'exact' as const, populationGroup: 'refugee' as const, relationship: 'head' as const, aliases: [], languages: [], phones: [], documents: [], consents: [] });
      // Many people whose names hold "Maria" and "Garcia" somewhere, one who is exactly "Maria Garcia" (registered first: the others are newer).
      const rows = ids.map((registrationId, i) =>
        newPersonRow(t.deps.encryption, { id: crypto.randomUUID(), officeId: nl, registrationId, member: i === 0 ? member('Maria', 'Garcia') : member(`Ana Lucia Maria ${i}`, 'Perez Garcia'), phones: [], householdId: null, registeredBy: null }),
      );
      await t.database.db.insertInto('person').values(rows).execute();
      await sql`ANALYZE person`.execute(t.database.db);
      const first = await search('Maria Garcia');
      assert.equal(first.items[0].id, rows[0]!.id, `the exact name comes first: ${JSON.stringify(first.items.slice(0, 3).map((i: { givenName: string; familyName: string }) => `${i.givenName} ${i.familyName}`))}`);
      assert.equal(first.totalIsCapped, true);
      assert.ok(first.total >= NAME_CANDIDATES, String(first.total));
      const page6 = (await t.request('GET', `/api/registry/people?q=${encodeURIComponent('Maria Garcia')}&page=6`, officer)).json();
      assert.equal(page6.items.length, 25, 'a later page asks for more candidates');
      assert.ok(page6.items.every((i: { id: string }) => !first.items.some((f: { id: string }) => f.id === i.id)));
      // A lookup counts its matches with its rows; a page past them is empty with the same total.
      const byId = await search(rows[1]!.registration_id);
      assert.deepEqual([byId.items.length, byId.total, byId.totalIsCapped, byId.items[0].matchedBy], [1, 1, false, 'registration_id']);
      const past = (await t.request('GET', `/api/registry/people?q=${rows[1]!.registration_id}&page=2`, officer)).json();
      assert.deepEqual([past.items.length, past.total], [0, 1]);
      // A rare name still finds its few people exactly, with an exact total.
      const rare = await search('Mohamad Alhasan');
      assert.equal(rare.totalIsCapped, false);
      assert.ok(rare.total >= 1 && rare.total < NAME_CANDIDATES);
    });
    it('"Given Family" first: the people of that given and family name rank above those who only hold the names elsewhere', async () => {
      const officeCode = t.demo.offices.find((o) => o.id === nl)!.code;
      const ids = await reserveRegistrationIds(t.database.db, nl, officeCode, NAME_CANDIDATES + 60);
      const member = (givenName: string, middleName: string | null, familyName: string) => ({ givenName, middleName, familyName, sex: 'male' as const, dobPrecision: 'exact' as const, populationGroup: 'refugee' as const, relationship: 'head' as const, aliases: [], languages: [], phones: [], documents: [], consents: [] });
      // More "Muhammad ... Hasan" (given and family, spelt many ways) than one search reads, registered first;
      // then people who hold both names but not as given and family (Hasan as the middle name, or the order swapped), newer.
      const spellings = ['Mohammed', 'Mohamed', 'Muhammad', 'Mohammad'];
      const families = ['Al-Hassan', 'Hassan', 'Alhasan', 'El Hasan'];
      const rows = ids.map((registrationId, i) =>
        newPersonRow(t.deps.encryption, {
          id: crypto.randomUUID(), officeId: nl, registrationId, phones: [], householdId: null, registeredBy: null,
          member: i < NAME_CANDIDATES + 10 ? member(spellings[i % 4]!, i % 3 === 0 ? 'Ali' : null, families[i % 4]!) : i % 2 === 0 ? member('Mohammed', 'Hassan', `Ismail${String.fromCharCode(97 + (i % 26))}`) : member('Hassan', null, 'Mohammed'),
        }),
      );
      await t.database.db.insertInto('person').values(rows.slice(0, NAME_CANDIDATES + 10)).execute();
      await t.database.db.insertInto('person').values(rows.slice(NAME_CANDIDATES + 10)).execute();
      await sql`ANALYZE person`.execute(t.database.db);
      const pairs = new Set(rows.slice(0, NAME_CANDIDATES + 10).map((r) => r.id));
      for (const q of ['Mohamad Alhasan', 'محمد الحسن']) {
        const found = await search(q);
        assert.equal(found.items.length, 25, q);
        assert.ok(found.items.every((i: { id: string }) => pairs.has(i.id)), `${q}: ${JSON.stringify(found.items.slice(0, 5).map((i: { givenName: string; middleName: string | null; familyName: string }) => [i.givenName, i.middleName, i.familyName]))}`);
        assert.ok(found.totalIsCapped, q);
      }
      // The others are still found, after them (a later page) and by their own order of names.
      const swapped = await search('Hassan Mohammed');
      assert.match(swapped.items[0].givenName, /^Has+an$/);
      const middle = await search('Mohammed Hassan Ismaile');
      assert.deepEqual([middle.items[0].givenName, middle.items[0].middleName], ['Mohammed', 'Hassan']);
      // A given name alone: people of that given name (the b-tree range "given ..."), a family name alone: theirs.
      const given = await search('Muhammad');
      assert.equal(given.items.length, 25);
      assert.ok(given.items.every((i: { givenName: string }) => ['Mohammed', 'Mohamed', 'Muhammad', 'Mohammad'].includes(i.givenName)), JSON.stringify(given.items.map((i: { givenName: string }) => i.givenName)));
      const family = await search('Ismailc');
      assert.equal(family.items[0]?.familyName, 'Ismailc');
      // Sorted by registration date, the newest of every match, not only of the "given family" ones.
      const newest = (await t.request('GET', `/api/registry/people?q=${encodeURIComponent('Mohammed Hassan')}&sort=-registered`, officer)).json();
      assert.equal(newest.items.length, 25);
      assert.ok(newest.items.every((i: { id: string }) => !pairs.has(i.id)), 'the newer people holding both names come first');
    });
    it('audits a search without the words searched for', async () => {
      await search('Fatima');
      const ev = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.search').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(ev).includes('Fatima'));
    });
  });

  describe('bad input: a clear 400 naming the field, nothing written', () => {
    const base = () => familyOfFive(nl);
    const cases: [string, (r: RegistrationInput) => void, string][] = [
      ['an impossible date of birth', (r) => (r.members[0]!.dateOfBirth = '2023-02-30'), 'members.0.dateOfBirth'],
      ['a future date of birth', (r) => (r.members[1]!.dateOfBirth = '2999-01-01'), 'members.1.dateOfBirth'],
      ['an unknown country code', (r) => (r.members[0]!.nationality = 'XYZ'), 'members.0.nationality'],
      ['a 500-character name', (r) => (r.members[0]!.givenName = 'a'.repeat(500)), 'members.0.givenName'],
      ['a name of punctuation only', (r) => (r.members[2]!.givenName = '.-,!?'), 'members.2.givenName'],
      ['a phone that is not a number', (r) => (r.members[0]!.phones = ['12']), 'members.0.phones.0'],
      ['a phone that no country accepts', (r) => (r.members[0]!.phones = ['+999 123']), 'members.0.phones.0'],
      ['a household without a head', (r) => (r.members[0]!.relationship = 'spouse'), 'members'],
      ['two heads', (r) => (r.members[1]!.relationship = 'head'), 'members'],
      ['an expiry before the issue date', (r) => (r.members[0]!.documents![0]!.expiryDate = '2010-01-01'), 'members.0.documents.0.expiryDate'],
      ['an unknown specific need', (r) => ((r.members[0]!.specificNeeds as { needs: string[] }).needs = ['rich']), 'members.0.specificNeeds.needs.0'],
      ['a child head without a note', (r) => {
        r.members = [{ ...r.members[2]!, relationship: 'head' }];
      }, 'headNote'],
      ['an unknown field', (r) => ((r.members[0] as Record<string, unknown>).favouriteColour = 'blue'), 'members.0.favouriteColour'],
      ['a script payload where a country code goes', (r) => (r.members[0]!.countryOfBirth = '<script>alert(1)</script>'), 'members.0.countryOfBirth'],
      ['SQL where a language code goes', (r) => (r.members[0]!.languages = ["ar'; DROP TABLE person; --"]), 'members.0.languages.0'],
    ];
    for (const [name, mutate, field] of cases) {
      it(name, async () => {
        const before = await countPeople();
        const body = base();
        mutate(body);
        problem(await t.request('POST', '/api/registry/registrations', officer, body), 400, field);
        assert.equal(await countPeople(), before);
      });
    }
    it('SQL and script payloads in names are stored as the text they are, and nothing else happens', async () => {
      const body = base();
      const payloads = ["Robert'); DROP TABLE person; --", '<script>alert(1)</script>X', '" OR 1=1 --x'];
      body.members = payloads.map((givenName, i) => ({ ...body.members[2]!, givenName, relationship: i === 0 ? ('head' as const) : ('sibling' as const), dateOfBirth: '1990-01-01' }));
      const res = await t.request('POST', '/api/registry/registrations', officer, body);
      assert.equal(res.statusCode, 201, res.body);
      for (const [i, p] of res.json().people.entries()) {
        const got = (await t.request('GET', `/api/registry/people/${p.id}`, officer)).json();
        assert.equal(got.givenName, payloads[i]);
      }
      assert.ok((await countPeople()) > 5, 'the person table is still there');
    });
    it('a child may head a household when a note says why', async () => {
      const body = base();
      body.members = [{ ...body.members[2]!, relationship: 'head', givenName: 'Karim' }];
      body.headNote = 'Parents missing; lives with younger siblings';
      assert.equal((await t.request('POST', '/api/registry/registrations', officer, body)).statusCode, 201);
    });
    it('a local phone number is normalised to E.164 with the nationality', async () => {
      const body = base();
      body.members = [{ ...body.members[1]!, relationship: 'head', givenName: 'Layla', nationality: 'NLD', phones: ['06 12345678'] }];
      const res = await t.request('POST', '/api/registry/registrations', officer, body);
      assert.equal(res.statusCode, 201, res.body);
      const p = (await t.request('GET', `/api/registry/people/${res.json().people[0].id}`, officer)).json();
      assert.deepEqual(p.phones, ['+31612345678']);
    });
  });

  it('an external id already registered at the office: 409 naming that member, nothing written, the audit chain intact', async () => {
    const body = familyOfFive(nl);
    body.members = body.members.slice(0, 3).map((m, i) => ({ ...m, documents: [], externalId: `EXT-CONFLICT-${i}` }));
    const first = await t.request('POST', '/api/registry/registrations', officer, body);
    assert.equal(first.statusCode, 201, first.body);
    const events = await t.database.db.selectFrom('audit_event').select(['action', 'entity_id']).where('entity_id', 'in', first.json().people.map((p: { id: string }) => p.id)).execute();
    assert.equal(events.filter((e) => e.action === 'person.register').length, 3, 'one audit event per person');
    const before = await countPeople();
    const again = familyOfFive(nl);
    again.members = again.members.slice(0, 3).map((m, i) => ({ ...m, documents: [], externalId: i === 2 ? 'EXT-CONFLICT-2' : `EXT-NEW-${i}` }));
    problem(await t.request('POST', '/api/registry/registrations', officer, again), 409, 'members.2.externalId');
    assert.equal(await countPeople(), before);
    assert.equal((await verifyAuditTrail(t.database.db)).broken, null);
  });

  it('concurrent registrations at one office get distinct ids and each its household and audit events', async () => {
    const bodies = Array.from({ length: 6 }, (_, k) => {
      const b = familyOfFive(nl);
      b.members = b.members.slice(0, 2).map((m) => ({ ...m, givenName: `${m.givenName}${'abcdef'[k]}`, documents: [] }));
      return b;
    });
    const results = await Promise.all(bodies.map((b) => t.request('POST', '/api/registry/registrations', officer, b)));
    for (const r of results) assert.equal(r.statusCode, 201, r.body);
    const ids = results.flatMap((r) => r.json().people.map((p: { registrationId: string }) => p.registrationId));
    assert.equal(new Set(ids).size, 12);
    for (const r of results) {
      const hh = (await t.request('GET', `/api/registry/households/${r.json().householdId}`, officer)).json();
      assert.equal(hh.size, 2);
      assert.equal(hh.headPersonId, r.json().people[0].id);
    }
    assert.equal((await verifyAuditTrail(t.database.db)).broken, null);
  });

  it('two officers editing the same person: the second gets 409 with the current record, nothing lost', async () => {
    const id = household.people[1]!.id;
    const caseworker = await t.as('caseworker');
    const v = (await t.request('GET', `/api/registry/people/${id}`, officer)).json().version;
    const first = await t.request('PATCH', `/api/registry/people/${id}`, officer, { middleName: 'Zahra', version: v });
    assert.equal(first.statusCode, 200, first.body);
    const second = problem(await t.request('PATCH', `/api/registry/people/${id}`, caseworker, { languages: ['ar', 'en'], version: v }), 409) as { code: string; current?: { middleName: string; version: number } };
    assert.equal(second.code, 'stale_version');
    assert.equal(second.current?.middleName, 'Zahra');
    assert.equal(second.current?.version, v + 1);
    const history = (await t.request('GET', `/api/registry/people/${id}/history`, officer)).json().items;
    assert.deepEqual(history[0].changes.middleName, { from: null, to: 'Zahra' });
    assert.equal(history[0].changedByName, 'Demo registration officer');
  });

  it('records changes to specific needs by name only in the history', async () => {
    const id = household.people[0]!.id;
    const v = (await t.request('GET', `/api/registry/people/${id}`, officer)).json().version;
    const res = await t.request('PATCH', `/api/registry/people/${id}`, officer, { specificNeeds: { needs: ['survivor_of_violence'] }, version: v });
    assert.equal(res.statusCode, 200, res.body);
    const history = (await t.request('GET', `/api/registry/people/${id}/history`, officer)).json().items;
    assert.deepEqual(history[0].changes, { specificNeeds: { sensitive: true } });
    const audit = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.update').where('entity_id', '=', id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(audit).includes('survivor'));
  });

  it('documents and consent: add, refuse a duplicate, remove; record and withdraw consent', async () => {
    const id = household.people[1]!.id;
    let p = (await t.request('POST', `/api/registry/people/${id}/documents`, officer, { type: 'national_id', number: 'SY-998877' })).json();
    assert.equal(p.documents.length, 1);
    problem(await t.request('POST', `/api/registry/people/${id}/documents`, officer, { type: 'national_id', number: 'sy 998877' }), 409, 'number');
    p = (await t.request('DELETE', `/api/registry/people/${id}/documents/${p.documents[0].id}`, officer)).json();
    assert.equal(p.documents.length, 0);
    p = (await t.request('POST', `/api/registry/people/${id}/consents`, officer, { purpose: 'referral', granted: true, method: 'thumbprint', language: 'ar' })).json();
    assert.ok(p.consentInForce.includes('referral'));
    assert.equal(await hasConsent(t.database.db, id, 'referral'), true);
    const consentId = p.consents.find((c: { purpose: string }) => c.purpose === 'referral').id;
    p = (await t.request('POST', `/api/registry/people/${id}/consents/${consentId}/withdraw`, officer, {})).json();
    assert.ok(!p.consentInForce.includes('referral'));
    assert.equal(await hasConsent(t.database.db, id, 'referral'), false);
    problem(await t.request('POST', `/api/registry/people/${id}/consents/${consentId}/withdraw`, officer, {}), 404);
  });

  it('households: move a member, keep history; a head must be a member; a head leaving leaves no head', async () => {
    const other = (await t.request('POST', '/api/registry/registrations', officer, { officeId: nl, members: [{ givenName: 'Hawa', familyName: 'Warsame', sex: 'female', dateOfBirth: '1990-01-01', dobPrecision: 'year', nationality: 'SOM', populationGroup: 'internally_displaced', relationship: 'head' }] })).json();
    const yusuf = household.people[2]!.id;
    let hh = (await t.request('POST', `/api/registry/households/${other.householdId}/members`, officer, { personId: yusuf, relationship: 'other_relative' })).json();
    assert.equal(hh.size, 2);
    const old = (await t.request('GET', `/api/registry/households/${household.householdId}`, officer)).json();
    assert.equal(old.size, 4);
    assert.ok(old.history.some((h: { personId: string; leftAt: string | null }) => h.personId === yusuf && h.leftAt !== null));
    problem(await t.request('PATCH', `/api/registry/households/${other.householdId}`, officer, { headPersonId: household.people[0]!.id, version: hh.version }), 400, 'headPersonId');
    problem(await t.request('PATCH', `/api/registry/households/${other.householdId}`, officer, { headPersonId: yusuf, version: hh.version }), 400, 'headNote');
    problem(await t.request('PATCH', `/api/registry/households/${other.householdId}`, officer, { headNote: 'stale', version: hh.version - 1 }), 409);
    hh = (await t.request('DELETE', `/api/registry/households/${other.householdId}/members/${other.people[0].id}`, officer)).json();
    assert.equal(hh.headPersonId, null);
    assert.equal(hh.size, 1);
  });

  it('office scope: another office sees nothing (404), may not register here (403), finds nothing', async () => {
    const south = await userAt('registration_officer', sl);
    const head = household.people[0]!.id;
    problem(await t.request('GET', `/api/registry/people/${head}`, south), 404);
    problem(await t.request('PATCH', `/api/registry/people/${head}`, south, { middleName: 'X', version: 1 }), 404);
    problem(await t.request('GET', `/api/registry/households/${household.householdId}`, south), 404);
    problem(await t.request('GET', `/api/registry/people/${head}/history`, south), 404);
    problem(await t.request('POST', `/api/registry/people/${head}/documents`, south, { type: 'other', number: 'X123' }), 404);
    problem(await t.request('POST', '/api/registry/registrations', south, familyOfFive(nl)), 403, 'officeId');
    assert.equal((await t.request('GET', '/api/registry/people?q=Mohammed', south)).json().total, 0);
    // A sub-office user does not see the country office's people either.
    const portUser = await userAt('caseworker', port);
    problem(await t.request('GET', `/api/registry/people/${head}`, portUser), 404);
    // The duplicate check counts a possible match elsewhere without showing it.
    const dup = (await t.request('POST', '/api/registry/duplicate-check', south, { givenName: 'x', documents: [{ number: 'N01234567' }] })).json();
    assert.equal(dup.candidates.length, 0);
    assert.equal(dup.elsewhere, 1);
  });

  it('duplicate check: document number in any format, name and date of birth across scripts', async () => {
    const byDoc = (await t.request('POST', '/api/registry/duplicate-check', officer, { documents: [{ number: 'n-0123 4567' }] })).json();
    assert.equal(byDoc.candidates[0].person.id, household.people[0]!.id);
    assert.deepEqual(byDoc.candidates[0].reasons, ['document_number']);
    const byNameRes = await t.request('POST', '/api/registry/duplicate-check', officer, { givenName: 'Muhammad', familyName: 'Alhassan', dateOfBirth: '1985-03-14' });
    assert.equal(byNameRes.statusCode, 200, byNameRes.body);
    const byName = byNameRes.json();
    assert.ok(byName.candidates.some((c: { person: { id: string }; reasons: string[] }) => c.person.id === household.people[0]!.id && c.reasons.includes('name_and_birth_date')), JSON.stringify(byName));
    // One day off: no exact rule holds (the matching engine may still show the person, with its explanation).
    const none = (await t.request('POST', '/api/registry/duplicate-check', officer, { givenName: 'Muhammad', familyName: 'Alhassan', dateOfBirth: '1985-03-15' })).json();
    assert.ok(none.candidates.every((c: { reasons: string[] }) => c.reasons.every((r) => r === 'matching_engine')), JSON.stringify(none));
  });

  it('registering despite a possible duplicate records the reason and the candidates the officer was shown', async () => {
    const body = familyOfFive(nl);
    const fatima = { ...body.members[1]!, relationship: 'head' as const, givenName: 'Fatima', documents: [] };
    const child = { ...body.members[4]!, givenName: 'Nour', dateOfBirth: '2021-06-06' };
    body.members = [fatima, child];
    // What the wizard does: the duplicate check for each member, then the ids of the people it showed.
    const check = await t.request('POST', '/api/registry/duplicate-check', officer, { givenName: fatima.givenName, familyName: fatima.familyName, dateOfBirth: fatima.dateOfBirth });
    const shown = (check.json() as { candidates: { person: { id: string } }[] }).candidates.map((c) => c.person.id);
    assert.ok(shown.includes(household.people[1]!.id), `the first Fatima is a candidate: ${check.body}`);
    body.members[0]!.notDuplicateOf = shown;
    body.members[1]!.notDuplicateOf = [];

    // Someone registered at headquarters, outside the officer's offices (written directly: no figures of the offices change).
    const hq = t.demo.offices.find((o) => o.code === 'DEMO-HQ')!;
    const [hqRegistrationId] = await reserveRegistrationIds(t.database.db, hq.id, hq.code, 1);
    const outsideId = crypto.randomUUID();
    const outside = newPersonRow(t.deps.encryption, {
      id: outsideId,
      officeId: hq.id,
      registrationId: hqRegistrationId!,
      member: { givenName: 'Fatima', familyName: 'Al-Hassan', sex: 'female', dateOfBirth: '1988-07-02', dobPrecision: 'exact', populationGroup: 'refugee', relationship: 'head', aliases: [], languages: [], phones: [], documents: [], consents: [] },
      phones: [],
      householdId: null,
      registeredBy: null,
    });
    await t.database.db.insertInto('person').values(outside).execute();
    assert.ok(!shown.includes(outsideId));
    const dismissals = async () => Number((await t.database.db.selectFrom('duplicate_dismissal').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const [peopleBefore, dismissalsBefore] = [await countPeople(), await dismissals()];
    // Candidates set aside without a reason, or people the officer could not have been shown: 400 naming the field, nothing written.
    problem(await t.request('POST', '/api/registry/registrations', officer, body), 400, 'notDuplicateReason');
    body.notDuplicateReason = 'Different mother, checked documents';
    for (const wrong of [outsideId, crypto.randomUUID()]) {
      const bad = structuredClone(body);
      bad.members[0]!.notDuplicateOf = [...shown, wrong];
      problem(await t.request('POST', '/api/registry/registrations', officer, bad), 400, `members.0.notDuplicateOf.${shown.length}`);
    }
    assert.deepEqual([await countPeople(), await dismissals()], [peopleBefore, dismissalsBefore]);

    const res = await t.request('POST', '/api/registry/registrations', officer, body);
    assert.equal(res.statusCode, 201, res.body);
    const [newFatima, newChild] = res.json().people as { id: string }[];
    const d = await t.database.db.selectFrom('duplicate_dismissal').selectAll().where('person_id', '=', newFatima!.id).executeTakeFirstOrThrow();
    assert.equal(d.reason, 'Different mother, checked documents');
    assert.deepEqual([...d.candidate_ids].sort(), [...shown].sort(), 'the ids of the candidates shown are kept');
    assert.equal(d.recorded_by, officer.userId);
    const childDismissal = await t.database.db.selectFrom('duplicate_dismissal').selectAll().where('person_id', '=', newChild!.id).executeTakeFirstOrThrow();
    assert.deepEqual(childDismissal.candidate_ids, [], 'a member with no candidates set aside none');
    // The audit event names the people set aside by id; the history does not count them as a field of the person.
    const ev = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.register').where('entity_id', '=', newFatima!.id).executeTakeFirstOrThrow();
    assert.deepEqual((ev.details as { notDuplicateOf?: string[] }).notDuplicateOf, shown);
    assert.ok(!ev.changed_fields.includes('notDuplicateOf'));
    const history = (await t.request('GET', `/api/registry/people/${newFatima!.id}/history`, officer)).json().items;
    assert.ok(!('notDuplicateOf' in history[0].changes));
  });

  it('population figures: a stats-only role sees small counts as "<5"; a registry role sees numbers', async () => {
    const viewerOnHq = await userAt('viewer', t.demo.offices.find((o) => o.code === 'DEMO-HQ')!.id);
    const masked = (await t.request('GET', '/api/registry/stats', viewerOnHq)).json();
    assert.equal(masked.masked, true);
    const band = masked.pyramid.find((b: { band: string }) => b.band === '60+');
    assert.equal(band.male, 0);
    const kids = masked.pyramid.find((b: { band: string }) => b.band === '5-11');
    assert.ok(kids.male === '<5' || kids.male >= 5);
    const open = (await t.request('GET', `/api/registry/stats?officeId=${nl}`, officer)).json();
    assert.equal(open.masked, false);
    assert.equal(typeof open.total, 'number');
    assert.ok(open.byOffice.every((o: { count: unknown }) => typeof o.count === 'number'));
    // Office scope: Southland's registration officer counts nothing of Northland.
    const south = await userAt('registration_officer', sl);
    assert.equal((await t.request('GET', '/api/registry/stats', south)).json().total, 0);
  });

  it('prints a registration slip PDF with the id, audited as a view with its purpose; 404 outside scope', async () => {
    const head = household.people[0]!;
    const res = await t.app.inject({ method: 'GET', url: `/api/registry/people/${head.id}/slip.pdf?lang=ar`, headers: { cookie: officer.cookie } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.ok(res.rawPayload.includes(Buffer.from('IBMPlexSansArabic')), 'an Arabic font is embedded for the Arabic names');
    const ev = await t.database.db.selectFrom('audit_event').selectAll().where('entity_id', '=', head.id).where('purpose', '=', 'registration_slip').execute();
    assert.equal(ev.length, 1);
    const south = await userAt('registration_officer', sl);
    problem(await t.request('GET', `/api/registry/people/${head.id}/slip.pdf`, south), 404);
  });

  it('who viewed this: for data-protection officers only', async () => {
    const dpo = await t.as('data_protection_officer');
    const head = household.people[0]!.id;
    const views = (await t.request('GET', `/api/registry/people/${head}/views`, dpo)).json().items;
    assert.ok(views.some((v: { action: string; actorName: string }) => v.action === 'person.view' && v.actorName === 'Demo registration officer'));
    problem(await t.request('GET', `/api/registry/people/${head}/views`, officer), 403);
  });
});
