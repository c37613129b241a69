import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppUser, Database } from '@passage/db';
import type { Role } from '@passage/domain';

/** A role grant with its office, as the API shows it. */
export interface RoleGrantDto {
  officeId: string;
  officeCode: string;
  officeName: string;
  role: Role;
}

/** A user account as administrators see it. */
export interface UserSummaryDto {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'deactivated';
  mfaEnabled: boolean;
  roles: RoleGrantDto[];
  lastLoginAt: string | null;
  version: number;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Role grants of the given users, with office names. */
export async function grantsOf(db: Db, userIds: readonly string[]): Promise<Map<string, RoleGrantDto[]>> {
  const map = new Map<string, RoleGrantDto[]>();
  if (userIds.length === 0) return map;
  const rows = await db
    .selectFrom('user_role')
    .innerJoin('office', 'office.id', 'user_role.office_id')
    .select(['user_role.user_id', 'user_role.office_id', 'user_role.role', 'office.code', 'office.name'])
    .where('user_role.user_id', 'in', [...userIds])
    .orderBy('office.code')
    .orderBy('user_role.role')
    .execute();
  for (const r of rows) {
    const list = map.get(r.user_id) ?? [];
    list.push({ officeId: r.office_id, officeCode: r.code, officeName: r.name, role: r.role as Role });
    map.set(r.user_id, list);
  }
  return map;
}

/** Maps a user row and its grants to the API shape. */
export function toUserSummary(row: AppUser, grants: RoleGrantDto[]): UserSummaryDto {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    status: row.status,
    mfaEnabled: row.mfa_enabled,
    roles: grants,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    version: row.version,
  };
}

/** Filters for the user list. `scope` is the set of offices the caller may manage (from the policy). */
export interface UserListFilter {
  scope: ReadonlySet<string>;
  includeUnassigned: boolean;
  q?: string | undefined;
  officeId?: string | undefined;
  status?: 'active' | 'deactivated' | undefined;
  limit: number;
  offset: number;
}

/** A page of users visible in the scope. */
export async function listUsers(db: Db, f: UserListFilter): Promise<{ rows: AppUser[]; total: number }> {
  let query = db.selectFrom('app_user').where((eb) => {
    const inScope = eb.exists(
      eb.selectFrom('user_role').select(sql`1`.as('one')).whereRef('user_role.user_id', '=', 'app_user.id').where('user_role.office_id', 'in', f.scope.size ? [...f.scope] : ['00000000-0000-0000-0000-000000000000']),
    );
    if (!f.includeUnassigned) return inScope;
    const unassigned = eb.not(eb.exists(eb.selectFrom('user_role').select(sql`1`.as('one')).whereRef('user_role.user_id', '=', 'app_user.id')));
    return eb.or([inScope, unassigned]);
  });
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('email', 'ilike', pattern), eb('display_name', 'ilike', pattern)]));
  }
  if (f.officeId) {
    const officeId = f.officeId;
    query = query.where((eb) => eb.exists(eb.selectFrom('user_role').select(sql`1`.as('one')).whereRef('user_role.user_id', '=', 'app_user.id').where('user_role.office_id', '=', officeId)));
  }
  if (f.status) query = query.where('status', '=', f.status);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('display_name').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One user by id. */
export function findUser(db: Db, id: string): Promise<AppUser | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One user by e-mail (case-insensitive). */
export function findUserByEmail(db: Db, email: string): Promise<AppUser | undefined> {
  return db.selectFrom('app_user').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

/** Replaces a user's role grants. */
export async function replaceGrants(trx: Transaction<Database>, userId: string, grants: readonly { officeId: string; role: Role }[]): Promise<void> {
  await trx.deleteFrom('user_role').where('user_id', '=', userId).execute();
  const unique = [...new Map(grants.map((g) => [`${g.officeId}:${g.role}`, g])).values()];
  if (unique.length > 0) {
    await trx.insertInto('user_role').values(unique.map((g) => ({ user_id: userId, office_id: g.officeId, role: g.role }))).execute();
  }
}
