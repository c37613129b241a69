import crypto from 'node:crypto';
import { sql } from 'kysely';
import {
  PassageError,
  isoDay,
  notFound,
  type AssessmentDto,
  type AssessmentInput,
  type CaseDto,
  type NoteDto,
  type NoteInput,
  type PlanInput,
  type ServiceDto,
  type ServiceInput,
  type TaskDto,
  type TaskInput,
  type TaskUpdate,
  type TimelineEventDto,
} from '@passage/domain';
import { writeAudit } from '../../platform/audit.ts';
import type { Actor } from '../registry/registry.service.ts';
import { addEvent, caseFacts, findCase, loadTeams, openText, sealText, userRefs, type Db } from './cases.repository.ts';
import { caseInScope, getCase, type CaseInScope, type CasesDeps } from './cases.service.ts';

/**
 * What is recorded on a case: assessments (numbered versions), the case plan (supervisor-approved), services
 * delivered, notes (sensitive ones seen only by the case's own workers and supervisor), tasks, and the timeline.
 * A restricted case's free text is sealed at rest. Each write is one transaction with its timeline event and
 * its audit event.
 */

const userRef = (users: Map<string, { id: string; name: string }>, id: string | null) => (id ? (users.get(id) ?? null) : null);
const day = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

function assertOpen(c: CaseInScope): void {
  if (c.row.closed_at) throw new PassageError('conflict', 'The case is closed; a supervisor may reopen it');
}

/** Type codes (services, needs) must be the case type's own. */
function assertCodes(codes: readonly string[], allowed: readonly string[], field: string): void {
  codes.forEach((code, i) => {
    if (!allowed.includes(code)) throw new PassageError('validation_failed', 'Unknown code', { errors: [{ field: `${field}.${i}`, message: `one of: ${allowed.join(', ')}` }] });
  });
}

async function assertPartner(db: Db, actor: Actor, partnerId: string | null | undefined, field: string): Promise<void> {
  if (!partnerId) return;
  const p = await db.selectFrom('partner').select(['office_id', 'active']).where('id', '=', partnerId).executeTakeFirst();
  if (!p || !actor.policy.canAt(actor.principal, 'cases.read', p.office_id)) throw new PassageError('validation_failed', 'Unknown partner', { errors: [{ field, message: 'no such partner in your offices' }] });
}

// ---------------------------------------------------------------------------------------------
// Assessments

export async function addAssessment(deps: CasesDeps, actor: Actor, caseId: string, input: AssessmentInput): Promise<AssessmentDto> {
  const id = crypto.randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, caseId, 'work', { forUpdate: true });
    assertOpen(c);
    assertCodes(input.needs, [...new Set([...c.def.serviceTypes, ...(c.def.fields.find((f) => f.name === 'needsSectors')?.options ?? [])])], 'needs');
    if (input.assessedOn > isoDay(new Date())) throw new PassageError('validation_failed', 'Some fields are not valid', { errors: [{ field: 'assessedOn', message: 'is in the future' }] });
    const last = await trx.selectFrom('case_assessment').select((eb) => eb.fn.max('number').as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const number = Number(last.n ?? 0) + 1;
    const sealed = c.row.sensitivity === 'restricted';
    await trx.insertInto('case_assessment').values({ id, case_id: caseId, office_id: c.row.office_id, number, assessed_on: input.assessedOn, summary: sealText(deps.encryption, sealed, id, 'summary', input.summary), risk_level: input.riskLevel, needs: input.needs, sealed, created_by: actor.principal.userId }).execute();
    // The latest assessment sets the case's risk level.
    await trx.updateTable('case_file').set({ risk_level: input.riskLevel, updated_at: new Date(), version: c.row.version + 1 }).where('id', '=', caseId).execute();
    await addEvent(trx, c.row, actor.principal.userId, 'assessment', { assessmentId: id, number, riskLevel: input.riskLevel });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.assessment.add', entityType: 'case', entityId: caseId, officeId: c.row.office_id, requestId: actor.requestId, details: { number } });
  });
  return (await listAssessments(deps, actor, caseId)).find((a) => a.id === id)!;
}

export async function listAssessments(deps: CasesDeps, actor: Actor, caseId: string): Promise<AssessmentDto[]> {
  await caseInScope(deps.db, actor, caseId, 'see');
  const rows = await deps.db.selectFrom('case_assessment').selectAll().where('case_id', '=', caseId).orderBy('number', 'desc').execute();
  const users = await userRefs(deps.db, rows.map((r) => r.created_by));
  return rows.map((r) => ({ id: r.id, number: r.number, assessedOn: day(r.assessed_on), summary: openText(deps.encryption, r.sealed, r.id, 'summary', r.summary), riskLevel: r.risk_level as AssessmentDto['riskLevel'], needs: r.needs, createdBy: userRef(users, r.created_by), createdAt: r.created_at.toISOString() }));
}

