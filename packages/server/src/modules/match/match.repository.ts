import type { Kysely, Transaction } from 'kysely';
import type { Database, MatchPairRow, MatchRunRow, PersonMergeRow } from '@passage/db';
import { MATCH_FIELDS, isoDay, type FieldContributionDto, type MatchExplanationDto, type MatchPairDto, type MatchPersonDto, type MatchRunDto, type MergeDto, type MergeableField } from '@passage/domain';
import type { Explanation, MatchRecord } from '@passage/match';
import { personQuery, toDocumentDto, toSummary, type PersonWithOffice } from '../registry/registry.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function toRunDto(row: MatchRunRow): MatchRunDto {
  return {
    id: row.id,
    officeId: row.office_id,
    status: row.status,
    stage: row.stage,
    progress: Number(row.progress),
    records: row.records,
    pairsScored: Number(row.pairs_scored),
    pairsForReview: row.pairs_for_review,
    clusters: row.clusters,
    message: row.message,
    startedBy: row.started_by,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
    cancelRequested: row.cancel_requested && (row.status === 'queued' || row.status === 'running'),
  };
}

const DISAGREEMENT_LABELS = new Set(['different', 'disagree']);

/** The engine's explanation as reviewers see it: each field's level, weight (with term-frequency adjustment) and what it argues. */
export function toExplanationDto(e: Explanation): MatchExplanationDto {
  const fields: FieldContributionDto[] = e.fields.map((f) => {
    const weight = f.weight + f.tfAdjustment;
    // A level the engine calls a disagreement stays one even where the model weighs it lightly (among relatives).
    const agreement: FieldContributionDto['agreement'] = f.level === 0 ? 'missing' : weight > 0.5 ? 'agree' : weight < -0.5 || DISAGREEMENT_LABELS.has(f.label) ? 'disagree' : 'partial';
    return { field: f.field, label: f.label, weight, agreement };
  });
  fields.sort((a, b) => MATCH_FIELDS.indexOf(a.field) - MATCH_FIELDS.indexOf(b.field));
  return { probability: e.probability, matchWeight: e.matchWeight, prior: e.prior, context: e.context, fields };
}

/** People as the side-by-side view shows them (documents and phones included), by id. */
export async function loadMatchPeople(db: Db, ids: readonly string[]): Promise<Map<string, MatchPersonDto>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, MatchPersonDto>();
  if (unique.length === 0) return out;
  const [rows, docs] = await Promise.all([
    personQuery(db).where('p.id', 'in', unique).execute(),
    db.selectFrom('identity_document').selectAll().where('person_id', 'in', unique).orderBy('created_at').orderBy('id').execute(),
  ]);
  const day = isoDay(new Date());
  for (const r of rows) out.set(r.id, toMatchPerson(r, day, []));
  for (const d of docs) out.get(d.person_id)?.documents.push(toDocumentDto(d));
  return out;
}

export function toMatchPerson(row: PersonWithOffice, day: string, documents: MatchPersonDto['documents']): MatchPersonDto {
  return { ...toSummary(row, day), documents, phones: row.phones, mergedInto: row.merged_into };
}

export function toPairDto(row: MatchPairRow, people: Map<string, MatchPersonDto>): MatchPairDto {
  return {
    id: row.id,
    runId: row.run_id,
    probability: Number(row.probability),
    status: row.status,
    clusterId: row.cluster_id,
    reason: row.reason,
    a: people.get(row.person_a)!,
    b: people.get(row.person_b)!,
    explanation: row.explanation as MatchExplanationDto,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    note: row.note,
    version: row.version,
  };
}

export async function toPairDtos(db: Db, rows: readonly MatchPairRow[]): Promise<MatchPairDto[]> {
  const people = await loadMatchPeople(db, rows.flatMap((r) => [r.person_a, r.person_b]));
  return rows.map((r) => toPairDto(r, people));
}

/** A moved row: its id and the office it had before the move. */
export interface MovedRow {
  id: string;
  officeId: string;
}

