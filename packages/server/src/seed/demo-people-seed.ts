import crypto from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { ConsentTable, Database, HouseholdMembershipTable, IdentityDocumentTable, PersonTable } from '@passage/db';
import { RegistrationSchema, documentKey, isoDay, type Registration } from '@passage/domain';
import { writeAudit } from '../platform/audit.ts';
import type { EncryptionService } from '../platform/encryption.ts';
import { newPersonRow, nextRegistrationIds } from '../modules/registry/registry.repository.ts';
import { demoHouseholds } from './people.ts';

/**
 * Registers fictitious demo households at the demo offices, in bulk (multi-row inserts in one
 * transaction, one audit event): the same rows a registration would write, a few thousand in about
 * a second. Every person here is invented.
 */
export async function seedDemoPeople(db: Kysely<Database>, encryption: EncryptionService, options: { households: number; seed?: number }): Promise<number> {
  const offices = await db.selectFrom('office').select(['id', 'code']).where('code', 'in', ['DEMO-NL', 'DEMO-NL-PORT', 'DEMO-SL']).orderBy('code').execute();
  if (offices.length === 0 || options.households <= 0) return 0;
  const registrar = await db.selectFrom('app_user').select('id').where('email', '=', 'registration.officer@demo.passage.invalid').executeTakeFirst();
  const codeOf = new Map(offices.map((o) => [o.id, o.code]));
  const today = isoDay(new Date());
  return db.transaction().execute(async (trx) => {
    const people: Insertable<PersonTable>[] = [];
    const households: { id: string; office_id: string; head_person_id: string | null; head_note: string | null; created_by: string | null }[] = [];
    const memberships: Insertable<HouseholdMembershipTable>[] = [];
    const documents: Insertable<IdentityDocumentTable>[] = [];
    const consents: Insertable<ConsentTable>[] = [];
    const byOffice = new Map<string, number>();
    const generated = [...demoHouseholds({ seed: options.seed ?? 2026, households: options.households, officeIds: offices.map((o) => o.id), today })].map((r) => RegistrationSchema.parse(r));
    const regs = [...generated, ...nearDuplicates(generated, DEMO_NEAR_DUPLICATES)];
    for (const r of regs) byOffice.set(r.officeId, (byOffice.get(r.officeId) ?? 0) + r.members.length);
    const ids = new Map<string, string[]>();
    for (const [officeId, n] of byOffice) ids.set(officeId, await nextRegistrationIds(trx, officeId, codeOf.get(officeId)!, n));
    for (const r of regs) {
      const householdId = crypto.randomUUID();
      const household = { id: householdId, office_id: r.officeId, head_person_id: null as string | null, head_note: r.headNote ?? null, created_by: registrar?.id ?? null };
      households.push(household);
      for (const m of r.members) {
        const id = crypto.randomUUID();
        people.push(newPersonRow(encryption, { id, officeId: r.officeId, registrationId: ids.get(r.officeId)!.shift()!, member: m, phones: m.phones, householdId, registeredBy: registrar?.id ?? null }));
        if (m.relationship === 'head') household.head_person_id = id;
        memberships.push({ household_id: householdId, person_id: id, office_id: r.officeId, relationship: m.relationship, added_by: registrar?.id ?? null });
        for (const d of m.documents) documents.push({ person_id: id, office_id: r.officeId, type: d.type, number: d.number, number_key: documentKey(d.number), issuing_country: d.issuingCountry ?? null, issue_date: d.issueDate ?? null, expiry_date: d.expiryDate ?? null });
        for (const c of m.consents) consents.push({ person_id: id, office_id: r.officeId, purpose: c.purpose, granted: c.granted, method: c.method, language: c.language, recorded_by: registrar?.id ?? null });
      }
    }
    const chunks = <T>(rows: T[], size = 500): T[][] => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, i * size + size));
    for (const c of chunks(households)) await trx.insertInto('household').values(c).execute();
    for (const c of chunks(people, 300)) await trx.insertInto('person').values(c).execute();
    for (const c of chunks(memberships)) await trx.insertInto('household_membership').values(c).execute();
    for (const c of chunks(documents)) await trx.insertInto('identity_document').values(c).execute();
    for (const c of chunks(consents)) await trx.insertInto('consent').values(c).execute();
    await writeAudit(trx, { actorId: null, action: 'demo.seed.people', entityType: 'system', details: { households: households.length, people: people.length } });
    return people.length;
  });
}

/** Demo people registered twice (fictitious, like all the others), so the duplicate review queue has something to show after a run. */
export const DEMO_NEAR_DUPLICATES = 6;

/**
 * A second registration of the first few household heads, as happens in the field: the given name typed with a
 * letter missing, the document number with one character wrong, day and month of birth swapped on every other
 * one. Each comes as a household of one at the same office.
 */
export function nearDuplicates(regs: readonly Registration[], count: number): Registration[] {
  const out: Registration[] = [];
  for (const r of regs) {
    if (out.length >= count) break;
    const head = r.members.find((m) => m.relationship === 'head');
    if (!head || head.givenName.length < 5 || !head.dateOfBirth) continue;
    const k = out.length;
    const given = head.givenName.slice(0, 2) + head.givenName.slice(3);
    const [y, m, d] = head.dateOfBirth.split('-') as [string, string, string];
    const dob = k % 2 === 1 && Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : head.dateOfBirth;
    const documents = head.documents.map((doc) => ({ ...doc, number: doc.number.slice(0, -1) + (doc.number.endsWith('7') ? '1' : '7') }));
    out.push(RegistrationSchema.parse({ officeId: r.officeId, headNote: r.headNote, members: [{ ...head, externalId: undefined, givenName: given, dateOfBirth: dob, documents, fullNameOriginal: k % 3 === 2 ? null : head.fullNameOriginal }] }));
  }
  return out;
}
