import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, MatchPairTable } from '@passage/db';
import { dedupe, paramsToJSON, probabilityOf, type DedupeProgress, type MatchRecord, type ReviewLabel } from '@passage/match';
import { selectMatchPeople, toExplanationDto, toMatchRecord } from './match.repository.ts';

/** The job's name on the queue. */
export const MATCH_JOB = 'match.run';
/** Pairs stored for review per run, strongest first (the rest are counted in the run's message). */
export const MAX_STORED_PAIRS = 50_000;
/** At or above: the engine would call the pair the same person (a human still confirms). */
export const SAME_THRESHOLD = 0.9;
/** From here to the "same" threshold: the review band. */
export const REVIEW_THRESHOLD = 0.5;
/** People read per query while loading. */
const LOAD_PAGE = 10_000;
/** Pairs written per statement. */
const SAVE_CHUNK = 500;
/** At most one progress write per this many milliseconds (stage changes are always written). */
const PROGRESS_EVERY_MS = 500;
/** How often a running job looks for a cancellation. */
const CANCEL_POLL_MS = 1000;
/** One lock for saving pairs: two runs over overlapping offices do not interleave their writes. */
const SAVE_LOCK_KEY = 0x6d617463; // "matc"

export interface MatchJobDeps {
  db: Kysely<Database>;
}

type Stage = 'prepare' | 'train' | 'block' | 'score' | 'cluster' | 'save';

/** Where each stage sits in the run's overall progress (0..1). */
const SPAN: Record<Stage, [number, number]> = {
  prepare: [0, 0.15],
  train: [0.15, 0.3],
  block: [0.3, 0.35],
  score: [0.35, 0.8],
  cluster: [0.8, 0.85],
  save: [0.85, 1],
};

/** Writes stage and progress to the run, throttled; writes are chained so they land in order. */
function progressWriter(db: Kysely<Database>, runId: string) {
  let lastAt = 0;
  let lastStage: Stage | null = null;
  let pending: { stage: Stage; progress: number } | null = null;
  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    const p = pending;
    pending = null;
    if (!p) return;
    chain = chain
      .then(() => db.updateTable('match_run').set({ stage: p.stage, progress: p.progress }).where('id', '=', runId).where('status', '=', 'running').execute())
      .then(
        () => undefined,
        () => undefined,
      );
  };
  return {
    report(stage: Stage, fraction: number): void {
      const [from, to] = SPAN[stage];
      pending = { stage, progress: Math.min(1, from + (to - from) * Math.max(0, Math.min(1, fraction))) };
      const now = Date.now();
      if (stage !== lastStage || now - lastAt >= PROGRESS_EVERY_MS) {
        lastStage = stage;
        lastAt = now;
        flush();
      }
    },
    async settle(): Promise<void> {
      flush();
      await chain;
    },
  };
}

/**
 * Runs one deduplication run: loads the people of the run's offices (not merged ones), passes the reviewers'
 * decisions on them to the engine as labels, and stores the pairs for review — the review band, the pairs the
 * chaining guard refused and the pairs at or above the "same" threshold, each with its explanation. Pairs
 * already decided are kept as they are and not queued again; open pairs of earlier runs over these offices that
 * this run no longer finds are dropped.
 */
