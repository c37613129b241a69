import crypto from 'node:crypto';
import { sql, type Compilable, type Kysely, type Transaction } from 'kysely';
import { PREPARE, type Database } from '@passage/db';
import {
  PassageError,
  ageOn,
  documentKey,
  documentRuleProblems,
  isoDay,
  notFound,
  toE164,
  type ConsentInput,
  type DocumentInput,
  type DocumentUpdate,
  type FieldProblem,
  type HouseholdDto,
  type PersonDto,
  type PersonUpdate,
  type Registration,
  type Relationship,
} from '@passage/domain';
import { auditEventsInsert, writeAudit, writeAuditNow } from '../../platform/audit.ts';
import type { EncryptionService } from '../../platform/encryption.ts';
import type { OfficeDirectory } from '../../platform/offices-directory.ts';
import type { Policy, Principal } from '../../platform/policy.ts';
import { isUniqueViolation } from '../../platform/schemas.ts';
import {
  NEEDS_FIELD,
  findPerson,
  loadPersonDto,
  newPersonRow,
  sealedNeeds,
  takeRegistrationIds,
  personQuery,
  searchColumns,
  toSummary,
  type PersonWithOffice,
} from './registry.repository.ts';

/** What the registry's services need from the platform. */
export interface RegistryDeps {
  db: Kysely<Database>;
  encryption: EncryptionService;
  offices: OfficeDirectory;
}

/** Who is acting, on behalf of which request. */
export interface Actor {
  principal: Principal;
  policy: Policy;
  requestId: string;
}

const today = (): string => isoDay(new Date());

/** Loads a person the actor may act on with this permission, or 404 (existence never leaks). */
export async function personInScope(db: Kysely<Database> | Transaction<Database>, actor: Actor, id: string, permission: 'registry.read' | 'registry.register'): Promise<PersonWithOffice> {
  const row = await findPerson(db, id);
  if (!row || !actor.policy.canAt(actor.principal, permission, row.office_id)) throw notFound('Person');
  return row;
}

async function officeCountry(deps: RegistryDeps, officeId: string): Promise<{ code: string; country: string | null }> {
  const [office] = await deps.offices.list(new Set([officeId]));
  if (!office) throw new PassageError('validation_failed', 'Unknown office', { errors: [{ field: 'officeId', message: 'unknown office' }] });
  return { code: office.code, country: office.country_code };
}

/** Normalises phone numbers to E.164 against the person's nationality or the office's country; names each one that is not a number. */
function normalisePhones(phones: readonly string[], countries: readonly (string | null | undefined)[], fieldPrefix: string, problems: FieldProblem[]): string[] {
  const out: string[] = [];
  phones.forEach((raw, i) => {
    let e164: string | null = null;
    for (const c of [...countries, null]) {
      e164 = toE164(raw, c ?? null);
      if (e164) break;
    }
    if (!e164) problems.push({ field: `${fieldPrefix}phones.${i}`, message: 'not a valid phone number (give the country code, e.g. +31…)' });
    else if (!out.includes(e164)) out.push(e164);
  });
  return out;
}


/** Raises field problems as one 400. */
function assertNoProblems(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new PassageError('validation_failed', 'Some fields are not valid', { errors: problems });
}

const MINOR_AGE = 18;

// ---------------------------------------------------------------------------------------------
// Registration

