import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '@passage/db';
import {
  CASE_TYPES,
  PassageError,
  addDays,
  ageOn,
  awaitsSupervisor,
  detailsSchema,
  effectiveNeeds,
  isoDay,
  keepVisible,
  notFound,
  tasksOnEnter,
  transitionProblems,
  transitionsFrom,
  type ActionDto,
  type CaseAssign,
  type CaseCreate,
  type CaseDto,
  type CaseListDto,
  type CaseListQuery,
  type CaseTransition,
  type CaseTypeDefinition,
  type CaseUpdate,
  type FieldProblem,
  type PersonFacts,
  type SpecificNeeds,
} from '@passage/domain';
import { writeAudit, writeAuditNow } from '../../platform/audit.ts';
import type { CaseAccess, Principal } from '../../platform/policy.ts';
import type { Actor, RegistryDeps } from '../registry/registry.service.ts';
import { NEEDS_FIELD } from '../registry/registry.repository.ts';
import {
  addEvent,
  caseFacts,
  caseType,
  countOnlyCondition,
  detailsColumns,
  findCase,
  grantsOf,
  loadTeams,
  readDetails,
  readPlan,
  reserveCaseNumber,
  toSummaries,
  userRefs,
  visibleCondition,
  type CaseWithOffice,
  type Db,
  type SummaryRow,
} from './cases.repository.ts';

/** What the case services need from the platform. */
export type CasesDeps = RegistryDeps & { config: { breakGlassMinutes: number } };

const today = (): string => isoDay(new Date());

/** A case the actor may act on, with how they stand to it. */
export interface CaseInScope {
  row: CaseWithOffice;
  def: CaseTypeDefinition;
  access: CaseAccess;
  /** Named workers (loaded for the decision; reused by what follows). */
  memberIds: readonly string[];
  breakGlassUntil: Date | null;
}

/**
 * Loads a case the actor may see (404 otherwise, exactly like a missing one; a restricted case the actor may
 * only count is a 403 that offers break-glass access), and checks the level of action asked for.
 */
export async function caseInScope(db: Db, actor: Actor, id: string, need: 'see' | 'work' | 'supervise', options: { forUpdate?: boolean } = {}): Promise<CaseInScope> {
  const row = await findCase(db, id, options);
  if (!row) throw notFound('Case');
  const [teams, facts] = await Promise.all([loadTeams(db, actor.principal.userId), caseFacts(db, row, actor.principal.userId)]);
  const access = actor.policy.caseAccess(actor.principal, teams, facts);
  if (!access.see) {
    if (access.countOnly) throw new PassageError('forbidden', 'This case is restricted to its team. Ask for break-glass access, stating why, if you must open it.', { extra: { breakGlass: true, caseNumber: row.case_number } });
    throw notFound('Case');
  }
  if (need === 'work' && !access.canWork) throw new PassageError('forbidden', access.via === 'break_glass' ? 'Break-glass access is read-only' : 'You may not record on this case');
  if (need === 'supervise' && !access.canSupervise) throw new PassageError('forbidden', 'Only a supervisor of this case may do this');
  return { row, def: caseType(row), access, memberIds: facts.memberIds, breakGlassUntil: facts.breakGlassUntil };
}

