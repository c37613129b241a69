/**
 * Batch deduplication: prepare → estimate parameters (no labels) → block → score (worker threads) → cluster.
 * No database, no clock in the results (timings are reported separately); the same records, options and seed
 * give the same clusters, pairs and parameters, with any number of workers.
 */
import { blockTasks, buildBlocking, type BlockingOptions, type RuleReport } from './blocking.ts';
import { clusterPairs, expandClusters, type ClusterOptions, type ClusterResult } from './cluster.ts';
import { refineWithLabels, type ReviewLabel } from './learn.ts';
import { Scorer, termFrequencies, weightOf, type Explanation, type ModelParams, type TermFrequencies } from './model.ts';
import { trainParams, trainParamsWith, uOptions, type TrainOptions, type TrainReport } from './train.ts';
import { buildBlockingInWorker, defaultWorkers, estimateUInWorker, scoreInParallel } from './parallel.ts';
import { type MatchRecord } from './record.ts';
import { type ScoredPairs } from './score-pairs.ts';
import { seededRandom } from './strings.ts';
import { prepareRecords } from './prepare.ts';
import { prepareInWorkers } from './prepare-parallel.ts';
import { exactDuplicates, shareTable, subsetTable, type PreparedTable } from './table.ts';

export type DedupeStage = 'prepare' | 'train' | 'block' | 'score' | 'cluster';

export interface DedupeProgress {
  stage: DedupeStage;
  done: number;
  total: number;
}

export interface DedupeOptions extends Omit<ClusterOptions, 'mustLink' | 'cannotLink'> {
  /** Parameters to use as they are (no estimation). */
  params?: ModelParams;
  train?: TrainOptions;
  blocking?: BlockingOptions;
  /** Worker threads for scoring: 0 scores in this thread; default one per core (none for small inputs). */
  workers?: number;
  seed?: number;
  /** Reviewer decisions (record indices): refine the parameters and constrain the clusters. */
  labels?: readonly ReviewLabel[];
  /** Keep (and return) pairs with probability at or above this; default the review threshold. */
  keepAbove?: number;
  onProgress?: (p: DedupeProgress) => void;
  /** Aborts the run (between stages, and between scoring tasks): the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * From this many records on, preparing, blocking and u's estimation run on worker threads (default 100,000 records
   * for preparing, 50,000 distinct ones for the others); for tests, which check that the result does not change.
   */
  parallelFrom?: number;
}

export interface DedupeResult {
  table: PreparedTable;
  params: ModelParams;
  tf: TermFrequencies;
  training: TrainReport | null;
  blocking: RuleReport[];
  /** Scored pairs kept (probability ≥ keepAbove), i < j, in a deterministic order. */
  pairs: ScoredPairs;
  clusters: ClusterResult;
  stats: {
    records: number;
    /** Records identical in every field to an earlier one (matched through it). */
    exactDuplicates: number;
    /** Candidate pairs compared (after blocking, each pair once). */
    pairsScored: number;
    pairsKept: number;
    workers: number;
    /** Milliseconds per stage (not part of the deterministic result). */
    timings: Record<DedupeStage, number>;
  };
  /** The per-field explanation of any pair of records (indices). */
  explain(i: number, j: number): Explanation;
}

/**
 * Parameters are estimated on a seeded random sample of this many records when there are more: m, u and λ are
 * properties of pairs, which a uniform sample keeps (λ, the share of pairs that match, included: true pairs and all
 * pairs both shrink by the square of the sampling rate), and 200,000 records give every training session tens of
 * thousands of pairs. On 1,000,000 records training takes 7.3 s of CPU instead of 12–13 s (the rest is fixed: 1,000,000
 * random pairs for u, 500,000 per estimation session).
 */
export const TRAIN_SAMPLE = 200_000;

/** A seeded random sample of `k` of the indices 0..n−1, in increasing order (a partial Fisher–Yates shuffle). */
export function sampleIndices(n: number, k: number, seed: number): Int32Array {
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const rand = seededRandom(seed);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const x = all[i]!;
    all[i] = all[j]!;
    all[j] = x;
  }
  return all.subarray(0, k).sort();
}

/**
 * From this many records on, the blocks are built on a worker thread and u is estimated on another, beside the
 * training sessions here (starting a worker costs ~0.3 s): 100,000 records take ~2 s less.
 */
const BLOCK_IN_WORKER = 50_000;

/**
 * From this many records on, they are prepared on several threads (prepare-parallel.ts: this one and the workers each
 * take a share): the prepare stage of 1,000,000 records takes 11–12 s instead of ~20.
 */
const PREPARE_IN_WORKERS = 100_000;

/** Below this many candidate pairs, starting worker threads costs more than it saves. */
const INLINE_PAIRS = 300_000;

export function autoWorkers(report: readonly RuleReport[]): number {
  const pairs = report.reduce((a, r) => a + r.pairs, 0);
  return pairs < INLINE_PAIRS ? 0 : defaultWorkers();
}