/** Registers one or more new people as a household (new, or an existing one they join), in one transaction. */
export async function register(deps: RegistryDeps, actor: Actor, input: Registration): Promise<{ householdId: string; people: { id: string; registrationId: string }[] }> {
  if (!actor.policy.canAt(actor.principal, 'registry.register', input.officeId)) {
    throw new PassageError('forbidden', 'You may register people only at offices where you are a registration officer', { errors: [{ field: 'officeId', message: 'not an office you register for' }] });
  }
  const office = await officeCountry(deps, input.officeId);
  const problems: FieldProblem[] = [];
  const heads = input.members.map((m, i) => (m.relationship === 'head' ? i : -1)).filter((i) => i >= 0);
  if (!input.householdId) {
    if (heads.length !== 1) problems.push({ field: 'members', message: heads.length === 0 ? 'a new household needs a head (one member with relationship "head")' : 'only one member can be the head' });
  } else if (heads.length > 0) {
    problems.push({ field: `members.${heads[0]}.relationship`, message: 'the household already has a head; change the head on the household page' });
  }
  const headIndex = heads[0];
  if (headIndex !== undefined) {
    const head = input.members[headIndex]!;
    if (head.dateOfBirth && ageOn(head.dateOfBirth, today()) < MINOR_AGE && !input.headNote) {
      problems.push({ field: 'headNote', message: 'a child heading a household needs a note saying why' });
    }
  }
  const phones = input.members.map((m, i) => normalisePhones(m.phones, [m.nationality, office.country], `members.${i}.`, problems));
  // The same document twice in one registration is a mistake, not two people.
  const seenDocs = new Map<string, string>();
  input.members.forEach((m, i) =>
    m.documents.forEach((d, j) => {
      const key = `${d.type}:${documentKey(d.number)}`;
      if (seenDocs.has(key)) problems.push({ field: `members.${i}.documents.${j}.number`, message: `the same document is already given for ${seenDocs.get(key)}` });
      else seenDocs.set(key, `member ${i + 1}`);
    }),
  );
  // The possible duplicates the officer was shown and judged to be someone else: people they may see, with a reason.
  const dismissed = input.members.map((m) => m.notDuplicateOf ?? []);
  if (dismissed.some((ids) => ids.length > 0)) {
    if (!input.notDuplicateReason) problems.push({ field: 'notDuplicateReason', message: 'say why these are different people' });
    const found = await deps.db.selectFrom('person').select(['id', 'office_id']).where('id', 'in', [...new Set(dismissed.flat())]).execute();
    const visible = new Set(found.filter((p) => actor.policy.canAt(actor.principal, 'registry.read', p.office_id)).map((p) => p.id));
    dismissed.forEach((ids, i) =>
      ids.forEach((id, j) => {
        if (!visible.has(id)) problems.push({ field: `members.${i}.notDuplicateOf.${j}`, message: 'no such person in your offices' });
      }),
    );
  }
  assertNoProblems(problems);

  // Registration ids from this process's block of the office's ids (the office's sequence is touched once per
  // block, in a short transaction of its own); then every row of the registration and its audit events go to
  // PostgreSQL as ONE statement (data-modifying WITH): one round trip, one transaction, one commit.
  const ids = await takeRegistrationIds(deps.db, input.officeId, office.code, input.members.length);
  const userId = actor.principal.userId;
  const people = input.members.map((_, i) => ({ id: crypto.randomUUID(), registrationId: ids[i]! }));
  const write = async (db: Kysely<Database> | Transaction<Database>, householdId: string | null) => {
    const parts: Compilable[] = [];
    const householdKey = householdId ?? crypto.randomUUID();
    if (!householdId) {
      // The head's row is in the same statement; household_head_fk is checked at COMMIT.
      const head = input.members.findIndex((m) => m.relationship === 'head');
      parts.push(db.insertInto('household').values({ id: householdKey, office_id: input.officeId, head_person_id: head >= 0 ? people[head]!.id : null, head_note: input.headNote ?? null, created_by: userId }));
    }
    parts.push(db.insertInto('person').values(input.members.map((m, i) => newPersonRow(deps.encryption, { id: people[i]!.id, officeId: input.officeId, registrationId: people[i]!.registrationId, member: m, phones: phones[i]!, householdId: householdKey, registeredBy: userId }))));
    const documents = input.members.flatMap((m, i) => m.documents.map((d) => documentRow(people[i]!.id, input.officeId, d)));
    if (documents.length > 0) parts.push(db.insertInto('identity_document').values(documents));
    const consents = input.members.flatMap((m, i) => m.consents.map((c) => consentRow(people[i]!.id, input.officeId, c, userId)));
    if (consents.length > 0) parts.push(db.insertInto('consent').values(consents));
    parts.push(db.insertInto('household_membership').values(input.members.map((m, i) => ({ household_id: householdKey, person_id: people[i]!.id, office_id: input.officeId, relationship: m.relationship, added_by: userId }))));
    const fieldsOf = input.members.map((m) => Object.keys(m).filter((k) => k !== 'relationship' && k !== 'notDuplicateOf'));
    parts.push(
      db
        .insertInto('person_change')
        .values(input.members.map((m, i) => ({ person_id: people[i]!.id, office_id: input.officeId, version: 1, action: 'register', changed_by: userId, changes: Object.fromEntries(fieldsOf[i]!.map((f) => [f, f === 'specificNeeds' ? { sensitive: true } : { to: (m as Record<string, unknown>)[f] ?? null }])) }))),
    );
    if (input.notDuplicateReason) {
      parts.push(db.insertInto('duplicate_dismissal').values(people.map((p, i) => ({ person_id: p.id, candidate_ids: dismissed[i]!, reason: input.notDuplicateReason!, recorded_by: userId }))));
    }
    parts.push(
      auditEventsInsert(db, [
        ...people.map((p, i) => ({ actorId: userId, action: 'person.register', entityType: 'person', entityId: p.id, officeId: input.officeId, requestId: actor.requestId, purpose: 'registration', changedFields: fieldsOf[i]!, details: { householdId: householdKey, ...(dismissed[i]!.length > 0 ? { notDuplicateOf: dismissed[i]! } : {}) } })),
        { actorId: userId, action: input.householdId ? 'household.join' : 'household.create', entityType: 'household', entityId: householdKey, officeId: input.officeId, requestId: actor.requestId, details: { members: people.map((p) => p.id) } },
      ]),
    );
    await oneStatement(parts)
      .execute(db)
      .catch((error: unknown) => {
        if (isUniqueViolation(error) && (error as { constraint?: unknown }).constraint === 'person_external_id_key') {
          // Name the member whose external id is taken (PostgreSQL's detail quotes the key); the first one with an external id otherwise.
          const detail = String((error as { detail?: unknown }).detail ?? '');
          let i = input.members.findLastIndex((m) => m.externalId !== undefined && m.externalId !== null && detail.includes(`, ${m.externalId})`));
          if (i < 0) i = Math.max(0, input.members.findIndex((m) => m.externalId));
          throw new PassageError('conflict', 'A person with this external id is already registered at this office', { errors: [{ field: `members.${i}.externalId`, message: 'already used' }] });
        }
        throw error;
      });
    return { householdId: householdKey, people };
  };
  if (!input.householdId) return write(deps.db, null);
  // Joining a household: lock it and check it is in scope, then the same one statement, in one transaction.
  const householdId = input.householdId;
  return deps.db.transaction().execute(async (trx) => {
    const hh = await trx.selectFrom('household').select(['id', 'office_id']).where('id', '=', householdId).forUpdate().executeTakeFirst();
    if (!hh || !actor.policy.canAt(actor.principal, 'registry.register', hh.office_id)) throw notFound('Household');
    return write(trx, householdId);
  });
}

