import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, MatchPairRow } from '@passage/db';
import {
  PassageError,
  notFound,
  officeSubtree,
  type MatchPairDto,
  type MatchPairListDto,
  type MatchPairQuery,
  type MatchPersonDto,
  type MatchRunDto,
  type MergeDto,
  type MergeableField,
  type PairDecision,
  type Permission,
  type StartMatchRun,
} from '@passage/domain';
import { writeAudit, writeAuditNow } from '../../platform/audit.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import { personQuery, searchColumns, type PersonWithOffice } from '../registry/registry.repository.ts';
import type { Actor, RegistryDeps } from '../registry/registry.service.ts';
import { MATCH_JOB } from './match.job.ts';
import { addEvent } from '../cases/cases.repository.ts';
import { KEEPS_OFFICE, MOVED_TABLES, loadMatchPeople, toMergeDto, toPairDtos, toRunDto, type MergeRecord, type MovedRow } from './match.repository.ts';

/** What the matching services need from the platform. */
export interface MatchDeps extends RegistryDeps {
  jobs: JobQueue;
}

type Db = Kysely<Database> | Transaction<Database>;

/** The merge input after validation (defaults applied). */
export interface MergeRequest {
  survivorId: string;
  mergedId: string;
  pairId?: string | undefined;
  takeFromMerged: MergeableField[];
  survivorVersion: number;
  mergedVersion: number;
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Runs

/** Starts a deduplication run over one office's subtree, or every office the actor may review. */
export async function startRun(deps: MatchDeps, actor: Actor, input: StartMatchRun): Promise<MatchRunDto> {
  const scope = actor.policy.scope(actor.principal, 'match.review');
  let offices: string[];
  if (input.officeId) {
    if (!scope.has(input.officeId)) throw new PassageError('forbidden', 'You may look for duplicates only in offices where you review them', { errors: [{ field: 'officeId', message: 'not an office you review' }] });
    offices = [...officeSubtree(input.officeId, await deps.offices.nodes())].filter((id) => scope.has(id));
  } else offices = [...scope];
  const run = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('match_run').values({ office_id: input.officeId ?? null, scope_office_ids: offices, started_by: actor.principal.userId }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'match.run.start', entityType: 'match_run', entityId: row.id, officeId: input.officeId ?? null, requestId: actor.requestId, details: { offices: offices.length } });
    return row;
  });
  await deps.jobs.send(MATCH_JOB, { matchRunId: run.id });
  return toRunDto(run);
}

/** A run is visible to whoever started it, and to anyone who may read every office it covers. */
export async function getRun(deps: MatchDeps, actor: Actor, id: string): Promise<MatchRunDto> {
  const row = await deps.db.selectFrom('match_run').selectAll().where('id', '=', id).executeTakeFirst();
  const scope = actor.policy.scope(actor.principal, 'match.read');
  if (!row || (row.started_by !== actor.principal.userId && !row.scope_office_ids.every((o) => scope.has(o)))) throw notFound('Run');
  return toRunDto(row);
}

/**
 * Cancels a run: a queued one at once; a running one is stopped by its job within about a second (nothing is
 * stored). Whoever started it, or anyone who reviews every office it covers.
 */
export async function cancelRun(deps: MatchDeps, actor: Actor, id: string): Promise<MatchRunDto> {
  await getRun(deps, actor, id);
  const review = actor.policy.scope(actor.principal, 'match.review');
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('match_run').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (row.started_by !== actor.principal.userId && !row.scope_office_ids.every((o) => review.has(o))) throw new PassageError('forbidden', 'Only whoever started the run, or a reviewer of all its offices, may cancel it');
    if (row.status !== 'queued' && row.status !== 'running') throw new PassageError('conflict', `The run has already ${row.status === 'succeeded' ? 'finished' : row.status}`, { extra: { current: toRunDto(row) } });
    const updated = await trx
      .updateTable('match_run')
      .set(row.status === 'queued' ? { cancel_requested: true, status: 'cancelled', finished_at: new Date(), message: 'Cancelled before it started.' } : { cancel_requested: true })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'match.run.cancel', entityType: 'match_run', entityId: id, officeId: row.office_id, requestId: actor.requestId, details: { status: row.status } });
    return toRunDto(updated);
  });
}

