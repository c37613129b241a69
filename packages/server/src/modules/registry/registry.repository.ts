import crypto from 'node:crypto';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, IdentityDocumentRow, PersonRow, PersonTable } from '@passage/db';
import {
  CONSENT_PURPOSES,
  ageOn,
  effectiveNeeds,
  formatRegistrationId,
  type ConsentDto,
  type ConsentPurpose,
  type DocumentDto,
  type Registration,
  type PersonDto,
  type PersonSummaryDto,
  type SpecificNeeds,
} from '@passage/domain';
import { canonicalToken, nameTokens, skeleton } from '@passage/match';
import type { EncryptionService } from '../../platform/encryption.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The field name sealed specific needs are bound to (associated data). */
export const NEEDS_FIELD = 'specific_needs';

/** Columns of a person row needed for a summary, plus the office code. */
export type PersonWithOffice = PersonRow & { office_code: string };

export function personQuery(db: Db) {
  return db.selectFrom('person as p').innerJoin('office as o', 'o.id', 'p.office_id').selectAll('p').select('o.code as office_code');
}

export async function findPerson(db: Db, id: string): Promise<PersonWithOffice | undefined> {
  return personQuery(db).where('p.id', '=', id).executeTakeFirst();
}

/** The columns a person's summary (a search result, a household member) is made of: no names' keys, no sealed data. */
export const SUMMARY_COLUMNS = ['id', 'registration_id', 'office_id', 'given_name', 'middle_name', 'family_name', 'full_name_original', 'sex', 'date_of_birth', 'dob_precision', 'nationality', 'population_group', 'household_id', 'created_at'] as const;
export type PersonSummaryRow = Pick<PersonRow, (typeof SUMMARY_COLUMNS)[number]> & { office_code: string };

/** People with their office code, only the summary's columns (lists read far fewer bytes than `personQuery`). */
export function summaryQuery(db: Db) {
  return db
    .selectFrom('person as p')
    .innerJoin('office as o', 'o.id', 'p.office_id')
    .select(SUMMARY_COLUMNS.map((c) => `p.${c}` as const))
    .select('o.code as office_code');
}

export function toSummary(row: PersonSummaryRow, today: string): PersonSummaryDto {
  return {
    id: row.id,
    registrationId: row.registration_id,
    officeId: row.office_id,
    officeCode: row.office_code,
    givenName: row.given_name,
    middleName: row.middle_name,
    familyName: row.family_name,
    fullNameOriginal: row.full_name_original,
    sex: row.sex,
    dateOfBirth: row.date_of_birth,
    dobPrecision: row.dob_precision,
    age: row.date_of_birth ? Math.max(0, ageOn(row.date_of_birth, today)) : null,
    nationality: row.nationality,
    populationGroup: row.population_group as PersonSummaryDto['populationGroup'],
    householdId: row.household_id,
    createdAt: row.created_at.toISOString(),
  };
}

export function toDocumentDto(d: IdentityDocumentRow): DocumentDto {
  return {
    id: d.id,
    type: d.type as DocumentDto['type'],
    number: d.number,
    issuingCountry: d.issuing_country,
    issueDate: d.issue_date,
    expiryDate: d.expiry_date,
    version: d.version,
  };
}

/** The purposes with consent in force: the newest answer per purpose is a grant that was not withdrawn. */
export function consentInForce(consents: readonly ConsentDto[]): ConsentPurpose[] {
  const latest = new Map<string, ConsentDto>();
  for (const c of consents) {
    const prev = latest.get(c.purpose);
    if (!prev || c.recordedAt > prev.recordedAt || (c.recordedAt === prev.recordedAt && Number(c.id) > Number(prev.id))) latest.set(c.purpose, c);
  }
  return CONSENT_PURPOSES.filter((p) => {
    const c = latest.get(p);
    return c !== undefined && c.granted && c.withdrawnAt === null;
  });
}