/** Facts about the person that case rules read. Needs only when the actor may see them. */
async function personFacts(deps: RegistryDeps, db: Db, personId: string): Promise<{ facts: PersonFacts; row: { id: string; office_id: string; given_name: string; middle_name: string | null; family_name: string | null; full_name_original: string | null; sex: string; date_of_birth: string | null; nationality: string | null; registration_id: string; merged_into: string | null; specific_needs_sealed: string | null } }> {
  const row = await db
    .selectFrom('person')
    .select(['id', 'office_id', 'given_name', 'middle_name', 'family_name', 'full_name_original', 'sex', sql<string | null>`date_of_birth::text`.as('date_of_birth'), 'nationality', 'registration_id', 'merged_into', 'specific_needs_sealed'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  const needs = row.specific_needs_sealed ? effectiveNeeds(JSON.parse(deps.encryption.open(row.specific_needs_sealed, row.id, NEEDS_FIELD)) as SpecificNeeds) : [];
  return { facts: { age: row.date_of_birth ? ageOn(row.date_of_birth, today()) : null, sex: row.sex, needs }, row };
}

function validateDetails(def: CaseTypeDefinition, values: Record<string, unknown>): Record<string, unknown> {
  const parsed = detailsSchema(def).safeParse(values);
  if (!parsed.success) {
    throw new PassageError('validation_failed', 'Some fields are not valid', {
      errors: parsed.error.issues.map((i) => ({ field: ['details', ...i.path.map(String)].join('.') + (i.code === 'unrecognized_keys' ? `.${(i as { keys: string[] }).keys.join(',')}` : ''), message: i.message })),
    });
  }
  return parsed.data;
}

/** May this user work cases (as owner) at this office, and, for a restricted type, are they in its team there? */
async function assertAssignable(deps: CasesDeps, actor: Actor, db: Db, userId: string, officeId: string, def: CaseTypeDefinition, field: string): Promise<void> {
  const principal: Principal = await grantsOf(db, userId);
  const teams = await loadTeams(db, userId);
  const ok = actor.policy.canAt(principal, 'cases.work', officeId) && (def.sensitivity === 'standard' || actor.policy.inCaseTeam(principal, teams, def.team, officeId));
  if (!ok) throw new PassageError('validation_failed', 'That person cannot work this case', { errors: [{ field, message: def.sensitivity === 'restricted' ? `must be a caseworker in the ${def.team} team of the case's office` : "must be a caseworker at the case's office" }] });
}

async function assertSupervisorAt(deps: CasesDeps, actor: Actor, db: Db, userId: string, officeId: string, field: string): Promise<void> {
  const principal = await grantsOf(db, userId);
  if (!actor.policy.canAt(principal, 'cases.supervise', officeId)) throw new PassageError('validation_failed', 'That person is not a supervisor there', { errors: [{ field, message: "must be a case supervisor at the case's office" }] });
}

/** Creates the default tasks of a state (assigned to the owner). */
async function createDefaultTasks(trx: Transaction<Database>, row: { id: string; office_id: string; owner_id: string | null }, def: CaseTypeDefinition, state: string, details: Record<string, unknown>, person: PersonFacts, actorId: string): Promise<number> {
  const specs = tasksOnEnter(def, state, details, person);
  if (specs.length === 0) return 0;
  const day = today();
  await trx
    .insertInto('case_task')
    .values(specs.map((t) => ({ case_id: row.id, office_id: row.office_id, key: t.key, title: t.key, due_on: addDays(day, t.dueInDays), assignee_id: row.owner_id, created_by: actorId })))
    .execute();
  return specs.length;
}

// ---------------------------------------------------------------------------------------------
// Opening a case

export async function openCase(deps: CasesDeps, actor: Actor, input: CaseCreate, options: { trx?: Transaction<Database>; incoming?: boolean } = {}): Promise<{ id: string; caseNumber: string }> {
  const def = CASE_TYPES[input.type];
  if (!actor.policy.canAt(actor.principal, 'cases.work', input.officeId)) throw new PassageError('forbidden', 'You may open cases only at offices where you work cases', { errors: [{ field: 'officeId', message: 'not an office where you work cases' }] });
  const office = await deps.db.selectFrom('office').select(['id', 'code']).where('id', '=', input.officeId).executeTakeFirst();
  if (!office) throw new PassageError('validation_failed', 'Unknown office', { errors: [{ field: 'officeId', message: 'unknown office' }] });
  const personOffice = await deps.db.selectFrom('person').select(['office_id', 'merged_into']).where('id', '=', input.personId).executeTakeFirst();
  if (!personOffice || !actor.policy.canAt(actor.principal, 'registry.read', personOffice.office_id)) throw new PassageError('validation_failed', 'Unknown person', { errors: [{ field: 'personId', message: 'no such person in your offices' }] });
  if (personOffice.merged_into) throw new PassageError('conflict', 'This record was merged into another; open the case on the record kept', { errors: [{ field: 'personId', message: 'merged' }], extra: { mergedInto: personOffice.merged_into } });
  // A restricted case is opened by its team (or a supervisor there), who become its workers.
  if (def.sensitivity === 'restricted') {
    const teams = await loadTeams(deps.db, actor.principal.userId);
    if (!actor.policy.inCaseTeam(actor.principal, teams, def.team, input.officeId)) throw new PassageError('forbidden', `Only the ${def.team} team of the office opens these cases`, { errors: [{ field: 'type', message: `only the ${def.team} team opens these cases` }] });
  }
  const ownerId = input.ownerId ?? actor.principal.userId;
  if (input.ownerId && input.ownerId !== actor.principal.userId) await assertAssignable(deps, actor, deps.db, input.ownerId, input.officeId, def, 'ownerId');
  if (input.supervisorId) await assertSupervisorAt(deps, actor, deps.db, input.supervisorId, input.officeId, 'supervisorId');
  const { facts: person } = await personFacts(deps, deps.db, input.personId);
  const details = keepVisible(def, validateDetails(def, input.details), person).values;

  const caseNumber = await reserveCaseNumber(deps.db, input.officeId, office.code, new Date().getUTCFullYear());
  const id = crypto.randomUUID();
  const run = async (trx: Transaction<Database>) => {
    const row = { id, office_id: input.officeId, owner_id: ownerId };
    await trx
      .insertInto('case_file')
      .values({
        id,
        office_id: input.officeId,
        case_number: caseNumber,
        type: def.id,
        sensitivity: def.sensitivity,
        team: def.team,
        status: def.initial,
        person_id: input.personId,
        owner_id: ownerId,
        supervisor_id: input.supervisorId ?? null,
        risk_level: input.riskLevel,
        ...detailsColumns(deps.encryption, id, def.sensitivity, details),
        awaiting_supervisor: awaitsSupervisor(def, def.initial),
        created_by: actor.principal.userId,
      })
      .execute();
    await addEvent(trx, row, actor.principal.userId, 'opened', { type: def.id, status: def.initial, incoming: options.incoming ?? false });
    const tasks = await createDefaultTasks(trx, row, def, def.initial, details, person, actor.principal.userId);
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.create', entityType: 'case', entityId: id, officeId: input.officeId, requestId: actor.requestId, details: { type: def.id, tasks, personId: input.personId } });
  };
  if (options.trx) await run(options.trx);
  else await deps.db.transaction().execute(run);
  return { id, caseNumber };
}

// ---------------------------------------------------------------------------------------------
// Reading

/** What the state machine asks about a case besides its row: assessments, open referrals, a pending transfer. */
async function caseCounts(db: Db, caseId: string) {
  const [assessments, referrals, transfer] = await Promise.all([
    db.selectFrom('case_assessment').select((eb) => eb.fn.countAll<string>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow(),
    db.selectFrom('referral').select((eb) => eb.fn.countAll<string>().as('n')).where('case_id', '=', caseId).where('status', 'in', ['sent', 'accepted']).where('direction', '=', 'outgoing').executeTakeFirstOrThrow(),
    db.selectFrom('case_transfer as t').innerJoin('office as o', 'o.id', 't.to_office_id').select(['t.id', 't.to_office_id', 'o.code', 't.requested_at']).where('t.case_id', '=', caseId).where('t.status', '=', 'pending').executeTakeFirst(),
  ]);
  return { assessments: Number(assessments.n), openReferrals: Number(referrals.n), transfer };
}

/** The facts `transitionProblems` reads. */
function transitionFacts(c: CaseWithOffice, counts: Awaited<ReturnType<typeof caseCounts>>, details: Record<string, unknown>, person: PersonFacts, closureReason?: string | null) {
  return { details, person, assessments: counts.assessments, plan: c.plan_status ?? ('none' as const), planGoals: c.plan_goals, closureReason, openReferrals: counts.openReferrals, pendingTransfer: !!counts.transfer };
}

/** The whole case as its page shows it. Every view is audited (the purpose says how the user got in). */
export async function getCase(deps: CasesDeps, actor: Actor, id: string, options: { audit?: boolean } = {}): Promise<CaseDto> {
  const c = await caseInScope(deps.db, actor, id, 'see');
  const { row, access } = c;
  const dto = await caseDto(deps, actor, c);
  if (options.audit !== false) {
    await writeAuditNow(deps.db, { actorId: actor.principal.userId, action: 'case.view', entityType: 'case', entityId: row.id, officeId: row.office_id, requestId: actor.requestId, purpose: access.via === 'break_glass' ? 'break_glass' : 'casework', details: { type: row.type, via: access.via } });
  }
  return dto;
}

async function caseDto(deps: CasesDeps, actor: Actor, c: CaseInScope): Promise<CaseDto> {
  const { row, def, access } = c;
  const details = readDetails(deps.encryption, row);
  const { facts: person, row: p } = await personFacts(deps, deps.db, row.person_id);
  // One statement per fact, in parallel; the transition checks reuse them (bench/RESULTS.md §6).
  const [latest, counts, consent] = await Promise.all([
    deps.db.selectFrom('case_assessment').selectAll().where('case_id', '=', row.id).orderBy('number', 'desc').limit(1).executeTakeFirst(),
    caseCounts(deps.db, row.id),
    referralConsent(deps.db, row.person_id),
  ]);
  const { transfer } = counts;
  const facts = transitionFacts(row, counts, details, person);
  const members = c.memberIds.map((user_id) => ({ user_id }));
  const glass = access.via === 'break_glass' && c.breakGlassUntil ? { expires_at: c.breakGlassUntil } : undefined;
  const users = await userRefs(deps.db, [row.owner_id, row.supervisor_id, row.plan_updated_by, row.plan_approved_by, latest?.created_by, ...members.map((m) => m.user_id)]);
  const plan = readPlan(deps.encryption, row);
  const actions: ActionDto[] = transitionsFrom(def, row.status).map((t) => {
    const mayTake = t.by === 'worker' ? access.canWork : access.canSupervise;
    // Closure reasons are given with the request: don't count a missing one against the action.
    const problems = transitionProblems(def, t, { ...facts, closureReason: t.requires?.closureReason ? def.closureReasons[0] : null });
    return { action: t.action, to: t.to, by: t.by, allowed: mayTake && problems.length === 0, problems };
  });
  const mayReadNeeds = actor.policy.canAt(actor.principal, 'registry.sensitive', p.office_id);
  const [summary] = await toSummaries(deps.db, [{ ...row, given_name: p.given_name, family_name: p.family_name, visible: true }]);
  return {
    ...summary!,
    personName: [p.given_name, p.middle_name, p.family_name].filter(Boolean).join(' '),
    team: row.team,
    supervisor: row.supervisor_id ? (users.get(row.supervisor_id) ?? null) : null,
    closureReason: row.closure_reason,
    details,
    version: row.version,
    person: {
      id: p.id,
      registrationId: p.registration_id,
      name: [p.given_name, p.middle_name, p.family_name].filter(Boolean).join(' '),
      fullNameOriginal: p.full_name_original,
      sex: p.sex as CaseDto['person']['sex'],
      age: person.age,
      nationality: p.nationality,
      specificNeeds: mayReadNeeds ? [...person.needs] : null,
      consentToReferral: consent !== null,
    },
    members: members.map((m) => users.get(m.user_id)).filter((u): u is { id: string; name: string } => !!u),
    access: { via: access.via!, until: glass ? glass.expires_at.toISOString() : null, canWork: access.canWork, canSupervise: access.canSupervise },
    actions,
    latestAssessment: latest
      ? { id: latest.id, number: latest.number, assessedOn: String(latest.assessed_on).slice(0, 10), summary: latest.sealed ? deps.encryption.open(latest.summary, latest.id, 'summary') : latest.summary, riskLevel: latest.risk_level as CaseDto['riskLevel'], needs: latest.needs, createdBy: latest.created_by ? (users.get(latest.created_by) ?? null) : null, createdAt: latest.created_at.toISOString() }
      : null,
    assessments: counts.assessments,
    plan:
      plan && row.plan_status
        ? {
            status: row.plan_status,
            version: row.plan_version,
            goals: plan.goals,
            services: plan.services,
            updatedBy: row.plan_updated_by ? (users.get(row.plan_updated_by) ?? null) : null,
            updatedAt: (row.plan_updated_at ?? row.updated_at).toISOString(),
            approvedBy: row.plan_approved_by ? (users.get(row.plan_approved_by) ?? null) : null,
            approvedAt: row.plan_approved_at ? row.plan_approved_at.toISOString() : null,
          }
        : null,
    openReferrals: facts.openReferrals,
    pendingTransfer: transfer ? { id: transfer.id, toOfficeId: transfer.to_office_id, toOfficeCode: transfer.code, requestedAt: transfer.requested_at.toISOString() } : null,
  };
}

/** The person's consent to referral in force (granted, not withdrawn, the latest answer), or null. */
export async function referralConsent(db: Db, personId: string): Promise<{ id: string } | null> {
  const latest = await db.selectFrom('consent').select(['id', 'granted', 'withdrawn_at']).where('person_id', '=', personId).where('purpose', '=', 'referral').orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return latest && latest.granted && !latest.withdrawn_at ? { id: latest.id } : null;
}

/** Throws 409 with the current case when the version sent is not the current one. */
async function assertVersion(deps: CasesDeps, actor: Actor, c: CaseInScope, version: number): Promise<void> {
  if (c.row.version === version) return;
  const current = await caseDto(deps, actor, c);
  throw new PassageError('stale_version', 'This case was changed by someone else since you opened it', { extra: { current } });
}

// ---------------------------------------------------------------------------------------------
// Changing

/** Changes the risk level and details (merged field by field; null clears; hidden fields are dropped). */
export async function updateCase(deps: CasesDeps, actor: Actor, id: string, input: CaseUpdate): Promise<CaseDto> {
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, id, 'work', { forUpdate: true });
    await assertVersion(deps, actor, c, input.version);
    if (c.row.closed_at) throw new PassageError('conflict', 'The case is closed; a supervisor may reopen it');
    const before = readDetails(deps.encryption, c.row);
    const merged = { ...before, ...validateDetails(c.def, input.details ?? {}) };
    const { facts: person } = await personFacts(deps, trx, c.row.person_id);
    const { values } = keepVisible(c.def, merged, person);
    const changed = [...new Set([...Object.keys(before), ...Object.keys(values)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(values[k])).sort();
    const riskChanged = input.riskLevel !== undefined && input.riskLevel !== c.row.risk_level;
    if (changed.length === 0 && !riskChanged) return;
    await trx
      .updateTable('case_file')
      .set({ ...detailsColumns(deps.encryption, id, c.row.sensitivity, values), ...(riskChanged ? { risk_level: input.riskLevel } : {}), updated_at: new Date(), version: c.row.version + 1 })
      .where('id', '=', id)
      .execute();
    const fields = [...changed.map((f) => `details.${f}`), ...(riskChanged ? ['riskLevel'] : [])];
    await addEvent(trx, c.row, actor.principal.userId, 'updated', { fields, ...(riskChanged ? { riskLevel: input.riskLevel } : {}) });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.update', entityType: 'case', entityId: id, officeId: c.row.office_id, requestId: actor.requestId, changedFields: fields });
  });
  return getCase(deps, actor, id, { audit: false });
}

/**
 * Takes a step of the case type's state machine. An action that does not leave the current state is a 409 naming
 * the actions that do; missing requirements are a 409 naming each; a worker's step needs a worker, a
 * supervisor's a supervisor (403).
 */
export async function transitionCase(deps: CasesDeps, actor: Actor, id: string, input: CaseTransition): Promise<CaseDto> {
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, id, 'see', { forUpdate: true });
    await assertVersion(deps, actor, c, input.version);
    const available = transitionsFrom(c.def, c.row.status);
    const t = available.find((x) => x.action === input.action);
    if (!t) {
      throw new PassageError('conflict', `"${input.action}" cannot be taken from "${c.row.status}". Allowed: ${available.map((x) => x.action).join(', ') || 'none'}`, {
        errors: [{ field: 'action', message: `allowed from ${c.row.status}: ${available.map((x) => x.action).join(', ') || 'none'}` }],
        extra: { status: c.row.status, allowedActions: available.map((x) => x.action) },
      });
    }
    if (t.by === 'worker' ? !c.access.canWork : !c.access.canSupervise) throw new PassageError('forbidden', t.by === 'supervisor' ? 'Only a supervisor of this case may take this step' : 'Only the workers of this case may take this step');
    const details = readDetails(deps.encryption, c.row);
    const { facts: person } = await personFacts(deps, trx, c.row.person_id);
    const facts = transitionFacts(c.row, await caseCounts(trx, c.row.id), details, person, input.closureReason ?? c.row.closure_reason);
    const problems: FieldProblem[] = transitionProblems(c.def, t, facts);
    if (problems.length > 0) throw new PassageError('conflict', `Not yet: ${problems.map((p) => p.message).join('; ')}`, { errors: problems, extra: { status: c.row.status } });

    const closing = c.def.closed.includes(t.to);
    const reopening = c.def.closed.includes(c.row.status) && !closing;
    const now = new Date();
    await trx
      .updateTable('case_file')
      .set({
        status: t.to,
        awaiting_supervisor: awaitsSupervisor(c.def, t.to),
        ...(t.requires?.closureReason ? { closure_reason: input.closureReason! } : {}),
        ...(closing ? { closed_at: now } : {}),
        ...(reopening ? { closed_at: null, closure_reason: null } : {}),
        ...(t.action === 'reject_closure' ? { closure_reason: null } : {}),
        ...(t.to === 'plan_review' || t.requires?.plan ? { plan_status: 'submitted' as const } : {}),
        ...(t.approvesPlan ? { plan_status: 'approved' as const, plan_approved_by: actor.principal.userId, plan_approved_at: now } : {}),
        ...(t.returnsPlan ? { plan_status: 'draft' as const } : {}),
        updated_at: now,
        version: c.row.version + 1,
      })
      .where('id', '=', id)
      .execute();
    let cancelled = 0;
    if (closing) {
      // Closing answers what is still to do: open tasks are cancelled (on the timeline).
      const rows = await trx.updateTable('case_task').set({ status: 'cancelled', updated_at: now, version: sql`version + 1` }).where('case_id', '=', id).where('status', '=', 'open').returning('id').execute();
      cancelled = rows.length;
    }
    let commentNote: string | null = null;
    if (input.comment) {
      commentNote = crypto.randomUUID();
      const sealed = c.row.sensitivity === 'restricted';
      await trx.insertInto('case_note').values({ id: commentNote, case_id: id, office_id: c.row.office_id, body: sealed ? deps.encryption.seal(input.comment, commentNote, 'body') : input.comment, sealed, created_by: actor.principal.userId }).execute();
    }
    await addEvent(trx, c.row, actor.principal.userId, 'transition', { action: t.action, from: c.row.status, to: t.to, ...(t.requires?.closureReason ? { closureReason: input.closureReason } : {}), ...(cancelled ? { tasksCancelled: cancelled } : {}), ...(commentNote ? { noteId: commentNote } : {}) });
    await createDefaultTasks(trx, c.row, c.def, t.to, details, person, actor.principal.userId);
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.transition', entityType: 'case', entityId: id, officeId: c.row.office_id, requestId: actor.requestId, details: { action: t.action, from: c.row.status, to: t.to } });
  });
  return getCase(deps, actor, id, { audit: false });
}

