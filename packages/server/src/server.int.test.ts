import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { startPassage } from './server.ts';
import { createTestApp, testConfig } from './testing.ts';

describe('start-up checks', () => {
  let d: TestDatabase;
  before(async () => {
    d = await createTestDatabase({ migrate: false });
  });
  after(() => d.close());

  it('refuses to start in production on a PostgreSQL that does not commit durably, and only warns in development', async () => {
    const name = new URL(d.url).pathname.slice(1);
    await sql`ALTER DATABASE ${sql.id(name)} SET synchronous_commit = off`.execute(d.db);
    await assert.rejects(
      startPassage(testConfig({ databaseUrl: d.url, env: 'production', port: 0, demo: false }), { logger: false, webRoot: null, log: () => undefined }),
      /not durable \(synchronous_commit=off\).*Refusing to start in production/,
    );
    const warnings: string[] = [];
    const dev = await startPassage(testConfig({ databaseUrl: d.url, env: 'development', port: 0, demo: false }), { logger: false, webRoot: null, log: (m) => warnings.push(m) });
    await dev.stop();
    assert.ok(warnings.some((w) => w.startsWith('WARNING: PostgreSQL is not durable')), warnings.join('\n'));
    await sql`ALTER DATABASE ${sql.id(name)} RESET synchronous_commit`.execute(d.db);
  });

  it('sends HSTS and __Host- secure cookies only behind HTTPS', async () => {
    const plain = await createTestApp();
    const tls = await createTestApp({ publicUrl: 'https://passage.example.org' });
    try {
      const a = await plain.app.inject({ method: 'GET', url: '/api/system/info' });
      assert.equal(a.headers['strict-transport-security'], undefined);
      const b = await tls.app.inject({ method: 'GET', url: '/api/system/info' });
      assert.match(String(b.headers['strict-transport-security']), /max-age=31536000/);
      const login = await tls.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'caseworker@demo.passage.invalid', password: 'demo-passage-2026' }) });
      assert.match(String(login.headers['set-cookie']), /^__Host-passage_session=.*; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    } finally {
      await plain.close();
      await tls.close();
    }
  });
});