/**
 * Several INSERTs as one statement: `WITH w1 AS (first), w2 AS (second) … last`. They see one snapshot and run in
 * one transaction. Prepared once per connection and shape (PREPARE): registrations repeat a few shapes, and
 * PostgreSQL then parses and plans none of them again.
 */
function oneStatement(parts: readonly Compilable[]) {
  const last = parts[parts.length - 1]!;
  if (parts.length === 1) return sql`${sql.raw(PREPARE)} ${last}`;
  return sql`${sql.raw(PREPARE)} WITH ${sql.join(parts.slice(0, -1).map((q, i) => sql`${sql.raw(`w${i + 1}`)} AS (${q})`))} ${last}`;
}

function documentRow(personId: string, officeId: string, d: DocumentInput) {
  return { person_id: personId, office_id: officeId, type: d.type, number: d.number, number_key: documentKey(d.number), issuing_country: d.issuingCountry ?? null, issue_date: d.issueDate ?? null, expiry_date: d.expiryDate ?? null };
}

function consentRow(personId: string, officeId: string, c: ConsentInput, userId: string) {
  return { person_id: personId, office_id: officeId, purpose: c.purpose, granted: c.granted, method: c.method, language: c.language, recorded_by: userId };
}

async function insertDocument(trx: Transaction<Database>, personId: string, officeId: string, d: DocumentInput): Promise<string> {
  const row = await trx
    .insertInto('identity_document')
    .values(documentRow(personId, officeId, d))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function insertConsent(trx: Transaction<Database>, personId: string, officeId: string, c: ConsentInput, userId: string): Promise<void> {
  await trx.insertInto('consent').values(consentRow(personId, officeId, c, userId)).execute();
}

// ---------------------------------------------------------------------------------------------
// One person

/** Reads a person (audited: every read of a person record is an event). */
export async function getPerson(deps: RegistryDeps, actor: Actor, id: string, purpose: string | null): Promise<PersonDto> {
  const row = await personInScope(deps.db, actor, id, 'registry.read');
  const mayReadNeeds = actor.policy.canAt(actor.principal, 'registry.sensitive', row.office_id);
  const dto = await loadPersonDto(deps.db, deps.encryption, row, { today: today(), mayReadNeeds });
  await writeAuditNow(deps.db, {
    actorId: actor.principal.userId,
    action: 'person.view',
    entityType: 'person',
    entityId: id,
    officeId: row.office_id,
    requestId: actor.requestId,
    purpose,
    details: { specificNeedsShown: dto.specificNeeds !== null },
  });
  return dto;
}

/** A stale version: 409 with the current record (as the actor may see it). */
async function stale(deps: RegistryDeps, actor: Actor, row: PersonWithOffice): Promise<never> {
  const current = await loadPersonDto(deps.db, deps.encryption, row, { today: today(), mayReadNeeds: actor.policy.canAt(actor.principal, 'registry.sensitive', row.office_id) });
  throw new PassageError('stale_version', 'This person was changed by someone else since you opened the record', { extra: { current } });
}

/**
 * Locks a person for a change made against the version read: 404 when gone, 409 naming the record kept when merged
 * into another; `stale` when someone else changed the person since that version.
 */
async function lockVersion(trx: Transaction<Database>, id: string, version: number): Promise<{ row: PersonWithOffice; stale: boolean }> {
  const row = await personQuery(trx).where('p.id', '=', id).forUpdate('p').executeTakeFirst();
  if (!row) throw notFound('Person');
  if (row.merged_into !== null) {
    throw new PassageError('conflict', 'This record was merged into another: change the record kept, or undo the merge first', { extra: { mergedInto: row.merged_into } });
  }
  return { row, stale: row.version !== version };
}

/** The answer to a change made against a version: the person as changed, or 409 with the current record. */
async function versionedAnswer(deps: RegistryDeps, actor: Actor, result: { stale: PersonWithOffice } | { row: PersonWithOffice }): Promise<PersonDto> {
  if ('stale' in result) return stale(deps, actor, result.stale);
  return loadPersonDto(deps.db, deps.encryption, result.row, { today: today(), mayReadNeeds: actor.policy.canAt(actor.principal, 'registry.sensitive', result.row.office_id) });
}

const COLUMN_OF = {
  givenName: 'given_name',
  middleName: 'middle_name',
  familyName: 'family_name',
  fullNameOriginal: 'full_name_original',
  aliases: 'aliases',
  sex: 'sex',
  dateOfBirth: 'date_of_birth',
  dobPrecision: 'dob_precision',
  nationality: 'nationality',
  countryOfBirth: 'country_of_birth',
  languages: 'languages',
  phones: 'phones',
  adminAreaCode: 'admin_area_code',
  populationGroup: 'population_group',
  externalId: 'external_id',
} as const;

/** Changes a person's fields, with optimistic concurrency; the history keeps old and new values of ordinary fields. */
export async function updatePerson(deps: RegistryDeps, actor: Actor, id: string, input: PersonUpdate): Promise<PersonDto> {
  const row = await personInScope(deps.db, actor, id, 'registry.register');
  if (input.specificNeeds !== undefined && !actor.policy.canAt(actor.principal, 'registry.sensitive', row.office_id)) {
    throw new PassageError('forbidden', 'You may not record specific needs', { errors: [{ field: 'specificNeeds', message: 'not allowed for your role' }] });
  }
  const problems: FieldProblem[] = [];
  const office = await officeCountry(deps, row.office_id);
  const phones = input.phones ? normalisePhones(input.phones, [input.nationality ?? row.nationality, office.country], '', problems) : undefined;
  assertNoProblems(problems);
  const updated = await deps.db.transaction().execute(async (trx) => {
    const { row: current, stale: isStale } = await lockVersion(trx, id, input.version);
    if (isStale) return { stale: current } as const;
    const set: Record<string, unknown> = {};
    const changes: Record<string, unknown> = {};
    for (const [field, column] of Object.entries(COLUMN_OF) as [keyof typeof COLUMN_OF, (typeof COLUMN_OF)[keyof typeof COLUMN_OF]][]) {
      const raw = field === 'phones' ? phones : input[field];
      if (raw === undefined) continue;
      const value = raw ?? null;
      if (JSON.stringify(value) === JSON.stringify(current[column])) continue;
      set[column] = value;
      changes[field] = { from: current[column], to: value };
    }
    if (input.specificNeeds !== undefined) {
      const sealed = sealedNeeds(deps.encryption, id, input.specificNeeds);
      const before = current.specific_needs_sealed ? deps.encryption.open(current.specific_needs_sealed, id, NEEDS_FIELD) : null;
      const after = sealed.specific_needs_sealed ? JSON.stringify(input.specificNeeds) : null;
      if (before !== after) {
        Object.assign(set, sealed);
        changes.specificNeeds = { sensitive: true };
      }
    }
    if (Object.keys(changes).length === 0) return { row: current } as const;
    const names = ['givenName', 'middleName', 'familyName', 'fullNameOriginal', 'aliases'] as const;
    if (names.some((n) => n in changes)) {
      const merged = {
        givenName: (set.given_name as string | undefined) ?? current.given_name,
        middleName: 'middle_name' in set ? (set.middle_name as string | null) : current.middle_name,
        familyName: 'family_name' in set ? (set.family_name as string | null) : current.family_name,
        fullNameOriginal: 'full_name_original' in set ? (set.full_name_original as string | null) : current.full_name_original,
        aliases: (set.aliases as string[] | undefined) ?? current.aliases,
      };
      Object.assign(set, searchColumns(merged));
    }
    const version = current.version + 1;
    await trx
      .updateTable('person')
      .set({ ...set, version, updated_at: new Date() })
      .where('id', '=', id)
      .execute()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new PassageError('conflict', 'Another person at this office has this external id', { errors: [{ field: 'externalId', message: 'already used' }] });
        throw error;
      });
    await trx.insertInto('person_change').values({ person_id: id, office_id: current.office_id, version, action: 'update', changed_by: actor.principal.userId, changes }).execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'person.update', entityType: 'person', entityId: id, officeId: current.office_id, requestId: actor.requestId, changedFields: Object.keys(changes) });
    return { row: (await personQuery(trx).where('p.id', '=', id).executeTakeFirstOrThrow()) } as const;
  });
  return versionedAnswer(deps, actor, updated);
}