/** Assigns the owner and/or the supervisor (a supervisor's step). */
export async function assignCase(deps: CasesDeps, actor: Actor, id: string, input: CaseAssign): Promise<CaseDto> {
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, id, 'supervise', { forUpdate: true });
    await assertVersion(deps, actor, c, input.version);
    if (input.ownerId) await assertAssignable(deps, actor, trx, input.ownerId, c.row.office_id, c.def, 'ownerId');
    if (input.supervisorId) await assertSupervisorAt(deps, actor, trx, input.supervisorId, c.row.office_id, 'supervisorId');
    const set = { ...(input.ownerId ? { owner_id: input.ownerId } : {}), ...(input.supervisorId !== undefined ? { supervisor_id: input.supervisorId } : {}) };
    await trx.updateTable('case_file').set({ ...set, updated_at: new Date(), version: c.row.version + 1 }).where('id', '=', id).execute();
    // The new owner takes the open tasks of the old one.
    if (input.ownerId && c.row.owner_id && input.ownerId !== c.row.owner_id) {
      await trx.updateTable('case_task').set({ assignee_id: input.ownerId, updated_at: new Date(), version: sql`version + 1` }).where('case_id', '=', id).where('status', '=', 'open').where('assignee_id', '=', c.row.owner_id).execute();
    }
    await addEvent(trx, c.row, actor.principal.userId, 'assigned', { ownerId: input.ownerId ?? null, supervisorId: input.supervisorId ?? null, fromOwnerId: c.row.owner_id });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.assign', entityType: 'case', entityId: id, officeId: c.row.office_id, requestId: actor.requestId, changedFields: Object.keys(set) });
  });
  return getCase(deps, actor, id, { audit: false });
}

