import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@passage/db';
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
  /** The grants with office code and name, for display. */
  grants: SessionGrant[];
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

/** A role grant with its office's code and name, as loaded with the session. */
export interface SessionGrant extends Grant {
  officeCode: string;
  officeName: string;
}

interface SessionRow {
  id_hash: string;
  user_id: string;
  stage: SessionStage;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  email: string;
  display_name: string;
  locale: string;
  mfa_enabled: boolean;
  status: 'active' | 'deactivated';
  grants: SessionGrant[];
}

/**
 * Loads a session by cookie value; null when unknown, expired, idle too long, or the account is
 * deactivated. One round trip (session, account and role grants together): on the hot path of
 * every request, each extra query costs more than everything else the request does.
 */
/**
 * Sessions recently loaded by this process, for a few seconds: on the hot path every database round
 * trip costs more than the rest of the request. Changes made through this process (sign-out,
 * deactivation, role or MFA changes) drop the entries at once; another process sees them within
 * CACHE_TTL_MS. Idle and absolute expiry are still checked on every request.
 */
export const CACHE_TTL_MS = 5000;
const CACHE_MAX = 10_000;
interface CacheEntry {
  session: ActiveSession;
  loadedAt: number;
  /** Last activity known to the database. */
  touchedAt: number;
  expires: number;
}
const caches = new WeakMap<Kysely<Database>, Map<string, CacheEntry>>();
function cacheOf(db: Kysely<Database>): Map<string, CacheEntry> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

/** Forgets cached sessions of a user (after changing their roles, status, MFA or preferences). */
export function invalidateUserSessions(db: Kysely<Database>, userId: string): void {
  for (const [key, entry] of cacheOf(db)) if (entry.session.userId === userId) cacheOf(db).delete(key);
}

/**
 * Loads a session by cookie value; null when unknown, expired, idle too long, or the account is
 * deactivated.
 */
export async function loadSession(db: Kysely<Database>, token: string): Promise<ActiveSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const idHash = hashToken(token);
  const cache = cacheOf(db);
  const now = Date.now();
  const hit = cache.get(idHash);
  if (hit && now - hit.loadedAt < CACHE_TTL_MS && hit.expires > now && hit.touchedAt + IDLE_TIMEOUT_MS > now) {
    if (now - hit.touchedAt > TOUCH_EVERY_MS) {
      await db.updateTable('session').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
      hit.touchedAt = now;
    }
    return hit.session;
  }
  cache.delete(idHash);
  const loaded = await loadFromDatabase(db, idHash);
  if (!loaded) return null;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(idHash, { session: loaded.session, loadedAt: now, touchedAt: loaded.lastSeen, expires: loaded.expires });
  return loaded.session;
}

async function loadFromDatabase(db: Kysely<Database>, idHash: string): Promise<{ session: ActiveSession; lastSeen: number; expires: number } | null> {
  const { rows } = await sql<SessionRow>`
    SELECT s.id_hash, s.user_id, s.stage, s.csrf_token, s.last_seen_at, s.expires_at,
           u.email, u.display_name, u.locale, u.mfa_enabled, u.status,
           COALESCE((SELECT json_agg(json_build_object('officeId', r.office_id, 'officeCode', o.code, 'officeName', o.name, 'role', r.role) ORDER BY o.code, r.role)
                     FROM user_role r JOIN office o ON o.id = r.office_id WHERE r.user_id = u.id), '[]') AS grants
    FROM session s JOIN app_user u ON u.id = s.user_id
    WHERE s.id_hash = ${idHash}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  const now = Date.now();
  if (row.status !== 'active' || row.expires_at.getTime() <= now || row.last_seen_at.getTime() + IDLE_TIMEOUT_MS <= now) {
    await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
    return null;
  }
  let lastSeen = row.last_seen_at.getTime();
  if (now - lastSeen > TOUCH_EVERY_MS) {
    await db.updateTable('session').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
    lastSeen = now;
  }
  const session: ActiveSession = {
    idHash,
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    mfaEnabled: row.mfa_enabled,
    stage: row.stage,
    csrfToken: row.csrf_token,
    grants: row.grants,
    principal: { userId: row.user_id, grants: row.grants.map((g): Grant => ({ officeId: g.officeId, role: g.role })) },
  };
  return { session, lastSeen, expires: row.expires_at.getTime() };
}

/** Ends one session. */
export async function destroySession(db: Kysely<Database>, idHash: string): Promise<void> {
  cacheOf(db).delete(idHash);
  await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user (deactivation, MFA reset, password change). */
export async function destroyUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  invalidateUserSessions(db, userId);
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
