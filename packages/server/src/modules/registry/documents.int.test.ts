import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RegistrationInput } from '@passage/domain';
import { verifyAuditTrail } from '../../platform/audit.ts';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';

interface Doc {
  id: string;
  type: string;
  number: string;
  issuingCountry: string | null;
  issueDate: string | null;
  expiryDate: string | null;
  version: number;
}
interface Person {
  id: string;
  version: number;
  documents: Doc[];
}

/** One person with two documents. */
function oneWithTwoDocuments(officeId: string, givenName: string): RegistrationInput {
  return {
    officeId,
    members: [
      {
        givenName,
        familyName: 'Haddad',
        sex: 'female',
        dateOfBirth: '1979-11-02',
        nationality: 'SYR',
        populationGroup: 'refugee',
        relationship: 'head',
        documents: [
          { type: 'passport', number: 'N 7788-9900', issuingCountry: 'SYR', issueDate: '2016-04-01', expiryDate: '2026-04-01' },
          { type: 'national_id', number: 'SY-445566' },
        ],
      },
    ],
  };
}

describe('editing an identity document', () => {
  let t: TestApp;
  let officer: TestClient;
  let nl: string;
  let sl: string;
  let person: Person;
  let passport: Doc;
  let nationalId: Doc;

  const url = (personId: string, documentId: string) => `/api/registry/people/${personId}/documents/${documentId}`;
  const problem = (res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, field?: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    const body = JSON.parse(res.body) as { code: string; errors?: { field: string; message: string }[]; current?: Person };
    if (field) assert.ok(body.errors?.some((e) => e.field === field), `expected a problem naming ${field}: ${res.body}`);
    return body;
  };
  const read = async (id: string): Promise<Person> => (await t.request('GET', `/api/registry/people/${id}`, officer)).json();
  /** Everything an edit may write: the document rows, the person's version, its history, the audit events about it. */
  const stored = async (personId: string) => {
    const db = t.database.db;
    const [docs, row, changes, events] = await Promise.all([
      db.selectFrom('identity_document').selectAll().where('person_id', '=', personId).orderBy('id').execute(),
      db.selectFrom('person').select(['version', 'updated_at']).where('id', '=', personId).executeTakeFirstOrThrow(),
      db.selectFrom('person_change').select('id').where('person_id', '=', personId).execute(),
      db.selectFrom('audit_event').select('id').where('entity_id', '=', personId).where('action', '!=', 'person.view').execute(),
    ]);
    return { docs, version: row.version, updatedAt: row.updated_at.toISOString(), changes: changes.length, events: events.length };
  };
  let users = 0;
  const userAt = async (role: string, officeId: string): Promise<TestClient> => {
    const u = await t.database.db.insertInto('app_user').values({ email: `${role}.doc.${++users}@test.invalid`, display_name: `Test ${role}` }).returning('id').executeTakeFirstOrThrow();
    await t.database.db.insertInto('user_role').values({ user_id: u.id, office_id: officeId, role }).execute();
    return t.asUser(u.id);
  };

  before(async () => {
    t = await createTestApp();
    officer = await t.as('registration_officer');
    nl = t.demo.offices.find((o) => o.code === 'DEMO-NL')!.id;
    sl = t.demo.offices.find((o) => o.code === 'DEMO-SL')!.id;
    const res = await t.request('POST', '/api/registry/registrations', officer, oneWithTwoDocuments(nl, 'Rania'));
    assert.equal(res.statusCode, 201, res.body);
    person = await read(res.json().people[0].id);
    passport = person.documents.find((d) => d.type === 'passport')!;
    nationalId = person.documents.find((d) => d.type === 'national_id')!;
  });
  after(() => t.close());

  it('changes the fields sent, raises the versions, records old and new values in the history and only ids and field names in the audit trail', async () => {
    const res = await t.request('PATCH', url(person.id, passport.id), officer, { expiryDate: '2031-04-01', issuingCountry: 'LBN', number: 'N 7788-9900', version: person.version });
    assert.equal(res.statusCode, 200, res.body);
    const after = res.json() as Person;
    assert.equal(after.version, person.version + 1);
    const doc = after.documents.find((d) => d.id === passport.id)!;
    assert.deepEqual(
      { ...doc, version: undefined },
      { id: passport.id, type: 'passport', number: 'N 7788-9900', issuingCountry: 'LBN', issueDate: '2016-04-01', expiryDate: '2031-04-01', version: undefined },
      'the number sent unchanged is not a change; the other fields are kept',
    );
    assert.equal(doc.version, passport.version + 1);
    assert.deepEqual(after.documents.find((d) => d.id === nationalId.id), nationalId, 'the other document is untouched');
    const row = await t.database.db.selectFrom('identity_document').select(['expiry_date', 'issuing_country', 'number_key']).where('id', '=', passport.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { expiry_date: '2031-04-01', issuing_country: 'LBN', number_key: 'N77889900' });

    const history = (await t.request('GET', `/api/registry/people/${person.id}/history`, officer)).json().items;
    assert.equal(history[0].action, 'person.document.update');
    assert.equal(history[0].version, after.version);
    assert.deepEqual(history[0].changes, {
      documents: {
        documentId: passport.id,
        type: 'passport',
        fields: { expiryDate: { from: '2026-04-01', to: '2031-04-01' }, issuingCountry: { from: 'SYR', to: 'LBN' } },
      },
    });

    const events = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.document.update').where('entity_id', '=', person.id).execute();
    assert.equal(events.length, 1);
    const ev = events[0]!;
    assert.deepEqual([...ev.changed_fields].sort(), ['documents.expiryDate', 'documents.issuingCountry']);
    assert.deepEqual(ev.details, { documentId: passport.id });
    assert.equal(ev.office_id, nl);
    for (const personal of ['7788', '2031-04-01', '2026-04-01', 'LBN', 'SYR', 'Rania', 'Haddad']) assert.ok(!JSON.stringify(ev).includes(personal), `no personal data in the audit event (${personal})`);
    assert.equal((await verifyAuditTrail(t.database.db)).broken, null);
    person = after;
    passport = doc;
  });

  it('clears a field sent as null, and changes the number (found by its new number afterwards)', async () => {
    const res = await t.request('PATCH', url(person.id, nationalId.id), officer, { number: 'sy 111 222', issuingCountry: 'SYR', version: person.version });
    assert.equal(res.statusCode, 200, res.body);
    person = res.json();
    const cleared = await t.request('PATCH', url(person.id, nationalId.id), officer, { issuingCountry: null, version: person.version });
    assert.equal(cleared.statusCode, 200, cleared.body);
    person = cleared.json();
    nationalId = person.documents.find((d) => d.id === nationalId.id)!;
    assert.equal(nationalId.issuingCountry, null);
    assert.equal(nationalId.number, 'sy 111 222');
    const found = (await t.request('GET', '/api/registry/people?q=SY111222', officer)).json();
    assert.equal(found.items[0]?.id, person.id);
    assert.equal(found.items[0]?.matchedBy, 'document');
  });

  it('a stale version: 409 with the current record, nothing changed', async () => {
    const before = await stored(person.id);
    const body = problem(await t.request('PATCH', url(person.id, passport.id), officer, { expiryDate: '2035-01-01', version: person.version - 1 }), 409);
    assert.equal(body.code, 'stale_version');
    assert.equal(body.current?.version, person.version);
    assert.deepEqual(body.current?.documents.find((d) => d.id === passport.id), passport);
    assert.deepEqual(await stored(person.id), before);
  });

  describe('bad input: 400 naming the field, nothing half-written', () => {
    const cases: [string, () => Record<string, unknown>, string][] = [
      ['an expiry before the issue date, both sent', () => ({ issueDate: '2020-01-01', expiryDate: '2019-01-01' }), 'expiryDate'],
      ['an expiry before the issue date already recorded', () => ({ expiryDate: '2015-01-01' }), 'expiryDate'],
      ['an issue date after the expiry already recorded', () => ({ issueDate: '2040-01-01', issuingCountry: 'JOR' }), 'expiryDate'],
      ['an unknown country', () => ({ issuingCountry: 'XQZ' }), 'issuingCountry'],
      ['an impossible date', () => ({ issueDate: '2021-02-30' }), 'issueDate'],
      ['a number of punctuation only', () => ({ number: '<>' }), 'number'],
      ['an empty number', () => ({ number: '   ' }), 'number'],
      ['an unknown document type', () => ({ type: 'library_card' }), 'type'],
      ['an unknown field', () => ({ colour: 'blue' }), 'colour'],
      ['no version', () => ({ expiryDate: '2040-01-01', version: undefined }), 'version'],
    ];
    for (const [name, body, field] of cases) {
      it(name, async () => {
        const before = await stored(person.id);
        problem(await t.request('PATCH', url(person.id, passport.id), officer, { version: person.version, ...body() }), 400, field);
        assert.deepEqual(await stored(person.id), before);
      });
    }
    it('a number that becomes a duplicate of another of the person\'s documents (in another spelling): 409 naming the number', async () => {
      const before = await stored(person.id);
      const res = await t.request('PATCH', url(person.id, passport.id), officer, { type: 'national_id', number: 'SY-111/222', version: person.version });
      assert.equal(problem(res, 409, 'number').code, 'conflict');
      assert.deepEqual(await stored(person.id), before);
    });
  });

  describe('access', () => {
    it('a role that may read but not change people: 403 before anything is read or written', async () => {
      const before = await stored(person.id);
      for (const role of ['border_officer', 'health_officer', 'data_protection_officer'] as const) {
        const client = role === 'data_protection_officer' ? await userAt(role, nl) : await t.as(role);
        problem(await t.request('PATCH', url(person.id, passport.id), client, { expiryDate: '2040-01-01', version: person.version }), 403);
      }
      assert.deepEqual(await stored(person.id), before);
    });
    it("another office's person: 404, exactly like a missing one; a document of another person: 404", async () => {
      const before = await stored(person.id);
      const south = await userAt('registration_officer', sl);
      problem(await t.request('PATCH', url(person.id, passport.id), south, { expiryDate: '2040-01-01', version: person.version }), 404);
      problem(await t.request('PATCH', url('00000000-0000-4000-8000-000000000000', passport.id), officer, { expiryDate: '2040-01-01', version: person.version }), 404);
      problem(await t.request('PATCH', url(person.id, '00000000-0000-4000-8000-000000000000'), officer, { expiryDate: '2040-01-01', version: person.version }), 404);
      // Southland's own person, and a Northland document id: not theirs to reach through it.
      const theirs = await t.request('POST', '/api/registry/registrations', south, oneWithTwoDocuments(sl, 'Salma'));
      assert.equal(theirs.statusCode, 201, theirs.body);
      const southPerson = (await t.request('GET', `/api/registry/people/${theirs.json().people[0].id}`, south)).json() as Person;
      problem(await t.request('PATCH', url(southPerson.id, passport.id), south, { expiryDate: '2040-01-01', version: southPerson.version }), 404);
      assert.deepEqual(await stored(person.id), before);
    });
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = spec.paths['/api/registry/people/{id}/documents/{documentId}']?.patch;
    assert.ok(op?.requestBody, 'the PATCH route with its body');
    assert.ok(JSON.stringify(op.requestBody).includes('version'));
  });

  it('sending the values already recorded changes nothing', async () => {
    const before = await stored(person.id);
    const res = await t.request('PATCH', url(person.id, passport.id), officer, { expiryDate: passport.expiryDate, type: 'passport', version: person.version });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().version, person.version);
    assert.deepEqual(await stored(person.id), before);
  });
});
