import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RegistrationInput } from '@passage/domain';
import { defaultParams, paramsToJSON } from '@passage/match';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';

/** One person's registration at an office. */
function single(officeId: string, person: Partial<RegistrationInput['members'][number]>): RegistrationInput {
  return {
    officeId,
    members: [{ givenName: 'x', sex: 'male', nationality: 'SYR', populationGroup: 'refugee', relationship: 'head', ...person } as RegistrationInput['members'][number]],
  };
}

interface Candidate {
  person: { id: string };
  reasons: string[];
  probability: number | null;
  explanation?: { fields: { field: string; label: string; agreement: string; weight: number }[] } | null;
}

describe('duplicate check with the matching engine', () => {
  let t: TestApp;
  let officer: TestClient;
  let nl: string;
  let sl: string;
  let hassan: string;

  const register = async (body: RegistrationInput) => {
    const res = await t.request('POST', '/api/registry/registrations', officer, { ...body, notDuplicateReason: 'test: different person' });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { people: { id: string }[] }).people[0]!.id;
  };
  const check = async (client: TestClient, probe: Record<string, unknown>) => {
    const res = await t.request('POST', '/api/registry/duplicate-check', client, probe);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { candidates: Candidate[]; elsewhere: number; engine?: string };
  };

  before(async () => {
    t = await createTestApp();
    officer = await t.as('registration_officer');
    nl = t.demo.offices.find((o) => o.code === 'DEMO-NL')!.id;
    sl = t.demo.offices.find((o) => o.code === 'DEMO-SL')!.id;
    hassan = await register(single(nl, { givenName: 'Mohammed', familyName: 'Al-Hassan', fullNameOriginal: 'محمد الحسن', dateOfBirth: '1990-05-04', phones: ['+963 944 123 456'] }));
    await register(single(nl, { givenName: 'Oleksandr', familyName: 'Shevchenko', fullNameOriginal: 'Олександр Шевченко', dateOfBirth: '1979-11-23', nationality: 'UKR' }));
    await register(single(nl, { givenName: 'Fatima', familyName: 'Yusuf', sex: 'female', dateOfBirth: '2001-02-17' }));
  });
  after(() => t.close());

  it('says when the engine is still loading, and answers with the exact rules meanwhile', async () => {
    // A fresh app: nothing has asked the index yet.
    const first = await check(officer, { givenName: 'Mohammed', familyName: 'Al-Hassan', dateOfBirth: '1990-05-04' });
    assert.equal(first.engine, 'loading');
    assert.ok(first.candidates.some((c) => c.person.id === hassan && c.reasons.includes('name_and_birth_date')));
    await t.deps.matchIndex!.start();
    assert.ok(t.deps.matchIndex!.ready);
  });

  it('finds another spelling with day and month swapped, with a per-field explanation', async () => {
    const res = await check(officer, { givenName: 'Muhammad', familyName: 'Alhassan', dateOfBirth: '1990-04-05', sex: 'male', nationality: 'SYR' });
    assert.equal(res.engine, 'ready');
    const hit = res.candidates.find((c) => c.person.id === hassan);
    assert.ok(hit, JSON.stringify(res));
    assert.deepEqual(hit.reasons, ['matching_engine']);
    assert.ok(hit.probability !== null && hit.probability >= 0.5);
    const dob = hit.explanation!.fields.find((f) => f.field === 'dob')!;
    assert.equal(dob.label, 'day and month swapped');
    const given = hit.explanation!.fields.find((f) => f.field === 'given')!;
    assert.equal(given.agreement, 'agree');
    assert.equal(hit.explanation!.fields.find((f) => f.field === 'document')!.agreement, 'missing');
  });

  it('finds a person from their name in Arabic script only', async () => {
    const res = await check(officer, { fullNameOriginal: 'محمد الحسن', dateOfBirth: '1990-05-04' });
    assert.ok(res.candidates.some((c) => c.person.id === hassan), JSON.stringify(res));
  });

  it('finds a person registered a moment ago (the index catches up before it answers)', async () => {
    const later = await register(single(nl, { givenName: 'Abdulrahman', familyName: 'Haddad', dateOfBirth: '1968-08-30' }));
    const res = await check(officer, { givenName: 'Abd al-Rahman', familyName: 'Hadad', dateOfBirth: '1968-08-30' });
    assert.ok(res.candidates.some((c) => c.person.id === later && c.probability !== null), JSON.stringify(res));
  });

  it('does not offer a different person (other name, other birth date)', async () => {
    const res = await check(officer, { givenName: 'Oleksandr', familyName: 'Kovalenko', dateOfBirth: '1955-01-09', nationality: 'UKR' });
    assert.equal(res.candidates.length, 0, JSON.stringify(res));
  });

  it('a merged person leaves the index', async () => {
    const twin = await register(single(nl, { givenName: 'Fatima', familyName: 'Yousef', sex: 'female', dateOfBirth: '2001-02-17' }));
    const before = await check(officer, { givenName: 'Fatima', familyName: 'Yusuf', sex: 'female', dateOfBirth: '2001-02-17' });
    assert.ok(before.candidates.some((c) => c.person.id === twin));
    const survivor = before.candidates.find((c) => c.person.id !== twin)!.person.id;
    await t.database.db.updateTable('person').set({ merged_into: survivor, updated_at: new Date(), version: 2 }).where('id', '=', twin).execute();
    await t.deps.matchIndex!.catchUp();
    const found = await t.deps.matchIndex!.query({ id: 'probe', givenName: 'Fatima', familyName: 'Yusuf', sex: 'female', dateOfBirth: '2001-02-17' });
    assert.ok(found && !found.candidates.some((c) => c.id === twin));
    assert.ok(found.candidates.some((c) => c.id === survivor));
  });

  it('counts, never shows, a match in an office the user cannot see', async () => {
    const southOfficer = await (async () => {
      const u = await t.database.db.insertInto('app_user').values({ email: 'south.officer@test.invalid', display_name: 'South officer' }).returning('id').executeTakeFirstOrThrow();
      await t.database.db.insertInto('user_role').values({ user_id: u.id, office_id: sl, role: 'registration_officer' }).execute();
      return t.asUser(u.id);
    })();
    const res = await check(southOfficer, { givenName: 'Muhammad', familyName: 'Alhassan', dateOfBirth: '1990-04-05', sex: 'male', nationality: 'SYR' });
    assert.equal(res.candidates.length, 0, JSON.stringify(res));
    assert.ok(res.elsewhere >= 1, JSON.stringify(res));
    assert.ok(!JSON.stringify(res).includes(hassan));
  });

  it('survives hostile names: emoji, right-to-left marks, zero-width characters, 100 characters of punctuation', async () => {
    for (const givenName of ['😀😀', '\u200f\u200bمحمد\u200d', '!'.repeat(100), '   ']) {
      const res = await check(officer, { givenName, familyName: givenName, dateOfBirth: '1990-02-30' });
      assert.ok(Array.isArray(res.candidates));
    }
  });

  it("takes a batch run's model as soon as the run finishes, in any process (no restart)", async () => {
    const index = t.deps.matchIndex!;
    const before = index.modelFrom;
    const model = JSON.parse(paramsToJSON(defaultParams())) as unknown;
    const run = await t.database.db
      .insertInto('match_run')
      .values({ office_id: nl, scope_office_ids: [nl], started_by: officer.userId, status: 'succeeded', finished_at: new Date(Date.now() + 1000), params: JSON.stringify({ model }) })
      .returning('finished_at')
      .executeTakeFirstOrThrow();
    await check(officer, { givenName: 'Anyone', sex: 'male' });
    assert.notEqual(index.modelFrom?.getTime(), before?.getTime());
    assert.equal(index.modelFrom?.getTime(), run.finished_at!.getTime());
  });
});