/** Names a specialist on a case (a worker of it from now on), or removes one. */
export async function setMember(deps: CasesDeps, actor: Actor, id: string, userId: string, present: boolean): Promise<CaseDto> {
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, id, 'supervise', { forUpdate: true });
    if (present) {
      const principal = await grantsOf(trx, userId);
      if (!actor.policy.canAt(principal, 'cases.read', c.row.office_id)) throw new PassageError('validation_failed', 'That person cannot work cases at this office', { errors: [{ field: 'userId', message: "must work cases at the case's office" }] });
      await trx.insertInto('case_member').values({ case_id: id, user_id: userId, added_by: actor.principal.userId }).onConflict((oc) => oc.doNothing()).execute();
    } else {
      await trx.deleteFrom('case_member').where('case_id', '=', id).where('user_id', '=', userId).execute();
    }
    await trx.updateTable('case_file').set({ updated_at: new Date(), version: c.row.version + 1 }).where('id', '=', id).execute();
    await addEvent(trx, c.row, actor.principal.userId, present ? 'member_added' : 'member_removed', { userId });
    await writeAudit(trx, { actorId: actor.principal.userId, action: present ? 'case.member.add' : 'case.member.remove', entityType: 'case', entityId: id, officeId: c.row.office_id, requestId: actor.requestId, details: { userId } });
  });
  return getCase(deps, actor, id, { audit: false });
}