export async function listRuns(deps: MatchDeps, actor: Actor): Promise<MatchRunDto[]> {
  const scope = [...actor.policy.scope(actor.principal, 'match.read')];
  const rows = await deps.db
    .selectFrom('match_run')
    .selectAll()
    .where(sql<boolean>`(started_by = ${actor.principal.userId} OR scope_office_ids <@ ${scope}::uuid[])`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return rows.map(toRunDto);
}

// ---------------------------------------------------------------------------------------------
// The review queue

/** The queue: pairs whose two people are both in the actor's offices, strongest first. */
export async function listPairs(deps: MatchDeps, actor: Actor, query: MatchPairQuery): Promise<MatchPairListDto> {
  const scope = [...actor.policy.scope(actor.principal, 'match.read')];
  const focus = query.officeId ? [...officeSubtree(query.officeId, await deps.offices.nodes())] : null;
  let q = deps.db
    .selectFrom('match_pair as mp')
    .innerJoin('person as pa', 'pa.id', 'mp.person_a')
    .innerJoin('person as pb', 'pb.id', 'mp.person_b')
    .where('mp.status', '=', query.status)
    .where(sql<boolean>`pa.office_id = ANY(${scope}::uuid[]) AND pb.office_id = ANY(${scope}::uuid[])`);
  if (focus) q = q.where(sql<boolean>`(pa.office_id = ANY(${focus}::uuid[]) OR pb.office_id = ANY(${focus}::uuid[]))`);
  // An open pair one of whose people has since been merged is no longer a question.
  if (query.status === 'open') q = q.where('pa.merged_into', 'is', null).where('pb.merged_into', 'is', null);
  if (query.minProbability !== undefined) q = q.where('mp.probability', '>=', query.minProbability);
  if (query.maxProbability !== undefined) q = q.where('mp.probability', '<=', query.maxProbability);
  const [rows, count] = await Promise.all([
    q.selectAll('mp').orderBy('mp.probability', 'desc').orderBy('mp.id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = await toPairDtos(deps.db, rows);
  // Listing pairs shows people: audited like a search (what was filtered on, how many people were shown).
  await writeAuditNow(deps.db, {
    actorId: actor.principal.userId,
    action: 'person.search',
    entityType: 'match_pair',
    officeId: query.officeId ?? null,
    requestId: actor.requestId,
    purpose: 'duplicate_review',
    details: { filters: Object.keys(query).filter((k) => !['page', 'pageSize'].includes(k) && query[k as keyof MatchPairQuery] !== undefined), page: query.page, pairs: items.length },
  });
  return { items, total: Number(count.n), page: query.page, pageSize: query.pageSize };
}

/** A pair both of whose people the actor may act on with this permission, or 404 (existence never leaks). */
async function pairInScope(db: Db, actor: Actor, id: string, permission: Permission, lock = false): Promise<MatchPairRow> {
  let q = db.selectFrom('match_pair').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const pair = await q.executeTakeFirst();
  if (!pair) throw notFound('Pair');
  const people = await db.selectFrom('person').select(['id', 'office_id']).where('id', 'in', [pair.person_a, pair.person_b]).execute();
  if (people.length !== 2 || !people.every((p) => actor.policy.canAt(actor.principal, permission, p.office_id))) throw notFound('Pair');
  return pair;
}

/** One pair, side by side (audited: a view of both people). */
export async function getPair(deps: MatchDeps, actor: Actor, id: string): Promise<MatchPairDto> {
  const pair = await pairInScope(deps.db, actor, id, 'match.read');
  const [dto] = await toPairDtos(deps.db, [pair]);
  await deps.db.transaction().execute(async (trx) => {
    for (const person of [dto!.a, dto!.b]) {
      await writeAudit(trx, { actorId: actor.principal.userId, action: 'person.view', entityType: 'person', entityId: person.id, officeId: person.officeId, requestId: actor.requestId, purpose: 'duplicate_review', details: { pairId: id } });
    }
  });
  return dto!;
}

/** Records a reviewer's decision on a pair; a stale version gets 409 with the current pair. */
export async function decidePair(deps: MatchDeps, actor: Actor, id: string, input: PairDecision): Promise<MatchPairDto> {
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const pair = await pairInScope(trx, actor, id, 'match.review', true);
    if (pair.version !== input.version) return { stale: true } as const;
    if (pair.status === 'merged') throw new PassageError('conflict', 'These two records have been merged; undo the merge to change the decision', { errors: [{ field: 'decision', message: 'the pair is merged' }] });
    const merged = await trx.selectFrom('person').select('id').where('id', 'in', [pair.person_a, pair.person_b]).where('merged_into', 'is not', null).execute();
    if (merged.length > 0) throw new PassageError('conflict', 'One of these people has been merged into another record since', { errors: [{ field: 'decision', message: 'a person of the pair is merged' }] });
    const row = await trx
      .updateTable('match_pair')
      .set({ status: input.decision, note: input.note ?? null, decided_by: actor.principal.userId, decided_at: new Date(), updated_at: new Date(), version: pair.version + 1 })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actorId: actor.principal.userId,
      action: 'match.decision',
      entityType: 'match_pair',
      entityId: id,
      officeId: pair.office_id,
      requestId: actor.requestId,
      purpose: 'duplicate_review',
      changedFields: ['status', ...(input.note !== undefined ? ['note'] : [])],
      details: { decision: input.decision, from: pair.status, personA: pair.person_a, personB: pair.person_b },
    });
    return { row } as const;
  });
  if ('stale' in outcome) {
    const current = await pairInScope(deps.db, actor, id, 'match.review');
    const [dto] = await toPairDtos(deps.db, [current]);
    throw new PassageError('stale_version', 'The pair was decided or re-scored by someone else since you opened it', { extra: { current: dto } });
  }
  const [dto] = await toPairDtos(deps.db, [outcome.row]);
  return dto!;
}

