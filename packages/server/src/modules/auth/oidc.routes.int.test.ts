import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Provider from 'oidc-provider';
import { createTestApp, type TestApp } from '../../testing.ts';

/**
 * Single sign-on against a real OpenID Provider (oidc-provider) running in-process.
 * Its interaction step signs in whichever account the test chose, as a user would at the provider.
 */
describe('single sign-on with OpenID Connect', () => {
  let t: TestApp;
  let idp: http.Server;
  let issuer: string;
  let nextAccount = 'caseworker';
  const PASSAGE = 'http://passage.test';
  const accounts: Record<string, { email: string; email_verified: boolean }> = {
    caseworker: { email: 'caseworker@demo.passage.invalid', email_verified: true },
    stranger: { email: 'stranger@elsewhere.invalid', email_verified: true },
    unverified: { email: 'viewer@demo.passage.invalid', email_verified: false },
    admin: { email: 'administrator@demo.passage.invalid', email_verified: true },
  };

  before(async () => {
    idp = http.createServer();
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'passage', client_secret: 'test-secret-not-real', redirect_uris: [`${PASSAGE}/api/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
      findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) }),
      claims: { email: ['email', 'email_verified'], profile: ['name'] },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      pkce: { required: () => true },
    });
    idp.on('request', (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        void (async () => {
          const details = await provider.interactionDetails(req, res);
          const grant = new provider.Grant({ accountId: nextAccount, clientId: String(details.params.client_id) });
          grant.addOIDCScope('openid email profile');
          const grantId = await grant.save();
          await provider.interactionFinished(req, res, { login: { accountId: nextAccount }, consent: { grantId } }, { mergeWithLastSubmission: false });
        })();
        return;
      }
      void provider.callback()(req, res);
    });
    t = await createTestApp({ oidc: { issuer, clientId: 'passage', clientSecret: 'test-secret-not-real', allowHttp: true }, publicUrl: PASSAGE });
  });
  after(async () => {
    await t.close();
    idp.closeAllConnections();
    await new Promise((r) => idp.close(r));
  });

  /** Follows the provider's redirects with a cookie jar until it sends the browser back to Passage. */
  async function throughProvider(authorizeUrl: string): Promise<string> {
    const jar = new Map<string, string>();
    let url = authorizeUrl;
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [k, ...v] = pair!.split('=');
        jar.set(k!, v.join('='));
      }
      const location = res.headers.get('location');
      assert.ok(location, `hop ${hop}: ${res.status} without location`);
      url = new URL(location, url).toString();
      if (url.startsWith(PASSAGE)) return url;
    }
    throw new Error('too many redirects');
  }

  async function signIn(account: string) {
    nextAccount = account;
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    assert.equal(start.statusCode, 302, start.body);
    const location = String(start.headers.location);
    assert.ok(location.startsWith(`${issuer}/auth?`), location);
    assert.match(location, /code_challenge_method=S256/);
    const flowCookie = String(start.headers['set-cookie']).split(';')[0]!;
    const back = new URL(await throughProvider(location));
    return t.app.inject({ method: 'GET', url: back.pathname + back.search, headers: { cookie: flowCookie } });
  }

  it('signs an existing account in, linked by verified e-mail, with Passage roles', async () => {
    const res = await signIn('caseworker');
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/');
    const cookie = (res.headers['set-cookie'] as string[]).find((c) => c.startsWith('passage_session='))!.split(';')[0]!;
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    assert.equal(session.json().user.email, 'caseworker@demo.passage.invalid');
    assert.equal(session.json().stage, 'full');
    const row = await t.database.db.selectFrom('app_user').select('oidc_subject').where('email', '=', 'caseworker@demo.passage.invalid').executeTakeFirstOrThrow();
    assert.equal(row.oidc_subject, `${issuer}|caseworker`);
  });

  it('refuses people without a Passage account, and unverified e-mails', async () => {
    for (const account of ['stranger', 'unverified']) {
      const res = await signIn(account);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/login?sso_error=no_account', account);
      assert.ok(!String(res.headers['set-cookie'] ?? '').includes('passage_session='), 'no session');
    }
  });

  it('still asks an administrator for the second factor', async () => {
    const res = await signIn('admin');
    assert.equal(res.headers.location, '/login?sso=continue');
    const cookie = (res.headers['set-cookie'] as string[]).find((c) => c.startsWith('passage_session='))!.split(';')[0]!;
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    assert.equal(session.json().stage, 'mfa');
  });

  it('refuses a callback without the flow cookie or with a forged state', async () => {
    const noCookie = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/callback?code=abc&state=xyz' });
    assert.equal(noCookie.headers.location, '/login?sso_error=expired');
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const flowCookie = String(start.headers['set-cookie']).split(';')[0]!;
    const forged = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/callback?code=abc&state=forged', headers: { cookie: flowCookie } });
    assert.equal(forged.headers.location, '/login?sso_error=invalid_response');
    const failures = await t.database.db.selectFrom('audit_event').select('details').where('action', '=', 'auth.login').where('outcome', '=', 'failure').execute();
    assert.ok(failures.some((f) => (f.details as { method?: string }).method === 'oidc'));
  });
});