// ---------------------------------------------------------------------------------------------
// Break glass

/**
 * Grants the actor time-limited, read-only access to one case they may not otherwise see, for a stated reason.
 * Needs the break-glass permission at the case's office (else 404: existence does not leak). Audited and listed
 * for data-protection officers.
 */
export async function breakGlass(deps: CasesDeps, actor: Actor, caseNumber: string, reason: string): Promise<{ caseId: string; expiresAt: string }> {
  const row = await deps.db.selectFrom('case_file').selectAll().where('case_number', '=', caseNumber.trim().toUpperCase()).executeTakeFirst();
  if (!row || !actor.policy.canAt(actor.principal, 'cases.break_glass', row.office_id)) throw notFound('Case');
  const teams = await loadTeams(deps.db, actor.principal.userId);
  const facts = await caseFacts(deps.db, row, actor.principal.userId);
  const access = actor.policy.caseAccess(actor.principal, teams, { ...facts, breakGlassUntil: null });
  if (access.see) throw new PassageError('conflict', 'You can already open this case', { extra: { caseId: row.id } });
  const expiresAt = new Date(Date.now() + deps.config.breakGlassMinutes * 60_000);
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('break_glass').values({ case_id: row.id, office_id: row.office_id, user_id: actor.principal.userId, reason, expires_at: expiresAt }).execute();
    await addEvent(trx, row, actor.principal.userId, 'break_glass', { until: expiresAt.toISOString() });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.break_glass', entityType: 'case', entityId: row.id, officeId: row.office_id, requestId: actor.requestId, purpose: 'break_glass', details: { minutes: deps.config.breakGlassMinutes, type: row.type } });
  });
  return { caseId: row.id, expiresAt: expiresAt.toISOString() };
}