// ---------------------------------------------------------------------------------------------
// Merges

/** The person columns behind each mergeable field (a date of birth comes with its precision). */
const FIELD_COLUMNS: Record<MergeableField, readonly (keyof PersonWithOffice)[]> = {
  givenName: ['given_name'],
  middleName: ['middle_name'],
  familyName: ['family_name'],
  fullNameOriginal: ['full_name_original'],
  sex: ['sex'],
  dateOfBirth: ['date_of_birth', 'dob_precision'],
  nationality: ['nationality'],
  countryOfBirth: ['country_of_birth'],
  phones: ['phones'],
  aliases: ['aliases'],
};
const NAME_FIELDS: readonly MergeableField[] = ['givenName', 'middleName', 'familyName', 'fullNameOriginal', 'aliases'];
/** Columns derived from the names (searchColumns): recomputed with them, restored with them, never listed as changes. */
const SEARCH_COLUMNS = ['search_text', 'name_keys', 'name_pair'] as const;
/** The search columns of the names a person will have, each name column read through `value`. */
const searchColumnsOf = (value: (column: keyof PersonWithOffice) => unknown) =>
  searchColumns({ givenName: value('given_name') as string, middleName: value('middle_name') as string | null, familyName: value('family_name') as string | null, fullNameOriginal: value('full_name_original') as string | null, aliases: value('aliases') as string[] });

/** Locks two people (in id order, so two merges cannot deadlock); 404 for either outside the actor's offices. */
async function lockPeople(trx: Transaction<Database>, actor: Actor, ids: readonly [string, string]): Promise<Map<string, PersonWithOffice>> {
  const rows = await personQuery(trx).where('p.id', 'in', [...ids]).orderBy('p.id').forUpdate('p').execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const r = byId.get(id);
    if (!r || !actor.policy.canAt(actor.principal, 'match.merge', r.office_id)) throw notFound('Person');
  }
  return byId;
}

/** A column's name as the API and the person's history name it (given_name → givenName). */
const fieldName = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Merges one record of a person into another, in one transaction: the survivor takes the chosen fields, the
 * merged record's documents and consents move to the survivor, its household membership ends (the survivor
 * keeps theirs, or takes it over when they had none), and it points at the survivor. Everything changed is
 * recorded by row id, so `unmerge` restores both records exactly.
 */