export async function loadPersonDto(
  db: Db,
  encryption: EncryptionService,
  row: PersonWithOffice,
  options: { today: string; mayReadNeeds: boolean },
): Promise<PersonDto> {
  const [docs, consents] = await Promise.all([
    db.selectFrom('identity_document').selectAll().where('person_id', '=', row.id).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('consent').selectAll().where('person_id', '=', row.id).orderBy('recorded_at', 'desc').orderBy('id', 'desc').execute(),
  ]);
  const consentDtos: ConsentDto[] = consents.map((c) => ({
    id: String(c.id),
    purpose: c.purpose as ConsentPurpose,
    granted: c.granted,
    method: c.method as ConsentDto['method'],
    language: c.language,
    recordedBy: c.recorded_by,
    recordedAt: c.recorded_at.toISOString(),
    withdrawnAt: c.withdrawn_at ? c.withdrawn_at.toISOString() : null,
  }));
  let needs: PersonDto['specificNeeds'] = null;
  if (options.mayReadNeeds && row.specific_needs_sealed) {
    const sn = JSON.parse(encryption.open(row.specific_needs_sealed, row.id, NEEDS_FIELD)) as SpecificNeeds;
    needs = { ...sn, effective: effectiveNeeds(sn) };
  }
  return {
    ...toSummary(row, options.today),
    externalId: row.external_id,
    aliases: row.aliases,
    countryOfBirth: row.country_of_birth,
    languages: row.languages,
    phones: row.phones,
    adminAreaCode: row.admin_area_code,
    relationship: row.relationship as PersonDto['relationship'],
    specificNeeds: needs,
    specificNeedsHidden: !options.mayReadNeeds && row.specific_needs_sealed !== null,
    documents: docs.map(toDocumentDto),
    consents: consentDtos,
    consentInForce: consentInForce(consentDtos),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** Per name: each token's canonical form, the canonical form's skeleton and the token's own skeleton. */
type NameParts = readonly (readonly [canonical: string, canonicalSkeleton: string, tokenSkeleton: string])[];
/** Names repeat a great deal (a bulk import sees the same given names again and again): parts by name, bounded. */
const partsMemo = new Map<string, NameParts>();
const PARTS_MEMO_MAX = 50_000;

function nameParts(name: string): NameParts {
  let parts = partsMemo.get(name);
  if (!parts) {
    parts = nameTokens(name).map((token) => {
      const canonical = canonicalToken(token);
      return [canonical, skeleton(canonical), skeleton(token)] as const;
    });
    if (partsMemo.size >= PARTS_MEMO_MAX) partsMemo.clear();
    partsMemo.set(name, parts);
  }
  return parts;
}

/**
 * The search columns of a person: folded Latin text and name keys over every name they go by, and the "given
 * family" key. The same values as `searchText(...names)`, `nameKeys(...names)` and `namePair(given, family)` of
 * @passage/match (a unit test holds them equal), from one normalisation of each name instead of two.
 */
export function searchColumns(p: { givenName: string; middleName?: string | null; familyName?: string | null; fullNameOriginal?: string | null; aliases?: readonly string[] }): { search_text: string; name_keys: string[]; name_pair: string | null } {
  const names = [p.givenName, p.middleName, p.familyName, p.fullNameOriginal, ...(p.aliases ?? [])];
  const text = new Set<string>();
  const keys = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string') continue;
    for (const [canonical, canonicalSkeleton, tokenSkeleton] of nameParts(name)) {
      text.add(canonical);
      keys.add(canonical);
      keys.add(canonicalSkeleton);
      keys.add(tokenSkeleton);
    }
  }
  keys.delete('');
  const given = nameParts(p.givenName)[0]?.[0] ?? '';
  const family = typeof p.familyName === 'string' ? (nameParts(p.familyName)[0]?.[0] ?? '') : '';
  return { search_text: [...text].join(' '), name_keys: [...keys].sort(), name_pair: given === '' ? null : `${given} ${family}` };
}

/** The key of the specific-needs blind index (stored wrapped by the master key: `EncryptionService.indexKey`); take it once per batch of rows. */
export function needsIndexKey(encryption: EncryptionService): Buffer {
  return encryption.indexKey('registry.needs-index');
}

/** Blind index of specific needs: an HMAC per need, so the list can be filtered without decrypting it. */
export function needsIndex(encryption: EncryptionService | Buffer, needs: readonly string[]): string[] {
  const key = Buffer.isBuffer(encryption) ? encryption : needsIndexKey(encryption);
  return needs.map((n) => crypto.createHmac('sha256', key).update(n).digest('base64url').slice(0, 22)).sort();
}

/** Takes the next number of an office's registration sequence (row-locked: no gaps under concurrency, no duplicates). */
export async function nextRegistrationIds(trx: Transaction<Database>, officeId: string, officeCode: string, count: number): Promise<string[]> {
  const row = await trx
    .insertInto('office_sequence')
    .values({ office_id: officeId, name: 'registration', last_value: String(count) })
    .onConflict((oc) => oc.columns(['office_id', 'name']).doUpdateSet((eb) => ({ last_value: eb('office_sequence.last_value', '+', String(count)) })))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  const last = Number(row.last_value);
  return Array.from({ length: count }, (_, i) => formatRegistrationId(officeCode, last - count + 1 + i));
}

/**
 * Reserves `count` registration ids of an office in a short transaction of its own, so the office's sequence row
 * is locked only for that instant and concurrent registrations at one office do not queue behind each other.
 * Committed without waiting for its WAL flush: the registration that uses the ids commits synchronously
 * afterwards, which flushes this reservation too (WAL is flushed in order); if that never commits, nothing used
 * the ids. Ids of a registration (or import) that fails are not reused: the numbers may have gaps, never duplicates.
 */
export async function reserveRegistrationIds(db: Kysely<Database>, officeId: string, officeCode: string, count: number): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    return nextRegistrationIds(trx, officeId, officeCode, count);
  });
}