// ---------------------------------------------------------------------------------------------
// Lists

export async function listCases(deps: CasesDeps, actor: Actor, query: CaseListQuery): Promise<CaseListDto> {
  const scope = actor.policy.caseScope(actor.principal, await loadTeams(deps.db, actor.principal.userId));
  const visible = visibleCondition(scope);
  let q = deps.db
    .selectFrom('case_file as c')
    .innerJoin('office as o', 'o.id', 'c.office_id')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .where(sql<boolean>`(${visible} OR ${countOnlyCondition(scope)})`);
  if (query.officeId) q = q.where('c.office_id', '=', query.officeId);
  if (query.type) q = q.where('c.type', '=', query.type);
  if (query.status) q = q.where('c.status', '=', query.status);
  if (query.open === 'true') q = q.where('c.closed_at', 'is', null);
  if (query.open === 'false') q = q.where('c.closed_at', 'is not', null);
  if (query.mine === 'true') q = q.where('c.owner_id', '=', actor.principal.userId);
  // Filtering on a person or a case number must not reveal a masked case's person: visible cases only.
  if (query.personId) q = q.where('c.person_id', '=', query.personId).where(visible);
  if (query.q) q = q.where((eb) => eb.or([eb('c.case_number', 'ilike', `%${query.q!.replace(/[%_\\]/g, '\\$&')}%`)]));
  const [rows, count] = await Promise.all([
    q.selectAll('c').select(['o.code as office_code', 'p.given_name', 'p.family_name', visible.as('visible')]).orderBy('c.opened_at', 'desc').orderBy('c.id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = await toSummaries(deps.db, rows as SummaryRow[]);
  await writeAuditNow(deps.db, {
    actorId: actor.principal.userId,
    action: 'case.list',
    entityType: 'case',
    officeId: query.officeId ?? null,
    requestId: actor.requestId,
    details: { filters: Object.keys(query).filter((k) => !['page', 'pageSize'].includes(k) && query[k as keyof CaseListQuery] !== undefined), cases: items.length, masked: items.filter((i) => i.masked).length },
  });
  return { items, total: Number(count.n), page: query.page, pageSize: query.pageSize };
}

