import crypto from 'node:crypto';
import { sql } from 'kysely';
import { PassageError, notFound, type TransferCreate, type TransferDecision, type TransferDto } from '@passage/domain';
import { writeAudit } from '../../platform/audit.ts';
import type { Actor } from '../registry/registry.service.ts';
import { addEvent, caseType, grantsOf, loadTeams, openText, sealText, userRefs, type Db } from './cases.repository.ts';
import { caseInScope, type CasesDeps } from './cases.service.ts';

/**
 * Handing a case over to another office: a worker or supervisor of the case asks; a case supervisor of the
 * receiving office accepts (the case, its tasks, notes and history move to that office, with a new owner there)
 * or rejects (saying why). Until then the case stays where it is, and it cannot be closed.
 */

const MOVED_TABLES = ['case_event', 'case_note', 'case_assessment', 'case_service', 'case_task', 'case_attachment', 'referral', 'break_glass'] as const;

function transferQuery(db: Db) {
  return db
    .selectFrom('case_transfer as t')
    .innerJoin('case_file as c', 'c.id', 't.case_id')
    .innerJoin('office as fo', 'fo.id', 't.from_office_id')
    .innerJoin('office as tof', 'tof.id', 't.to_office_id')
    .select(['t.id', 't.case_id', 'c.case_number', 'c.type', 'c.team', 'c.sensitivity', 't.from_office_id', 'fo.code as from_code', 't.to_office_id', 'tof.code as to_code', 't.reason', 't.status', 't.requested_by', 't.requested_at', 't.decided_by', 't.decided_at', 't.note', 't.sealed']);
}
type TransferRow = Awaited<ReturnType<ReturnType<typeof transferQuery>['executeTakeFirstOrThrow']>>;

export async function toTransferDtos(deps: CasesDeps, db: Db, rows: readonly TransferRow[]): Promise<TransferDto[]> {
  const users = await userRefs(db, rows.flatMap((r) => [r.requested_by, r.decided_by]));
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseNumber: r.case_number,
    type: r.type as TransferDto['type'],
    fromOfficeId: r.from_office_id,
    fromOfficeCode: r.from_code,
    toOfficeId: r.to_office_id,
    toOfficeCode: r.to_code,
    reason: openText(deps.encryption, r.sealed, r.id, 'reason', r.reason),
    status: r.status,
    requestedBy: r.requested_by ? (users.get(r.requested_by) ?? null) : null,
    requestedAt: r.requested_at.toISOString(),
    decidedBy: r.decided_by ? (users.get(r.decided_by) ?? null) : null,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    note: openText(deps.encryption, r.sealed, r.id, 'note', r.note),
  }));
}

export async function requestTransfer(deps: CasesDeps, actor: Actor, caseId: string, input: TransferCreate): Promise<TransferDto> {
  const id = crypto.randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, caseId, 'see', { forUpdate: true });
    if (!c.access.canWork && !c.access.canSupervise) throw new PassageError('forbidden', 'Only the workers or a supervisor of the case may transfer it');
    if (c.row.version !== input.version) throw new PassageError('stale_version', 'This case was changed by someone else since you opened it', { extra: { currentVersion: c.row.version } });
    if (c.row.closed_at) throw new PassageError('conflict', 'A closed case is not transferred');
    const office = await trx.selectFrom('office').select(['id', 'code', 'active']).where('id', '=', input.toOfficeId).executeTakeFirst();
    if (!office || !office.active) throw new PassageError('validation_failed', 'No such office', { errors: [{ field: 'toOfficeId', message: 'no such office' }] });
    if (office.id === c.row.office_id) throw new PassageError('validation_failed', 'The case is already at this office', { errors: [{ field: 'toOfficeId', message: 'the case is already here' }] });
    const pending = await trx.selectFrom('case_transfer').select('id').where('case_id', '=', caseId).where('status', '=', 'pending').executeTakeFirst();
    if (pending) throw new PassageError('conflict', 'A transfer of this case is already pending', { errors: [{ field: 'toOfficeId', message: 'a transfer is already pending' }], extra: { transferId: pending.id } });
    const sealed = c.row.sensitivity === 'restricted';
    await trx.insertInto('case_transfer').values({ id, case_id: caseId, from_office_id: c.row.office_id, to_office_id: input.toOfficeId, reason: sealText(deps.encryption, sealed, id, 'reason', input.reason), sealed, requested_by: actor.principal.userId }).execute();
    await trx.updateTable('case_file').set({ updated_at: new Date(), version: c.row.version + 1 }).where('id', '=', caseId).execute();
    await addEvent(trx, c.row, actor.principal.userId, 'transfer_requested', { transferId: id, toOfficeId: input.toOfficeId, toOfficeCode: office.code });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.transfer.request', entityType: 'case', entityId: caseId, officeId: c.row.office_id, requestId: actor.requestId, details: { transferId: id, toOfficeId: input.toOfficeId } });
  });
  return (await toTransferDtos(deps, deps.db, [await transferQuery(deps.db).where('t.id', '=', id).executeTakeFirstOrThrow()]))[0]!;
}