/** What a merge changed, exactly: enough to undo it (stored as `person_merge.moved`). */
export interface MergeRecord {
  /** Rows moved from the merged person to the survivor, by table. */
  rows: Record<string, MovedRow[]>;
  /** The survivor's columns the merge set: their values before and after. */
  survivor: { before: Record<string, unknown>; after: Record<string, unknown> };
  /** The merged person's household columns before the merge. */
  merged: { householdId: string | null; relationship: string | null };
  household: {
    /** The merged person's membership the merge ended (its id), if any. */
    endedMembershipId: string | null;
    /** The membership the merge gave the survivor (when the survivor had no household), if any. */
    insertedMembershipId: string | null;
    /** The household whose head the merge changed, and its head before. */
    headChanged: { householdId: string; headBefore: string | null; headAfter: string | null } | null;
  };
  /** The pair the merge resolved, as it was before. */
  pair: { id: string; statusBefore: string; setDecided: boolean } | null;
}

export function toMergeDto(row: PersonMergeRow): MergeDto {
  const m = row.moved as MergeRecord;
  const moved: Record<string, number> = {};
  for (const [table, rows] of Object.entries(m.rows)) moved[MOVED_KIND[table] ?? table] = rows.length;
  moved.householdMemberships = (m.household.endedMembershipId ? 1 : 0) + (m.household.insertedMembershipId ? 1 : 0);
  return {
    id: row.id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    pairId: row.pair_id,
    moved,
    takenFromMerged: row.taken_fields as MergeableField[],
    reason: row.reason,
    mergedBy: row.merged_by,
    mergedAt: row.merged_at.toISOString(),
    unmergedBy: row.unmerged_by,
    unmergedAt: row.unmerged_at ? row.unmerged_at.toISOString() : null,
  };
}

/** Tables whose rows belong to a person and follow them to the survivor, with the name the merge reports them under. */
export const MOVED_TABLES = ['identity_document', 'consent', 'case_file'] as const;
/** Rows that follow the person but stay at their own office (a case belongs to its office, not the person's). */
export const KEEPS_OFFICE: ReadonlySet<string> = new Set(['case_file']);
const MOVED_KIND: Record<string, string> = { identity_document: 'documents', consent: 'consents', case_file: 'cases' };

/** People as the engine reads them: names, sex, date of birth, nationality, first document and phone. */
export function selectMatchPeople(db: Kysely<Database>) {
  return db
    .selectFrom('person as p')
    .select(['p.id', 'p.office_id', 'p.given_name', 'p.middle_name', 'p.family_name', 'p.full_name_original', 'p.sex', 'p.date_of_birth', 'p.dob_precision', 'p.nationality', 'p.phones', 'p.merged_into', 'p.updated_at'])
    .select((eb) => eb.selectFrom('identity_document as d').select('d.number').whereRef('d.person_id', '=', 'p.id').orderBy('d.created_at').orderBy('d.id').limit(1).as('document_number'));
}

export interface MatchPersonRow {
  id: string;
  given_name: string;
  middle_name: string | null;
  family_name: string | null;
  full_name_original: string | null;
  sex: string;
  date_of_birth: string | null;
  dob_precision: string;
  nationality: string | null;
  phones: string[];
  document_number: string | null;
}

/** A person row as a MatchRecord. The date of birth is only as precise as it was recorded. */
export function toMatchRecord(r: MatchPersonRow): MatchRecord {
  const dob = !r.date_of_birth ? null : r.dob_precision === 'year' ? r.date_of_birth.slice(0, 4) : r.dob_precision === 'month' ? r.date_of_birth.slice(0, 7) : r.date_of_birth;
  return {
    id: r.id,
    givenName: r.given_name,
    middleName: r.middle_name,
    familyName: r.family_name,
    nameOriginal: r.full_name_original,
    sex: r.sex,
    dateOfBirth: dob,
    nationality: r.nationality,
    documentNumber: r.document_number,
    phone: r.phones[0] ?? null,
  };
}