export async function mergePeople(deps: MatchDeps, actor: Actor, input: MergeRequest): Promise<MergeDto> {
  if (input.survivorId === input.mergedId) throw new PassageError('validation_failed', 'A person cannot be merged into themself', { errors: [{ field: 'mergedId', message: 'must be another person than survivorId' }] });
  const userId = actor.principal.userId;
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const people = await lockPeople(trx, actor, [input.survivorId, input.mergedId]);
    const survivor = people.get(input.survivorId)!;
    const merged = people.get(input.mergedId)!;
    if (merged.merged_into) throw new PassageError('conflict', 'This record has already been merged into another', { errors: [{ field: 'mergedId', message: 'already merged' }] });
    if (survivor.merged_into) throw new PassageError('conflict', 'The survivor has itself been merged into another record; merge into that one', { errors: [{ field: 'survivorId', message: 'already merged into another record' }] });
    if (survivor.version !== input.survivorVersion || merged.version !== input.mergedVersion) return { stale: true } as const;

    // The pair this merge resolves: the one named, or any undecided or decided pair of these two.
    const [a, b] = survivor.id < merged.id ? [survivor.id, merged.id] : [merged.id, survivor.id];
    let pair: MatchPairRow | undefined;
    if (input.pairId) {
      pair = await trx.selectFrom('match_pair').selectAll().where('id', '=', input.pairId).forUpdate().executeTakeFirst();
      if (!pair || pair.person_a !== a || pair.person_b !== b) throw new PassageError('validation_failed', 'The pair is not a pair of these two people', { errors: [{ field: 'pairId', message: 'not a pair of survivorId and mergedId' }] });
      if (pair.status === 'merged') throw new PassageError('conflict', 'This pair has already been merged', { errors: [{ field: 'pairId', message: 'already merged' }] });
    } else {
      pair = await trx.selectFrom('match_pair').selectAll().where('person_a', '=', a).where('person_b', '=', b).where('status', '!=', 'merged').orderBy('updated_at', 'desc').limit(1).forUpdate().executeTakeFirst();
    }

    // The survivor's fields taken from the merged record.
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const taken = [...new Set(input.takeFromMerged)];
    for (const field of taken) {
      for (const column of FIELD_COLUMNS[field]) {
        before[column] = survivor[column];
        after[column] = merged[column];
      }
    }
    if (taken.some((f) => NAME_FIELDS.includes(f))) {
      const search = searchColumnsOf((column) => (column in after ? after[column] : survivor[column]));
      for (const column of SEARCH_COLUMNS) {
        before[column] = survivor[column];
        after[column] = search[column];
      }
    }

    // Rows that belong to the merged person follow them to the survivor (ids and former offices recorded).
    const rows: Record<string, MovedRow[]> = {};
    for (const table of MOVED_TABLES) {
      const found = await sql<{ id: string; office_id: string }>`SELECT id::text AS id, office_id FROM ${sql.table(table)} WHERE person_id = ${merged.id} ORDER BY id FOR UPDATE`.execute(trx);
      rows[table] = found.rows.map((r) => ({ id: r.id, officeId: r.office_id }));
      if (found.rows.length === 0) continue;
      if (KEEPS_OFFICE.has(table)) await sql`UPDATE ${sql.table(table)} SET person_id = ${survivor.id} WHERE person_id = ${merged.id}`.execute(trx);
      else await sql`UPDATE ${sql.table(table)} SET person_id = ${survivor.id}, office_id = ${survivor.office_id} WHERE person_id = ${merged.id}`.execute(trx);
    }
    // Cases of the merged record now serve the survivor: their timelines say so.
    for (const c of rows.case_file ?? []) await addEvent(trx, { id: c.id, office_id: c.officeId }, userId, 'person_merged', { survivorId: survivor.id, mergedId: merged.id });

    // Households: the survivor keeps theirs; the merged record's open membership ends. A survivor without a
    // household takes the merged record's place in theirs.
    const household: MergeRecord['household'] = { endedMembershipId: null, insertedMembershipId: null, headChanged: null };
    const open = await trx.selectFrom('household_membership').selectAll().where('person_id', '=', merged.id).where('left_at', 'is', null).forUpdate().executeTakeFirst();
    if (open) {
      await trx.updateTable('household_membership').set({ left_at: new Date(), removed_by: userId }).where('id', '=', open.id).execute();
      household.endedMembershipId = open.id;
      const hh = await trx.selectFrom('household').select(['id', 'head_person_id', 'version']).where('id', '=', open.household_id).forUpdate().executeTakeFirstOrThrow();
      let headAfter = hh.head_person_id;
      if (!survivor.household_id) {
        const inserted = await trx.insertInto('household_membership').values({ household_id: open.household_id, person_id: survivor.id, office_id: open.office_id, relationship: open.relationship, added_by: userId }).returning('id').executeTakeFirstOrThrow();
        household.insertedMembershipId = inserted.id;
        before.household_id = survivor.household_id;
        before.relationship = survivor.relationship;
        after.household_id = open.household_id;
        after.relationship = open.relationship;
        if (hh.head_person_id === merged.id) headAfter = survivor.id;
      } else if (hh.head_person_id === merged.id) headAfter = survivor.household_id === hh.id ? survivor.id : null;
      if (headAfter !== hh.head_person_id) {
        household.headChanged = { householdId: hh.id, headBefore: hh.head_person_id, headAfter };
        if (headAfter === survivor.id && survivor.household_id === hh.id) {
          before.relationship = survivor.relationship;
          after.relationship = 'head';
        }
      }
      await trx.updateTable('household').set({ head_person_id: headAfter, version: hh.version + 1, updated_at: new Date() }).where('id', '=', hh.id).execute();
    }

    const record: MergeRecord = {
      rows,
      survivor: { before, after },
      merged: { householdId: merged.household_id, relationship: merged.relationship },
      household,
      pair: pair ? { id: pair.id, statusBefore: pair.status, setDecided: pair.decided_by === null } : null,
    };

    const now = new Date();
    await trx.updateTable('person').set({ ...after, version: survivor.version + 1, updated_at: now }).where('id', '=', survivor.id).execute();
    await trx.updateTable('person').set({ merged_into: survivor.id, household_id: open ? null : merged.household_id, relationship: open ? null : merged.relationship, version: merged.version + 1, updated_at: now }).where('id', '=', merged.id).execute();
    if (pair) {
      await trx
        .updateTable('match_pair')
        .set({ status: 'merged', version: pair.version + 1, updated_at: now, ...(pair.decided_by === null ? { decided_by: userId, decided_at: now } : {}) })
        .where('id', '=', pair.id)
        .execute();
    }
    const merge = await trx
      .insertInto('person_merge')
      .values({ office_id: survivor.office_id, survivor_id: survivor.id, merged_id: merged.id, pair_id: pair?.id ?? null, moved: JSON.stringify(record), taken_fields: taken, reason: input.reason, merged_by: userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    const dto = toMergeDto(merge);

    // Each person's own history, then one audit event (field names and counts, never values).
    const survivorChanges: Record<string, unknown> = Object.fromEntries(Object.keys(after).filter((c) => !(SEARCH_COLUMNS as readonly string[]).includes(c)).map((c) => [fieldName(c), { from: before[c] ?? null, to: after[c] ?? null }]));
    survivorChanges.merge = { mergeId: merge.id, mergedId: merged.id, moved: dto.moved };
    await trx.insertInto('person_change').values({ person_id: survivor.id, office_id: survivor.office_id, version: survivor.version + 1, action: 'merge.survivor', changed_by: userId, changes: survivorChanges }).execute();
    await trx.insertInto('person_change').values({ person_id: merged.id, office_id: merged.office_id, version: merged.version + 1, action: 'merge.merged', changed_by: userId, changes: { mergedInto: { from: null, to: survivor.id }, ...(open ? { household: { from: merged.household_id, to: null } } : {}), merge: { mergeId: merge.id } } }).execute();
    await writeAudit(trx, {
      actorId: userId,
      action: 'person.merge',
      entityType: 'person',
      entityId: survivor.id,
      officeId: survivor.office_id,
      requestId: actor.requestId,
      purpose: 'duplicate_review',
      changedFields: taken,
      details: { mergeId: merge.id, mergedId: merged.id, mergedOfficeId: merged.office_id, pairId: pair?.id ?? null, moved: dto.moved },
    });
    return { dto } as const;
  });
  if ('stale' in outcome) {
    const people = await loadMatchPeople(deps.db, [input.survivorId, input.mergedId]);
    throw new PassageError('stale_version', 'One of these records was changed by someone else since you opened it', {
      extra: { current: { survivor: people.get(input.survivorId) as MatchPersonDto, merged: people.get(input.mergedId) as MatchPersonDto } },
    });
  }
  return outcome.dto;
}

