import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ScreenResultDto } from '@passage/domain';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';

describe('screening API', () => {
  let t: TestApp;
  let admin: TestClient;
  let border: TestClient;
  let hq: string;
  const upload = (client: TestClient, query: string, csv: string | Buffer) =>
    t.app.inject({ method: 'POST', url: `/api/screening/watchlists?${query}`, headers: { ...client.headers, 'content-type': 'text/csv' }, payload: csv });

  before(async () => {
    t = await createTestApp();
    admin = await t.as('administrator');
    border = await t.as('border_officer');
    hq = t.demo.offices.find((o) => o.code === 'DEMO-HQ')!.id;
  });
  after(() => t.close());

  it('uploads a list with aliases (BOM, CRLF, quoted fields) and screens across scripts, reporting the entry an alias belongs to', async () => {
    const csv = '\ufeffentry_id,name,alias_of,date_of_birth,nationality\r\nW1,"Abd al-Rahman Haddad",,1980-02-03,SYR\r\nW1a,"عبد الرحمن حداد",W1,,\r\nW2,Ivan Petrenko,,1975,UKR\r\nW3,"Smith, John",,,GBR\r\n';
    const res = await upload(admin, `officeId=${hq}&name=Demo%20list&source=fictitious`, csv);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().entries, 4);
    const check = async (body: unknown) => {
      const r = await t.request('POST', '/api/screening/check', border, body);
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as ScreenResultDto;
    };
    const hit = await check({ names: ['Abdulrahman Hadad'], dateOfBirth: '1980-02-03', nationality: 'SYR' });
    assert.equal(hit.listsChecked, 1);
    assert.equal(hit.complete, true, 'a small list is searched completely');
    assert.equal(hit.hits[0]!.entryId, 'W1');
    assert.ok(hit.hits[0]!.score >= 0.85, String(hit.hits[0]!.score));
    const arabic = await check({ names: ['عبدالرحمن حداد'] });
    assert.equal(arabic.hits[0]!.entryId, 'W1');
    assert.equal((await check({ names: ['Olexandr Kovalenko'] })).hits.length, 0);
    // Replacing the list: one version later, the process reloads it.
    const again = await upload(admin, `officeId=${hq}&name=Demo%20list`, 'entry_id,name\nZ1,Olexandr Kovalenko\n');
    assert.equal(again.json().version, 2);
    assert.equal((await check({ names: ['Oleksandr Kovalenko'] })).hits[0]!.entryId, 'Z1');
    assert.equal((await check({ names: ['Abdulrahman Hadad'] })).hits.length, 0);
    const audit = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'screening.check').execute();
    assert.ok(audit.length >= 5);
    assert.ok(!JSON.stringify(audit).includes('Kovalenko'), 'the names asked about are not audited');
  });

  it('refuses bad lists whole (nothing replaced) and bad checks, naming the field', async () => {
    const bad = await upload(admin, `officeId=${hq}&name=Demo%20list`, 'entry_id,name\nA,Someone\nA,Someone else\n');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().errors[0].message, /row 3: entry_id A appears twice/);
    assert.equal((await t.database.db.selectFrom('watchlist').select('version').executeTakeFirstOrThrow()).version, 2);
    assert.equal((await upload(admin, `officeId=${hq}&name=X`, 'id,full_name\n1,a\n')).json().errors[0].field, 'file');
    assert.equal((await upload(admin, `officeId=${hq}&name=X`, Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0]))).statusCode, 400);
    for (const [body, field] of [
      [{ names: [] }, 'names'],
      [{ names: ['x'.repeat(201)] }, 'names.0'],
      [{ names: ['  '] }, 'names.0'],
      [{ names: ['Ali'], nationality: 'XXX' }, 'nationality'],
      [{ names: ['Ali'], dateOfBirth: '03/02/1980' }, 'dateOfBirth'],
    ] as const) {
      const r = await t.request('POST', '/api/screening/check', border, body);
      assert.equal(r.statusCode, 400, r.body);
      assert.ok(r.json().errors.some((e: { field: string }) => e.field === field), r.body);
    }
    // Emoji, zero-width and right-to-left marks are handled, not errors.
    assert.equal((await t.request('POST', '/api/screening/check', border, { names: ['\u200fOlek\u200bsandr 🙂 Kovalenko'] })).statusCode, 200);
  });

  it('keeps lists and checks to those allowed', async () => {
    assert.equal((await t.request('POST', '/api/screening/check', await t.as('caseworker'), { names: ['Ali'] })).statusCode, 403);
    assert.equal((await upload(border, `officeId=${hq}&name=Mine`, 'entry_id,name\n1,a\n')).statusCode, 403);
    const sl = t.demo.offices.find((o) => o.code === 'DEMO-SL')!.id;
    // An administrator of one country office may not upload for another.
    const u = await t.database.db.insertInto('app_user').values({ email: 'admin.nl@test.invalid', display_name: 'NL admin' }).returning('id').executeTakeFirstOrThrow();
    await t.database.db.insertInto('user_role').values({ user_id: u.id, office_id: t.demo.offices.find((o) => o.code === 'DEMO-NL')!.id, role: 'administrator' }).execute();
    const res = await upload(await t.asUser(u.id), `officeId=${sl}&name=Other`, 'entry_id,name\n1,a\n');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().errors[0].field, 'officeId');
  });
});
