/**
 * Scoring of candidate pairs, task by task: what each worker thread runs (and the main thread, without workers).
 * Keeps only the pairs at or above a minimum match weight, in compact arrays.
 */
import { forEachPair, type Blocking } from './blocking.ts';
import { Scorer, type ModelParams, type TermFrequencies } from './model.ts';
import { type TableData } from './table.ts';

export interface ScoreTask {
  rule: number;
  from: number;
  to: number;
}

export interface ScoredPairs {
  /** Pairs kept (weight ≥ minimum): record indices i < j and the match weight. */
  i: Int32Array;
  j: Int32Array;
  weight: Float64Array;
  /** Pairs compared (including those below the minimum). */
  scored: number;
}

/** A growable set of scored pairs. */
export class PairBuffer {
  i = new Int32Array(1024);
  j = new Int32Array(1024);
  weight = new Float64Array(1024);
  length = 0;
  scored = 0;
  push(a: number, b: number, w: number): void {
    if (this.length === this.i.length) {
      const grow = <T extends Int32Array | Float64Array>(x: T): T => {
        const y = new (x.constructor as new (n: number) => T)(x.length * 2);
        y.set(x);
        return y;
      };
      this.i = grow(this.i);
      this.j = grow(this.j);
      this.weight = grow(this.weight);
    }
    this.i[this.length] = a;
    this.j[this.length] = b;
    this.weight[this.length] = w;
    this.length++;
  }
  done(): ScoredPairs {
    return { i: this.i.slice(0, this.length), j: this.j.slice(0, this.length), weight: this.weight.slice(0, this.length), scored: this.scored };
  }
}

/** Scores the pairs of the tasks with one scorer; keeps pairs with weight ≥ minWeight. */
export function scoreTasks(scorer: Scorer, blocking: Blocking, tasks: readonly ScoreTask[], minWeight: number, out = new PairBuffer()): PairBuffer {
  const visit = (i: number, j: number) => {
    const w = scorer.scoreAbove(i, j, minWeight);
    if (w >= minWeight) out.push(i, j, w);
  };
  for (const task of tasks) out.scored += forEachPair(blocking, task.rule, task.from, task.to, visit);
  return out;
}

/** Everything a worker needs to score (plain data: typed arrays may be in shared memory). */
export interface ScoringContext {
  table: TableData;
  params: ModelParams;
  tf: TermFrequencies | null;
  blocking: Blocking;
  minWeight: number;
}

export function scorerFor(ctx: ScoringContext): Scorer {
  return new Scorer(ctx.table, ctx.params, ctx.tf);
}
