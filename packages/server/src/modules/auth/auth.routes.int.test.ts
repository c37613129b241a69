import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOTP, Secret } from 'otpauth';
import { ROLE_PERMISSIONS } from '@passage/domain';
import { createTestApp, type TestApp } from '../../testing.ts';
import { DEMO_PASSWORD, DEMO_RECOVERY_CODE, DEMO_TOTP_SECRET } from '../../seed/demo.ts';

function totpNow(secret = DEMO_TOTP_SECRET, offsetSteps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

function cookieFrom(res: { headers: Record<string, unknown> }): string {
  const set = res.headers['set-cookie'];
  const first = Array.isArray(set) ? String(set[0]) : String(set);
  return first.split(';')[0]!;
}

describe('sign-in', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ email, password }) });

  it('signs a caseworker in with a password alone, with a fresh httpOnly SameSite cookie', async () => {
    const res = await login('caseworker@demo.passage.invalid', DEMO_PASSWORD);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().stage, 'full');
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: cookieFrom(res) } });
    assert.equal(session.statusCode, 200);
    assert.equal(session.json().user.email, 'caseworker@demo.passage.invalid');
    assert.deepEqual(session.json().user.permissions, [...ROLE_PERMISSIONS.caseworker].sort());
  });

  it('asks an administrator for the second factor and accepts a TOTP code once', async () => {
    const res = await login('ADMINISTRATOR@demo.passage.invalid', DEMO_PASSWORD);
    assert.equal(res.json().stage, 'mfa');
    const cookie = cookieFrom(res);
    const headers = { cookie, 'x-csrf-token': res.json().csrfToken, 'content-type': 'application/json' };
    // Mid-login, the session cannot reach protected routes.
    const blocked = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
    assert.equal(blocked.statusCode, 401);
    assert.equal(blocked.json().code, 'mfa_required');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/verify', headers, payload: JSON.stringify({ code: '000000' === totpNow() ? '111111' : '000000' }) });
    assert.equal(wrong.statusCode, 401);
    const code = totpNow();
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/verify', headers, payload: JSON.stringify({ code }) });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().stage, 'full');
    const full = cookieFrom(ok);
    assert.notEqual(full, cookie, 'a new session id after the second factor');
    const users = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: full } });
    assert.equal(users.statusCode, 200);
    // The old, pre-MFA session id is dead.
    const old = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    assert.equal(old.statusCode, 401);
    // The same code cannot be replayed on a new login.
    const again = await login('administrator@demo.passage.invalid', DEMO_PASSWORD);
    const replay = await t.app.inject({
      method: 'POST', url: '/api/auth/mfa/verify',
      headers: { cookie: cookieFrom(again), 'x-csrf-token': again.json().csrfToken, 'content-type': 'application/json' },
      payload: JSON.stringify({ code }),
    });
    assert.equal(replay.statusCode, 401);
  });

  it('accepts a recovery code once', async () => {
    const res = await login('data.protection.officer@demo.passage.invalid', DEMO_PASSWORD);
    const headers = { cookie: cookieFrom(res), 'x-csrf-token': res.json().csrfToken, 'content-type': 'application/json' };
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/verify', headers, payload: JSON.stringify({ code: DEMO_RECOVERY_CODE }) });
    assert.equal(ok.statusCode, 200);
    const res2 = await login('data.protection.officer@demo.passage.invalid', DEMO_PASSWORD);
    const headers2 = { cookie: cookieFrom(res2), 'x-csrf-token': res2.json().csrfToken, 'content-type': 'application/json' };
    const reuse = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/verify', headers: headers2, payload: JSON.stringify({ code: DEMO_RECOVERY_CODE }) });
    assert.equal(reuse.statusCode, 401);
  });

  it('makes a new administrator enrol in MFA before anything else, then hands out recovery codes', async () => {
    const admin = await t.as('administrator');
    const hq = t.demo.offices.find((o) => o.code === 'DEMO-HQ')!.id;
    const created = await t.request('POST', '/api/users', admin, { email: 'new.admin@demo.passage.invalid', displayName: 'New Admin', password: 'a long enough passphrase', roles: [{ officeId: hq, role: 'administrator' }] });
    assert.equal(created.statusCode, 201, created.body);
    const res = await login('new.admin@demo.passage.invalid', 'a long enough passphrase');
    assert.equal(res.json().stage, 'enrol');
    const headers = { cookie: cookieFrom(res), 'x-csrf-token': res.json().csrfToken, 'content-type': 'application/json' };
    const blocked = await t.app.inject({ method: 'GET', url: '/api/offices', headers: { cookie: headers.cookie } });
    assert.equal(blocked.statusCode, 401);
    const enrol = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/enrol', headers, payload: '{}' });
    assert.equal(enrol.statusCode, 200, enrol.body);
    const { otpauthUri, secret, qrSvg } = enrol.json();
    assert.match(otpauthUri, /^otpauth:\/\/totp\/Passage:new\.admin%40demo\.passage\.invalid\?/);
    assert.match(qrSvg, /^<svg/);
    const confirm = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/enrol/confirm', headers, payload: JSON.stringify({ code: totpNow(secret) }) });
    assert.equal(confirm.statusCode, 200, confirm.body);
    assert.equal(confirm.json().recoveryCodes.length, 10);
    assert.equal(confirm.json().stage, 'full');
    const row = await t.database.db.selectFrom('app_user').select(['mfa_secret', 'mfa_enabled']).where('email', '=', 'new.admin@demo.passage.invalid').executeTakeFirstOrThrow();
    assert.equal(row.mfa_enabled, true);
    assert.ok(!row.mfa_secret!.includes(secret), 'the secret is stored encrypted');
  });

  it('refuses a wrong password with 401 and no session, and audits the failure', async () => {
    const res = await login('viewer@demo.passage.invalid', 'not the password at all');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'invalid_credentials');
    assert.equal(res.headers['set-cookie'], undefined);
    const unknown = await login('nobody@demo.passage.invalid', 'not the password at all');
    assert.equal(unknown.statusCode, 401);
    assert.equal(unknown.json().detail, res.json().detail, 'unknown and known accounts fail alike');
    const events = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'auth.login').where('outcome', '=', 'failure').execute();
    assert.ok(events.length >= 2);
    assert.ok(events.every((e) => !JSON.stringify(e).includes('not the password')), 'no password in the audit trail');
  });

  it('locks an account after five failures, audits the lock, and refuses even the right password while locked', async () => {
    const email = 'border.officer@demo.passage.invalid';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(email, `wrong password ${i}`, {})).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    const locked = await login(email, DEMO_PASSWORD);
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().code, 'account_locked');
    const lockEvents = await t.database.db.selectFrom('audit_event').select('id').where('action', '=', 'auth.lock').execute();
    assert.equal(lockEvents.length, 1);
  });

  it('ends sessions after 30 idle minutes and after 12 hours in any case', async () => {
    const idle = await t.as('caseworker');
    await t.database.db.updateTable('session').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('user_id', '=', idle.userId).execute();
    assert.equal((await t.request('GET', '/api/auth/session', idle)).statusCode, 401);
    const old = await t.as('caseworker');
    await t.database.db.updateTable('session').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', old.userId).execute();
    assert.equal((await t.request('GET', '/api/auth/session', old)).statusCode, 401);
  });

  it('refuses forged and malformed session cookies with 401', async () => {
    for (const cookie of ['passage_session=forged', `passage_session=${'A'.repeat(43)}`, 'passage_session=%00%ff', 'passage_session=']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
      assert.equal(res.statusCode, 401, cookie);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
  });

  it('requires the CSRF token on state-changing requests of a signed-in session', async () => {
    const admin = await t.as('administrator');
    const noToken = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ locale: 'fr' }) });
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().code, 'csrf_failed');
    assert.equal(noToken.json().errors[0].field, 'x-csrf-token');
    const wrong = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { ...admin.headers, 'x-csrf-token': 'x'.repeat(32) }, payload: JSON.stringify({ locale: 'fr' }) });
    assert.equal(wrong.statusCode, 403);
    const row = await t.database.db.selectFrom('app_user').select('locale').where('id', '=', admin.userId).executeTakeFirstOrThrow();
    assert.equal(row.locale, 'en', 'nothing written');
    const ok = await t.request('PATCH', '/api/me', admin, { locale: 'fr' });
    assert.equal(ok.statusCode, 204);
  });

  it('logs out: the session is gone and the cookie cleared', async () => {
    const c = await t.as('viewer');
    const res = await t.request('POST', '/api/auth/logout', c, {});
    assert.equal(res.statusCode, 204);
    assert.match(String(res.headers['set-cookie']), /passage_session=;/);
    assert.equal((await t.request('GET', '/api/auth/session', c)).statusCode, 401);
  });
});
