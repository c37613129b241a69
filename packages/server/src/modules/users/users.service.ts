import type { Kysely } from 'kysely';
import type { Database } from '@passage/db';
import { PassageError, notFound, type Role } from '@passage/domain';
import { writeAudit } from '../../platform/audit.ts';
import { assertAcceptablePassword, hashPassword } from '../../platform/passwords.ts';
import type { Policy, Principal } from '../../platform/policy.ts';
import { isUniqueViolation } from '../../platform/schemas.ts';
import { destroyUserSessions, invalidateUserSessions } from '../../platform/sessions.ts';
import { findUser, grantsOf, replaceGrants, toUserSummary, type UserSummaryDto } from './users.repository.ts';

/** Who is acting, and on behalf of which request. */
export interface Actor {
  principal: Principal;
  policy: Policy;
  requestId: string;
}

/** The grants an administrator asks for must all be at offices they manage. */
function assertGrantable(actor: Actor, grants: readonly { officeId: string }[]): void {
  const scope = actor.policy.scope(actor.principal, 'users.manage');
  grants.forEach((g, i) => {
    if (!scope.has(g.officeId)) {
      throw new PassageError('forbidden', 'You may grant roles only at offices you administer', { errors: [{ field: `roles.${i}.officeId`, message: 'not an office you administer' }] });
    }
  });
}

/** Loads a user the actor may manage, or 404 (the account's existence is not revealed). */
async function manageableUser(db: Kysely<Database>, actor: Actor, id: string, permission: 'users.read' | 'users.manage' = 'users.manage') {
  const row = await findUser(db, id);
  if (!row) throw notFound('User');
  const grants = (await grantsOf(db, [id])).get(id) ?? [];
  if (!actor.policy.canSeeAccount(actor.principal, permission, grants.map((g) => g.officeId))) throw notFound('User');
  return { row, grants };
}

/** Reads one user. */
export async function getUser(db: Kysely<Database>, actor: Actor, id: string): Promise<UserSummaryDto> {
  const { row, grants } = await manageableUser(db, actor, id, 'users.read');
  return toUserSummary(row, grants);
}

/** Creates an account with a password and role grants. */
export async function createUser(
  db: Kysely<Database>,
  actor: Actor | null,
  input: { email: string; displayName: string; password: string; roles: { officeId: string; role: Role }[] },
): Promise<UserSummaryDto> {
  if (actor) assertGrantable(actor, input.roles);
  assertAcceptablePassword(input.password, input.email);
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('app_user')
      .values({ email: input.email, display_name: input.displayName, password_hash: passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new PassageError('conflict', 'An account with this e-mail exists', { errors: [{ field: 'email', message: 'already used' }] });
        throw error;
      });
    await replaceGrants(trx, row.id, input.roles);
    await writeAudit(trx, {
      actorId: actor?.principal.userId ?? null,
      action: 'user.create',
      entityType: 'user',
      entityId: row.id,
      officeId: input.roles[0]?.officeId ?? null,
      requestId: actor?.requestId ?? null,
      changedFields: ['email', 'displayName', 'password', 'roles'],
      details: { roles: input.roles.map((g) => `${g.role}@${g.officeId}`) },
    });
    return row.id;
  });
  const row = await findUser(db, id);
  return toUserSummary(row!, (await grantsOf(db, [id])).get(id) ?? []);
}

/** Edits display name and grants, with optimistic concurrency. */
export async function updateUser(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  input: { displayName?: string | undefined; roles?: { officeId: string; role: Role }[] | undefined; version: number },
): Promise<UserSummaryDto> {
  const { grants: before } = await manageableUser(db, actor, id);
  if (input.roles) {
    assertGrantable(actor, input.roles);
    // Grants at offices outside the actor's scope are kept as they are: an office administrator
    // cannot remove what a colleague elsewhere granted.
    const scope = actor.policy.scope(actor.principal, 'users.manage');
    input = { ...input, roles: [...input.roles, ...before.filter((g) => !scope.has(g.officeId))] };
  }
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('app_user').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (current.version !== input.version) {
      throw new PassageError('stale_version', 'The user was changed by someone else', { extra: { current: toUserSummary(current, before) } });
    }
    const changed: string[] = [];
    if (input.displayName !== undefined && input.displayName !== current.display_name) changed.push('displayName');
    if (input.roles) {
      const key = (g: { officeId: string; role: string }) => `${g.officeId}:${g.role}`;
      const a = new Set(before.map(key));
      const b = new Set(input.roles.map(key));
      if (a.size !== b.size || [...a].some((k) => !b.has(k))) changed.push('roles');
      await replaceGrants(trx, id, input.roles);
    }
    await trx.updateTable('app_user').set({ display_name: input.displayName ?? current.display_name, version: current.version + 1, updated_at: new Date() }).where('id', '=', id).execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'user.update', entityType: 'user', entityId: id, requestId: actor.requestId, changedFields: changed });
  });
  invalidateUserSessions(db, id);
  return getUser(db, actor, id);
}

/** Deactivates or reactivates an account; deactivation ends its sessions at once. */
export async function setUserStatus(db: Kysely<Database>, actor: Actor, id: string, status: 'active' | 'deactivated'): Promise<UserSummaryDto> {
  await manageableUser(db, actor, id);
  if (id === actor.principal.userId && status === 'deactivated') {
    throw new PassageError('conflict', 'You cannot deactivate your own account');
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set((eb) => ({ status, version: eb('version', '+', 1), updated_at: new Date(), failed_logins: 0, locked_until: null })).where('id', '=', id).execute();
    if (status === 'deactivated') await trx.deleteFrom('session').where('user_id', '=', id).execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action: status === 'active' ? 'user.reactivate' : 'user.deactivate', entityType: 'user', entityId: id, requestId: actor.requestId, changedFields: ['status'] });
  });
  invalidateUserSessions(db, id);
  return getUser(db, actor, id);
}

/** Clears MFA so the user enrols again at next sign-in; ends their sessions. */
export async function resetUserMfa(db: Kysely<Database>, actor: Actor, id: string): Promise<UserSummaryDto> {
  await manageableUser(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set((eb) => ({ mfa_enabled: false, mfa_secret: null, mfa_last_step: null, recovery_codes: [], version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', id).execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'user.mfa_reset', entityType: 'user', entityId: id, requestId: actor.requestId, changedFields: ['mfa'] });
  });
  await destroyUserSessions(db, id);
  return getUser(db, actor, id);
}
