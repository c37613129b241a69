import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { PassageError, ROLES, ROLE_PERMISSIONS, type Permission } from '@passage/domain';
import { writeAudit, writeAuditNow } from '../../platform/audit.ts';
import { sessionCookieName } from '../../platform/auth-hook.ts';
import type { AppDeps } from '../../platform/http-types.ts';
import { Email } from '../../platform/schemas.ts';
import { createSession, destroySession, invalidateUserSessions, type SessionStage } from '../../platform/sessions.ts';
import { newRecoveryCodes, newTotpSecret, totpFor, verifyTotp } from '../../platform/totp.ts';
import { checkPasswordLogin, checkSecondFactor, stageAfterPassword } from './auth.service.ts';

const Stage = z.enum(['mfa', 'enrol', 'full']);
const StageResponse = z.object({ stage: Stage, csrfToken: z.string() });
const RoleGrant = z.object({ officeId: z.string(), officeCode: z.string(), officeName: z.string(), role: z.enum(ROLES) });
const SessionResponse = z.object({
  stage: Stage,
  csrfToken: z.string(),
  user: z.object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    locale: z.string(),
    mfaEnabled: z.boolean(),
    roles: z.array(RoleGrant),
    permissions: z.array(z.string()),
  }),
});
const Code = z.string().trim().min(6).max(20);

