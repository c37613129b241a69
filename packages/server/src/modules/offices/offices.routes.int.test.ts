import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';

describe('offices', () => {
  let t: TestApp;
  let admin: TestClient;
  let southAdmin: TestClient;
  let office: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    admin = await t.as('administrator');
    office = Object.fromEntries(t.demo.offices.map((o) => [o.code, o.id]));
    const created = await t.request('POST', '/api/users', admin, { email: 'sl.admin@demo.passage.invalid', displayName: 'SL Admin', password: 'southland admin passphrase', roles: [{ officeId: office['DEMO-SL'], role: 'administrator' }] });
    southAdmin = await t.asUser(created.json().id);
  });
  after(() => t.close());

  it('lists the offices in scope: everything for HQ roles, a subtree for a country role', async () => {
    const all = await t.request('GET', '/api/offices', admin);
    assert.deepEqual(all.json().items.map((o: { code: string }) => o.code), ['DEMO-HQ', 'DEMO-NL', 'DEMO-NL-PORT', 'DEMO-SL']);
    const caseworker = await t.request('GET', '/api/offices', await t.as('caseworker'));
    assert.deepEqual(caseworker.json().items.map((o: { code: string }) => o.code), ['DEMO-NL', 'DEMO-NL-PORT']);
  });

  it('creates a sub-office under an office you administer, audited', async () => {
    const res = await t.request('POST', '/api/offices', southAdmin, { parentId: office['DEMO-SL'], code: 'DEMO-SL-EAST', name: 'East Sub-Office (fictitious)', kind: 'sub_office', countryCode: 'XSL' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().parentId, office['DEMO-SL']);
    const event = await t.database.db.selectFrom('audit_event').select(['action', 'actor_id']).where('entity_id', '=', res.json().id).executeTakeFirstOrThrow();
    assert.deepEqual(event, { action: 'office.create', actor_id: southAdmin.userId });
    const list = await t.request('GET', '/api/offices', southAdmin);
    assert.deepEqual(list.json().items.map((o: { code: string }) => o.code), ['DEMO-SL', 'DEMO-SL-EAST'], 'the new office is in scope at once');
  });

  it('refuses offices outside your scope: 403 to create under, 404 to change', async () => {
    const under = await t.request('POST', '/api/offices', southAdmin, { parentId: office['DEMO-NL'], code: 'DEMO-NL-X', name: 'X', kind: 'sub_office' });
    assert.equal(under.statusCode, 403);
    assert.equal(under.json().errors[0].field, 'parentId');
    const root = await t.request('POST', '/api/offices', southAdmin, { parentId: null, code: 'ROOT-2', name: 'Another root', kind: 'global' });
    assert.equal(root.statusCode, 403);
    const patch = await t.request('PATCH', `/api/offices/${office['DEMO-NL']}`, southAdmin, { name: 'Renamed', version: 1 });
    assert.equal(patch.statusCode, 404);
    const missing = await t.request('PATCH', '/api/offices/00000000-0000-4000-8000-000000000000', southAdmin, { name: 'Renamed', version: 1 });
    assert.equal(missing.statusCode, 404);
    assert.equal(patch.json().detail, missing.json().detail);
    const name = await t.database.db.selectFrom('office').select('name').where('id', '=', office['DEMO-NL']!).executeTakeFirstOrThrow();
    assert.equal(name.name, 'Northland Country Office (fictitious)');
  });

  it('renames with optimistic concurrency and refuses a duplicate code', async () => {
    const ok = await t.request('PATCH', `/api/offices/${office['DEMO-NL-PORT']}`, admin, { name: 'Port Azure Sub-Office (renamed, fictitious)', version: 1 });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().version, 2);
    const stale = await t.request('PATCH', `/api/offices/${office['DEMO-NL-PORT']}`, admin, { active: false, version: 1 });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'stale_version');
    assert.equal(stale.json().current.version, 2);
    const dup = await t.request('POST', '/api/offices', admin, { parentId: office['DEMO-HQ'], code: 'DEMO-NL', name: 'Dup', kind: 'country' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().errors[0].field, 'code');
  });
});
