import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { linkPendingAudit } from '../../platform/audit.ts';
import { createTestApp, type TestApp } from '../../testing.ts';

describe('audit viewer API', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('lets a data-protection officer filter by actor, entity and action, newest first, in pages', async () => {
    const admin = await t.as('administrator');
    const viewer = await t.database.db.selectFrom('app_user').select(['id', 'version']).where('email', '=', 'viewer@demo.passage.invalid').executeTakeFirstOrThrow();
    for (let i = 0; i < 3; i++) {
      const res = await t.request('PATCH', `/api/users/${viewer.id}`, admin, { displayName: `Viewer ${i}`, version: viewer.version + i });
      assert.equal(res.statusCode, 200, res.body);
    }
    const dpo = await t.as('data_protection_officer');
    const first = await t.request('GET', `/api/audit?actorId=${admin.userId}&entityType=user&entityId=${viewer.id}&action=user.update&limit=2`, dpo);
    assert.equal(first.statusCode, 200, first.body);
    const body = first.json();
    assert.equal(body.items.length, 2);
    assert.ok(body.nextBefore);
    assert.equal(body.items[0].actorEmail, 'administrator@demo.passage.invalid');
    assert.deepEqual(body.items[0].changedFields, ['displayName']);
    assert.ok(Number(body.items[0].id) > Number(body.items[1].id), 'newest first');
    const second = await t.request('GET', `/api/audit?actorId=${admin.userId}&entityId=${viewer.id}&action=user.update&limit=2&before=${body.nextBefore}`, dpo);
    assert.equal(second.json().items.length, 1);
    assert.equal(second.json().nextBefore, null);
    const dated = await t.request('GET', `/api/audit?from=2000-01-01&to=2000-12-31`, dpo);
    assert.equal(dated.json().items.length, 0);
    const searches = await t.database.db.selectFrom('audit_event').select('actor_id').where('action', '=', 'audit.search').execute();
    assert.ok(searches.length >= 3 && searches.every((s) => s.actor_id === dpo.userId), 'reading the trail is audited');
  });

  it('shows a country data-protection officer only the events of offices in their subtree', async () => {
    const admin = await t.as('administrator');
    const office = Object.fromEntries(t.demo.offices.map((o) => [o.code, o.id]));
    const nlDpo = await t.request('POST', '/api/users', admin, { email: 'nl.dpo@demo.passage.invalid', displayName: 'NL DPO', password: 'northland dpo passphrase', roles: [{ officeId: office['DEMO-NL'], role: 'data_protection_officer' }] });
    await t.request('PATCH', `/api/offices/${office['DEMO-NL-PORT']}`, admin, { name: 'Port (renamed)', version: 1 });
    await t.request('PATCH', `/api/offices/${office['DEMO-SL']}`, admin, { name: 'Southland (renamed)', version: 1 });
    const res = await t.request('GET', '/api/audit?action=office.update', await t.asUser(nlDpo.json().id));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().items.map((e: { officeId: string }) => e.officeId), [office['DEMO-NL-PORT']]);
  });

  it('shows the chain\'s state (linked, waiting) to those who may read the whole trail, and to no one else', async () => {
    const dpo = await t.as('data_protection_officer');
    await linkPendingAudit(t.database.db);
    const linked = (await t.request('GET', '/api/audit/chain', dpo)).json();
    assert.equal(linked.waiting, 0);
    assert.equal(linked.oldestWaitingSeconds, null);
    const events = Number((await t.database.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(linked.linked, events, 'every event is in the chain');
    assert.ok(linked.lastLinkedEventAt);
    // A change writes its event; it waits for the linker (no linker runs in this test app), then is linked.
    const admin = await t.as('administrator');
    const office = t.demo.offices.find((o) => o.code === 'DEMO-NL-PORT')!;
    const renamed = await t.request('PATCH', `/api/offices/${office.id}`, admin, { name: 'Port (chain test)', version: (await t.database.db.selectFrom('office').select('version').where('id', '=', office.id).executeTakeFirstOrThrow()).version });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const waiting = (await t.request('GET', '/api/audit/chain', dpo)).json();
    assert.ok(waiting.waiting >= 1, JSON.stringify(waiting));
    assert.equal(typeof waiting.oldestWaitingSeconds, 'number');
    await linkPendingAudit(t.database.db);
    const after = (await t.request('GET', '/api/audit/chain', dpo)).json();
    assert.equal(after.waiting, 0);
    assert.ok(after.linked > linked.linked);
    // Roles without audit.read, and an audit reader of one country only, are refused.
    assert.equal((await t.request('GET', '/api/audit/chain', await t.as('caseworker'))).statusCode, 403);
    const nlDpo = await t.database.db.selectFrom('app_user').select('id').where('email', '=', 'nl.dpo@demo.passage.invalid').executeTakeFirstOrThrow();
    const refused = await t.request('GET', '/api/audit/chain', await t.asUser(nlDpo.id));
    assert.equal(refused.statusCode, 403);
    assert.match(refused.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal((await t.request('GET', '/api/audit/chain')).statusCode, 401);
  });

  it('refuses roles without audit.read and bad filters', async () => {
    assert.equal((await t.request('GET', '/api/audit', await t.as('caseworker'))).statusCode, 403);
    const dpo = await t.as('data_protection_officer');
    const bad = await t.request('GET', '/api/audit?from=yesterday', dpo);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errors[0].field, 'querystring.from');
  });

  it('serves the OpenAPI 3.1 document and the interactive docs', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(doc.statusCode, 200);
    const spec = doc.json();
    assert.equal(spec.openapi, '3.1.0');
    for (const p of ['/api/users', '/api/users/{id}', '/api/offices', '/api/audit', '/api/auth/login']) assert.ok(spec.paths[p], p);
    assert.ok(spec.paths['/api/users'].post.requestBody);
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger/i);
  });
});