/** Runs a change to a person's sub-records (documents, consent) and bumps the person's version. */
async function changePerson(deps: RegistryDeps, actor: Actor, id: string, action: string, fields: string[], change: (trx: Transaction<Database>, row: PersonWithOffice) => Promise<Record<string, unknown> | void>): Promise<PersonDto> {
  await personInScope(deps.db, actor, id, 'registry.register');
  const row = await deps.db.transaction().execute(async (trx) => {
    const current = await personQuery(trx).where('p.id', '=', id).forUpdate('p').executeTakeFirstOrThrow();
    const details = (await change(trx, current)) ?? {};
    const version = current.version + 1;
    await trx.updateTable('person').set({ version, updated_at: new Date() }).where('id', '=', id).execute();
    await trx.insertInto('person_change').values({ person_id: id, office_id: current.office_id, version, action, changed_by: actor.principal.userId, changes: Object.fromEntries(fields.map((f) => [f, details])) }).execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action, entityType: 'person', entityId: id, officeId: current.office_id, requestId: actor.requestId, changedFields: fields, details });
    return personQuery(trx).where('p.id', '=', id).executeTakeFirstOrThrow();
  });
  return loadPersonDto(deps.db, deps.encryption, row, { today: today(), mayReadNeeds: actor.policy.canAt(actor.principal, 'registry.sensitive', row.office_id) });
}