// ---------------------------------------------------------------------------------------------
// The plan: written by the workers while planning, submitted (a transition), approved by a supervisor.

export async function savePlan(deps: CasesDeps, actor: Actor, caseId: string, input: PlanInput): Promise<CaseDto> {
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, caseId, 'work', { forUpdate: true });
    assertOpen(c);
    if (input.version !== c.row.plan_version) {
      const current = await getCase(deps, actor, caseId, { audit: false });
      throw new PassageError('stale_version', 'The plan was changed by someone else since you opened it', { extra: { current } });
    }
    if (c.row.plan_status === 'submitted') throw new PassageError('conflict', 'The plan is waiting for a supervisor; it can be changed once it is returned or approved', { errors: [{ field: 'plan', message: 'submitted for approval' }] });
    assertCodes(input.services.map((s) => s.type), c.def.serviceTypes, 'services');
    for (const [i, s] of input.services.entries()) await assertPartner(trx, actor, s.partnerId, `services.${i}.partnerId`);
    const plan = { goals: input.goals, services: input.services };
    const sealed = c.row.sensitivity === 'restricted';
    // Changing an approved plan makes it a draft again: it needs a new approval.
    await trx
      .updateTable('case_file')
      .set({
        plan: sealed ? null : JSON.stringify(plan),
        plan_sealed: sealed ? deps.encryption.seal(JSON.stringify(plan), caseId, 'plan') : null,
        plan_status: 'draft',
        plan_version: c.row.plan_version + 1,
        plan_goals: input.goals.length,
        plan_updated_by: actor.principal.userId,
        plan_updated_at: new Date(),
        plan_approved_by: null,
        plan_approved_at: null,
        updated_at: new Date(),
        version: c.row.version + 1,
      })
      .where('id', '=', caseId)
      .execute();
    await addEvent(trx, c.row, actor.principal.userId, 'plan', { planVersion: c.row.plan_version + 1, goals: input.goals.length, services: input.services.length });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.plan.save', entityType: 'case', entityId: caseId, officeId: c.row.office_id, requestId: actor.requestId, details: { planVersion: c.row.plan_version + 1 } });
  });
  return getCase(deps, actor, caseId, { audit: false });
}

// ---------------------------------------------------------------------------------------------
// Services delivered

export async function addService(deps: CasesDeps, actor: Actor, caseId: string, input: ServiceInput): Promise<ServiceDto> {
  const id = crypto.randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, caseId, 'work');
    assertCodes([input.type], c.def.serviceTypes, 'type');
    await assertPartner(trx, actor, input.partnerId, 'partnerId');
    if (input.deliveredOn > isoDay(new Date())) throw new PassageError('validation_failed', 'Some fields are not valid', { errors: [{ field: 'deliveredOn', message: 'is in the future' }] });
    const sealed = c.row.sensitivity === 'restricted';
    await trx
      .insertInto('case_service')
      .values({
        id,
        case_id: caseId,
        office_id: c.row.office_id,
        type: input.type,
        delivered_on: input.deliveredOn,
        partner_id: input.partnerId ?? null,
        provider: sealText(deps.encryption, sealed, id, 'provider', input.provider || null),
        cost: input.cost == null ? null : input.cost.toFixed(2),
        currency: input.currency ?? null,
        funding: input.funding || null,
        note: sealText(deps.encryption, sealed, id, 'note', input.note || null),
        sealed,
        created_by: actor.principal.userId,
      })
      .execute();
    await addEvent(trx, c.row, actor.principal.userId, 'service', { serviceId: id, type: input.type, deliveredOn: input.deliveredOn });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.service.add', entityType: 'case', entityId: caseId, officeId: c.row.office_id, requestId: actor.requestId, details: { type: input.type } });
  });
  return (await listServices(deps, actor, caseId)).find((s) => s.id === id)!;
}

export async function listServices(deps: CasesDeps, actor: Actor, caseId: string): Promise<ServiceDto[]> {
  await caseInScope(deps.db, actor, caseId, 'see');
  const rows = await deps.db.selectFrom('case_service').selectAll().where('case_id', '=', caseId).orderBy('delivered_on', 'desc').orderBy('created_at', 'desc').execute();
  const users = await userRefs(deps.db, rows.map((r) => r.created_by));
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    deliveredOn: day(r.delivered_on),
    partnerId: r.partner_id,
    provider: openText(deps.encryption, r.sealed, r.id, 'provider', r.provider),
    cost: r.cost === null ? null : Number(r.cost),
    currency: r.currency,
    funding: r.funding,
    note: openText(deps.encryption, r.sealed, r.id, 'note', r.note),
    createdBy: userRef(users, r.created_by),
    createdAt: r.created_at.toISOString(),
  }));
}