/** Sign-in, two-factor authentication, sign-out and the current session. */
export const authRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const cookieName = sessionCookieName(deps);
  const secure = deps.config.publicUrl?.startsWith('https://') ?? false;

  /** A new session id at every step up: a session id seen before login is never valid after it. */
  async function startSession(request: FastifyRequest, reply: FastifyReply, userId: string, stage: SessionStage): Promise<{ stage: SessionStage; csrfToken: string }> {
    if (request.auth) await destroySession(deps.db, request.auth.idHash);
    const { token, csrfToken } = await createSession(deps.db, userId, stage);
    reply.setCookie(cookieName, token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
    return { stage, csrfToken };
  }

  app.post('/api/auth/login', {
    config: {
      policy: { access: 'public' },
      // Per client address, before any password is hashed: floods are turned away cheaply and
      // other users are not slowed. Per-account locking is in the service.
      rateLimit: { max: deps.config.loginRateLimit, timeWindow: 60_000 },
    },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with e-mail and password',
      body: z.object({ email: Email, password: z.string().min(1).max(1024) }).strict(),
      response: { 200: StageResponse },
    },
  }, async (request, reply) => {
    const user = await checkPasswordLogin(deps.db, request.body.email, request.body.password, request.id);
    const stage = await stageAfterPassword(deps.db, user);
    const result = await startSession(request, reply, user.id, stage);
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('app_user').set({ failed_logins: 0, ...(stage === 'full' ? { last_login_at: new Date() } : {}) }).where('id', '=', user.id).execute();
      await writeAudit(trx, { actorId: user.id, action: stage === 'full' ? 'auth.login' : 'auth.password_ok', entityType: 'user', entityId: user.id, requestId: request.id, details: { stage } });
    });
    return result;
  });

  app.post('/api/auth/mfa/verify', {
    config: { policy: { access: 'partial-session' }, rateLimit: { max: deps.config.loginRateLimit, timeWindow: 60_000 } },
    schema: { tags: ['auth'], summary: 'Second step of sign-in: a TOTP code or a recovery code', body: z.object({ code: Code }).strict(), response: { 200: StageResponse } },
  }, async (request, reply) => {
    const auth = request.auth!;
    if (auth.stage !== 'mfa') throw new PassageError('conflict', 'No two-factor code is expected now');
    await checkSecondFactor(deps.db, deps.encryption, auth.userId, request.body.code, request.id);
    const result = await startSession(request, reply, auth.userId, 'full');
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('app_user').set({ last_login_at: new Date() }).where('id', '=', auth.userId).execute();
      await writeAudit(trx, { actorId: auth.userId, action: 'auth.login', entityType: 'user', entityId: auth.userId, requestId: request.id, details: { stage: 'full', factor: 'totp' } });
    });
    return result;
  });

  app.post('/api/auth/mfa/enrol', {
    config: { policy: { access: 'partial-session' } },
    schema: {
      tags: ['auth'],
      summary: 'Start two-factor enrolment: a new secret as otpauth URI and QR code',
      body: z.object({}).strict(),
      response: { 200: z.object({ otpauthUri: z.string(), qrSvg: z.string(), secret: z.string() }) },
    },
  }, async (request) => {
    const auth = request.auth!;
    if (auth.stage === 'mfa') throw new PassageError('mfa_required', 'Enter your two-factor code first');
    if (auth.mfaEnabled) throw new PassageError('conflict', 'Two-factor authentication is already on; an administrator can reset it');
    const secret = newTotpSecret();
    await deps.db.updateTable('app_user').set({ mfa_secret: deps.encryption.seal(secret, auth.userId, 'mfa_secret') }).where('id', '=', auth.userId).execute();
    const otpauthUri = totpFor(secret, auth.email).toString();
    const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { otpauthUri, qrSvg, secret };
  });

  app.post('/api/auth/mfa/enrol/confirm', {
    config: { policy: { access: 'partial-session' }, rateLimit: { max: deps.config.loginRateLimit, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'],
      summary: 'Finish enrolment with a code from the app; returns single-use recovery codes once',
      body: z.object({ code: Code }).strict(),
      response: { 200: z.object({ recoveryCodes: z.array(z.string()), stage: Stage, csrfToken: z.string() }) },
    },
  }, async (request, reply) => {
    const auth = request.auth!;
    if (auth.stage === 'mfa') throw new PassageError('mfa_required', 'Enter your two-factor code first');
    const user = await deps.db.selectFrom('app_user').select(['mfa_secret', 'mfa_enabled']).where('id', '=', auth.userId).executeTakeFirstOrThrow();
    if (user.mfa_enabled || !user.mfa_secret) throw new PassageError('conflict', 'Start enrolment first');
    const step = verifyTotp(deps.encryption.open(user.mfa_secret, auth.userId, 'mfa_secret'), request.body.code, null);
    if (step === null) {
      await writeAuditNow(deps.db, { actorId: auth.userId, action: 'auth.mfa_enrol', entityType: 'user', entityId: auth.userId, requestId: request.id, outcome: 'failure' });
      throw new PassageError('invalid_credentials', 'The code is wrong; check the time on your phone', { errors: [{ field: 'code', message: 'wrong code' }] });
    }
    const { codes, hashes } = newRecoveryCodes();
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('app_user').set((eb) => ({ mfa_enabled: true, mfa_last_step: String(step), recovery_codes: hashes, version: eb('version', '+', 1) })).where('id', '=', auth.userId).execute();
      await writeAudit(trx, { actorId: auth.userId, action: 'auth.mfa_enrol', entityType: 'user', entityId: auth.userId, requestId: request.id, changedFields: ['mfa'] });
    });
    const result = await startSession(request, reply, auth.userId, 'full');
    return { recoveryCodes: codes, ...result };
  });

  app.post('/api/auth/logout', {
    config: { policy: { access: 'partial-session' } },
    schema: { tags: ['auth'], summary: 'Sign out', body: z.object({}).strict().optional(), response: { 204: z.null().describe('Signed out') } },
  }, async (request, reply) => {
    const auth = request.auth!;
    await destroySession(deps.db, auth.idHash);
    await writeAuditNow(deps.db, { actorId: auth.userId, action: 'auth.logout', entityType: 'user', entityId: auth.userId, requestId: request.id });
    reply.clearCookie(cookieName, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/auth/session', {
    config: { policy: { access: 'partial-session' } },
    schema: { tags: ['auth'], summary: 'The current session, its CSRF token and the user with roles and permissions', response: { 200: SessionResponse } },
  }, async (request) => {
    const auth = request.auth!;
    const roles = auth.grants;
    const permissions = new Set<Permission>();
    if (auth.stage === 'full') for (const g of roles) for (const p of ROLE_PERMISSIONS[g.role]) permissions.add(p);
    return {
      stage: auth.stage,
      csrfToken: auth.csrfToken,
      user: { id: auth.userId, email: auth.email, displayName: auth.displayName, locale: auth.locale, mfaEnabled: auth.mfaEnabled, roles, permissions: [...permissions].sort() },
    };
  });

  app.patch('/api/me', {
    config: { policy: { access: 'session' } },
    schema: { tags: ['auth'], summary: 'Your own preferences', body: z.object({ locale: z.enum(['en', 'fr', 'es', 'ar']) }).strict(), response: { 204: z.null().describe('Saved') } },
  }, async (request, reply) => {
    await deps.db.updateTable('app_user').set({ locale: request.body.locale }).where('id', '=', request.auth!.userId).execute();
    invalidateUserSessions(deps.db, request.auth!.userId);
    return reply.code(204).send(null);
  });
};