/** The merges a person took part in (as survivor or as the merged record), newest first. */
export async function listMerges(deps: MatchDeps, actor: Actor, personId: string): Promise<MergeDto[]> {
  const person = await deps.db.selectFrom('person').select(['id', 'office_id']).where('id', '=', personId).executeTakeFirst();
  if (!person || !actor.policy.canAt(actor.principal, 'match.read', person.office_id)) throw notFound('Person');
  const rows = await deps.db
    .selectFrom('person_merge')
    .selectAll()
    .where((eb) => eb.or([eb('survivor_id', '=', personId), eb('merged_id', '=', personId)]))
    .orderBy('merged_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toMergeDto);
}

/**
 * Undoes a merge: both records as they were (the survivor's fields, the moved rows back by their recorded ids,
 * the household membership, `merged_into` cleared). Refused when the survivor has since been merged into another
 * record, or a later merge involving either record is still in force. A field someone changed on the survivor
 * after the merge keeps its new value; so does a moved row that has since been removed.
 */
export async function unmerge(deps: MatchDeps, actor: Actor, id: string): Promise<MergeDto> {
  const userId = actor.principal.userId;
  return deps.db.transaction().execute(async (trx) => {
    const merge = await trx.selectFrom('person_merge').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!merge) throw notFound('Merge');
    const people = await lockPeople(trx, actor, [merge.survivor_id, merge.merged_id]).catch((error: unknown) => {
      if (error instanceof PassageError && error.code === 'not_found') throw notFound('Merge');
      throw error;
    });
    const survivor = people.get(merge.survivor_id)!;
    const merged = people.get(merge.merged_id)!;
    if (merge.unmerged_at) throw new PassageError('conflict', 'This merge has already been undone');
    if (survivor.merged_into) throw new PassageError('conflict', 'The survivor has since been merged into another record; undo that merge first');
    if (merged.merged_into !== survivor.id) throw new PassageError('conflict', 'The merged record no longer points at the survivor');
    const later = await trx
      .selectFrom('person_merge')
      .select('id')
      .where('id', '!=', merge.id)
      .where('unmerged_at', 'is', null)
      .where('merged_at', '>=', merge.merged_at)
      .where((eb) => eb.or([eb('survivor_id', 'in', [survivor.id, merged.id]), eb('merged_id', 'in', [survivor.id, merged.id])]))
      .execute();
    if (later.length > 0) throw new PassageError('conflict', 'A later merge depends on this one; undo it first', { extra: { laterMergeIds: later.map((l) => l.id) } });

    const record = merge.moved as MergeRecord;
    const now = new Date();
    // The survivor's fields, where they still hold what the merge set.
    const restore: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(record.survivor.before)) {
      if (sameValue(survivor[column as keyof PersonWithOffice], record.survivor.after[column])) restore[column] = value;
    }
    // The search columns follow the names restored (a merge recorded before a search column existed did not keep it).
    if (SEARCH_COLUMNS.some((c) => c in restore)) {
      Object.assign(restore, searchColumnsOf((column) => (column in restore ? restore[column] : survivor[column])));
    }
    // Moved rows go back, by id, to the merged record and their former office.
    for (const table of MOVED_TABLES) {
      for (const r of record.rows[table] ?? []) {
        if (KEEPS_OFFICE.has(table)) {
          // A case keeps the office it is at now (it may have been transferred since the merge).
          const back = await sql`UPDATE ${sql.table(table)} SET person_id = ${merged.id} WHERE id = ${r.id} AND person_id = ${survivor.id} RETURNING office_id`.execute(trx);
          const officeId = (back.rows[0] as { office_id: string } | undefined)?.office_id;
          if (officeId) await addEvent(trx, { id: r.id, office_id: officeId }, userId, 'person_unmerged', { survivorId: survivor.id, mergedId: merged.id });
        } else await sql`UPDATE ${sql.table(table)} SET person_id = ${merged.id}, office_id = ${r.officeId} WHERE id = ${r.id} AND person_id = ${survivor.id}`.execute(trx);
      }
    }
    // Households.
    const h = record.household;
    // The membership the survivor took over goes (unless the survivor has left that household since: history stays).
    if (h.insertedMembershipId) await trx.deleteFrom('household_membership').where('id', '=', h.insertedMembershipId).where('person_id', '=', survivor.id).where('left_at', 'is', null).execute();
    let mergedHousehold: { household_id: string | null; relationship: string | null } | null = null;
    if (h.endedMembershipId) {
      // The merged record's membership comes back, unless it has joined a household since.
      const openNow = await trx.selectFrom('household_membership').select('id').where('person_id', '=', merged.id).where('left_at', 'is', null).executeTakeFirst();
      if (!openNow) {
        await trx.updateTable('household_membership').set({ left_at: null, removed_by: null }).where('id', '=', h.endedMembershipId).execute();
        mergedHousehold = { household_id: record.merged.householdId, relationship: record.merged.relationship };
      }
    }
    if (h.headChanged) {
      const hh = await trx.selectFrom('household').select(['id', 'head_person_id', 'version']).where('id', '=', h.headChanged.householdId).forUpdate().executeTakeFirst();
      if (hh && hh.head_person_id === h.headChanged.headAfter) await trx.updateTable('household').set({ head_person_id: h.headChanged.headBefore, version: hh.version + 1, updated_at: now }).where('id', '=', hh.id).execute();
    } else if (h.endedMembershipId || h.insertedMembershipId) {
      const hhId = record.merged.householdId;
      if (hhId) await trx.updateTable('household').set((eb) => ({ version: eb('version', '+', 1), updated_at: now })).where('id', '=', hhId).execute();
    }

    await trx.updateTable('person').set({ ...restore, version: survivor.version + 1, updated_at: now }).where('id', '=', survivor.id).execute();
    await trx.updateTable('person').set({ merged_into: null, ...(mergedHousehold ?? {}), version: merged.version + 1, updated_at: now }).where('id', '=', merged.id).execute();
    if (record.pair) {
      const pair = await trx.selectFrom('match_pair').select(['id', 'status', 'version']).where('id', '=', record.pair.id).forUpdate().executeTakeFirst();
      if (pair && pair.status === 'merged') {
        await trx
          .updateTable('match_pair')
          .set({ status: record.pair.statusBefore as MatchPairRow['status'], version: pair.version + 1, updated_at: now, ...(record.pair.setDecided ? { decided_by: null, decided_at: null } : {}) })
          .where('id', '=', pair.id)
          .execute();
      }
    }
    const row = await trx.updateTable('person_merge').set({ unmerged_by: userId, unmerged_at: now }).where('id', '=', merge.id).returningAll().executeTakeFirstOrThrow();
    const dto = toMergeDto(row);
    const restoredColumns = Object.keys(restore).filter((c) => !(SEARCH_COLUMNS as readonly string[]).includes(c));
    const restoredFields = restoredColumns.map(fieldName);
    await trx.insertInto('person_change').values({ person_id: survivor.id, office_id: survivor.office_id, version: survivor.version + 1, action: 'unmerge.survivor', changed_by: userId, changes: { ...Object.fromEntries(restoredColumns.map((c) => [fieldName(c), { from: survivor[c as keyof PersonWithOffice] ?? null, to: restore[c] ?? null }])), unmerge: { mergeId: merge.id } } }).execute();
    await trx.insertInto('person_change').values({ person_id: merged.id, office_id: merged.office_id, version: merged.version + 1, action: 'unmerge.merged', changed_by: userId, changes: { mergedInto: { from: survivor.id, to: null }, unmerge: { mergeId: merge.id } } }).execute();
    await writeAudit(trx, {
      actorId: userId,
      action: 'person.unmerge',
      entityType: 'person',
      entityId: survivor.id,
      officeId: survivor.office_id,
      requestId: actor.requestId,
      purpose: 'duplicate_review',
      changedFields: restoredFields,
      details: { mergeId: merge.id, mergedId: merged.id, moved: dto.moved },
    });
    return dto;
  });
}
