/**
 * How quality changes with reviewers' decisions: deduplicate without labels, let a simulated reviewer (the
 * ground truth) decide `n` candidate pairs, refine with those decisions, deduplicate again, measure.
 * Pairs to review are drawn evenly across probability bands (as a review queue would show them, from "probably
 * different" to "probably the same"), seeded.
 */
import { dedupe, type DedupeOptions } from './dedupe.ts';
import { clusterQuality, type Quality } from './evaluate.ts';
import { refineWithLabels, type ReviewLabel } from './learn.ts';
import { probabilityOf } from './model.ts';
import { type MatchRecord } from './record.ts';
import { seededRandom } from './strings.ts';

export interface LearningPoint {
  labels: number;
  threshold: number;
  quality: Quality;
}

const BANDS = [0.01, 0.2, 0.5, 0.8, 0.95, 0.99, 1.0001];

export async function learningCurve(
  records: readonly MatchRecord[],
  entity: readonly string[],
  options: { labelCounts?: readonly number[]; seed?: number; dedupe?: DedupeOptions } = {},
): Promise<LearningPoint[]> {
  const counts = options.labelCounts ?? [0, 100, 1000];
  const seed = options.seed ?? 1;
  const base = await dedupe(records, { ...options.dedupe, seed, keepAbove: 0.01 });
  const defaultThreshold = options.dedupe?.sameThreshold ?? 0.9;
  // Candidate pairs by band, shuffled (seeded).
  const bands: number[][] = BANDS.slice(1).map(() => []);
  for (let k = 0; k < base.pairs.i.length; k++) {
    const p = probabilityOf(base.pairs.weight[k]!);
    const b = BANDS.findIndex((lo, x) => p >= lo && p < BANDS[x + 1]!);
    if (b >= 0) bands[b]!.push(k);
  }
  const rand = seededRandom(seed + 99);
  for (const b of bands) {
    for (let x = b.length - 1; x > 0; x--) {
      const y = Math.floor(rand() * (x + 1));
      [b[x], b[y]] = [b[y]!, b[x]!];
    }
  }
  const out: LearningPoint[] = [];
  for (const n of counts) {
    if (n === 0) {
      out.push({ labels: 0, threshold: defaultThreshold, quality: clusterQuality(base.clusters.clusterOf, entity) });
      continue;
    }
    // Round-robin over the bands until n pairs are drawn (or none are left).
    const labels: ReviewLabel[] = [];
    const cursor = bands.map(() => 0);
    while (labels.length < n && cursor.some((c, b) => c < bands[b]!.length)) {
      for (let b = 0; b < bands.length && labels.length < n; b++) {
        if (cursor[b]! >= bands[b]!.length) continue;
        const k = bands[b]![cursor[b]!++]!;
        const i = base.pairs.i[k]!;
        const j = base.pairs.j[k]!;
        labels.push({ i, j, decision: entity[i] === entity[j] ? 'same' : 'different' });
      }
    }
    const refined = refineWithLabels(base.table, base.params, base.tf, labels);
    const threshold = refined.suggestedThreshold ?? defaultThreshold;
    const again = await dedupe(base.table, { ...options.dedupe, seed, params: refined.params, labels, sameThreshold: threshold });
    out.push({ labels: labels.length, threshold, quality: clusterQuality(again.clusters.clusterOf, entity) });
  }
  return out;
}
