import { sql, type Kysely, type Transaction } from 'kysely';
import type { CaseFileRow, Database } from '@passage/db';
import { CASE_TYPES, awaitsSupervisor, isCaseTypeId, type CaseSummaryDto, type CaseTypeDefinition, type CaseTypeId, type Role } from '@passage/domain';
import type { EncryptionService } from '../../platform/encryption.ts';
import type { CaseFacts, CaseScope, TeamGrant } from '../../platform/policy.ts';

/** All SQL of the case engine's core: rows ↔ DTOs, sealing of restricted cases' text, the list scope. */

export type Db = Kysely<Database> | Transaction<Database>;

/** A case row with the code of its office. */
export type CaseWithOffice = CaseFileRow & { office_code: string };

export function caseType(row: { type: string }): CaseTypeDefinition {
  if (!isCaseTypeId(row.type)) throw new Error(`Unknown case type ${row.type}`);
  return CASE_TYPES[row.type];
}

export async function findCase(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<CaseWithOffice | undefined> {
  let q = db.selectFrom('case_file as c').innerJoin('office as o', 'o.id', 'c.office_id').selectAll('c').select('o.code as office_code').where('c.id', '=', id);
  if (options.forUpdate) q = q.forUpdate('c');
  return q.executeTakeFirst();
}

export async function loadTeams(db: Db, userId: string): Promise<TeamGrant[]> {
  const rows = await db.selectFrom('team_membership').select(['office_id', 'team']).where('user_id', '=', userId).execute();
  return rows.map((r) => ({ officeId: r.office_id, team: r.team }));
}

/** What the policy needs about a case, for this user (named workers, a break-glass grant in force). */
export async function caseFacts(db: Db, row: CaseFileRow, userId: string): Promise<CaseFacts & { memberIds: string[] }> {
  const [members, glass] = await Promise.all([
    db.selectFrom('case_member').select('user_id').where('case_id', '=', row.id).execute(),
    db.selectFrom('break_glass').select('expires_at').where('user_id', '=', userId).where('case_id', '=', row.id).orderBy('expires_at', 'desc').limit(1).executeTakeFirst(),
  ]);
  return {
    officeId: row.office_id,
    sensitivity: row.sensitivity,
    team: row.team,
    ownerId: row.owner_id,
    supervisorId: row.supervisor_id,
    memberIds: members.map((m) => m.user_id),
    breakGlassUntil: glass?.expires_at ?? null,
  };
}

export async function userRefs(db: Db, ids: readonly (string | null | undefined)[]): Promise<Map<string, { id: string; name: string }>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name }]));
}

// ---------------------------------------------------------------------------------------------
// Sealing: a restricted case keeps its details and free text encrypted (record id + field as associated data).

export function readDetails(enc: EncryptionService, row: Pick<CaseFileRow, 'id' | 'details' | 'details_sealed'>): Record<string, unknown> {
  if (row.details_sealed) return JSON.parse(enc.open(row.details_sealed, row.id, 'details')) as Record<string, unknown>;
  return row.details;
}

export function detailsColumns(enc: EncryptionService, caseId: string, sensitivity: 'standard' | 'restricted', values: Record<string, unknown>): { details: Record<string, unknown>; details_sealed: string | null } {
  if (sensitivity === 'restricted') return { details: {}, details_sealed: enc.seal(JSON.stringify(values), caseId, 'details') };
  return { details: values, details_sealed: null };
}

export function readPlan(enc: EncryptionService, row: Pick<CaseFileRow, 'id' | 'plan' | 'plan_sealed'>): { goals: { text: string; targetDate?: string | null; achieved: boolean }[]; services: { type: string; partnerId?: string | null; note?: string }[] } | null {
  if (row.plan_sealed) return JSON.parse(enc.open(row.plan_sealed, row.id, 'plan')) as ReturnType<typeof readPlan>;
  return (row.plan as ReturnType<typeof readPlan>) ?? null;
}

/** Seals a text column of a row of a restricted case; plain otherwise. */
export function sealText(enc: EncryptionService, sealed: boolean, rowId: string, field: string, value: string): string;
export function sealText(enc: EncryptionService, sealed: boolean, rowId: string, field: string, value: string | null): string | null;
export function sealText(enc: EncryptionService, sealed: boolean, rowId: string, field: string, value: string | null): string | null {
  return value === null || !sealed ? value : enc.seal(value, rowId, field);
}
export function openText(enc: EncryptionService, sealed: boolean, rowId: string, field: string, value: string): string;
export function openText(enc: EncryptionService, sealed: boolean, rowId: string, field: string, value: string | null): string | null;
export function openText(enc: EncryptionService, sealed: boolean, rowId: string, field: string, value: string | null): string | null {
  return value === null || !sealed ? value : enc.open(value, rowId, field);
}