export function addDocument(deps: RegistryDeps, actor: Actor, personId: string, d: DocumentInput): Promise<PersonDto> {
  return changePerson(deps, actor, personId, 'person.document.add', ['documents'], async (trx, row) => {
    const same = await trx.selectFrom('identity_document').select('id').where('person_id', '=', personId).where('type', '=', d.type).where('number_key', '=', documentKey(d.number)).executeTakeFirst();
    if (same) throw new PassageError('conflict', 'This person already has this document', { errors: [{ field: 'number', message: 'already recorded' }] });
    return { documentId: await insertDocument(trx, personId, row.office_id, d), type: d.type };
  });
}

export function removeDocument(deps: RegistryDeps, actor: Actor, personId: string, documentId: string): Promise<PersonDto> {
  return changePerson(deps, actor, personId, 'person.document.remove', ['documents'], async (trx) => {
    const deleted = await trx.deleteFrom('identity_document').where('id', '=', documentId).where('person_id', '=', personId).returning('type').executeTakeFirst();
    if (!deleted) throw notFound('Document');
    return { documentId, type: deleted.type };
  });
}

const DOCUMENT_COLUMN_OF = {
  type: 'type',
  number: 'number',
  issuingCountry: 'issuing_country',
  issueDate: 'issue_date',
  expiryDate: 'expiry_date',
} as const;

/**
 * Changes fields of one of a person's documents, with the person's version (optimistic concurrency, as for any
 * change to the person). The history keeps old and new values of the fields changed; the audit event names them.
 */
