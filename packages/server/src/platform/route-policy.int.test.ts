import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES, roleHasPermission, type Permission } from '@passage/domain';
import { buildApp } from '../app.ts';
import { createTestApp, type TestApp, type TestClient } from '../testing.ts';

/**
 * Every route in the route table, against every role: a route with a permission answers 403 to
 * roles without it and lets roles with it through; every non-public route answers 401 without a
 * session. A new route without a policy cannot even be registered (see the last test).
 */
describe('route × role policy matrix', () => {
  let t: TestApp;
  const clients = new Map<string, TestClient>();
  before(async () => {
    t = await createTestApp();
    for (const role of ROLES) clients.set(role, await t.as(role));
  });
  after(() => t.close());

  const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

  it('lists the API routes with a policy each', () => {
    const api = t.app.routeTable.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs'));
    assert.ok(api.length >= 15, `found ${api.length} routes`);
    for (const r of api) assert.ok(r.policy, `${r.method} ${r.url}`);
  });

  it('every API route declares its response schema and, where it takes input, its request schema', () => {
    for (const r of t.app.routeTable.filter((x) => x.url.startsWith('/api') && !x.schema.hidden && !x.url.startsWith('/api/docs'))) {
      assert.ok(r.schema.response, `${r.method} ${r.url} has no response schema`);
      if (['POST', 'PUT', 'PATCH'].includes(r.method)) assert.ok(r.schema.body, `${r.method} ${r.url} has no body schema`);
      if (r.url.includes(':')) assert.ok(r.schema.params, `${r.method} ${r.url} has no params schema`);
    }
  });

  it('refuses every non-public route without a session (401)', async () => {
    for (const r of t.app.routeTable.filter((x) => x.url.startsWith('/api') && x.policy !== 'public')) {
      const res = await t.request(r.method, concrete(r.url), null, r.method === 'GET' ? undefined : {});
      assert.equal(res.statusCode, 401, `${r.method} ${r.url}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
  });

  for (const role of ROLES) {
    it(`decides every route for ${role}`, async () => {
      const client = clients.get(role)!;
      for (const r of t.app.routeTable.filter((x) => x.url.startsWith('/api') && x.policy !== 'public' && x.url !== '/api/auth/logout')) {
        const res = await t.request(r.method, concrete(r.url), client, r.method === 'GET' ? undefined : {});
        const permission = r.policy as Permission;
        const allowed = r.policy === 'session' || r.policy === 'partial-session' || roleHasPermission(role, permission);
        if (allowed) {
          assert.ok(![401, 403].includes(res.statusCode) || res.json().code === 'conflict', `${role} ${r.method} ${r.url} → ${res.statusCode} ${res.body}`);
        } else {
          assert.equal(res.statusCode, 403, `${role} ${r.method} ${r.url} → ${res.statusCode}`);
          assert.equal(res.json().code, 'forbidden');
        }
      }
    });
  }

  it('refuses to register an /api route that declares no policy', async () => {
    const fresh = await buildApp(t.deps, { logger: false });
    assert.throws(() => fresh.get('/api/unguarded', async () => ({ leaked: true })), /declares no policy/);
    await fresh.close();
  });
});
