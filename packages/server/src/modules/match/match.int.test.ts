import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RegistrationInput } from '@passage/domain';
import { seedDemoPeople } from '../../seed/demo-people-seed.ts';
import { runMatchJob } from './match.job.ts';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';

type Res = { statusCode: number; body: string; headers: Record<string, unknown> };

/** One household: a head (with a passport, a phone and consents) and a spouse. */
function household(officeId: string, head: { given: string; family: string; original: string; passport: string; phone: string }, spouse: string): RegistrationInput {
  return {
    officeId,
    members: [
      {
        givenName: head.given,
        familyName: head.family,
        fullNameOriginal: head.original,
        sex: 'male',
        dateOfBirth: '1985-03-14',
        nationality: 'SYR',
        phones: [head.phone],
        populationGroup: 'refugee',
        relationship: 'head',
        documents: [{ type: 'passport', number: head.passport, issuingCountry: 'SYR' }],
        consents: [
          { purpose: 'registration', granted: true, method: 'verbal', language: 'ar' },
          { purpose: 'referral', granted: true, method: 'signed', language: 'ar' },
        ],
      },
      { givenName: spouse, familyName: head.family, sex: 'female', dateOfBirth: '1988-07-02', nationality: 'SYR', populationGroup: 'refugee', relationship: 'spouse' },
    ],
  };
}

