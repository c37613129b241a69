/**
 * Quality against ground truth: pairwise precision, recall and F1, of clusters or of scored pairs at thresholds.
 */
import { weightOf } from './model.ts';
import { type ScoredPairs } from './score-pairs.ts';

export interface Quality {
  truePairs: number;
  predictedPairs: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

function quality(truePairs: number, predictedPairs: number, truePositives: number): Quality {
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs, predictedPairs, truePositives, precision, recall, f1 };
}

const pairsOf = (k: number) => (k * (k - 1)) / 2;

/** True pairs (records sharing an entity); in link mode only pairs across the two lists. */
export function countTruePairs(entity: readonly string[], leftCount?: number): number {
  const counts = new Map<string, [number, number]>();
  entity.forEach((e, i) => {
    const c = counts.get(e) ?? counts.set(e, [0, 0]).get(e)!;
    c[leftCount !== undefined && i >= leftCount ? 1 : 0]++;
  });
  let total = 0;
  for (const [a, b] of counts.values()) total += leftCount === undefined ? pairsOf(a + b) : a * b;
  return total;
}

/** Pairwise quality of a clustering: every pair of records in one cluster is a predicted match. */
export function clusterQuality(clusterOf: ArrayLike<number>, entity: readonly string[]): Quality {
  const size = new Map<number, number>();
  const both = new Map<string, number>();
  for (let i = 0; i < entity.length; i++) {
    const c = clusterOf[i]!;
    size.set(c, (size.get(c) ?? 0) + 1);
    const key = `${c}\u0000${entity[i]}`;
    both.set(key, (both.get(key) ?? 0) + 1);
  }
  let predicted = 0;
  for (const s of size.values()) predicted += pairsOf(s);
  let tp = 0;
  for (const s of both.values()) tp += pairsOf(s);
  return quality(countTruePairs(entity), predicted, tp);
}

/** Quality of a set of links (pairs of record indices, e.g. a one-to-one linkage). */
export function linkQuality(links: readonly { i: number; j: number }[], entity: readonly string[], leftCount: number): Quality {
  let tp = 0;
  for (const l of links) if (entity[l.i] === entity[l.j]) tp++;
  return quality(countTruePairs(entity, leftCount), links.length, tp);
}

/** Quality of the scored pairs at each probability threshold (pairs below the lowest were not kept). */
export function pairQuality(pairs: ScoredPairs, entity: readonly string[], thresholds: readonly number[], truePairs = countTruePairs(entity)): (Quality & { threshold: number })[] {
  return thresholds.map((threshold) => {
    const w = weightOf(threshold);
    let predicted = 0;
    let tp = 0;
    for (let k = 0; k < pairs.i.length; k++) {
      if (pairs.weight[k]! < w) continue;
      predicted++;
      if (entity[pairs.i[k]!] === entity[pairs.j[k]!]) tp++;
    }
    return { threshold, ...quality(truePairs, predicted, tp) };
  });
}
