import crypto from 'node:crypto';
import { sql } from 'kysely';
import {
  CASE_TYPES,
  PassageError,
  notFound,
  officeAncestors,
  type IncomingReferral,
  type PartnerDto,
  type PartnerInput,
  type ReferralCreate,
  type ReferralDto,
  type ReferralUpdate,
} from '@passage/domain';
import type { PartnerTable } from '@passage/db';
import type { Selectable } from 'kysely';
import { writeAudit } from '../../platform/audit.ts';
import type { Actor } from '../registry/registry.service.ts';
import { addEvent, openText, sealText, userRefs, type Db } from './cases.repository.ts';
import { caseInScope, openCase, referralConsent, type CasesDeps } from './cases.service.ts';

/**
 * Partners and referrals. A referral to a partner shares a person's data: it needs the person's recorded
 * consent to "referral" (from the registry, in force at the time). Without it the referral is refused, unless a
 * user holding the consent-override permission gives a reason — stored on the referral, audited, and listed
 * for data-protection officers.
 */

// ---------------------------------------------------------------------------------------------
// Partners: a directory per office (services offered, areas covered).

function toPartnerDto(p: Selectable<PartnerTable>): PartnerDto {
  return { id: p.id, name: p.name, officeId: p.office_id, services: p.services, areas: p.areas, contactEmail: p.contact_email, contactPhone: p.contact_phone, active: p.active, version: p.version };
}

/** Partners of the offices where the actor reads cases (and the offices above them: a country's partners serve its sub-offices). */
export async function listPartners(deps: CasesDeps, actor: Actor, officeId: string | undefined): Promise<PartnerDto[]> {
  const scope = actor.policy.scope(actor.principal, 'cases.read');
  const nodes = await deps.offices.nodes();
  const ancestors = new Set((officeId ? [officeId].filter((o) => scope.has(o)) : [...scope]).flatMap((id) => officeAncestors(id, nodes)));
  if (ancestors.size === 0) return [];
  const rows = await deps.db.selectFrom('partner').selectAll().where('office_id', 'in', [...ancestors]).orderBy('name').execute();
  return rows.map(toPartnerDto);
}

export async function savePartner(deps: CasesDeps, actor: Actor, id: string | null, input: PartnerInput & { version?: number }): Promise<PartnerDto> {
  if (!actor.policy.canAt(actor.principal, 'cases.supervise', input.officeId)) throw new PassageError('forbidden', 'Partners are managed by case supervisors of the office', { errors: [{ field: 'officeId', message: 'not an office you supervise' }] });
  return deps.db.transaction().execute(async (trx) => {
    const values = { office_id: input.officeId, name: input.name, services: input.services, areas: input.areas, contact_email: input.contactEmail ?? null, contact_phone: input.contactPhone ?? null, active: input.active };
    let row;
    if (id) {
      const current = await trx.selectFrom('partner').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!current || !actor.policy.canAt(actor.principal, 'cases.supervise', current.office_id)) throw notFound('Partner');
      if (input.version !== undefined && input.version !== current.version) throw new PassageError('stale_version', 'The partner was changed by someone else', { extra: { current: toPartnerDto(current) } });
      row = await trx.updateTable('partner').set({ ...values, updated_at: new Date(), version: current.version + 1 }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    } else {
      row = await trx.insertInto('partner').values({ ...values, created_by: actor.principal.userId }).returningAll().executeTakeFirstOrThrow();
    }
    await writeAudit(trx, { actorId: actor.principal.userId, action: id ? 'partner.update' : 'partner.create', entityType: 'partner', entityId: row.id, officeId: row.office_id, requestId: actor.requestId });
    return toPartnerDto(row);
  });
}

// ---------------------------------------------------------------------------------------------
// Referrals

const referralColumns = ['r.id', 'r.case_id', 'c.case_number', 'r.direction', 'r.partner_id', 'pt.name as partner_name', 'r.services', 'r.reason', 'r.urgency', 'r.status', 'r.sealed', 'r.consent_id', 'r.consent_override_reason', 'r.created_by', 'r.created_at', 'r.updated_at', 'r.version'] as const;

function referralQuery(db: Db) {
  return db.selectFrom('referral as r').innerJoin('case_file as c', 'c.id', 'r.case_id').innerJoin('partner as pt', 'pt.id', 'r.partner_id').select(referralColumns);
}
type ReferralRow = Awaited<ReturnType<ReturnType<typeof referralQuery>['executeTakeFirstOrThrow']>>;