// ---------------------------------------------------------------------------------------------
// Notes. A sensitive note is sealed and shown only to the case's own workers (owner, named) and its supervisor.

export async function addNote(deps: CasesDeps, actor: Actor, caseId: string, input: NoteInput): Promise<NoteDto> {
  const id = crypto.randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, caseId, 'work');
    const sealed = input.sensitive || c.row.sensitivity === 'restricted';
    await trx.insertInto('case_note').values({ id, case_id: caseId, office_id: c.row.office_id, body: sealText(deps.encryption, sealed, id, 'body', input.body), sensitive: input.sensitive, sealed, created_by: actor.principal.userId }).execute();
    await addEvent(trx, c.row, actor.principal.userId, 'note', { noteId: id, sensitive: input.sensitive });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.note.add', entityType: 'case', entityId: caseId, officeId: c.row.office_id, requestId: actor.requestId, details: { sensitive: input.sensitive } });
  });
  return (await listNotes(deps, actor, caseId, [id]))[0]!;
}

/** May the actor read sensitive notes of this case? Its own workers and supervisors (not the team at large, not break glass). */
function readsSensitive(actor: Actor, c: CaseInScope): boolean {
  if (c.access.via === 'break_glass') return false;
  const me = actor.principal.userId;
  if (c.row.owner_id === me || c.row.supervisor_id === me) return true;
  if (c.access.canSupervise) return true;
  return c.memberIds.includes(me);
}

export async function listNotes(deps: CasesDeps, actor: Actor, caseId: string, ids?: readonly string[]): Promise<NoteDto[]> {
  return notesOf(deps, actor, await caseInScope(deps.db, actor, caseId, 'see'), ids);
}

/** The notes of a case already checked for the actor (all, or these ids). */
async function notesOf(deps: CasesDeps, actor: Actor, c: CaseInScope, ids?: readonly string[]): Promise<NoteDto[]> {
  const caseId = c.row.id;
  let q = deps.db.selectFrom('case_note').selectAll().where('case_id', '=', caseId);
  if (ids) q = q.where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  const rows = await q.orderBy('created_at', 'desc').limit(500).execute();
  const sensitiveOk = readsSensitive(actor, c);
  const users = await userRefs(deps.db, rows.map((r) => r.created_by));
  return rows.map((r) => {
    const hidden = r.sensitive && !sensitiveOk;
    return { id: r.id, body: hidden ? null : openText(deps.encryption, r.sealed, r.id, 'body', r.body), sensitive: r.sensitive, hidden, createdBy: userRef(users, r.created_by), createdAt: r.created_at.toISOString() };
  });
}

// ---------------------------------------------------------------------------------------------
// Tasks

type TaskRow = { id: string; case_id: string; case_number: string; key: string | null; title: string; due_on: unknown; remind_on: unknown; status: 'open' | 'done' | 'cancelled'; assignee_id: string | null; completed_at: Date | null; version: number };

export async function toTaskDtos(db: Db, rows: readonly TaskRow[]): Promise<TaskDto[]> {
  const users = await userRefs(db, rows.map((r) => r.assignee_id));
  return rows.map((r) => ({ id: r.id, caseId: r.case_id, caseNumber: r.case_number, title: r.title, key: r.key, dueOn: day(r.due_on), remindOn: r.remind_on ? day(r.remind_on) : null, status: r.status, assignee: userRef(users, r.assignee_id), completedAt: r.completed_at ? r.completed_at.toISOString() : null, version: r.version }));
}

const taskColumns = ['t.id', 't.case_id', 'c.case_number', 't.key', 't.title', 't.due_on', 't.remind_on', 't.status', 't.assignee_id', 't.completed_at', 't.version'] as const;

async function assertAssigneeCanSee(deps: CasesDeps, actor: Actor, db: Db, c: CaseInScope, userId: string): Promise<void> {
  const row = await findCase(db, c.row.id);
  const principal = { userId, grants: (await db.selectFrom('user_role').select(['office_id', 'role']).where('user_id', '=', userId).execute()).map((g) => ({ officeId: g.office_id, role: g.role as never })) };
  const access = actor.policy.caseAccess(principal, await loadTeams(db, userId), { ...(await caseFacts(db, row!, userId)), breakGlassUntil: null });
  if (!access.canWork) throw new PassageError('validation_failed', 'That person cannot work this case', { errors: [{ field: 'assigneeId', message: 'must be able to work this case' }] });
}

