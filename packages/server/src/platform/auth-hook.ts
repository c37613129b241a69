import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PassageError } from '@passage/domain';
import type { AppDeps } from './http-types.ts';
import { loadSession } from './sessions.ts';

/** The session cookie. `__Host-` (secure, host-only, path /) when served over HTTPS. */
export function sessionCookieName(deps: AppDeps): string {
  return deps.config.publicUrl?.startsWith('https://') ? '__Host-passage_session' : 'passage_session';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/**
 * Loads the session from its cookie and enforces the route's policy and CSRF, before
 * the body is even read: an unauthenticated caller learns nothing about the request schema.
 */
export function registerAuthHook(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('auth', null);
  const cookieName = sessionCookieName(deps);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const policy = request.routeOptions.config?.policy;
    if (!policy) return; // non-API routes (static files); API routes without a policy cannot exist (see onRoute).
    const token = request.cookies[cookieName];
    request.auth = token ? await loadSession(deps.db, token) : null;

    // CSRF: a state-changing request from a signed-in browser must echo the session's token in a header,
    // which a cross-site form or image cannot do. Login itself needs no token: it takes JSON only,
    // which a cross-site form cannot send without a CORS preflight that Passage never grants.
    if (request.auth && !SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameToken(header, request.auth.csrfToken)) {
        throw new PassageError('csrf_failed', 'Send the x-csrf-token header with the token from GET /api/auth/session', {
          errors: [{ field: 'x-csrf-token', message: 'missing or wrong' }],
        });
      }
    }

    if (policy.access === 'public') return;
    const auth = request.auth;
    if (!auth) throw new PassageError('unauthenticated', 'Sign in first');
    if (policy.access === 'partial-session') return;
    if (auth.stage !== 'full') {
      throw new PassageError('mfa_required', auth.stage === 'enrol' ? 'Set up two-factor authentication first' : 'Enter your two-factor code first');
    }
    if (policy.access === 'session') return;
    const decision = await deps.offices.policy();
    if (!decision.allowsRoute(policy, auth.principal, auth.stage)) {
      throw new PassageError('forbidden', 'Your roles do not allow this');
    }
  });
}
