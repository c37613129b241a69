import { sql, type Kysely } from 'kysely';
import type { Database } from '@passage/db';
import { MatchIndex, paramsFromJSON, priorParams, type MatchQueryResult, type MatchRecord, type ModelParams } from '@passage/match';
import { selectMatchPeople, toMatchRecord } from './match.repository.ts';

/** A registry smaller than this keeps the prior model (too few people to estimate one of its own). */
const MIN_TRAINING_RECORDS = 1_000;
/** Rows read per page while loading the index. */
const LOAD_PAGE = 5_000;
/**
 * How far back each catch-up re-reads. A transaction that set `updated_at = now()` (its start time) may commit
 * after a later one was read: re-reading a window of this length catches it (re-adding a record is idempotent).
 */
const CATCH_UP_OVERLAP_MS = 60_000;

/**
 * The registry's people in the matching engine's one-vs-all index (packages/match MatchIndex), for the duplicate
 * check at registration. Loaded once in the background when the server starts; kept in step with the database by
 * reading the people changed since the last look (by `updated_at`, which every change to a person or their
 * documents moves forward, in this process or any other), just before a check. Merged people leave the index.
 * Until it is loaded, `query` answers null and the registry falls back to its exact rules.
 *
 * One per process; memory grows with the registry (see bench/RESULTS.md, "Matching engine").
 */