export async function updateDocument(deps: RegistryDeps, actor: Actor, personId: string, documentId: string, input: DocumentUpdate): Promise<PersonDto> {
  await personInScope(deps.db, actor, personId, 'registry.register');
  const updated = await deps.db.transaction().execute(async (trx) => {
    const { row: current, stale: isStale } = await lockVersion(trx, personId, input.version);
    if (isStale) return { stale: current } as const;
    const doc = await trx.selectFrom('identity_document').selectAll().where('id', '=', documentId).where('person_id', '=', personId).forUpdate().executeTakeFirst();
    if (!doc) throw notFound('Document');
    const set: Record<string, unknown> = {};
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, column] of Object.entries(DOCUMENT_COLUMN_OF) as [keyof typeof DOCUMENT_COLUMN_OF, (typeof DOCUMENT_COLUMN_OF)[keyof typeof DOCUMENT_COLUMN_OF]][]) {
      const raw = input[field];
      if (raw === undefined) continue;
      const value = raw ?? null;
      if (value === doc[column]) continue;
      set[column] = value;
      changes[field] = { from: doc[column], to: value };
    }
    if (Object.keys(changes).length === 0) return { row: current } as const;
    // The document as it would be: the rules that hold across its fields, checked on the whole of it.
    const next = { issueDate: 'issue_date' in set ? (set.issue_date as string | null) : doc.issue_date, expiryDate: 'expiry_date' in set ? (set.expiry_date as string | null) : doc.expiry_date };
    assertNoProblems(documentRuleProblems(next).map((p) => ({ field: p.path, message: p.message })));
    const type = (set.type as string | undefined) ?? doc.type;
    const numberKey = 'number' in set ? documentKey(set.number as string) : doc.number_key;
    if (type !== doc.type || numberKey !== doc.number_key) {
      const same = await trx.selectFrom('identity_document').select('id').where('person_id', '=', personId).where('id', '!=', documentId).where('type', '=', type).where('number_key', '=', numberKey).executeTakeFirst();
      if (same) throw new PassageError('conflict', 'This person already has this document', { errors: [{ field: 'number', message: 'already recorded' }] });
    }
    await trx
      .updateTable('identity_document')
      .set({ ...set, number_key: numberKey, version: doc.version + 1, updated_at: new Date() })
      .where('id', '=', documentId)
      .execute();
    const version = current.version + 1;
    await trx.updateTable('person').set({ version, updated_at: new Date() }).where('id', '=', personId).execute();
    await trx
      .insertInto('person_change')
      .values({ person_id: personId, office_id: current.office_id, version, action: 'person.document.update', changed_by: actor.principal.userId, changes: { documents: { documentId, type: doc.type, fields: changes } } })
      .execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'person.document.update', entityType: 'person', entityId: personId, officeId: current.office_id, requestId: actor.requestId, changedFields: Object.keys(changes).map((f) => `documents.${f}`), details: { documentId } });
    return { row: await personQuery(trx).where('p.id', '=', personId).executeTakeFirstOrThrow() } as const;
  });
  return versionedAnswer(deps, actor, updated);
}

export function recordConsent(deps: RegistryDeps, actor: Actor, personId: string, c: ConsentInput): Promise<PersonDto> {
  return changePerson(deps, actor, personId, 'person.consent.record', ['consents'], async (trx, row) => {
    await insertConsent(trx, personId, row.office_id, c, actor.principal.userId);
    return { purpose: c.purpose, granted: c.granted, method: c.method };
  });
}

export function withdrawConsent(deps: RegistryDeps, actor: Actor, personId: string, consentId: string): Promise<PersonDto> {
  return changePerson(deps, actor, personId, 'person.consent.withdraw', ['consents'], async (trx) => {
    const updated = await trx
      .updateTable('consent')
      .set({ withdrawn_at: new Date(), withdrawn_by: actor.principal.userId })
      .where('id', '=', consentId)
      .where('person_id', '=', personId)
      .where('withdrawn_at', 'is', null)
      .returning('purpose')
      .executeTakeFirst();
    if (!updated) throw notFound('Consent in force');
    return { purpose: updated.purpose };
  });
}

/**
 * True when the person has consent in force for the purpose. Other capabilities (referrals) call this
 * before acting.
 */
export async function hasConsent(db: Kysely<Database> | Transaction<Database>, personId: string, purpose: string): Promise<boolean> {
  const latest = await db.selectFrom('consent').select(['granted', 'withdrawn_at']).where('person_id', '=', personId).where('purpose', '=', purpose).orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return latest !== undefined && latest.granted && latest.withdrawn_at === null;
}

export async function personHistory(deps: RegistryDeps, actor: Actor, id: string) {
  await personInScope(deps.db, actor, id, 'registry.read');
  const rows = await deps.db
    .selectFrom('person_change as c')
    .leftJoin('app_user as u', 'u.id', 'c.changed_by')
    .select(['c.version', 'c.action', 'c.changed_by', 'u.display_name', 'c.changed_at', 'c.changes'])
    .where('c.person_id', '=', id)
    .orderBy('c.id', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, action: r.action, changedBy: r.changed_by, changedByName: r.display_name, changedAt: r.changed_at.toISOString(), changes: r.changes }));
}