// ---------------------------------------------------------------------------------------------
// Case numbers: office code + year + sequence (DEMO-NL-2026-00042), from the office's sequence row.

export async function reserveCaseNumber(db: Kysely<Database>, officeId: string, officeCode: string, year: number): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('office_sequence')
      .values({ office_id: officeId, name: `case-${year}`, last_value: '1' })
      .onConflict((oc) => oc.columns(['office_id', 'name']).doUpdateSet((eb) => ({ last_value: eb('office_sequence.last_value', '+', '1') })))
      .returning('last_value')
      .executeTakeFirstOrThrow();
    return `${officeCode}-${year}-${String(row.last_value).padStart(5, '0')}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Lists

/**
 * The SQL condition for "the user may see this case" (the policy's `caseScope`, the same rules as
 * `Policy.caseAccess`), and for "the user may only count it" (restricted cases of offices they supervise).
 */
export function visibleCondition(scope: CaseScope, alias = 'c') {
  const me = scope.userId;
  const teamTerms = scope.teams.filter((t) => t.offices.length > 0).map((t) => sql`(${sql.ref(`${alias}.team`)} = ${t.team} AND ${sql.ref(`${alias}.office_id`)} = ANY(${t.offices}::uuid[]))`);
  const team = teamTerms.length > 0 ? sql.join(teamTerms, sql` OR `) : sql`false`;
  return sql<boolean>`(${sql.ref(`${alias}.office_id`)} = ANY(${scope.readOffices}::uuid[]) AND (
    ${sql.ref(`${alias}.owner_id`)} = ${me} OR ${sql.ref(`${alias}.supervisor_id`)} = ${me}
    OR EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = ${sql.ref(`${alias}.id`)} AND m.user_id = ${me})
    OR ${team}
    OR (${sql.ref(`${alias}.sensitivity`)} = 'standard' AND ${sql.ref(`${alias}.office_id`)} = ANY(${scope.superviseOffices}::uuid[]))
  ))`;
}

export function countOnlyCondition(scope: CaseScope, alias = 'c') {
  return sql<boolean>`(${sql.ref(`${alias}.sensitivity`)} = 'restricted' AND ${sql.ref(`${alias}.office_id`)} = ANY(${scope.superviseOffices}::uuid[]))`;
}

/** A case as a list shows it: the person's name only when the user may see the case. */
export type SummaryRow = CaseWithOffice & { given_name: string; family_name: string | null; visible: boolean };

export async function toSummaries(db: Db, rows: readonly SummaryRow[]): Promise<CaseSummaryDto[]> {
  const users = await userRefs(db, rows.map((r) => r.owner_id));
  return rows.map((r) => ({
    id: r.id,
    caseNumber: r.case_number,
    type: r.type as CaseTypeId,
    status: r.status,
    officeId: r.office_id,
    officeCode: r.office_code,
    personId: r.visible ? r.person_id : null,
    personName: r.visible ? [r.given_name, r.family_name].filter(Boolean).join(' ') : null,
    masked: !r.visible,
    owner: r.visible && r.owner_id ? (users.get(r.owner_id) ?? null) : null,
    riskLevel: r.risk_level,
    openedAt: r.opened_at.toISOString(),
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    awaitingSupervisor: awaitsSupervisor(caseType(r), r.status),
  }));
}

/** Appends to a case's timeline. */
export async function addEvent(trx: Db, c: { id: string; office_id: string }, actorId: string | null, kind: string, data: Record<string, unknown> = {}): Promise<void> {
  await trx.insertInto('case_event').values({ case_id: c.id, office_id: c.office_id, actor_id: actorId, kind, data: JSON.stringify(data) as unknown as Record<string, unknown> }).execute();
}

/** A user's grants, to ask the policy what they may do (assigning a case to them, accepting a transfer). */
export async function grantsOf(db: Db, userId: string): Promise<{ userId: string; grants: { officeId: string; role: Role }[] }> {
  const rows = await db.selectFrom('user_role as r').innerJoin('app_user as u', 'u.id', 'r.user_id').select(['r.office_id', 'r.role']).where('r.user_id', '=', userId).where('u.status', '=', 'active').execute();
  return { userId, grants: rows.map((r) => ({ officeId: r.office_id, role: r.role as Role })) };
}
