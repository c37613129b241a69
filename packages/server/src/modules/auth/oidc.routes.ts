import crypto from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as client from 'openid-client';
import { z } from 'zod';
import { writeAudit, writeAuditNow } from '../../platform/audit.ts';
import { sessionCookieName } from '../../platform/auth-hook.ts';
import type { AppDeps } from '../../platform/http-types.ts';
import { createSession, destroySession } from '../../platform/sessions.ts';
import { stageAfterPassword } from './auth.service.ts';

/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce).
 *
 * The identity provider proves who someone is; Passage still decides what they may do:
 * only an existing, active Passage account can sign in this way (linked on first use by a
 * verified e-mail, then by the provider's `sub`), its roles come from Passage, and the
 * two-factor rules apply as for a password sign-in.
 */

const FLOW_COOKIE = 'passage_oidc';
const FLOW_TTL_MS = 10 * 60 * 1000;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  exp: number;
}

/** Seals the short-lived flow secrets into a cookie with AES-GCM under a key derived from the master key. */
function sealFlow(key: Buffer, flow: Flow): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  return [iv, ct, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

function openFlow(key: Buffer, value: string | undefined): Flow | null {
  if (!value) return null;
  try {
    const [iv, ct, tag] = value.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !ct || !tag) return null;
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const flow = JSON.parse(Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8')) as Flow;
    return flow.exp > Date.now() ? flow : null;
  } catch {
    return null;
  }
}

/** The OIDC routes; registered only when OIDC_ISSUER and OIDC_CLIENT_ID are set. */
export const oidcRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const oidc = deps.config.oidc;
  if (!oidc) return;
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const publicUrl = deps.config.publicUrl ?? `http://localhost:${deps.config.port}`;
  const redirectUri = new URL('/api/auth/oidc/callback', publicUrl).toString();
  const secure = publicUrl.startsWith('https://');
  const key = deps.encryption.deriveKey('oidc-flow-cookie');
  let configuration: Promise<client.Configuration> | null = null;
  // Discovery happens on first use, so that a provider that is briefly down does not stop Passage starting.
  const discover = () =>
    (configuration ??= client
      .discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, oidc.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        configuration = null;
        throw error;
      }));

  const fail = async (request: FastifyRequest, reply: FastifyReply, reason: string, userId: string | null = null) => {
    await writeAuditNow(deps.db, { actorId: userId, action: 'auth.login', entityType: 'user', entityId: userId, requestId: request.id, outcome: 'failure', details: { method: 'oidc', reason } });
    reply.clearCookie(FLOW_COOKIE, { path: '/api/auth/oidc' });
    return reply.redirect(`/login?sso_error=${encodeURIComponent(reason)}`, 303);
  };

  app.get('/api/auth/oidc/start', {
    config: { policy: { access: 'public' }, rateLimit: { max: deps.config.loginRateLimit, timeWindow: 60_000 } },
    schema: { tags: ['auth'], summary: 'Start single sign-on: redirects to the identity provider', response: { 302: z.null().describe('Redirect to the identity provider') } },
  }, async (_request, reply) => {
    const config = await discover();
    const flow: Flow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), exp: Date.now() + FLOW_TTL_MS };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    // SameSite=Lax: the provider's redirect back is a cross-site top-level navigation, which Strict would drop.
    reply.setCookie(FLOW_COOKIE, sealFlow(key, flow), { httpOnly: true, sameSite: 'lax', secure, path: '/api/auth/oidc', maxAge: FLOW_TTL_MS / 1000 });
    return reply.redirect(url.toString(), 302);
  });

  app.get('/api/auth/oidc/callback', {
    config: { policy: { access: 'public' }, rateLimit: { max: deps.config.loginRateLimit, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'],
      summary: 'Where the identity provider sends the user back',
      querystring: z.object({ code: z.string().max(2048).optional(), state: z.string().max(512).optional(), error: z.string().max(256).optional(), iss: z.string().max(512).optional(), session_state: z.string().max(512).optional(), error_description: z.string().max(1024).optional() }),
      response: { 303: z.null().describe('Redirect into the app, or to the sign-in page with sso_error') },
    },
  }, async (request, reply) => {
    const flow = openFlow(key, request.cookies[FLOW_COOKIE]);
    if (!flow) return fail(request, reply, 'expired');
    if (request.query.error) return fail(request, reply, 'provider_error');
    const config = await discover();
    let claims: { iss: string; sub: string; email?: unknown; email_verified?: unknown };
    try {
      const current = new URL(request.url, publicUrl);
      const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      const idToken = tokens.claims();
      if (!idToken?.sub) return fail(request, reply, 'invalid_response');
      claims = idToken;
      // Conforming providers put e-mail in the userinfo response rather than the ID token.
      if (claims.email === undefined) {
        const info = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
        claims = { ...claims, email: info.email, email_verified: info.email_verified };
      }
    } catch {
      return fail(request, reply, 'invalid_response');
    }
    const subject = `${claims.iss}|${claims.sub}`;
    let user = await deps.db.selectFrom('app_user').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
    if (!user && typeof claims.email === 'string' && claims.email_verified === true) {
      const byEmail = await deps.db.selectFrom('app_user').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', String(claims.email).toLowerCase())).where('oidc_subject', 'is', null).executeTakeFirst();
      if (byEmail) {
        await deps.db.updateTable('app_user').set({ oidc_subject: subject }).where('id', '=', byEmail.id).execute();
        user = { ...byEmail, oidc_subject: subject };
      }
    }
    if (!user) return fail(request, reply, 'no_account');
    if (user.status !== 'active') return fail(request, reply, 'inactive', user.id);
    if (user.locked_until && user.locked_until.getTime() > Date.now()) return fail(request, reply, 'locked', user.id);
    const stage = await stageAfterPassword(deps.db, user);
    if (request.auth) await destroySession(deps.db, request.auth.idHash);
    const { token } = await createSession(deps.db, user.id, stage);
    await deps.db.transaction().execute(async (trx) => {
      if (stage === 'full') await trx.updateTable('app_user').set({ last_login_at: new Date(), failed_logins: 0 }).where('id', '=', user.id).execute();
      await writeAudit(trx, { actorId: user.id, action: stage === 'full' ? 'auth.login' : 'auth.password_ok', entityType: 'user', entityId: user.id, requestId: request.id, details: { method: 'oidc', stage } });
    });
    reply.clearCookie(FLOW_COOKIE, { path: '/api/auth/oidc' });
    reply.setCookie(sessionCookieName(deps), token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
    return reply.redirect(stage === 'full' ? '/' : '/login?sso=continue', 303);
  });
};