describe('matching: runs, review queue, decisions, merges', () => {
  let t: TestApp;
  let officer: TestClient;
  let nl: string;
  let sl: string;
  /** Two registrations of one man (different households, spellings, a document typo). */
  let first: { householdId: string; people: { id: string }[] };
  let second: { householdId: string; people: { id: string }[] };
  let elsewhere: string;
  let pair: { id: string; version: number; a: { id: string }; b: { id: string } };

  const problem = (res: Res, status: number, field?: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    const body = JSON.parse(res.body) as { code: string; errors?: { field: string; message: string }[] } & Record<string, unknown>;
    if (field) assert.ok(body.errors?.some((e) => e.field === field), `expected a problem naming ${field}: ${res.body}`);
    return body;
  };
  let users = 0;
  const userAt = async (role: string, officeId: string): Promise<TestClient> => {
    const u = await t.database.db.insertInto('app_user').values({ email: `${role}.${++users}@match.test.invalid`, display_name: `Test ${role}` }).returning('id').executeTakeFirstOrThrow();
    await t.database.db.insertInto('user_role').values({ user_id: u.id, office_id: officeId, role }).execute();
    return t.asUser(u.id);
  };
  const register = async (client: TestClient, body: RegistrationInput) => {
    const res = await t.request('POST', '/api/registry/registrations', client, body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { householdId: string; people: { id: string }[] };
  };
  const runToEnd = async (body: Record<string, unknown>) => {
    const start = await t.request('POST', '/api/match/runs', officer, body);
    assert.equal(start.statusCode, 202, start.body);
    const id = start.json().id as string;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const run = (await t.request('GET', `/api/match/runs/${id}`, officer)).json();
      if (run.status !== 'queued' && run.status !== 'running') return run;
      assert.ok(Date.now() < deadline, 'the run finishes in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const personVersion = async (id: string) => (await t.database.db.selectFrom('person').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
  /** Every row of both people, as stored. */
  const snapshot = async (ids: string[]) => {
    const db = t.database.db;
    const people = await db.selectFrom('person').selectAll().where('id', 'in', ids).orderBy('id').execute();
    const households = people.map((p) => p.household_id).filter((h): h is string => h !== null);
    return {
      person: people,
      identity_document: await db.selectFrom('identity_document').selectAll().where('person_id', 'in', ids).orderBy('id').execute(),
      consent: await db.selectFrom('consent').selectAll().where('person_id', 'in', ids).orderBy('id').execute(),
      household_membership: await db.selectFrom('household_membership').selectAll().where((eb) => eb.or([eb('person_id', 'in', ids), eb('household_id', 'in', households)])).orderBy('id').execute(),
      household_head: await db.selectFrom('household').select(['id', 'head_person_id']).where('id', 'in', households).orderBy('id').execute(),
      case_file: await db.selectFrom('case_file').select(['id', 'person_id', 'office_id', 'status', 'version']).where('person_id', 'in', ids).orderBy('id').execute(),
    };
  };

  before(async () => {
    t = await createTestApp();
    officer = await t.as('registration_officer');
    const id = (code: string) => t.demo.offices.find((o) => o.code === code)!.id;
    nl = id('DEMO-NL');
    sl = id('DEMO-SL');
    // A background of fictitious people for the engine to learn from, then the near-duplicates.
    await seedDemoPeople(t.database.db, t.deps.encryption, { households: 60, seed: 7 });
    first = await register(officer, household(nl, { given: 'Mohammed', family: 'Al-Hassan', original: 'محمد الحسن', passport: 'N 0123-4567', phone: '+963 944 123 456' }, 'Fatima'));
    second = await register(officer, { ...household(nl, { given: 'Mohamad', family: 'Alhasan', original: 'محمد الحسن', passport: 'N0123-4561', phone: '+963 944 123 456' }, 'Fatma'), notDuplicateReason: 'test: registered again on purpose' });
    const slOfficer = await userAt('registration_officer', sl);
    elsewhere = (await register(slOfficer, household(sl, { given: 'Muhammad', family: 'Al Hasan', original: 'محمد الحسن', passport: 'N 0123 4567', phone: '+963 944 123 456' }, 'Fatima'))).people[0]!.id;
  });
  after(() => t.close());

  it('a run finds the near-duplicates, with explanations, and its progress reaches 1', async () => {
    const run = await runToEnd({ officeId: nl });
    assert.equal(run.status, 'succeeded', run.message);
    assert.equal(run.progress, 1);
    assert.ok(run.records > 100, `${run.records} records`);
    assert.ok(run.pairsForReview >= 1);
    assert.match(run.message, /people compared/);
    const list = (await t.request('GET', '/api/match/pairs?pageSize=100', officer)).json();
    assert.ok(list.total >= 1);
    const probs = list.items.map((p: { probability: number }) => p.probability);
    assert.deepEqual(probs, [...probs].sort((x: number, y: number) => y - x), 'most probable first');
    const heads = [first.people[0]!.id, second.people[0]!.id].sort();
    pair = list.items.find((p: { a: { id: string }; b: { id: string } }) => p.a.id === heads[0] && p.b.id === heads[1]);
    assert.ok(pair, `the two registrations of the head are a pair: ${JSON.stringify(list.items.map((p: { a: { givenName: string }; b: { givenName: string } }) => [p.a.givenName, p.b.givenName]))}`);
    const full = (await t.request('GET', `/api/match/pairs/${pair.id}`, officer)).json();
    assert.ok(full.probability >= 0.5);
    assert.equal(full.status, 'open');
    assert.deepEqual(full.explanation.fields.map((f: { field: string }) => f.field), ['given', 'middle', 'family', 'dob', 'sex', 'nationality', 'document', 'phone']);
    const dob = full.explanation.fields.find((f: { field: string }) => f.field === 'dob');
    assert.equal(dob.agreement, 'agree');
    assert.equal(full.explanation.fields.find((f: { field: string }) => f.field === 'middle').agreement, 'missing');
    assert.equal(full.a.documents.length, 1);
    assert.deepEqual(full.a.phones, ['+963944123456']);
    // The person in an office this officer cannot see is in no pair they are shown.
    assert.ok(!list.items.some((p: { a: { id: string }; b: { id: string } }) => p.a.id === elsewhere || p.b.id === elsewhere));
    const views = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.view').where('purpose', '=', 'duplicate_review').execute();
    assert.deepEqual(views.map((v) => v.entity_id).sort(), heads, 'viewing a pair is a view of both people');
    assert.ok(!JSON.stringify(views).includes('Mohammed'));
  });

  it('lists runs and refuses what it does not know', async () => {
    const runs = (await t.request('GET', '/api/match/runs', officer)).json();
    assert.equal(runs.items.length, 1);
    problem(await t.request('GET', '/api/match/runs/00000000-0000-4000-8000-000000000000', officer), 404);
    problem(await t.request('POST', '/api/match/runs', officer, { officeId: sl }), 403, 'officeId');
    problem(await t.request('GET', '/api/match/pairs?status=maybe', officer), 400, 'querystring.status');
  });

  it('a decision with a stale version gets 409 with the current pair; a fresh one is stored', async () => {
    const stale = problem(await t.request('POST', `/api/match/pairs/${pair.id}/decision`, officer, { decision: 'same', version: pair.version + 7 }), 409);
    assert.equal(stale.code, 'stale_version');
    assert.equal((stale.current as { id: string }).id, pair.id);
    const res = await t.request('POST', `/api/match/pairs/${pair.id}/decision`, officer, { decision: 'same', note: 'same passport, one digit off', version: pair.version });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'same');
    assert.equal(res.json().version, pair.version + 1);
    assert.equal(res.json().decidedBy, officer.userId);
    problem(await t.request('POST', `/api/match/pairs/${pair.id}/decision`, officer, { decision: 'maybe', version: 1 }), 400, 'decision');
  });

  it('refuses other roles (403) and people in offices the user cannot see (404)', async () => {
    const health = await t.as('health_officer');
    problem(await t.request('GET', '/api/match/pairs', health), 403);
    problem(await t.request('POST', '/api/match/merges', health, { survivorId: first.people[0]!.id, mergedId: second.people[0]!.id, survivorVersion: 1, mergedVersion: 1, reason: 'x' }), 403);
    const dpo = await t.as('data_protection_officer');
    assert.equal((await t.request('GET', '/api/match/pairs?status=same', dpo)).statusCode, 200);
    problem(await t.request('POST', `/api/match/pairs/${pair.id}/decision`, dpo, { decision: 'different', version: 2 }), 403);
    // Across offices: the other person does not exist for this officer.
    const across = problem(await t.request('POST', '/api/match/merges', officer, { survivorId: first.people[0]!.id, mergedId: elsewhere, survivorVersion: await personVersion(first.people[0]!.id), mergedVersion: await personVersion(elsewhere), reason: 'same man' }), 404);
    assert.equal(across.code, 'not_found');
    const [a, b] = [first.people[0]!.id, elsewhere].sort() as [string, string];
    const hidden = await t.database.db.insertInto('match_pair').values({ office_id: nl, person_a: a, person_b: b, probability: 0.97, explanation: JSON.stringify({ probability: 0.97, matchWeight: 5, prior: -10, context: 'any', fields: [] }) }).returning('id').executeTakeFirstOrThrow();
    problem(await t.request('GET', `/api/match/pairs/${hidden.id}`, officer), 404);
    problem(await t.request('POST', `/api/match/pairs/${hidden.id}/decision`, officer, { decision: 'same', version: 1 }), 404);
    problem(await t.request('GET', `/api/match/merges?personId=${elsewhere}`, officer), 404);
    await t.database.db.deleteFrom('match_pair').where('id', '=', hidden.id).execute();
  });

  it('bad merge input is a 400 naming the field', async () => {
    const s = first.people[0]!.id;
    const m = second.people[0]!.id;
    const base = { survivorId: s, mergedId: m, survivorVersion: 1, mergedVersion: 1, reason: 'same man' };
    problem(await t.request('POST', '/api/match/merges', officer, { ...base, mergedId: s }), 400, 'mergedId');
    problem(await t.request('POST', '/api/match/merges', officer, { ...base, takeFromMerged: ['registrationId'] }), 400, 'takeFromMerged.0');
    const { reason: _reason, ...noReason } = base;
    problem(await t.request('POST', '/api/match/merges', officer, noReason), 400, 'reason');
    problem(await t.request('POST', '/api/match/merges', officer, { ...base, reason: '   ' }), 400, 'reason');
    problem(await t.request('POST', '/api/match/merges', officer, { ...base, colour: 'blue' }), 400, 'colour');
    const stale = problem(await t.request('POST', '/api/match/merges', officer, { ...base, survivorVersion: 99 }), 409);
    assert.equal(stale.code, 'stale_version');
  });

  it('a merge moves documents, consents and the membership; an unmerge restores both records exactly', async () => {
    const s = first.people[0]!.id;
    const m = second.people[0]!.id;
    // The merged record has a case: it follows the person to the survivor, and back on unmerge.
    const caseOpened = await t.request('POST', '/api/cases', await t.as('caseworker'), { type: 'migrant_assistance', personId: m, officeId: nl, details: {} });
    assert.equal(caseOpened.statusCode, 201, caseOpened.body);
    const caseId = (caseOpened.json() as { id: string }).id;
    const beforeMerge = await snapshot([s, m]);
    const res = await t.request('POST', '/api/match/merges', officer, {
      survivorId: s,
      mergedId: m,
      pairId: pair.id,
      takeFromMerged: ['fullNameOriginal', 'dateOfBirth'],
      survivorVersion: await personVersion(s),
      mergedVersion: await personVersion(m),
      reason: 'Same passport (one digit mistyped), same phone and birth date',
    });
    assert.equal(res.statusCode, 201, res.body);
    const merge = res.json();
    assert.deepEqual(merge.moved, { documents: 1, consents: 2, cases: 1, householdMemberships: 1 });
    assert.deepEqual(merge.takenFromMerged, ['fullNameOriginal', 'dateOfBirth']);

    const during = await snapshot([s, m]);
    const mergedRow = during.person.find((p) => p.id === m)!;
    assert.equal(mergedRow.merged_into, s);
    assert.equal(mergedRow.household_id, null);
    assert.equal(during.identity_document.filter((d) => d.person_id === s).length, 2);
    assert.equal(during.consent.filter((c) => c.person_id === s).length, 4);
    assert.ok(during.household_membership.find((h) => h.person_id === m)!.left_at);
    assert.deepEqual(during.case_file.map((c) => [c.id, c.person_id]), [[caseId, s]]);
    const survivorHousehold = (await t.request('GET', `/api/registry/households/${first.householdId}`, officer)).json();
    assert.equal(survivorHousehold.headPersonId, s, 'the survivor keeps their household');
    const pairNow = (await t.request('GET', `/api/match/pairs/${pair.id}`, officer)).json();
    assert.equal(pairNow.status, 'merged');
    // The merged record can still be opened; search finds only the survivor.
    const opened = await t.request('GET', `/api/registry/people/${m}`, officer);
    assert.equal(opened.statusCode, 200, opened.body);
    const found = (await t.request('GET', `/api/registry/people?q=${encodeURIComponent('N0123-4561')}`, officer)).json();
    assert.deepEqual(found.items.map((i: { id: string }) => i.id), [s]);
    const history = (await t.request('GET', `/api/registry/people/${s}/history`, officer)).json();
    assert.ok(history.items.some((h: { action: string }) => h.action === 'merge.survivor'));
    const audit = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.merge').executeTakeFirstOrThrow();
    assert.equal(audit.entity_id, s);
    assert.ok(!JSON.stringify(audit).includes('Mohamad'));
    const merges = (await t.request('GET', `/api/match/merges?personId=${m}`, officer)).json();
    assert.deepEqual(merges.map((x: { id: string }) => x.id), [merge.id]);

    // Merging an already merged record: 409, whatever the versions.
    // A merged record is kept for history: editing it is refused, naming the record kept.
    const edit = problem(await t.request('PATCH', `/api/registry/people/${m}`, officer, { middleName: 'Edited', version: await personVersion(m) }), 409);
    assert.equal(edit.mergedInto, s);
    const again = problem(await t.request('POST', '/api/match/merges', officer, { survivorId: s, mergedId: m, survivorVersion: await personVersion(s), mergedVersion: await personVersion(m), reason: 'again' }), 409, 'mergedId');
    assert.equal(again.code, 'conflict');
    const intoMerged = problem(await t.request('POST', '/api/match/merges', officer, { survivorId: m, mergedId: first.people[1]!.id, survivorVersion: await personVersion(m), mergedVersion: await personVersion(first.people[1]!.id), reason: 'into a merged record' }), 409, 'survivorId');
    assert.equal(intoMerged.code, 'conflict');

    const undo = await t.request('POST', `/api/match/merges/${merge.id}/unmerge`, officer, {});
    assert.equal(undo.statusCode, 200, undo.body);
    assert.equal(undo.json().unmergedBy, officer.userId);
    const afterUnmerge = await snapshot([s, m]);
    // Every column as it was; only the version and updated_at move forward (optimistic concurrency).
    const bookkeeping = <T extends { version: number; updated_at: Date }>(rows: T[]) => rows.map(({ version: _v, updated_at: _u, ...rest }) => rest);
    assert.deepEqual(bookkeeping(afterUnmerge.person), bookkeeping(beforeMerge.person));
    for (const [i, p] of afterUnmerge.person.entries()) assert.equal(p.version, beforeMerge.person[i]!.version + 2);
    assert.deepEqual(afterUnmerge.identity_document, beforeMerge.identity_document);
    assert.deepEqual(afterUnmerge.consent, beforeMerge.consent);
    assert.deepEqual(afterUnmerge.household_membership, beforeMerge.household_membership);
    assert.deepEqual(afterUnmerge.household_head, beforeMerge.household_head);
    assert.deepEqual(afterUnmerge.case_file, beforeMerge.case_file);
    const events = await t.database.db.selectFrom('case_event').select('kind').where('case_id', '=', caseId).orderBy('id').execute();
    assert.deepEqual(events.map((e) => e.kind), ['opened', 'person_merged', 'person_unmerged']);
    const restoredPair = (await t.request('GET', `/api/match/pairs/${pair.id}`, officer)).json();
    assert.equal(restoredPair.status, 'same', 'the pair is back to its decision');
    problem(await t.request('POST', `/api/match/merges/${merge.id}/unmerge`, officer, {}), 409);
    problem(await t.request('POST', '/api/match/merges/00000000-0000-4000-8000-000000000000/unmerge', officer, {}), 404);
  });

  it('a merged head whose survivor has no household takes their place; unmerge puts it back', async () => {
    // The spouse of the second registration is merged into a person without a household.
    const loner = (await t.database.db.selectFrom('person').select(['id', 'version']).where('household_id', 'is', null).where('merged_into', 'is', null).limit(1).executeTakeFirst()) ?? null;
    const survivor = loner?.id ?? first.people[1]!.id;
    if (!loner) {
      // Take the first household's spouse out, so the survivor has no household.
      const res = await t.request('DELETE', `/api/registry/households/${first.householdId}/members/${survivor}`, officer);
      assert.equal(res.statusCode, 200, res.body);
    }
    const m = second.people[0]!.id;
    const beforeMerge = await snapshot([survivor, m]);
    const res = await t.request('POST', '/api/match/merges', officer, { survivorId: survivor, mergedId: m, survivorVersion: await personVersion(survivor), mergedVersion: await personVersion(m), reason: 'test of household take-over' });
    assert.equal(res.statusCode, 201, res.body);
    const hh = (await t.request('GET', `/api/registry/households/${second.householdId}`, officer)).json();
    assert.equal(hh.headPersonId, survivor);
    const undo = await t.request('POST', `/api/match/merges/${res.json().id}/unmerge`, officer, {});
    assert.equal(undo.statusCode, 200, undo.body);
    const afterUnmerge = await snapshot([survivor, m]);
    const bookkeeping = <T extends { version: number; updated_at: Date }>(rows: T[]) => rows.map(({ version: _v, updated_at: _u, ...rest }) => rest);
    assert.deepEqual(bookkeeping(afterUnmerge.person), bookkeeping(beforeMerge.person));
    assert.deepEqual(afterUnmerge.household_membership, beforeMerge.household_membership);
    assert.deepEqual(afterUnmerge.household_head, beforeMerge.household_head);
  });

  it('refuses to undo a merge that a later merge depends on, or whose survivor was merged since (409)', async () => {
    const nlPeople = await t.database.db.selectFrom('person').select('id').where('office_id', '=', nl).where('merged_into', 'is', null).orderBy('registration_id').limit(4).execute();
    const [a, b, c, d] = nlPeople.map((p) => p.id) as [string, string, string, string];
    const merge = async (survivorId: string, mergedId: string) => {
      const res = await t.request('POST', '/api/match/merges', officer, { survivorId, mergedId, survivorVersion: await personVersion(survivorId), mergedVersion: await personVersion(mergedId), reason: 'test' });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    };
    const first = await merge(a, b);
    const later = await merge(a, c);
    assert.equal(problem(await t.request('POST', `/api/match/merges/${first}/unmerge`, officer, {}), 409).code, 'conflict');
    assert.equal((await t.request('POST', `/api/match/merges/${later}/unmerge`, officer, {})).statusCode, 200);
    const survivorMerged = await merge(d, a);
    assert.equal(problem(await t.request('POST', `/api/match/merges/${first}/unmerge`, officer, {}), 409).code, 'conflict');
    assert.equal((await t.request('POST', `/api/match/merges/${survivorMerged}/unmerge`, officer, {})).statusCode, 200);
    assert.equal((await t.request('POST', `/api/match/merges/${first}/unmerge`, officer, {})).statusCode, 200);
    const rows = await t.database.db.selectFrom('person').select('merged_into').where('id', 'in', [a, b, c, d]).execute();
    assert.ok(rows.every((r) => r.merged_into === null));
  });

  it('a later run learns from the decisions and does not queue decided pairs again', async () => {
    const openBefore = (await t.request('GET', '/api/match/pairs?pageSize=100', officer)).json().items.map((p: { id: string }) => p.id);
    const run = await runToEnd({});
    assert.equal(run.status, 'succeeded', run.message);
    assert.match(run.message, /earlier decisions were used/);
    const openAfter = (await t.request('GET', '/api/match/pairs?pageSize=100', officer)).json().items as { id: string; runId: string }[];
    assert.ok(openAfter.some((p) => openBefore.includes(p.id) && p.runId === run.id), 'open pairs found again keep their id and move to the new run');
    const rows = await t.database.db.selectFrom('match_pair').select(['status']).where('person_a', '=', pair.a.id).where('person_b', '=', pair.b.id).execute();
    assert.deepEqual(rows.map((r) => r.status), ['same']);
    const params = await t.database.db.selectFrom('match_run').select('params').where('id', '=', run.id).executeTakeFirstOrThrow();
    assert.equal((params.params as { model: { kind: string } }).model.kind, 'passage-match-fellegi-sunter');
  });

  it('cancels runs: a queued one at once, a running one before it stores anything; a finished one is a 409', async () => {
    const db = t.database.db;
    const queued = await db.insertInto('match_run').values({ office_id: nl, scope_office_ids: [nl], started_by: officer.userId }).returning('id').executeTakeFirstOrThrow();
    const res = await t.request('POST', `/api/match/runs/${queued.id}/cancel`, officer, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'cancelled');
    problem(await t.request('POST', `/api/match/runs/${queued.id}/cancel`, officer, {}), 409);
    problem(await t.request('POST', `/api/match/runs/${queued.id}/cancel`, await t.as('caseworker'), {}), 403);
    // A run whose cancellation arrives while it works: the job stops and stores nothing.
    const pairsBefore = await db.selectFrom('match_pair').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const running = await db.insertInto('match_run').values({ office_id: nl, scope_office_ids: [nl], started_by: officer.userId, cancel_requested: true }).returning('id').executeTakeFirstOrThrow();
    await runMatchJob({ db }, running.id);
    const after = await db.selectFrom('match_run').selectAll().where('id', '=', running.id).executeTakeFirstOrThrow();
    assert.equal(after.status, 'cancelled');
    assert.equal(after.params, null);
    assert.deepEqual(await db.selectFrom('match_pair').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(), pairsBefore);
  });
});