export async function addTask(deps: CasesDeps, actor: Actor, caseId: string, input: TaskInput): Promise<TaskDto> {
  const id = crypto.randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, caseId, 'work');
    assertOpen(c);
    const assignee = input.assigneeId === undefined ? c.row.owner_id : input.assigneeId;
    if (assignee && assignee !== actor.principal.userId) await assertAssigneeCanSee(deps, actor, trx, c, assignee);
    await trx.insertInto('case_task').values({ id, case_id: caseId, office_id: c.row.office_id, title: input.title, due_on: input.dueOn, remind_on: input.remindOn ?? null, assignee_id: assignee, created_by: actor.principal.userId }).execute();
    await addEvent(trx, c.row, actor.principal.userId, 'task_created', { taskId: id, dueOn: input.dueOn });
    // (The title is free text: it stays in the task, not in the timeline's data.)
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.task.add', entityType: 'case', entityId: caseId, officeId: c.row.office_id, requestId: actor.requestId, details: { taskId: id } });
  });
  return (await listTasks(deps, actor, caseId)).find((t) => t.id === id)!;
}

export async function listTasks(deps: CasesDeps, actor: Actor, caseId: string): Promise<TaskDto[]> {
  await caseInScope(deps.db, actor, caseId, 'see');
  const rows = await deps.db.selectFrom('case_task as t').innerJoin('case_file as c', 'c.id', 't.case_id').select(taskColumns).where('t.case_id', '=', caseId).orderBy('t.status').orderBy('t.due_on').execute();
  return toTaskDtos(deps.db, rows);
}

export async function updateTask(deps: CasesDeps, actor: Actor, taskId: string, input: TaskUpdate): Promise<TaskDto> {
  const caseId = await deps.db.transaction().execute(async (trx) => {
    const task = await trx.selectFrom('case_task').selectAll().where('id', '=', taskId).forUpdate().executeTakeFirst();
    if (!task) throw notFound('Task');
    const c = await caseInScope(trx, actor, task.case_id, 'work').catch((e: unknown) => {
      throw e instanceof PassageError && e.code === 'forbidden' && !e.extra.breakGlass ? e : notFound('Task');
    });
    if (task.version !== input.version) {
      const [current] = await toTaskDtos(trx, [{ ...task, case_number: c.row.case_number }]);
      throw new PassageError('stale_version', 'The task was changed by someone else', { extra: { current } });
    }
    if (input.assigneeId) await assertAssigneeCanSee(deps, actor, trx, c, input.assigneeId);
    const now = new Date();
    const done = input.status === 'done' && task.status !== 'done';
    await trx
      .updateTable('case_task')
      .set({
        ...(input.status ? { status: input.status } : {}),
        ...(done ? { completed_at: now, completed_by: actor.principal.userId } : input.status === 'open' ? { completed_at: null, completed_by: null } : {}),
        ...(input.dueOn ? { due_on: input.dueOn } : {}),
        ...(input.assigneeId !== undefined ? { assignee_id: input.assigneeId } : {}),
        ...(input.title ? { title: input.title } : {}),
        updated_at: now,
        version: sql`version + 1`,
      })
      .where('id', '=', taskId)
      .execute();
    await addEvent(trx, c.row, actor.principal.userId, done ? 'task_done' : 'task_updated', { taskId, key: task.key, fields: Object.keys(input).filter((k) => k !== 'version') });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.task.update', entityType: 'case', entityId: c.row.id, officeId: c.row.office_id, requestId: actor.requestId, changedFields: Object.keys(input).filter((k) => k !== 'version'), details: { taskId } });
    return c.row.id;
  });
  return (await listTasks(deps, actor, caseId)).find((t) => t.id === taskId)!;
}

// ---------------------------------------------------------------------------------------------
// The timeline: newest first, in pages (keyset on the event id).

export async function timeline(deps: CasesDeps, actor: Actor, caseId: string, before: string | undefined, limit: number): Promise<{ items: TimelineEventDto[]; next: string | null }> {
  const c = await caseInScope(deps.db, actor, caseId, 'see');
  let q = deps.db.selectFrom('case_event').select(['id', 'at', 'kind', 'actor_id', 'data']).where('case_id', '=', caseId);
  if (before) q = q.where('id', '<', before);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const users = await userRefs(deps.db, page.map((r) => r.actor_id));
  // Notes are shown in the timeline with their text (when the user may read it).
  const noteIds = page.map((r) => r.data.noteId).filter((x): x is string => typeof x === 'string');
  const notes = noteIds.length ? new Map((await notesOf(deps, actor, c, noteIds)).map((n) => [n.id, n])) : new Map<string, NoteDto>();
  return {
    items: page.map((r) => {
      const note = typeof r.data.noteId === 'string' ? notes.get(r.data.noteId) : undefined;
      return { id: String(r.id), at: r.at.toISOString(), kind: r.kind, actor: userRef(users, r.actor_id), data: note ? { ...r.data, body: note.body, hidden: note.hidden } : r.data };
    }),
    next: rows.length > limit ? String(page[page.length - 1]!.id) : null,
  };
}