/** Who viewed (and changed) a person: for data-protection officers, from the audit trail. */
export async function personViews(deps: RegistryDeps, actor: Actor, id: string) {
  const row = await findPerson(deps.db, id);
  if (!row || !actor.policy.canAt(actor.principal, 'audit.read', row.office_id)) throw notFound('Person');
  const rows = await deps.db
    .selectFrom('audit_event as a')
    .leftJoin('app_user as u', 'u.id', 'a.actor_id')
    .select(['a.at', 'a.actor_id', 'u.display_name', 'a.action', 'a.purpose'])
    .where('a.entity_type', '=', 'person')
    .where('a.entity_id', '=', id)
    .orderBy('a.id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ at: r.at.toISOString(), actorId: r.actor_id, actorName: r.display_name, action: r.action, purpose: r.purpose }));
}

// ---------------------------------------------------------------------------------------------
// Households

export async function getHousehold(deps: RegistryDeps, actor: Actor, id: string): Promise<HouseholdDto> {
  const hh = await deps.db.selectFrom('household').selectAll().where('id', '=', id).executeTakeFirst();
  if (!hh || !actor.policy.canAt(actor.principal, 'registry.read', hh.office_id)) throw notFound('Household');
  const [members, history] = await Promise.all([
    personQuery(deps.db).where('p.household_id', '=', id).orderBy('p.registration_id').execute(),
    deps.db
      .selectFrom('household_membership as m')
      .innerJoin('person as p', 'p.id', 'm.person_id')
      .select(['m.person_id', 'p.registration_id', 'm.relationship', 'm.joined_at', 'm.left_at'])
      .where('m.household_id', '=', id)
      .orderBy('m.id')
      .execute(),
  ]);
  const t = today();
  return {
    id: hh.id,
    officeId: hh.office_id,
    headPersonId: hh.head_person_id,
    headNote: hh.head_note,
    size: members.length,
    members: members
      .map((m) => ({ ...toSummary(m, t), relationship: (m.relationship ?? 'unrelated') as Relationship }))
      .sort((a, b) => (a.relationship === 'head' ? -1 : b.relationship === 'head' ? 1 : 0)),
    history: history.map((h) => ({ personId: h.person_id, registrationId: h.registration_id, relationship: h.relationship as Relationship, joinedAt: h.joined_at.toISOString(), leftAt: h.left_at ? h.left_at.toISOString() : null })),
    version: hh.version,
  };
}

/** Locks a household the actor may change; 404 otherwise. */
async function lockHousehold(trx: Transaction<Database>, actor: Actor, id: string) {
  const hh = await trx.selectFrom('household').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!hh || !actor.policy.canAt(actor.principal, 'registry.register', hh.office_id)) throw notFound('Household');
  return hh;
}

/** Checks a household's head: a current member, and a note when the head is a child. */
async function checkHead(trx: Transaction<Database>, householdId: string, headId: string | null, note: string | null): Promise<void> {
  if (!headId) return;
  const head = await trx.selectFrom('person').select(['household_id', 'date_of_birth']).where('id', '=', headId).executeTakeFirst();
  if (!head || head.household_id !== householdId) throw new PassageError('validation_failed', 'The head must be a member of the household', { errors: [{ field: 'headPersonId', message: 'not a member of this household' }] });
  if (head.date_of_birth && ageOn(head.date_of_birth, today()) < MINOR_AGE && !note) {
    throw new PassageError('validation_failed', 'A child heading a household needs a note saying why', { errors: [{ field: 'headNote', message: 'required when the head is under 18' }] });
  }
}

export async function updateHousehold(deps: RegistryDeps, actor: Actor, id: string, input: { headPersonId?: string | null; headNote?: string | null; version: number }): Promise<HouseholdDto> {
  const stale = await deps.db.transaction().execute(async (trx) => {
    const hh = await lockHousehold(trx, actor, id);
    if (hh.version !== input.version) return true;
    const headId = input.headPersonId !== undefined ? input.headPersonId : hh.head_person_id;
    const note = input.headNote !== undefined ? input.headNote : hh.head_note;
    await checkHead(trx, id, headId, note);
    if (headId !== hh.head_person_id) {
      if (hh.head_person_id) await trx.updateTable('person').set({ relationship: 'unrelated' }).where('id', '=', hh.head_person_id).where('household_id', '=', id).execute();
      if (headId) await trx.updateTable('person').set({ relationship: 'head' }).where('id', '=', headId).execute();
    }
    await trx.updateTable('household').set({ head_person_id: headId, head_note: note, version: hh.version + 1, updated_at: new Date() }).where('id', '=', id).execute();
    const changed = [...(headId !== hh.head_person_id ? ['headPersonId'] : []), ...(note !== hh.head_note ? ['headNote'] : [])];
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'household.update', entityType: 'household', entityId: id, officeId: hh.office_id, requestId: actor.requestId, changedFields: changed });
    return false;
  });
  const current = await getHousehold(deps, actor, id);
  if (stale) throw new PassageError('stale_version', 'The household was changed by someone else', { extra: { current } });
  return current;
}