/** Ids a process reserves for an office at a time, for registrations made in the browser. */
const ID_BLOCK = 100;
/** When a block runs this low, the next one is reserved in the background, so no registration waits for it. */
const ID_REFILL_AT = 25;
const idBlocks = new WeakMap<Kysely<Database>, Map<string, { ids: string[]; refill: Promise<void> | null }>>();

/**
 * Registration ids for one registration, handed out from this process's block of the office's ids (reserved
 * `ID_BLOCK` at a time with `reserveRegistrationIds`, the next block in the background before this one runs out),
 * so registrations do not wait for the office's sequence. Within a process the ids rise; across processes the
 * blocks interleave, and the ids left in a block when the process stops are never used (gaps, never duplicates —
 * as for a failed registration).
 */
export async function takeRegistrationIds(db: Kysely<Database>, officeId: string, officeCode: string, count: number): Promise<string[]> {
  let offices = idBlocks.get(db);
  if (!offices) idBlocks.set(db, (offices = new Map()));
  const key = `${officeId}\u0000${officeCode}`;
  let block = offices.get(key);
  if (!block) offices.set(key, (block = { ids: [], refill: null }));
  const b = block;
  const refill = (n: number) =>
    (b.refill ??= reserveRegistrationIds(db, officeId, officeCode, n)
      .then((ids) => void b.ids.push(...ids))
      .finally(() => {
        b.refill = null;
      }));
  while (b.ids.length < count) await refill(Math.max(ID_BLOCK, count));
  const ids = b.ids.splice(0, count);
  // A failed background refill is retried by the registration that next needs it.
  if (b.ids.length < ID_REFILL_AT && !b.refill) refill(ID_BLOCK).catch(() => undefined);
  return ids;
}

/** A registration member as validated (one of `Registration.members`). */
export type NewMember = Registration['members'][number];

/** Seals specific needs and builds their blind index; nothing when there are none. */
export function sealedNeeds(encryption: EncryptionService, personId: string, sn: SpecificNeeds | null | undefined): { specific_needs_sealed: string | null; needs_index: string[] } {
  if (!sn || (sn.needs.length === 0 && !sn.washingtonGroup && !sn.note)) return { specific_needs_sealed: null, needs_index: [] };
  return { specific_needs_sealed: encryption.seal(JSON.stringify(sn), personId, NEEDS_FIELD), needs_index: needsIndex(encryption, effectiveNeeds(sn)) };
}

/** The person row of a newly registered member: the one place that maps a registration to columns. */
export function newPersonRow(
  encryption: EncryptionService,
  p: { id: string; officeId: string; registrationId: string; member: NewMember; phones: string[]; householdId: string | null; registeredBy: string | null },
): Insertable<PersonTable> {
  const m = p.member;
  return {
    id: p.id,
    office_id: p.officeId,
    registration_id: p.registrationId,
    external_id: m.externalId ?? null,
    given_name: m.givenName,
    middle_name: m.middleName ?? null,
    family_name: m.familyName ?? null,
    full_name_original: m.fullNameOriginal ?? null,
    aliases: m.aliases,
    sex: m.sex,
    date_of_birth: m.dateOfBirth ?? null,
    dob_precision: m.dobPrecision,
    nationality: m.nationality ?? null,
    country_of_birth: m.countryOfBirth ?? null,
    languages: m.languages,
    phones: p.phones,
    admin_area_code: m.adminAreaCode ?? null,
    population_group: m.populationGroup,
    ...sealedNeeds(encryption, p.id, m.specificNeeds),
    household_id: p.householdId,
    relationship: m.relationship,
    ...searchColumns(m),
    registered_by: p.registeredBy,
  };
}