/** Transfers waiting for the actor: pending ones into offices they supervise (restricted types: within their team). */
export async function incomingTransfers(deps: CasesDeps, actor: Actor): Promise<TransferDto[]> {
  const supervise = [...actor.policy.scope(actor.principal, 'cases.supervise')];
  if (supervise.length === 0) return [];
  const teams = await loadTeams(deps.db, actor.principal.userId);
  const rows = await transferQuery(deps.db).where('t.status', '=', 'pending').where('t.to_office_id', 'in', supervise).orderBy('t.requested_at').limit(200).execute();
  const mine = rows.filter((r) => r.sensitivity === 'standard' || actor.policy.inCaseTeam(actor.principal, teams, r.team, r.to_office_id));
  return toTransferDtos(deps, deps.db, mine);
}

export async function decideTransfer(deps: CasesDeps, actor: Actor, transferId: string, input: TransferDecision): Promise<TransferDto> {
  await deps.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('case_transfer').selectAll().where('id', '=', transferId).forUpdate().executeTakeFirst();
    const mine = t ? (await incomingTransfers(deps, actor)).some((x) => x.id === t.id) : false;
    if (!t || !mine) throw notFound('Transfer');
    const c = await trx.selectFrom('case_file').selectAll().where('id', '=', t.case_id).forUpdate().executeTakeFirstOrThrow();
    const now = new Date();
    const note = sealText(deps.encryption, t.sealed, t.id, 'note', input.note ?? null);
    if (input.decision === 'reject') {
      await trx.updateTable('case_transfer').set({ status: 'rejected', decided_by: actor.principal.userId, decided_at: now, note }).where('id', '=', transferId).execute();
      await addEvent(trx, c, actor.principal.userId, 'transfer_decided', { transferId, decision: 'reject' });
    } else {
      // The receiving office's owner: the one named, else the accepting supervisor (who assigns later).
      const ownerId = input.ownerId ?? actor.principal.userId;
      const def = caseType(c);
      if (input.ownerId) {
        const principal = await grantsOf(trx, ownerId);
        const teams = await loadTeams(trx, ownerId);
        const ok = actor.policy.canAt(principal, 'cases.work', t.to_office_id) && (def.sensitivity === 'standard' || actor.policy.inCaseTeam(principal, teams, def.team, t.to_office_id));
        if (!ok) throw new PassageError('validation_failed', 'That person cannot work this case there', { errors: [{ field: 'ownerId', message: 'must be a caseworker at the receiving office' + (def.sensitivity === 'restricted' ? ` in its ${def.team} team` : '') }] });
      }
      await trx.updateTable('case_transfer').set({ status: 'accepted', decided_by: actor.principal.userId, decided_at: now, note }).where('id', '=', transferId).execute();
      // The case and everything recorded on it move to the receiving office; workers of the old office leave it.
      await trx.updateTable('case_file').set({ office_id: t.to_office_id, owner_id: ownerId, supervisor_id: actor.principal.userId, updated_at: now, version: c.version + 1 }).where('id', '=', c.id).execute();
      await trx.deleteFrom('case_member').where('case_id', '=', c.id).execute();
      for (const table of MOVED_TABLES) await trx.updateTable(table).set({ office_id: t.to_office_id }).where('case_id', '=', c.id).execute();
      await trx.updateTable('case_task').set({ assignee_id: ownerId, version: sql`version + 1` }).where('case_id', '=', c.id).where('status', '=', 'open').execute();
      const codes = await trx.selectFrom('office').select(['id', 'code']).where('id', 'in', [t.from_office_id, t.to_office_id]).execute();
      const codeOf = (id: string) => codes.find((o) => o.id === id)?.code ?? null;
      await addEvent(trx, { id: c.id, office_id: t.to_office_id }, actor.principal.userId, 'transfer_decided', { transferId, decision: 'accept', fromOfficeId: t.from_office_id, fromOfficeCode: codeOf(t.from_office_id), toOfficeId: t.to_office_id, toOfficeCode: codeOf(t.to_office_id), ownerId });
    }
    await writeAudit(trx, { actorId: actor.principal.userId, action: `case.transfer.${input.decision}`, entityType: 'case', entityId: c.id, officeId: t.to_office_id, requestId: actor.requestId, details: { transferId, fromOfficeId: t.from_office_id } });
  });
  return (await toTransferDtos(deps, deps.db, [await transferQuery(deps.db).where('t.id', '=', transferId).executeTakeFirstOrThrow()]))[0]!;
}

/** The one who asked (or a worker or supervisor of the case) may cancel a pending transfer. */
export async function cancelTransfer(deps: CasesDeps, actor: Actor, transferId: string): Promise<TransferDto> {
  await deps.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('case_transfer').selectAll().where('id', '=', transferId).forUpdate().executeTakeFirst();
    if (!t) throw notFound('Transfer');
    const c = await caseInScope(trx, actor, t.case_id, 'see').catch(() => {
      throw notFound('Transfer');
    });
    if (!c.access.canWork && !c.access.canSupervise) throw notFound('Transfer');
    if (t.status !== 'pending') throw new PassageError('conflict', `The transfer is already ${t.status}`);
    await trx.updateTable('case_transfer').set({ status: 'cancelled', decided_by: actor.principal.userId, decided_at: new Date() }).where('id', '=', transferId).execute();
    await addEvent(trx, c.row, actor.principal.userId, 'transfer_decided', { transferId, decision: 'cancel' });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.transfer.cancel', entityType: 'case', entityId: c.row.id, officeId: c.row.office_id, requestId: actor.requestId, details: { transferId } });
  });
  return (await toTransferDtos(deps, deps.db, [await transferQuery(deps.db).where('t.id', '=', transferId).executeTakeFirstOrThrow()]))[0]!;
}
