import type { Kysely } from 'kysely';
import type { AppUser, Database } from '@passage/db';
import { MFA_REQUIRED_ROLES, PassageError, type Role } from '@passage/domain';
import { writeAuditNow } from '../../platform/audit.ts';
import type { EncryptionService } from '../../platform/encryption.ts';
import { burnPasswordCheck, verifyPassword } from '../../platform/passwords.ts';
import type { SessionStage } from '../../platform/sessions.ts';
import { hashRecoveryCode, verifyTotp } from '../../platform/totp.ts';
import { findUserByEmail } from '../users/users.repository.ts';

/** Failures before the account locks, and for how long. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_DURATION_MS = 15 * 60 * 1000;

/** Delay before answering the n-th consecutive failure: each failure slows the next guess. */
export function failureDelayMs(failures: number): number {
  return failures <= 1 ? 0 : Math.min(250 * 2 ** (failures - 2), 2000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Which stage a correct password leads to. */
export async function stageAfterPassword(db: Kysely<Database>, user: AppUser): Promise<SessionStage> {
  if (user.mfa_enabled) return 'mfa';
  const roles = await db.selectFrom('user_role').select('role').where('user_id', '=', user.id).execute();
  return roles.some((r) => MFA_REQUIRED_ROLES.includes(r.role as Role)) ? 'enrol' : 'full';
}

/** Records a failed factor, locking the account after too many; then throws the right error. */
export async function recordFailure(db: Kysely<Database>, user: AppUser, requestId: string, factor: 'password' | 'totp'): Promise<never> {
  const failures = user.failed_logins + 1;
  const lock = failures >= LOCK_AFTER_FAILURES;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ failed_logins: lock ? 0 : failures, locked_until: lock ? new Date(Date.now() + LOCK_DURATION_MS) : user.locked_until })
      .where('id', '=', user.id)
      .execute();
  });
  await writeAuditNow(db, { actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, requestId, outcome: 'failure', details: { factor, failures } });
  if (lock) {
    await writeAuditNow(db, { actorId: user.id, action: 'auth.lock', entityType: 'user', entityId: user.id, requestId, details: { minutes: LOCK_DURATION_MS / 60000 } });
    throw new PassageError('account_locked', 'Too many failed attempts: the account is locked for 15 minutes', { extra: { retryAfterSeconds: LOCK_DURATION_MS / 1000 } });
  }
  await sleep(failureDelayMs(failures));
  throw new PassageError('invalid_credentials', factor === 'password' ? 'E-mail or password is wrong' : 'The code is wrong or already used');
}

function assertNotLocked(user: AppUser): void {
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    const seconds = Math.ceil((user.locked_until.getTime() - Date.now()) / 1000);
    throw new PassageError('account_locked', `Too many failed attempts: try again in ${Math.ceil(seconds / 60)} minutes`, { extra: { retryAfterSeconds: seconds } });
  }
}

/** Checks e-mail and password. Locked accounts are refused before the password is even hashed. */
export async function checkPasswordLogin(db: Kysely<Database>, email: string, password: string, requestId: string): Promise<AppUser> {
  const user = await findUserByEmail(db, email);
  if (!user || user.status !== 'active' || !user.password_hash) {
    await burnPasswordCheck(password);
    await writeAuditNow(db, { actorId: user?.id ?? null, action: 'auth.login', entityType: 'user', entityId: user?.id ?? null, requestId, outcome: 'failure', details: { factor: 'password', reason: user ? 'inactive' : 'unknown_account' } });
    throw new PassageError('invalid_credentials', 'E-mail or password is wrong');
  }
  try {
    assertNotLocked(user);
  } catch (error) {
    await writeAuditNow(db, { actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, requestId, outcome: 'failure', details: { factor: 'password', reason: 'locked' } });
    throw error;
  }
  if (!(await verifyPassword(user.password_hash, password))) return recordFailure(db, user, requestId, 'password');
  return user;
}

/** Checks a TOTP code or a recovery code for a user mid-login; consumes what it accepts. */
export async function checkSecondFactor(db: Kysely<Database>, encryption: EncryptionService, userId: string, code: string, requestId: string): Promise<AppUser> {
  const user = await db.selectFrom('app_user').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  assertNotLocked(user);
  const trimmed = code.replace(/\s+/g, '');
  if (user.mfa_secret && /^\d{6}$/.test(trimmed)) {
    const secret = encryption.open(user.mfa_secret, user.id, 'mfa_secret');
    const step = verifyTotp(secret, trimmed, user.mfa_last_step === null ? null : Number(user.mfa_last_step));
    if (step !== null) {
      // Conditional update: two concurrent uses of the same code cannot both win.
      const res = await db
        .updateTable('app_user')
        .set({ mfa_last_step: String(step), failed_logins: 0 })
        .where('id', '=', user.id)
        .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', String(step))]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) return user;
    }
  } else {
    const hash = hashRecoveryCode(trimmed);
    if (user.recovery_codes.includes(hash)) {
      await db.updateTable('app_user').set({ recovery_codes: user.recovery_codes.filter((h) => h !== hash), failed_logins: 0 }).where('id', '=', user.id).execute();
      await writeAuditNow(db, { actorId: user.id, action: 'auth.recovery_code_used', entityType: 'user', entityId: user.id, requestId, details: { remaining: user.recovery_codes.length - 1 } });
      return user;
    }
  }
  return recordFailure(db, user, requestId, 'totp');
}
