import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';

describe('user administration', () => {
  let t: TestApp;
  let admin: TestClient;
  let southAdmin: TestClient;
  let office: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    admin = await t.as('administrator');
    office = Object.fromEntries(t.demo.offices.map((o) => [o.code, o.id]));
    const created = await t.request('POST', '/api/users', admin, {
      email: 'south.admin@demo.passage.invalid', displayName: 'South Admin', password: 'southland admin passphrase', roles: [{ officeId: office['DEMO-SL'], role: 'administrator' }],
    });
    assert.equal(created.statusCode, 201, created.body);
    southAdmin = await t.asUser(created.json().id);
  });
  after(() => t.close());

  it('creates a user with roles, writes an audit event naming fields but no values', async () => {
    const res = await t.request('POST', '/api/users', admin, {
      email: '  Registrar.Two@Demo.Passage.Invalid ', displayName: 'Registrar Two', password: 'registrar two passphrase', roles: [{ officeId: office['DEMO-NL-PORT'], role: 'registration_officer' }],
    });
    assert.equal(res.statusCode, 201, res.body);
    const user = res.json();
    assert.equal(user.email, 'registrar.two@demo.passage.invalid');
    assert.deepEqual(user.roles.map((r: { role: string; officeCode: string }) => `${r.role}@${r.officeCode}`), ['registration_officer@DEMO-NL-PORT']);
    const event = await t.database.db.selectFrom('audit_event').selectAll().where('entity_id', '=', user.id).where('action', '=', 'user.create').executeTakeFirstOrThrow();
    assert.deepEqual(event.changed_fields, ['displayName', 'email', 'password', 'roles']);
    assert.ok(!JSON.stringify(event).includes('registrar two passphrase'));
    assert.ok(!JSON.stringify(event).includes('Registrar Two'));
    const row = await t.database.db.selectFrom('app_user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.match(row.password_hash!, /^\$argon2id\$/);
  });

  it('refuses weak, common and malformed input naming the field, writing nothing', async () => {
    const before = await t.database.db.selectFrom('app_user').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const cases: [unknown, number, string][] = [
      [{ email: 'a@demo.passage.invalid', displayName: 'A', password: 'short', roles: [] }, 400, 'password'],
      [{ email: 'a@demo.passage.invalid', displayName: 'A', password: 'Password123!', roles: [] }, 400, 'password'],
      [{ email: 'not-an-email', displayName: 'A', password: 'a fine long passphrase', roles: [] }, 400, 'email'],
      [{ email: 'a@demo.passage.invalid', displayName: '', password: 'a fine long passphrase', roles: [] }, 400, 'displayName'],
      [{ email: 'a@demo.passage.invalid', displayName: 'A', password: 'a fine long passphrase', roles: [{ officeId: office['DEMO-HQ'], role: 'wizard' }] }, 400, 'roles.0.role'],
      [{ email: 'a@demo.passage.invalid', displayName: 'A', password: 'a fine long passphrase', roles: [{ officeId: 'nope', role: 'viewer' }] }, 400, 'roles.0.officeId'],
      [{ email: 'a@demo.passage.invalid', displayName: 'A', password: 'a fine long passphrase', roles: [], extra: 1 }, 400, 'extra'],
      [{ email: 'caseworker@demo.passage.invalid', displayName: 'Dup', password: 'a fine long passphrase', roles: [] }, 409, 'email'],
    ];
    for (const [body, status, field] of cases) {
      const res = await t.request('POST', '/api/users', admin, body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)} → ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      if (field) assert.ok(res.json().errors.some((e: { field: string }) => e.field === field), `${field} in ${res.body}`);
    }
    const afterCount = await t.database.db.selectFrom('app_user').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  it('confines an office administrator to their office: others are 404 or 403', async () => {
    const caseworker = await t.database.db.selectFrom('app_user').select('id').where('email', '=', 'caseworker@demo.passage.invalid').executeTakeFirstOrThrow();
    const read = await t.request('GET', `/api/users/${caseworker.id}`, southAdmin);
    assert.equal(read.statusCode, 404);
    const missing = await t.request('GET', '/api/users/00000000-0000-4000-8000-000000000000', southAdmin);
    assert.equal(read.json().detail, missing.json().detail, 'a user elsewhere looks exactly like no user');
    assert.equal((await t.request('PATCH', `/api/users/${caseworker.id}`, southAdmin, { displayName: 'Hijack', version: 1 })).statusCode, 404);
    assert.equal((await t.request('POST', `/api/users/${caseworker.id}/deactivate`, southAdmin, {})).statusCode, 404);
    const list = await t.request('GET', '/api/users', southAdmin);
    assert.ok(list.json().items.every((u: { roles: { officeCode: string }[] }) => u.roles.some((r) => r.officeCode === 'DEMO-SL')));
    const grant = await t.request('POST', '/api/users', southAdmin, { email: 'x@demo.passage.invalid', displayName: 'X', password: 'a fine long passphrase', roles: [{ officeId: office['DEMO-NL'], role: 'caseworker' }] });
    assert.equal(grant.statusCode, 403);
    assert.equal(grant.json().errors[0].field, 'roles.0.officeId');
    const offices = await t.request('GET', '/api/offices', southAdmin);
    assert.deepEqual(offices.json().items.map((o: { code: string }) => o.code), ['DEMO-SL']);
  });

  it('updates with optimistic concurrency: a stale version gets 409 with the current state', async () => {
    const viewer = await t.database.db.selectFrom('app_user').select(['id', 'version']).where('email', '=', 'viewer@demo.passage.invalid').executeTakeFirstOrThrow();
    const ok = await t.request('PATCH', `/api/users/${viewer.id}`, admin, { displayName: 'Demo viewer (renamed)', version: viewer.version });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().version, viewer.version + 1);
    const stale = await t.request('PATCH', `/api/users/${viewer.id}`, admin, { displayName: 'Lost update', version: viewer.version });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'stale_version');
    assert.equal(stale.json().current.displayName, 'Demo viewer (renamed)');
  });

  it('applies role changes and deactivation to a session in use at once (no stale cached session)', async () => {
    const pm = await t.as('programme_manager');
    assert.equal((await t.request('GET', '/api/users', pm)).statusCode, 200);
    const row = await t.database.db.selectFrom('app_user').select('version').where('id', '=', pm.userId).executeTakeFirstOrThrow();
    const res = await t.request('PATCH', `/api/users/${pm.userId}`, admin, { roles: [{ officeId: office['DEMO-HQ'], role: 'viewer' }], version: row.version });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await t.request('GET', '/api/users', pm)).statusCode, 403, 'the lost permission applies to the next request');
    assert.equal((await t.request('POST', `/api/users/${pm.userId}/deactivate`, admin, {})).statusCode, 200);
    assert.equal((await t.request('GET', '/api/auth/session', pm)).statusCode, 401, 'deactivation ends the session at once');
  });

  it('deactivates (ending sessions), reactivates and resets MFA', async () => {
    const target = await t.as('border_officer');
    const res = await t.request('POST', `/api/users/${target.userId}/deactivate`, admin, {});
    assert.equal(res.json().status, 'deactivated');
    assert.equal((await t.request('GET', '/api/auth/session', target)).statusCode, 401);
    assert.equal((await t.request('POST', `/api/users/${target.userId}/reactivate`, admin, {})).json().status, 'active');
    const dpo = await t.database.db.selectFrom('app_user').select('id').where('email', '=', 'data.protection.officer@demo.passage.invalid').executeTakeFirstOrThrow();
    const reset = await t.request('POST', `/api/users/${dpo.id}/reset-mfa`, admin, {});
    assert.equal(reset.json().mfaEnabled, false);
    assert.equal((await t.request('POST', `/api/users/${admin.userId}/deactivate`, admin, {})).statusCode, 409, 'not yourself');
  });
});