export class PersonMatchIndex {
  private index: MatchIndex | null = null;
  private loading: Promise<void> | null = null;
  private catchingUp: Promise<void> | null = null;
  private watermark = new Date(0);
  private failed: unknown = null;
  /** Versions applied in the overlap window, so a re-read row is not re-indexed. */
  private readonly recent = new Map<string, { version: number; at: number }>();
  /** Imports whose people were read. */
  private readonly importsRead = new Map<string, number>();
  /** When the batch run whose model the index uses finished (null: none; the model was estimated here). */
  private paramsFrom: Date | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: (msg: string) => void = () => undefined,
  ) {}

  /** Starts loading in the background (at most once). */
  start(): Promise<void> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.failed = error;
      this.loading = null; // a later check tries again
      this.log(`The matching index could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.loading;
  }

  get ready(): boolean {
    return this.index !== null;
  }

  /** When the batch run whose model the index uses finished (null: estimated from the registry, or defaults). */
  get modelFrom(): Date | null {
    return this.paramsFrom;
  }

  get size(): number {
    return this.index?.size ?? 0;
  }

  /**
   * The people who may be the probe, best first, with the engine's explanation; null while the index is loading.
   * Reads the changes since the last look first, so a person registered a moment ago (in any process) is found.
   */
  async query(probe: MatchRecord, options: { limit?: number; minProbability?: number } = {}): Promise<MatchQueryResult | null> {
    if (!this.index) {
      void this.start();
      return null;
    }
    await this.catchUp();
    return this.index.query(probe, options);
  }

  /** Reads the people changed since the last look (coalesced: concurrent callers share one read). */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.readChanges().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  /** Uses newer model parameters (from a batch run) for later checks. */
  setParams(params: ModelParams): void {
    this.index?.setParams(params);
  }

  private async load(): Promise<void> {
    const started = Date.now();
    const stored = await this.latestParams();
    const index = new MatchIndex({ params: stored?.params ?? priorParams() });
    // The watermark is taken before reading, so a change made during the load is read again by the first catch-up.
    const { now: since } = await this.clock();
    let after: string | null = null;
    for (;;) {
      let q = selectMatchPeople(this.db).where('p.merged_into', 'is', null).orderBy('p.id').limit(LOAD_PAGE);
      if (after) q = q.where('p.id', '>', after);
      const rows = await q.execute();
      for (const row of rows) index.add(toMatchRecord(row));
      if (rows.length < LOAD_PAGE) break;
      after = rows.at(-1)!.id;
    }
    // Without a batch run's model, estimate one from the registry itself; a registry too small for that keeps the
    // prior model (estimated from synthetic registrations: see packages/match/src/engine/prior-model.ts).
    if (!stored && index.size >= MIN_TRAINING_RECORDS) index.train();
    this.index = index;
    this.paramsFrom = stored?.finishedAt ?? null;
    this.watermark = since;
    this.failed = null;
    this.log(`Matching index loaded: ${index.size} people in ${Date.now() - started} ms.`);
  }

  private async readChanges(): Promise<void> {
    const index = this.index;
    if (!index) return;
    const { now, latestRun } = await this.clock();
    // A batch run finished since the model was set (in any process): later checks use its model.
    if (latestRun && (!this.paramsFrom || latestRun > this.paramsFrom)) {
      const stored = await this.latestParams();
      if (stored) {
        index.setParams(stored.params);
        this.paramsFrom = stored.finishedAt;
      } else this.paramsFrom = latestRun;
    }
    const from = new Date(this.watermark.getTime() - CATCH_UP_OVERLAP_MS);
    // Registrations, edits, document changes and merges (the partial index person_changed_idx)…
    const changed = await selectMatchPeople(this.db)
      .select('p.version')
      .where('p.updated_at', '>=', from)
      .where((eb) => eb.or([eb('p.import_job_id', 'is', null), eb('p.version', '>', 1)]))
      .execute();
    // …and the people of imports that finished since (one transaction each, possibly long: read by their job).
    const imports = await this.db.selectFrom('import_job').select('id').where('status', '=', 'succeeded').where('finished_at', '>=', from).execute();
    const imported = [];
    for (const job of imports) {
      if (this.importsRead.has(job.id)) continue;
      imported.push(...(await selectMatchPeople(this.db).select('p.version').where('p.import_job_id', '=', job.id).where('p.version', '=', 1).execute()));
      this.importsRead.set(job.id, now.getTime());
    }
    for (const row of [...changed, ...imported]) {
      // The overlap re-reads recent rows: apply each version once.
      if (this.recent.get(row.id)?.version === row.version) continue;
      this.recent.set(row.id, { version: row.version, at: now.getTime() });
      if (row.merged_into !== null) index.remove(row.id);
      else index.update(toMatchRecord(row));
    }
    // Forget what has left the overlap window.
    const horizon = now.getTime() - 2 * CATCH_UP_OVERLAP_MS;
    for (const [id, seen] of this.recent) if (seen.at < horizon) this.recent.delete(id);
    for (const [id, at] of this.importsRead) if (at < horizon) this.importsRead.delete(id);
    this.watermark = now;
  }

  /** The database's time, and when the latest batch run with a model finished (one round trip). */
  private async clock(): Promise<{ now: Date; latestRun: Date | null }> {
    const row = await sql<{ now: Date; latest_run: Date | null }>`SELECT now() AS now, (SELECT max(finished_at) FROM match_run WHERE status = 'succeeded' AND params IS NOT NULL) AS latest_run`.execute(this.db);
    return { now: row.rows[0]!.now, latestRun: row.rows[0]!.latest_run };
  }

  /** The model of the latest successful batch run, or null. */
  private async latestParams(): Promise<{ params: ModelParams; finishedAt: Date } | null> {
    const run = await this.db.selectFrom('match_run').select(['params', 'finished_at']).where('status', '=', 'succeeded').where('params', 'is not', null).orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
    const model = (run?.params as { model?: unknown } | null | undefined)?.model;
    if (model && run?.finished_at) {
      try {
        return { params: paramsFromJSON(JSON.stringify(model)), finishedAt: run.finished_at };
      } catch {
        // Parameters of an older engine: estimated afresh until the next run.
      }
    }
    return null;
  }

  /** Why the index is not ready, for /readyz-style diagnostics (no personal data). */
  get error(): string | null {
    return this.failed === null ? null : this.failed instanceof Error ? this.failed.message : String(this.failed);
  }
}