export async function dedupe(input: readonly MatchRecord[] | PreparedTable, options: DedupeOptions = {}): Promise<DedupeResult> {
  const timings: Record<DedupeStage, number> = { prepare: 0, train: 0, block: 0, score: 0, cluster: 0 };
  const progress = options.onProgress ?? (() => undefined);
  let t0 = performance.now();
  const lap = (stage: DedupeStage) => {
    const now = performance.now();
    timings[stage] = now - t0;
    t0 = now;
  };
  const seed = options.seed ?? 1;
  const threads = options.workers ?? defaultWorkers();
  const full = !Array.isArray(input)
    ? (input as PreparedTable)
    : threads > 0 && input.length >= (options.parallelFrom ?? PREPARE_IN_WORKERS)
      ? await prepareInWorkers(input as readonly MatchRecord[], { workers: threads, ...(options.signal ? { signal: options.signal } : {}), ...(options.parallelFrom === undefined ? {} : { minChunk: 1 }) })
      : prepareRecords(input as readonly MatchRecord[]);
  // Records identical in every field are matched once, through their first occurrence (a file of one record
  // repeated millions of times becomes one record to match).
  const { representative, duplicates } = exactDuplicates(full);
  const reps: number[] = [];
  const workIndex = new Int32Array(full.n);
  for (let i = 0; i < full.n; i++) {
    if (representative[i] === i) {
      workIndex[i] = reps.length;
      reps.push(i);
    } else workIndex[i] = workIndex[representative[i]!]!;
  }
  const prepared = duplicates > 0 ? subsetTable(full, reps) : full;
  // A large file's blocks are built in a worker thread while this one estimates the parameters. Its table is put in
  // shared memory once, here: the blocking worker and then the scoring workers read the same copy.
  const inWorker = !options.params && threads > 0 && prepared.n >= (options.parallelFrom ?? BLOCK_IN_WORKER);
  const table = inWorker ? (shareTable(prepared) as PreparedTable) : prepared;
  progress({ stage: 'prepare', done: full.n, total: full.n });
  lap('prepare');
  options.signal?.throwIfAborted();

  const blockingPromise = inWorker ? buildBlockingInWorker(table, options.blocking, options.signal) : null;
  blockingPromise?.catch(() => undefined);
  const tf = termFrequencies(table);
  let params = options.params;
  let training: TrainReport | null = null;
  if (!params) {
    progress({ stage: 'train', done: 0, total: 1 });
    const trainOn = table.n > TRAIN_SAMPLE ? subsetTable(table, sampleIndices(table.n, TRAIN_SAMPLE, seed)) : table;
    const trainOptions = { seed, ...options.train };
    // Beside the blocking worker, u is estimated on another while this thread compares the sessions' pairs.
    const trained = inWorker ? await trainParamsWith(trainOn, trainOptions, estimateUInWorker(trainOn, uOptions(trainOptions), options.signal)) : trainParams(trainOn, trainOptions);
    params = trained.params;
    training = trained.report;
  }
  const labels = options.labels ?? [];
  if (labels.length > 0) params = refineWithLabels(table, params, tf, labels.map((l) => ({ ...l, i: workIndex[l.i]!, j: workIndex[l.j]! })).filter((l) => l.i !== l.j)).params;
  progress({ stage: 'train', done: 1, total: 1 });
  lap('train');
  options.signal?.throwIfAborted();

  const blocking = blockingPromise ? await blockingPromise : buildBlocking(table, options.blocking);
  const tasks = blockTasks(blocking);
  progress({ stage: 'block', done: 1, total: 1 });
  lap('block');

  const sameThreshold = options.sameThreshold ?? 0.9;
  const reviewThreshold = Math.min(options.reviewThreshold ?? 0.5, sameThreshold);
  const keepAbove = Math.min(options.keepAbove ?? reviewThreshold, reviewThreshold);
  const workers = options.workers ?? autoWorkers(blocking.report);
  const pairs = await scoreInParallel(
    { table, params, tf, blocking, minWeight: weightOf(keepAbove) },
    tasks,
    { workers, onProgress: (p) => progress({ stage: 'score', done: p.tasksDone, total: p.tasks }), ...(options.signal ? { signal: options.signal } : {}) },
  );
  lap('score');
  options.signal?.throwIfAborted();

  const scorer = new Scorer(table, params, tf);
  const toWork = (i: number) => workIndex[i]!;
  const workClusters = clusterPairs(table.ids, pairs, (i, j) => scorer.score(i, j), {
    ...options,
    sameThreshold,
    reviewThreshold,
    mustLink: labels.filter((l) => l.decision === 'same').map((l) => [toWork(l.i), toWork(l.j)] as const),
    cannotLink: labels.filter((l) => l.decision === 'different').map((l) => [toWork(l.i), toWork(l.j)] as const),
  });
  const clusters = duplicates > 0 ? expandClusters(full.ids, workClusters, workIndex, reps) : workClusters;
  const outPairs = duplicates > 0 ? { ...pairs, i: pairs.i.map((w) => reps[w]!), j: pairs.j.map((w) => reps[w]!) } : pairs;
  progress({ stage: 'cluster', done: 1, total: 1 });
  lap('cluster');

  const fullScorer = duplicates > 0 ? new Scorer(full, params, tf) : scorer;
  return {
    table: full,
    params,
    tf,
    training,
    blocking: blocking.report,
    pairs: outPairs,
    clusters,
    stats: { records: full.n, exactDuplicates: duplicates, pairsScored: pairs.scored, pairsKept: pairs.i.length, workers: Math.min(workers, tasks.length), timings },
    explain: (i, j) => fullScorer.explain(i, j),
  };
}
