import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '@passage/db';
import type { Role } from '@passage/domain';
import type { Grant, Principal } from './policy.ts';

/** OWASP ASVS 3.3: idle timeout 30 minutes, absolute lifetime 12 hours. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** Writes of `last_seen_at` are spaced so that reads do not all become writes. */
const TOUCH_EVERY_MS = 60 * 1000;

/** How far a session has got through sign-in. */
export type SessionStage = 'mfa' | 'enrol' | 'full';

/** A loaded, valid session. */
export interface ActiveSession {
  idHash: string;
  userId: string;
  email: string;
  displayName: string;
  locale: string;
  mfaEnabled: boolean;
  stage: SessionStage;
  csrfToken: string;
  principal: Principal;
}

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Creates a session; returns the cookie value (only its hash is stored) and the CSRF token. */
export async function createSession(db: Kysely<Database>, userId: string, stage: SessionStage): Promise<{ token: string; csrfToken: string }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await db
    .insertInto('session')
    .values({ id_hash: hashToken(token), user_id: userId, csrf_token: csrfToken, stage, expires_at: new Date(Date.now() + ABSOLUTE_TIMEOUT_MS) })
    .execute();
  return { token, csrfToken };
}

/** Loads a session by cookie value; null when unknown, expired, idle too long, or the account is deactivated. */
export async function loadSession(db: Kysely<Database>, token: string): Promise<ActiveSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const idHash = hashToken(token);
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id_hash', 'session.user_id', 'session.stage', 'session.csrf_token', 'session.last_seen_at', 'session.expires_at',
      'app_user.email', 'app_user.display_name', 'app_user.locale', 'app_user.mfa_enabled', 'app_user.status',
    ])
    .where('session.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  if (row.status !== 'active' || row.expires_at.getTime() <= now || row.last_seen_at.getTime() + IDLE_TIMEOUT_MS <= now) {
    await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('session').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
  }
  const grants = await db.selectFrom('user_role').select(['office_id', 'role']).where('user_id', '=', row.user_id).execute();
  return {
    idHash,
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    mfaEnabled: row.mfa_enabled,
    stage: row.stage,
    csrfToken: row.csrf_token,
    principal: { userId: row.user_id, grants: grants.map((g): Grant => ({ officeId: g.office_id, role: g.role as Role })) },
  };
}

/** Ends one session. */
export async function destroySession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user (deactivation, MFA reset, password change). */
export async function destroyUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

/** Removes expired sessions; run periodically. */
export async function purgeExpiredSessions(db: Kysely<Database>): Promise<number> {
  const res = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', new Date()), eb('last_seen_at', '<=', new Date(Date.now() - IDLE_TIMEOUT_MS))]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
