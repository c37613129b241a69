import { sql, type Kysely } from 'kysely';
import type { Database } from '@passage/db';
import { CaseCreateSchema, type CaseCreateInput, type Role } from '@passage/domain';
import type { EncryptionService } from '../platform/encryption.ts';
import { OfficeDirectory } from '../platform/offices-directory.ts';
import type { Actor } from '../modules/registry/registry.service.ts';
import { addAssessment, addNote, addService, addTask, savePlan } from '../modules/cases/case-records.service.ts';
import { getCase, openCase, transitionCase, updateCase, type CasesDeps } from '../modules/cases/cases.service.ts';
import { referCase, receiveReferral } from '../modules/cases/referrals.service.ts';
import { requestTransfer } from '../modules/cases/transfers.service.ts';

/**
 * Demo cases of both types at different stages (intake to closed), with assessments, plans, services, notes,
 * tasks (one overdue), referrals to the demo partners, an incoming referral and a transfer waiting in Southland.
 * They are made through the case services themselves, so they carry the same timeline and audit as real work.
 * Every person and case here is fictitious.
 */
export async function seedDemoCases(db: Kysely<Database>, encryption: EncryptionService): Promise<number> {
  const offices = new OfficeDirectory(db);
  const deps: CasesDeps = { db, encryption, offices, config: { breakGlassMinutes: 240 } };
  const office = async (code: string) => (await db.selectFrom('office').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const nl = await office('DEMO-NL');
  const sl = await office('DEMO-SL');
  const actorFor = async (email: string): Promise<Actor> => {
    const u = await db.selectFrom('app_user').select('id').where('email', '=', `${email}@demo.passage.invalid`).executeTakeFirstOrThrow();
    const grants = await db.selectFrom('user_role').select(['office_id', 'role']).where('user_id', '=', u.id).execute();
    return { principal: { userId: u.id, grants: grants.map((g) => ({ officeId: g.office_id, role: g.role as Role })) }, policy: await offices.policy(), requestId: 'demo-seed' };
  };
  const worker = await actorFor('caseworker');
  const supervisor = await actorFor('case.supervisor');
  const ctWorker = await actorFor('ct.caseworker');
  const ctSupervisor = await actorFor('ct.supervisor');
  const slWorker = await actorFor('caseworker.sl');

  // People of the office: adults with consent to referral first, then children.
  const peopleOf = (officeId: string) => db
    .selectFrom('person as p')
    .select(['p.id', 'p.office_id', sql<number | null>`date_part('year', age(p.date_of_birth))::int`.as('age'), sql<boolean>`EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p.id AND c.purpose = 'referral' AND c.granted AND c.withdrawn_at IS NULL)`.as('consents')])
    .where('p.office_id', '=', officeId)
    .where('p.merged_into', 'is', null)
    .orderBy('p.registration_id')
    .limit(300)
    .execute();
  const people = [...(await peopleOf(nl)), ...(await peopleOf(sl))];
  const pick = (officeId: string, want: (p: (typeof people)[number]) => boolean) => {
    const i = people.findIndex((p) => p.office_id === officeId && want(p));
    if (i < 0) return null;
    return people.splice(i, 1)[0]!.id;
  };
  const adult = (officeId = nl, consents = true) => pick(officeId, (p) => (p.age ?? 0) >= 18 && p.consents === consents) ?? pick(officeId, (p) => (p.age ?? 0) >= 18);
  const child = () => pick(nl, (p) => p.age !== null && p.age < 18 && p.age >= 10);
  const partner = async (prefix: string) => (await db.selectFrom('partner').select('id').where('name', 'like', `${prefix}%`).executeTakeFirstOrThrow()).id;
  const shelter = await partner('Demo Shelter');
  const legal = await partner('Demo Legal');
  const health = await partner('Demo Health');

  let opened = 0;
  const open = async (who: Actor, input: CaseCreateInput) => {
    opened++;
    return (await openCase(deps, who, CaseCreateSchema.parse(input))).id;
  };
  const go = async (who: Actor, id: string, action: string, closureReason?: string) => {
    const c = await getCase(deps, who, id, { audit: false });
    await transitionCase(deps, who, id, { version: c.version, action, ...(closureReason ? { closureReason } : {}) });
  };
  const details = async (who: Actor, id: string, values: Record<string, unknown>) => {
    const c = await getCase(deps, who, id, { audit: false });
    await updateCase(deps, who, id, { version: c.version, details: values });
  };
  const planned = async (who: Actor, sup: Actor | null, id: string, services: { type: string; partnerId?: string }[]) => {
    await addAssessment(deps, who, id, { assessedOn: daysAgo(20), summary: 'Initial assessment (demo text).', riskLevel: 'high', needs: services.map((s) => s.type) });
    await go(who, id, 'complete_assessment');
    await savePlan(deps, who, id, { version: 0, goals: [{ text: 'Safe accommodation (demo goal)', achieved: false }, { text: 'Documents renewed (demo goal)', achieved: false }], services });
    await go(who, id, 'submit_plan');
    if (sup) await go(sup, id, 'approve_plan');
  };

  // Migrant assistance, Northland: one case at each stage.
  const people1 = [adult(), adult(), adult(), adult(), adult(), adult(nl, false), child()];
  const [a1, a2, a3, a4, a5, a6, c1] = people1;
  if (a1) await open(worker, { type: 'migrant_assistance', personId: a1, officeId: nl, riskLevel: 'medium', details: { circumstance: 'stranded', countryOfIncident: 'LBY' } });
  if (a2) {
    const id = await open(worker, { type: 'migrant_assistance', personId: a2, officeId: nl, riskLevel: 'high', details: { circumstance: 'detained', placeOfDetention: 'Demo holding centre' } });
    await go(worker, id, 'start_assessment');
    await details(worker, id, { vulnerabilityScreening: ['in_detention', 'no_documents'], needsSectors: ['legal', 'documentation'] });
  }
  if (a3) {
    const id = await open(worker, { type: 'migrant_assistance', personId: a3, officeId: nl, riskLevel: 'high', details: { circumstance: 'abandoned', needsSectors: ['shelter', 'food', 'health'] } });
    await go(worker, id, 'start_assessment');
    await planned(worker, null, id, [{ type: 'shelter', partnerId: shelter }]);
  }
  if (a4) {
    const id = await open(worker, { type: 'migrant_assistance', personId: a4, officeId: nl, riskLevel: 'medium', details: { circumstance: 'injured', needsSectors: ['health', 'psychosocial'] } });
    await go(worker, id, 'start_assessment');
    await planned(worker, supervisor, id, [{ type: 'medical_care', partnerId: health }, { type: 'psychosocial_support' }]);
    await addService(deps, worker, id, { type: 'medical_care', deliveredOn: daysAgo(10), partnerId: health, cost: 85, currency: 'EUR', funding: 'DEMO-GRANT-1' });
    await addService(deps, worker, id, { type: 'psychosocial_support', deliveredOn: daysAgo(3), provider: 'Demo counsellor' });
    await referCase(deps, worker, id, { partnerId: health, services: ['psychosocial_support'], reason: 'Follow-up counselling (demo)', urgency: 'routine' });
    await addNote(deps, worker, id, { body: 'Feeling better; next visit in two weeks (demo note).', sensitive: false });
    await addTask(deps, worker, id, { title: 'Check the clinic appointment', dueOn: daysAgo(2) });
  }
  if (a5) {
    const id = await open(worker, { type: 'migrant_assistance', personId: a5, officeId: nl, riskLevel: 'low', details: { circumstance: 'stranded', needsSectors: ['shelter'] } });
    await go(worker, id, 'start_assessment');
    await planned(worker, supervisor, id, [{ type: 'shelter', partnerId: shelter }]);
    await addService(deps, worker, id, { type: 'shelter', deliveredOn: daysAgo(40), partnerId: shelter, cost: 300, currency: 'EUR', funding: 'DEMO-GRANT-1' });
    await go(worker, id, 'request_closure', 'needs_met');
    await go(supervisor, id, 'approve_closure');
  }
  if (a6) {
    // An incoming referral from the legal clinic (no consent to onward referral recorded for this person).
    await receiveReferral(deps, worker, { partnerId: legal, personId: a6, officeId: nl, type: 'migrant_assistance', reason: 'Referred by the legal clinic (demo)', services: ['legal_aid'], riskLevel: 'medium' });
    opened++;
  }
  if (c1) {
    const id = await open(worker, { type: 'migrant_assistance', personId: c1, officeId: nl, riskLevel: 'critical', details: { circumstance: 'unaccompanied_child', needsSectors: ['family_tracing', 'shelter'], familyTracingStatus: 'in_progress' } });
    await go(worker, id, 'start_assessment');
    await details(worker, id, { biaDate: daysAgo(5), biaOutcome: 'pending' });
    // Family found in Southland: a transfer waits for the Southland supervisor.
    const c = await getCase(deps, worker, id, { audit: false });
    await requestTransfer(deps, worker, id, { version: c.version, toOfficeId: sl, reason: 'Family located in Southland (demo)' });
  }
  const s1 = adult(sl);
  if (s1) await open(slWorker, { type: 'migrant_assistance', personId: s1, officeId: sl, riskLevel: 'medium', details: { circumstance: 'stranded' } });

  // Counter-trafficking, Northland: identification, assessment, assistance.
  const ct = [adult(), adult(), adult()];
  const htcds = { traffickingStatus: 'actual', identificationDate: daysAgo(30), identifiedBy: 'ngo', recruitmentMethod: ['job_advertisement'], recruiterRelation: ['other'], methodsOfControl: ['withholding_documents', 'debt_bondage', 'threats'], exploitationTypes: ['forced_labour'], forcedLabourIndustry: ['construction'], exploitationMonths: 14, events: [{ kind: 'recruitment', country: 'NGA', place: 'Demo town', from: '2024-05-01', to: '2024-05-10' }, { kind: 'exploitation', country: 'LBY', place: 'Demo site', from: '2024-06-01', to: '2025-08-01' }] };
  if (ct[0]) await open(ctWorker, { type: 'counter_trafficking', personId: ct[0], officeId: nl, riskLevel: 'high', supervisorId: ctSupervisor.principal.userId, details: { traffickingStatus: 'possible' } });
  if (ct[1]) {
    const id = await open(ctWorker, { type: 'counter_trafficking', personId: ct[1], officeId: nl, riskLevel: 'critical', supervisorId: ctSupervisor.principal.userId, details: htcds });
    await go(ctWorker, id, 'confirm_identification');
  }
  if (ct[2]) {
    const id = await open(ctWorker, { type: 'counter_trafficking', personId: ct[2], officeId: nl, riskLevel: 'high', supervisorId: ctSupervisor.principal.userId, details: { ...htcds, exploitationTypes: ['sexual_exploitation'], sexExploitationTypes: ['prostitution'], forcedLabourIndustry: undefined, methodsOfControl: ['psychological_abuse', 'restricting_movement'] } });
    await go(ctWorker, id, 'confirm_identification');
    await planned(ctWorker, ctSupervisor, id, [{ type: 'accommodation', partnerId: shelter }, { type: 'psychosocial_support' }]);
    await details(ctWorker, id, { assistanceGiven: ['accommodation', 'psychosocial'] });
    await addNote(deps, ctWorker, id, { body: 'Safety plan agreed (demo sensitive note).', sensitive: true });
  }
  // Spread the opening dates over the past months, so the dashboard has a history.
  await sql`UPDATE case_file SET opened_at = opened_at - make_interval(days => abs(hashtext(id::text)) % 150), closed_at = closed_at - make_interval(days => abs(hashtext(id::text)) % 150)`.execute(db);
  return opened;
}

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}