export async function toReferralDtos(deps: CasesDeps, db: Db, rows: readonly ReferralRow[]): Promise<ReferralDto[]> {
  const users = await userRefs(db, rows.map((r) => r.created_by));
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseNumber: r.case_number,
    direction: r.direction,
    partner: { id: r.partner_id, name: r.partner_name },
    services: r.services,
    reason: openText(deps.encryption, r.sealed, r.id, 'reason', r.reason),
    urgency: r.urgency,
    status: r.status,
    consent: r.consent_id ? 'given' : 'overridden',
    consentOverrideReason: r.consent_override_reason ? openText(deps.encryption, r.sealed, r.id, 'consent_override_reason', r.consent_override_reason) : null,
    createdBy: r.created_by ? (users.get(r.created_by) ?? null) : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  }));
}

export async function referCase(deps: CasesDeps, actor: Actor, caseId: string, input: ReferralCreate): Promise<ReferralDto> {
  const id = crypto.randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const c = await caseInScope(trx, actor, caseId, 'work', { forUpdate: true });
    if (c.row.closed_at) throw new PassageError('conflict', 'The case is closed; a supervisor may reopen it');
    const partner = await trx.selectFrom('partner').select(['office_id', 'name', 'active', 'services']).where('id', '=', input.partnerId).executeTakeFirst();
    const partners = await listPartners(deps, actor, c.row.office_id);
    if (!partner || !partners.some((p) => p.id === input.partnerId)) throw new PassageError('validation_failed', 'Unknown partner', { errors: [{ field: 'partnerId', message: "no such partner for the case's office" }] });
    if (!partner.active) throw new PassageError('validation_failed', 'The partner is no longer active', { errors: [{ field: 'partnerId', message: 'inactive partner' }] });
    input.services.forEach((s, i) => {
      if (!partner.services.includes(s)) throw new PassageError('validation_failed', 'The partner does not offer this service', { errors: [{ field: `services.${i}`, message: `offered: ${partner.services.join(', ')}` }] });
    });
    // Consent first: in force at the time of the referral (the latest answer for "referral", not withdrawn).
    const consent = await referralConsent(trx, c.row.person_id);
    let override: string | null = null;
    if (!consent) {
      if (!input.consentOverrideReason) {
        throw new PassageError('conflict', 'The person has not consented to referral. Record their consent in the registry first; a supervisor may override, giving a reason.', {
          errors: [{ field: 'consent', message: 'no consent to referral recorded' }],
          extra: { consentRequired: true, mayOverride: actor.policy.canAt(actor.principal, 'cases.consent_override', c.row.office_id) },
        });
      }
      if (!actor.policy.canAt(actor.principal, 'cases.consent_override', c.row.office_id)) {
        throw new PassageError('forbidden', 'Only a user allowed to override consent may refer without it', { errors: [{ field: 'consentOverrideReason', message: 'you may not override consent' }] });
      }
      override = input.consentOverrideReason;
    } else if (input.consentOverrideReason) {
      throw new PassageError('validation_failed', 'The person has consented: no override is needed', { errors: [{ field: 'consentOverrideReason', message: 'not needed: consent is recorded' }] });
    }
    const sealed = c.row.sensitivity === 'restricted';
    await trx
      .insertInto('referral')
      .values({
        id,
        case_id: caseId,
        office_id: c.row.office_id,
        direction: 'outgoing',
        partner_id: input.partnerId,
        services: input.services,
        reason: sealText(deps.encryption, sealed, id, 'reason', input.reason),
        urgency: input.urgency,
        status: 'sent',
        sealed,
        consent_id: consent?.id ?? null,
        consent_override_reason: sealText(deps.encryption, sealed, id, 'consent_override_reason', override),
        consent_override_by: override ? actor.principal.userId : null,
        acknowledged: true,
        created_by: actor.principal.userId,
      })
      .execute();
    await addEvent(trx, c.row, actor.principal.userId, 'referral', { referralId: id, partnerId: input.partnerId, partnerName: partner.name, services: input.services, consent: consent ? 'given' : 'overridden' });
    await writeAudit(trx, {
      actorId: actor.principal.userId,
      action: override ? 'case.referral.consent_override' : 'case.referral.send',
      entityType: 'case',
      entityId: caseId,
      officeId: c.row.office_id,
      requestId: actor.requestId,
      purpose: 'referral',
      details: { referralId: id, partnerId: input.partnerId, consent: consent ? 'given' : 'overridden' },
    });
  });
  const [dto] = await toReferralDtos(deps, deps.db, [await referralQuery(deps.db).where('r.id', '=', id).executeTakeFirstOrThrow()]);
  return dto!;
}

export async function listReferrals(deps: CasesDeps, actor: Actor, caseId: string): Promise<ReferralDto[]> {
  await caseInScope(deps.db, actor, caseId, 'see');
  return toReferralDtos(deps, deps.db, await referralQuery(deps.db).where('r.case_id', '=', caseId).orderBy('r.created_at', 'desc').execute());
}