export async function runMatchJob(deps: MatchJobDeps, runId: string): Promise<void> {
  const { db } = deps;
  const run = await db.selectFrom('match_run').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run || run.status !== 'queued') return;
  await db.updateTable('match_run').set({ status: 'running', started_at: new Date(), stage: 'prepare', progress: 0 }).where('id', '=', runId).execute();
  const progress = progressWriter(db, runId);
  const offices = run.scope_office_ids;
  // A cancellation is asked for in the database (by any process): look for it every second, and abort.
  const abort = new AbortController();
  const watch = setInterval(() => {
    void db
      .selectFrom('match_run')
      .select('cancel_requested')
      .where('id', '=', runId)
      .executeTakeFirst()
      .then((r) => {
        if (r?.cancel_requested) abort.abort();
      }, () => undefined);
  }, CANCEL_POLL_MS);
  watch.unref();
  try {
    // Load the people, in pages (keyset on id).
    const records: MatchRecord[] = [];
    const officeOf: string[] = [];
    const total = offices.length === 0 ? 0 : Number((await db.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n')).where('office_id', 'in', offices).where('merged_into', 'is', null).executeTakeFirstOrThrow()).n);
    let after: string | null = null;
    while (offices.length > 0) {
      let q = selectMatchPeople(db)
        .where('p.office_id', 'in', offices)
        .where('p.merged_into', 'is', null)
        .orderBy('p.id')
        .limit(LOAD_PAGE);
      if (after) q = q.where('p.id', '>', after);
      const rows = await q.execute();
      for (const r of rows) {
        records.push(toMatchRecord(r));
        officeOf.push(r.office_id);
      }
      progress.report('prepare', total === 0 ? 1 : (0.5 * records.length) / total);
      abort.signal.throwIfAborted();
      if (rows.length < LOAD_PAGE) break;
      after = rows.at(-1)!.id;
    }
    if (records.length < 2) {
      await progress.settle();
      await db
        .updateTable('match_run')
        .set({ status: 'succeeded', stage: 'save', progress: 1, records: records.length, finished_at: new Date(), message: records.length === 0 ? 'No people to compare in these offices.' : 'Only one person in these offices: nothing to compare.' })
        .where('id', '=', runId)
        .execute();
      return;
    }

    // Reviewers' decisions on these people: labels for the engine, and pairs not to queue again.
    const index = new Map(records.map((r, i) => [r.id, i]));
    const decided = await db
      .selectFrom('match_pair as mp')
      .innerJoin('person as pa', 'pa.id', 'mp.person_a')
      .innerJoin('person as pb', 'pb.id', 'mp.person_b')
      .select(['mp.person_a', 'mp.person_b', 'mp.status'])
      .where('mp.status', '!=', 'open')
      .where('pa.office_id', 'in', offices)
      .where('pb.office_id', 'in', offices)
      .execute();
    const decidedKeys = new Set(decided.map((d) => `${d.person_a}|${d.person_b}`));
    const labels: ReviewLabel[] = [];
    for (const d of decided) {
      const i = index.get(d.person_a);
      const j = index.get(d.person_b);
      if (i === undefined || j === undefined) continue;
      labels.push({ i, j, decision: d.status === 'different' ? 'different' : d.status === 'unsure' ? 'unsure' : 'same' });
    }

    const onProgress = (p: DedupeProgress) => progress.report(p.stage, p.stage === 'prepare' ? 1 : p.total > 0 ? p.done / p.total : 1);
    const result = await dedupe(records, { sameThreshold: SAME_THRESHOLD, reviewThreshold: REVIEW_THRESHOLD, labels, seed: 1, onProgress, signal: abort.signal });

    // The pairs for review: the review band and chaining-guard refusals, and the pairs at or above the "same" threshold.
    const candidates = new Map<string, { i: number; j: number; probability: number; reason: string }>();
    const keyOf = (i: number, j: number) => {
      const a = records[i]!.id;
      const b = records[j]!.id;
      return a < b ? `${a}|${b}` : `${b}|${a}`;
    };
    for (const r of result.clusters.review) candidates.set(keyOf(r.i, r.j), { i: r.i, j: r.j, probability: r.probability, reason: r.reason });
    for (let k = 0; k < result.pairs.i.length; k++) {
      const probability = probabilityOf(result.pairs.weight[k]!);
      if (probability < SAME_THRESHOLD) continue;
      const i = result.pairs.i[k]!;
      const j = result.pairs.j[k]!;
      const key = keyOf(i, j);
      if (!candidates.has(key)) candidates.set(key, { i, j, probability, reason: 'above the same threshold' });
    }
    const queue = [...candidates.entries()].filter(([key]) => !decidedKeys.has(key)).sort((x, y) => y[1].probability - x[1].probability || (x[0] < y[0] ? -1 : 1));
    const kept = queue.slice(0, MAX_STORED_PAIRS);
    const clusterIds = result.clusters.clusterIds;

    const rows: Insertable<MatchPairTable>[] = kept.map(([key, c]) => {
      const [a, b] = key.split('|') as [string, string];
      const ia = index.get(a)!;
      const ca = clusterIds[c.i]!;
      const cb = clusterIds[c.j]!;
      return {
        run_id: runId,
        office_id: officeOf[ia]!,
        person_a: a,
        person_b: b,
        probability: c.probability,
        cluster_id: ca <= cb ? ca : cb,
        reason: c.reason,
        explanation: toExplanationDto(result.explain(c.i, c.j)),
      };
    });
    progress.report('save', 0);

    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${SAVE_LOCK_KEY})`.execute(trx);
      // The last moment to stop: a cancellation asked for before the save stores nothing.
      const state = await trx.selectFrom('match_run').select('cancel_requested').where('id', '=', runId).forUpdate().executeTakeFirstOrThrow();
      if (state.cancel_requested) abort.abort();
      abort.signal.throwIfAborted();
      for (let k = 0; k < rows.length; k += SAVE_CHUNK) {
        const chunk = rows.slice(k, k + SAVE_CHUNK).map((r) => ({ ...r, explanation: JSON.stringify(r.explanation) }));
        await trx
          .insertInto('match_pair')
          .values(chunk)
          .onConflict((oc) =>
            oc
              .columns(['person_a', 'person_b'])
              // A literal, not a parameter: the predicate must match the partial unique index when the statement is planned.
              .where(sql<boolean>`status = 'open'`)
              .doUpdateSet((eb) => ({
                run_id: eb.ref('excluded.run_id'),
                probability: eb.ref('excluded.probability'),
                cluster_id: eb.ref('excluded.cluster_id'),
                reason: eb.ref('excluded.reason'),
                explanation: eb.ref('excluded.explanation'),
                office_id: eb.ref('excluded.office_id'),
                updated_at: new Date(),
                version: sql<number>`match_pair.version + 1`,
              })),
          )
          .execute();
        progress.report('save', (k + chunk.length) / rows.length);
      }
      // Open pairs of earlier runs over these offices that this run did not find again (or whose people were merged).
      await sql`DELETE FROM match_pair mp USING person pa, person pb
                WHERE mp.person_a = pa.id AND mp.person_b = pb.id AND mp.status = 'open' AND mp.run_id IS DISTINCT FROM ${runId}
                  AND pa.office_id = ANY(${offices}::uuid[]) AND pb.office_id = ANY(${offices}::uuid[])`.execute(trx);
      const capped = queue.length > kept.length ? ` Only the ${kept.length.toLocaleString('en')} strongest of ${queue.length.toLocaleString('en')} pairs were kept for review; decide them and run again for the rest.` : '';
      const learned = labels.length > 0 ? ` ${labels.length} earlier decisions were used.` : '';
      await trx
        .updateTable('match_run')
        .set({
          status: 'succeeded',
          stage: 'save',
          progress: 1,
          records: records.length,
          pairs_scored: String(result.stats.pairsScored),
          pairs_for_review: kept.length,
          clusters: result.clusters.multiRecordClusters,
          params: JSON.stringify({ model: JSON.parse(paramsToJSON(result.params)) as unknown, sameThreshold: SAME_THRESHOLD, reviewThreshold: REVIEW_THRESHOLD, labels: labels.length }),
          finished_at: new Date(),
          message: `${records.length.toLocaleString('en')} people compared, ${kept.length.toLocaleString('en')} pairs to review, ${result.clusters.multiRecordClusters.toLocaleString('en')} groups of possible duplicates.${learned}${capped}`,
        })
        .where('id', '=', runId)
        .execute();
    });
    await progress.settle();
  } catch (error) {
    await progress.settle();
    if (abort.signal.aborted) {
      await db.updateTable('match_run').set({ status: 'cancelled', finished_at: new Date(), message: 'Cancelled; nothing was stored.' }).where('id', '=', runId).execute();
      return;
    }
    await db.updateTable('match_run').set({ status: 'failed', finished_at: new Date(), message: 'The run failed unexpectedly; nothing was stored.' }).where('id', '=', runId).execute();
    throw error;
  } finally {
    clearInterval(watch);
  }
}
