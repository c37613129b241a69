/**
 * Learning from reviewers: decisions on pairs ("same", "different", "unsure") refine the parameters.
 *
 * - m: the levels seen among pairs decided "same" are counted and combined with the unsupervised estimate,
 *   which counts as `pseudoCount` pairs (so a handful of decisions nudges m, a thousand dominate it).
 * - The threshold: the probability that best separates the decided pairs (fewest errors), when there are enough
 *   decisions of both kinds.
 * - "unsure" decisions are stored but teach nothing. u stays as estimated from random pairs: the pairs reviewers
 *   see are chosen because they are hard, so their non-matches are not representative of non-matches in general.
 * The clustering also takes decisions as constraints (dedupe: `labels`): "same" pairs are joined, "different"
 * pairs are never put in one cluster.
 */
import { FIELD_COUNT, LEVEL_COUNTS } from './compare.ts';
import { Scorer, probabilityOf, type ModelParams, type TermFrequencies } from './model.ts';
import { type TableData } from './table.ts';

export interface ReviewLabel {
  /** Record indices. */
  i: number;
  j: number;
  decision: 'same' | 'different' | 'unsure';
}

export interface RefineResult {
  params: ModelParams;
  /** The probability threshold that best separates the decided pairs, or null with too few decisions. */
  suggestedThreshold: number | null;
  same: number;
  different: number;
}

export function refineWithLabels(table: TableData, params: ModelParams, tf: TermFrequencies | null, labels: readonly ReviewLabel[], options: { pseudoCount?: number } = {}): RefineResult {
  const k = options.pseudoCount ?? 50;
  const base = new Scorer(table, params, tf);
  const counts = LEVEL_COUNTS.map((n) => new Array<number>(n).fill(0));
  let same = 0;
  let different = 0;
  for (const l of labels) {
    if (l.decision !== 'same') {
      if (l.decision === 'different') different++;
      continue;
    }
    same++;
    base.comparer.compare(Math.min(l.i, l.j), Math.max(l.i, l.j), base.levels);
    for (let f = 0; f < FIELD_COUNT; f++) counts[f]![base.levels[f]!]!++;
  }
  const refined: ModelParams = structuredClone(params);
  refined.fields.forEach((field, f) => {
    const c = counts[f]!;
    const present = c.slice(1).reduce((a, b) => a + b, 0);
    if (present === 0) return;
    field.m = field.m.map((m, l) => (l === 0 ? 1 : Math.max(1e-6, (k * m + c[l]!) / (k + present))));
  });
  refined.training = { ...(params.training ?? {}), labels: { same, different, pseudoCount: k } };

  let suggestedThreshold: number | null = null;
  if (same >= 5 && different >= 5) {
    const scorer = new Scorer(table, refined, tf);
    const scored = labels
      .filter((l) => l.decision !== 'unsure')
      .map((l) => ({ p: probabilityOf(scorer.score(Math.min(l.i, l.j), Math.max(l.i, l.j))), same: l.decision === 'same' }))
      .sort((a, b) => a.p - b.p);
    // Errors when the threshold sits just above scored[x - 1]: "same" pairs below it, "different" pairs at or above.
    let sameBelow = 0;
    let differentAbove = scored.filter((s) => !s.same).length;
    let bestErrors = Infinity;
    let bestRange: [number, number] = [0.5, 0.5];
    for (let x = 0; x <= scored.length; x++) {
      if (x > 0) {
        if (scored[x - 1]!.same) sameBelow++;
        else differentAbove--;
      }
      if (x > 0 && x < scored.length && scored[x]!.p === scored[x - 1]!.p) continue;
      const errors = sameBelow + differentAbove;
      const lo = x === 0 ? 0 : scored[x - 1]!.p;
      const hi = x === scored.length ? 1 : scored[x]!.p;
      if (errors < bestErrors) {
        bestErrors = errors;
        bestRange = [lo, hi];
      }
    }
    suggestedThreshold = Math.min(0.99, Math.max(0.5, (bestRange[0] + bestRange[1]) / 2));
  }
  return { params: refined, suggestedThreshold, same, different };
}