/** Which statuses a referral may move to: the partner's answer, then its outcome; the sender may withdraw it while open. */
const NEXT_STATUS: Record<string, readonly string[]> = { sent: ['accepted', 'declined', 'withdrawn'], accepted: ['completed', 'withdrawn'], declined: [], completed: [], withdrawn: [] };

export async function updateReferral(deps: CasesDeps, actor: Actor, referralId: string, input: ReferralUpdate): Promise<ReferralDto> {
  await deps.db.transaction().execute(async (trx) => {
    const ref = await trx.selectFrom('referral').selectAll().where('id', '=', referralId).forUpdate().executeTakeFirst();
    if (!ref) throw notFound('Referral');
    const c = await caseInScope(trx, actor, ref.case_id, 'work').catch((e: unknown) => {
      throw e instanceof PassageError && e.code === 'forbidden' && !e.extra.breakGlass ? e : notFound('Referral');
    });
    if (ref.version !== input.version) {
      const [current] = await toReferralDtos(deps, trx, [await referralQuery(trx).where('r.id', '=', referralId).executeTakeFirstOrThrow()]);
      throw new PassageError('stale_version', 'The referral was changed by someone else', { extra: { current } });
    }
    const allowed = ref.direction === 'incoming' ? [] : (NEXT_STATUS[ref.status] ?? []);
    if (!allowed.includes(input.status)) throw new PassageError('conflict', `A ${ref.status} referral cannot become ${input.status}. Allowed: ${allowed.join(', ') || 'none'}`, { errors: [{ field: 'status', message: `allowed: ${allowed.join(', ') || 'none'}` }] });
    await trx.updateTable('referral').set({ status: input.status, updated_at: new Date(), version: ref.version + 1 }).where('id', '=', referralId).execute();
    let noteId: string | null = null;
    if (input.note) {
      noteId = crypto.randomUUID();
      const sealed = c.row.sensitivity === 'restricted';
      await trx.insertInto('case_note').values({ id: noteId, case_id: c.row.id, office_id: c.row.office_id, body: sealText(deps.encryption, sealed, noteId, 'body', input.note), sealed, created_by: actor.principal.userId }).execute();
    }
    await addEvent(trx, c.row, actor.principal.userId, 'referral_updated', { referralId, status: input.status, ...(noteId ? { noteId } : {}) });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.referral.update', entityType: 'case', entityId: c.row.id, officeId: c.row.office_id, requestId: actor.requestId, details: { referralId, status: input.status } });
  });
  const [dto] = await toReferralDtos(deps, deps.db, [await referralQuery(deps.db).where('r.id', '=', referralId).executeTakeFirstOrThrow()]);
  return dto!;
}

/** A partner refers someone to the agency: a case is opened for the (registered) person, with the referral on it. */
export async function receiveReferral(deps: CasesDeps, actor: Actor, input: IncomingReferral): Promise<{ caseId: string; caseNumber: string; referralId: string }> {
  const partners = await listPartners(deps, actor, input.officeId);
  if (!partners.some((p) => p.id === input.partnerId)) throw new PassageError('validation_failed', 'Unknown partner', { errors: [{ field: 'partnerId', message: 'no such partner for this office' }] });
  const referralId = crypto.randomUUID();
  const def = CASE_TYPES[input.type];
  return deps.db.transaction().execute(async (trx) => {
    const opened = await openCase(deps, actor, { type: input.type, personId: input.personId, officeId: input.officeId, riskLevel: input.riskLevel, details: {} }, { trx, incoming: true });
    const sealed = def.sensitivity === 'restricted';
    await trx
      .insertInto('referral')
      .values({ id: referralId, case_id: opened.id, office_id: input.officeId, direction: 'incoming', partner_id: input.partnerId, services: input.services, reason: sealText(deps.encryption, sealed, referralId, 'reason', input.reason), status: 'accepted', sealed, acknowledged: false, created_by: actor.principal.userId })
      .execute();
    await addEvent(trx, { id: opened.id, office_id: input.officeId }, actor.principal.userId, 'referral', { referralId, partnerId: input.partnerId, direction: 'incoming' });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.referral.receive', entityType: 'case', entityId: opened.id, officeId: input.officeId, requestId: actor.requestId, details: { referralId, partnerId: input.partnerId } });
    return { caseId: opened.id, caseNumber: opened.caseNumber, referralId };
  });
}

/** Marks the incoming referrals of a case as seen by its workers. */
export async function acknowledgeIncoming(deps: CasesDeps, actor: Actor, caseId: string): Promise<void> {
  await caseInScope(deps.db, actor, caseId, 'work');
  await deps.db.updateTable('referral').set({ acknowledged: true, updated_at: sql`now()` }).where('case_id', '=', caseId).where('direction', '=', 'incoming').where('acknowledged', '=', false).execute();
}

export { referralQuery };
