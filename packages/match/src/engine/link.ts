/**
 * Linking two lists of people (each list without duplicates of its own): the same model as deduplication, on
 * pairs across the lists only, then a one-to-one assignment — strongest links first, each record linked at most
 * once (a greedy maximum-weight matching, deterministic).
 */
import { blockTasks, buildBlocking, type BlockingOptions, type RuleReport } from './blocking.ts';
import { Scorer, probabilityOf, termFrequencies, weightOf, type Explanation, type ModelParams } from './model.ts';
import { trainParams, type TrainOptions, type TrainReport } from './train.ts';
import { autoWorkers } from './dedupe.ts';
import { scoreInParallel } from './parallel.ts';
import { TableBuilder } from './prepare.ts';
import { type MatchRecord } from './record.ts';
import { type PreparedTable } from './table.ts';

export interface LinkOptions {
  /** Links need at least this probability (default 0.9). */
  threshold?: number;
  params?: ModelParams;
  train?: TrainOptions;
  blocking?: BlockingOptions;
  workers?: number;
  seed?: number;
}

export interface Link {
  /** Index in the left list. */
  left: number;
  /** Index in the right list. */
  right: number;
  leftId: string;
  rightId: string;
  probability: number;
  matchWeight: number;
}

export interface LinkResult {
  links: Link[];
  /** Both lists in one table: left records first, then right records (index leftCount + right). */
  table: PreparedTable;
  leftCount: number;
  params: ModelParams;
  training: TrainReport | null;
  blocking: RuleReport[];
  pairsScored: number;
  /** Candidate pairs above the threshold that lost to a stronger link of one of their records. */
  displaced: number;
  explain(left: number, right: number): Explanation;
}

function checkUnique(records: readonly MatchRecord[], side: string): void {
  const seen = new Set<string>();
  for (const r of records) {
    const id = String(r.id);
    if (seen.has(id)) throw new Error(`duplicate record id "${id.slice(0, 100)}" in the ${side} list`);
    seen.add(id);
  }
}

export async function linkLists(left: readonly MatchRecord[], right: readonly MatchRecord[], options: LinkOptions = {}): Promise<LinkResult> {
  checkUnique(left, 'left');
  checkUnique(right, 'right');
  const builder = new TableBuilder();
  for (const r of left) builder.add(r);
  for (const r of right) builder.add(r);
  const table = builder.build();
  const leftCount = left.length;
  const seed = options.seed ?? 1;
  const tf = termFrequencies(table);
  let params = options.params;
  let training: TrainReport | null = null;
  if (!params) {
    const trained = trainParams(table, { seed, ...options.train, leftCount });
    params = trained.params;
    training = trained.report;
  }
  const threshold = options.threshold ?? 0.9;
  const blocking = buildBlocking(table, { ...options.blocking, leftCount });
  const pairs = await scoreInParallel({ table, params, tf, blocking, minWeight: weightOf(threshold) }, blockTasks(blocking), { workers: options.workers ?? autoWorkers(blocking.report) });
  // One-to-one: strongest first; ties by indices, so the result does not depend on the order pairs were scored in.
  const order = Array.from(pairs.i.keys()).sort((x, y) => pairs.weight[y]! - pairs.weight[x]! || pairs.i[x]! - pairs.i[y]! || pairs.j[x]! - pairs.j[y]!);
  const used = new Uint8Array(table.n);
  const links: Link[] = [];
  let displaced = 0;
  for (const k of order) {
    const a = pairs.i[k]!;
    const b = pairs.j[k]!;
    if (used[a] || used[b]) {
      displaced++;
      continue;
    }
    used[a] = 1;
    used[b] = 1;
    const [l, r] = a < leftCount ? [a, b] : [b, a];
    links.push({ left: l, right: r - leftCount, leftId: table.ids[l]!, rightId: table.ids[r]!, probability: probabilityOf(pairs.weight[k]!), matchWeight: pairs.weight[k]! });
  }
  links.sort((x, y) => x.left - y.left);
  const scorer = new Scorer(table, params, tf);
  return {
    links,
    table,
    leftCount,
    params,
    training,
    blocking: blocking.report,
    pairsScored: pairs.scored,
    displaced,
    explain: (l, r) => scorer.explain(l, leftCount + r),
  };
}