/** Moves a person into a household (leaving their previous one); history is kept. */
export async function addMember(deps: RegistryDeps, actor: Actor, householdId: string, personId: string, relationship: Relationship): Promise<HouseholdDto> {
  if (relationship === 'head') throw new PassageError('validation_failed', 'Add the person first, then make them the head', { errors: [{ field: 'relationship', message: 'cannot be "head" here' }] });
  await deps.db.transaction().execute(async (trx) => {
    const hh = await lockHousehold(trx, actor, householdId);
    const person = await trx.selectFrom('person').select(['id', 'office_id', 'household_id', 'version']).where('id', '=', personId).forUpdate().executeTakeFirst();
    if (!person || !actor.policy.canAt(actor.principal, 'registry.register', person.office_id)) throw new PassageError('validation_failed', 'Unknown person', { errors: [{ field: 'personId', message: 'no such person in your offices' }] });
    if (person.household_id === householdId) throw new PassageError('conflict', 'The person is already a member', { errors: [{ field: 'personId', message: 'already a member' }] });
    if (person.household_id) await leave(trx, actor, person.household_id, personId);
    await trx.insertInto('household_membership').values({ household_id: householdId, person_id: personId, office_id: hh.office_id, relationship, added_by: actor.principal.userId }).execute();
    await trx.updateTable('person').set({ household_id: householdId, relationship, version: person.version + 1, updated_at: new Date() }).where('id', '=', personId).execute();
    await trx.updateTable('household').set({ version: hh.version + 1, updated_at: new Date() }).where('id', '=', householdId).execute();
    await trx.insertInto('person_change').values({ person_id: personId, office_id: person.office_id, version: person.version + 1, action: 'household.join', changed_by: actor.principal.userId, changes: { household: { from: person.household_id, to: householdId }, relationship: { to: relationship } } }).execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'household.member.add', entityType: 'household', entityId: householdId, officeId: hh.office_id, requestId: actor.requestId, details: { personId, from: person.household_id } });
  });
  return getHousehold(deps, actor, householdId);
}

/** Ends a membership; a head who leaves leaves the household without a head (the page asks for a new one). */
async function leave(trx: Transaction<Database>, actor: Actor, householdId: string, personId: string): Promise<void> {
  const closed = await trx.updateTable('household_membership').set({ left_at: new Date(), removed_by: actor.principal.userId }).where('household_id', '=', householdId).where('person_id', '=', personId).where('left_at', 'is', null).returning('office_id').executeTakeFirst();
  if (!closed) throw notFound('Member');
  await trx.updateTable('household').set((eb) => ({ head_person_id: eb.case().when('head_person_id', '=', personId).then(null).else(eb.ref('head_person_id')).end(), version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', householdId).execute();
}

export async function removeMember(deps: RegistryDeps, actor: Actor, householdId: string, personId: string): Promise<HouseholdDto> {
  await deps.db.transaction().execute(async (trx) => {
    const hh = await lockHousehold(trx, actor, householdId);
    const person = await trx.selectFrom('person').select(['id', 'office_id', 'version']).where('id', '=', personId).where('household_id', '=', householdId).forUpdate().executeTakeFirst();
    if (!person) throw notFound('Member');
    await leave(trx, actor, householdId, personId);
    await trx.updateTable('person').set({ household_id: null, relationship: null, version: person.version + 1, updated_at: new Date() }).where('id', '=', personId).execute();
    await trx.insertInto('person_change').values({ person_id: personId, office_id: person.office_id, version: person.version + 1, action: 'household.leave', changed_by: actor.principal.userId, changes: { household: { from: householdId, to: null } } }).execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'household.member.remove', entityType: 'household', entityId: householdId, officeId: hh.office_id, requestId: actor.requestId, details: { personId } });
  });
  return getHousehold(deps, actor, householdId);
}
