/**
 * The Fellegi–Sunter model: m and u probabilities per field and level, the prior λ, term-frequency
 * adjustments, and the match weight with its per-field explanation (the "waterfall").
 *
 *   match weight M = log2(λ / (1 − λ)) + Σ log2(m_f / u_f) + term-frequency adjustments
 *   probability    = 2^M / (1 + 2^M)
 *
 * Estimation (train.ts) needs no labels (as Splink does it):
 * - u from random pairs (seeded), which are almost all non-matches;
 * - m by expectation–maximisation on blocked pairs, in sessions blocked on one thing (date of birth, the full
 *   name, the document number) where only the fields not used by the session's blocking are estimated;
 * - λ from a strict deterministic rule (same canonical name and same full date of birth), divided by that
 *   rule's recall as the estimated m and the fields' fill rates predict it.
 * Term frequencies: agreeing exactly on a common name earns less, on a rare one more; the full name too.
 */
import { Comparer, FIELD_COUNT, FIELD_LEVELS, FIELD_NAMES, F_DOB, F_FAMILY, F_GIVEN, F_MIDDLE, LEVEL_COUNTS, N_EXACT, N_JW88, N_JW92, N_MISSING, N_SUBSET, N_SWAPPED, type FieldName } from './compare.ts';
import { type TableData } from './table.ts';

export const MAX_LEVELS = Math.max(...LEVEL_COUNTS);

export interface FieldParams {
  name: FieldName;
  levels: string[];
  /** P(level | match), per level; index 0 (missing) is unused. */
  m: number[];
  /** P(level | non-match), per level; index 0 (missing) is unused. */
  u: number[];
  /**
   * P(level | non-match, the family name or name chain agrees): the non-matches that share a family name are
   * mostly relatives (siblings share the father's name, twins the birth date), not random people. Used instead of
   * u for the other fields when the family name (or, without one, the name chain) agrees. Absent: u.
   */
  uFamily?: number[];
  /**
   * P(level | non-match, the family name and the father's name both agree): almost only siblings, who rarely share
   * a given name and share a birth date only as twins. Used instead of uFamily in that context. Absent: uFamily.
   */
  uSiblings?: number[];
}

export interface ModelParams {
  kind: 'passage-match-fellegi-sunter';
  version: 1;
  /** Prior probability that two random records are the same person. */
  lambda: number;
  fields: FieldParams[];
  /** Term frequencies below this are counted as this (so one unique name does not earn an unbounded weight). */
  tfMinimum: number;
  /**
   * The full-name adjustment applies only to full names seen at least this often: a name that is only in one
   * person's own duplicate records is not a common name (default 10).
   */
  tfFullNameMinCount?: number;
  /** How the parameters were obtained, for the record. */
  training?: Record<string, unknown>;
}

/** Default m per level, before estimation (also the fallback when a field could not be estimated). */
export const DEFAULT_M: Readonly<Record<FieldName, readonly number[]>> = {
  given: [1, 0.7, 0.05, 0.08, 0.04, 0.04, 0.03, 0.02, 0.04],
  middle: [1, 0.7, 0.08, 0.06, 0.04, 0.03, 0.03, 0.06],
  family: [1, 0.75, 0.06, 0.07, 0.04, 0.03, 0.02, 0.03],
  dob: [1, 0.6, 0.03, 0.05, 0.03, 0.15, 0.06, 0.03, 0.05],
  sex: [1, 0.97, 0.03],
  nationality: [1, 0.95, 0.05],
  document: [1, 0.8, 0.1, 0.1],
  phone: [1, 0.7, 0.05, 0.25],
};

/** No level is impossible among matches: a disagreement on sex or nationality is a data-entry error sometimes. */
export const M_FLOOR = 1e-3;

export function normalised(p: readonly number[], floor = 1e-6): number[] {
  const out = p.map((x, l) => (l === 0 ? 1 : Math.max(floor, x)));
  const sum = out.slice(1).reduce((a, b) => a + b, 0);
  return out.map((x, l) => (l === 0 ? 1 : x / sum));
}

/** Parameters with default m and the given u (or flat u), for tests and as a starting point. */
export function defaultParams(u?: number[][]): ModelParams {
  return {
    kind: 'passage-match-fellegi-sunter',
    version: 1,
    lambda: 1e-4,
    tfMinimum: 1e-5,
    fields: FIELD_NAMES.map((name, f) => ({
      name,
      levels: [...FIELD_LEVELS[name]],
      m: normalised(DEFAULT_M[name]),
      u: u?.[f] ? normalised(u[f]!) : normalised(FIELD_LEVELS[name].map((_, l) => (l === 1 ? 0.01 : 1))),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Serialisation

/** The parameters as JSON text (to store and reuse). */
export function paramsToJSON(p: ModelParams): string {
  return JSON.stringify(p, null, 2);
}

/** Reads parameters written by paramsToJSON; throws a clear error on anything else. */
export function paramsFromJSON(text: string): ModelParams {
  const raw = JSON.parse(text) as Partial<ModelParams>;
  if (raw.kind !== 'passage-match-fellegi-sunter' || raw.version !== 1) throw new Error('not Passage matching parameters (kind/version)');
  if (!(typeof raw.lambda === 'number' && raw.lambda > 0 && raw.lambda < 1)) throw new Error('lambda must be in (0, 1)');
  if (!Array.isArray(raw.fields) || raw.fields.length !== FIELD_COUNT) throw new Error(`expected ${FIELD_COUNT} fields`);
  raw.fields.forEach((f, k) => {
    if (f.name !== FIELD_NAMES[k]) throw new Error(`field ${k} must be ${FIELD_NAMES[k]}`);
    const n = LEVEL_COUNTS[k]!;
    for (const key of ['m', 'u', 'uFamily', 'uSiblings'] as const) {
      const v = f[key];
      if (key !== 'm' && key !== 'u' && v === undefined) continue;
      if (!Array.isArray(v) || v.length !== n || v.some((x) => !(typeof x === 'number' && x > 0 && x <= 1))) throw new Error(`${f.name}.${key} must be ${n} probabilities`);
    }
  });
  return { ...raw, tfMinimum: typeof raw.tfMinimum === 'number' && raw.tfMinimum > 0 ? raw.tfMinimum : 1e-5 } as ModelParams;
}

// ---------------------------------------------------------------------------------------------
// Term frequencies

export interface TermFrequencies {
  /** Records counted. */
  n: number;
  /** Occurrences of each name value id (TableData.givenVal / familyVal / fullVal). */
  counts: Int32Array;
}

/** Counts the name values of a table (or of a range of its records). */
export function termFrequencies(t: TableData, from = 0, to = t.n): TermFrequencies {
  const counts = new Int32Array(t.valueCount);
  for (let i = from; i < to; i++) {
    for (const v of [t.givenVal[i]!, t.familyVal[i]!, t.fullVal[i]!]) if (v >= 0) counts[v]!++;
  }
  return { n: Math.max(1, to - from), counts };
}

// ---------------------------------------------------------------------------------------------
// Scoring

export interface FieldContribution {
  field: FieldName;
  level: number;
  label: string;
  /** log2(m / u) for the level (0 when missing). */
  weight: number;
  /** Term-frequency adjustment (exact name agreement only). */
  tfAdjustment: number;
}

/** Which u the weights of a pair come from: random pairs, or pairs that share the family name / name chain. */
export type ScoreContext = 'any' | 'same family name' | 'same name chain' | "same family and father's name";
export const CONTEXTS: readonly ScoreContext[] = ['any', 'same family name', 'same name chain', "same family and father's name"];

export interface Explanation {
  /** log2 of the prior odds λ / (1 − λ). */
  prior: number;
  /** When the family name (or name chain) agrees, the other fields are weighed against relatives, not strangers. */
  context: ScoreContext;
  fields: FieldContribution[];
  /** Adjustment for the full name (given + family) being commoner than its parts suggest (≤ 0). */
  fullNameTfAdjustment: number;
  matchWeight: number;
  probability: number;
}

/**
 * A term-frequency adjustment, floored so that exact agreement on a name never argues against a match: agreeing
 * on a very common name counts for little, not for less than nothing. Without the floor, a common given name
 * among relatives (whose u for it is already high) could get a negative weight for agreeing exactly.
 */
export function flooredTfAdjustment(exactWeight: number, adjustment: number): number {
  return Math.max(adjustment, Math.min(0, -exactWeight));
}

export function probabilityOf(weight: number): number {
  if (weight > 60) return 1;
  if (weight < -60) return 0;
  const odds = 2 ** weight;
  return odds / (1 + odds);
}

export function weightOf(probability: number): number {
  const p = Math.min(1 - 1e-15, Math.max(1e-15, probability));
  return Math.log2(p / (1 - p));
}

/** Pseudo-records of "average" frequency added to term frequencies (see Scorer). */
const TF_PRIOR_RECORDS = 500;

/**
 * Which non-matches a pair is weighed against (an index into CONTEXTS):
 * - 3 when the family name agrees (exactly, or but for a typing error) and the father's name agrees too: siblings;
 * - 1 when the family name agrees and the father's name does not, or is missing: relatives;
 * - 2 when there is no family name and the name chain (middle names) agrees;
 * - 0 otherwise, random people. A family name only *contained* in the other ("Garcia" / "Garcia Lopez") is not
 *   enough to make two people relatives: measured on the synthetic registrations, weighing those pairs against
 *   relatives cost 0.5 points of recall for nothing in precision.
 */
export function contextOf(levels: ArrayLike<number>): number {
  const f = levels[F_FAMILY]!;
  const m = levels[F_MIDDLE]!;
  if (f === N_EXACT || f === N_JW92) return m === N_EXACT || m === N_SUBSET ? 3 : 1;
  return f === N_MISSING && (m === N_EXACT || m === N_SUBSET) ? 2 : 0;
}

/**
 * Counts of name values among the records other than a pair's own, for term frequencies: a batch's counts over its
 * table, or a live index's (where the probe is not a counted record).
 */
export interface OtherRecordCounts {
  /** Records other than i and j carrying name value v of `kind` (0 given, 1 family, 2 full name). */
  others(v: number, kind: number, i: number, j: number): number;
  /** Records other than i and j. */
  total(): number;
}

/** The name value of record i of `kind` (0 given, 1 family, 2 full name), −1 when missing. */
export function nameValue(t: TableData, kind: number, i: number): number {
  return kind === 0 ? t.givenVal[i]! : kind === 1 ? t.familyVal[i]! : t.fullVal[i]!;
}

/**
 * Term-frequency adjustments of a pair, given its levels (and `weightOf`, the weight of a level of a field in the
 * pair's context): [given, family, full name] into `out`, and their sum.
 * - Exact agreement on a given or family name, and names in another order (by their given names: two very common
 *   names swapped are weak evidence): log2(u_exact) − log2(tf), floored (flooredTfAdjustment).
 * - The full name, when both agree exactly and at least tfFullNameMinCount other records carry it:
 *   min(0, log2 tf_given + log2 tf_family − log2 tf_full).
 * tf is smoothed toward u_exact with TF_PRIOR_RECORDS pseudo-records and counted over the other records only, so a
 * name carried only by one person's own duplicate records is rare, not common.
 */
export function termFrequencyAdjustments(
  params: ModelParams,
  t: TableData,
  i: number,
  j: number,
  lv: ArrayLike<number>,
  weightOf: (field: number, level: number) => number,
  counts: OtherRecordCounts,
  out: number[] | null,
): number {
  const given = lv[F_GIVEN]!;
  const givenAgrees = given === N_EXACT || given === N_SWAPPED;
  const familyAgrees = lv[F_FAMILY] === N_EXACT;
  // Most scored pairs agree on neither: nothing to compute (this runs for every pair of a batch).
  if (!givenAgrees && !familyAgrees) return 0;
  const uGiven = params.fields[F_GIVEN]!.u[N_EXACT]!;
  const uFamily = params.fields[F_FAMILY]!.u[N_EXACT]!;
  const total = Math.max(1, counts.total()) + TF_PRIOR_RECORDS;
  const log2Min = Math.log2(params.tfMinimum);
  let sum = 0;
  let lg = 0;
  let lf = 0;
  if (givenAgrees) {
    lg = pairLog2Tf(counts, t, 0, i, j, uGiven, total, log2Min);
    const a = flooredTfAdjustment(weightOf(F_GIVEN, given), Math.log2(uGiven) - lg);
    sum += a;
    if (out) out[0] = a;
  }
  if (familyAgrees) {
    lf = pairLog2Tf(counts, t, 1, i, j, uFamily, total, log2Min);
    const a = flooredTfAdjustment(weightOf(F_FAMILY, N_EXACT), Math.log2(uFamily) - lf);
    sum += a;
    if (out) out[1] = a;
  }
  if (given === N_EXACT && familyAgrees) {
    const fi = t.fullVal[i]!;
    const fj = t.fullVal[j]!;
    const others = Math.max(fi < 0 ? 0 : counts.others(fi, 2, i, j), fj < 0 ? 0 : counts.others(fj, 2, i, j));
    if (others >= (params.tfFullNameMinCount ?? 10)) {
      const a = Math.min(0, lg + lf - pairLog2Tf(counts, t, 2, i, j, uGiven * uFamily, total, log2Min));
      sum += a;
      if (out) out[2] = a;
    }
  }
  return sum;
}

/** log2 of the commoner of the two records' name values of `kind`, smoothed toward `prior` (see above). */
function pairLog2Tf(counts: OtherRecordCounts, t: TableData, kind: number, i: number, j: number, prior: number, total: number, log2Min: number): number {
  let best = log2Min;
  for (const v of [nameValue(t, kind, i), nameValue(t, kind, j)]) {
    if (v < 0) continue;
    best = Math.max(best, Math.log2((Math.max(0, counts.others(v, kind, i, j)) + TF_PRIOR_RECORDS * prior) / total));
  }
  return best;
}

/** Scores record pairs of one table with fixed parameters. Not thread-safe (scratch buffers): one per thread. */
export class Scorer {
  readonly comparer: Comparer;
  /** log2(m / u) by context (0 any, 1 same family name, 2 same name chain), field and level. */
  readonly weights: Float64Array;
  readonly prior: number;
  /** Name-value counts over the other records (null: no term frequencies). */
  private readonly counts: OtherRecordCounts | null;
  readonly levels = new Uint8Array(FIELD_COUNT);
  /**
   * Per context: the most the given / middle / family name can add (the best of their levels, or nothing): with the
   * term-frequency ceilings below, a bound on a pair's weight before its names are compared (scoreAbove).
   */
  private readonly givenCeiling = new Float64Array(CONTEXTS.length);
  private readonly middleCeiling = new Float64Array(CONTEXTS.length);
  private readonly familyCeiling = new Float64Array(CONTEXTS.length);
  /** False when a weight is not finite: then scoreAbove bounds nothing. */
  private readonly bounded: boolean;
  /** Per context, scratch of scoreAbove: the bound without the given name's part. */
  private readonly boundBase = new Float64Array(CONTEXTS.length);
  /** Per context, scratch of scoreAbove: the given name's part of the bound. */
  private readonly boundGiven = new Float64Array(CONTEXTS.length);
  /** Per record: the most the term-frequency adjustment of its given / family name can add to a pair (built lazily). */
  private tfCeilings: { given: Float64Array; family: Float64Array } | null = null;

  constructor(
    readonly table: TableData,
    readonly params: ModelParams,
    readonly tf: TermFrequencies | null,
    comparer?: Comparer,
  ) {
    this.comparer = comparer ?? new Comparer(table);
    const STRIDE = FIELD_COUNT * MAX_LEVELS;
    this.weights = new Float64Array(CONTEXTS.length * STRIDE);
    params.fields.forEach((f, k) => {
      for (let l = 1; l < f.m.length; l++) {
        const plain = Math.log2(f.m[l]! / f.u[l]!);
        const relatives = Math.log2(f.m[l]! / (f.uFamily ?? f.u)[l]!);
        const siblings = Math.log2(f.m[l]! / (f.uSiblings ?? f.uFamily ?? f.u)[l]!);
        this.weights[k * MAX_LEVELS + l] = plain;
        this.weights[STRIDE + k * MAX_LEVELS + l] = k === F_FAMILY ? plain : relatives;
        this.weights[2 * STRIDE + k * MAX_LEVELS + l] = k === F_FAMILY || k === F_MIDDLE ? plain : relatives;
        this.weights[3 * STRIDE + k * MAX_LEVELS + l] = k === F_FAMILY || k === F_MIDDLE ? plain : siblings;
      }
    });
    this.prior = Math.log2(params.lambda / (1 - params.lambda));
    this.bounded = this.weights.every(Number.isFinite) && Number.isFinite(this.prior);
    for (let c = 0; c < CONTEXTS.length; c++) {
      const best = (f: number) => {
        let most = 0;
        for (let l = 1; l < MAX_LEVELS; l++) most = Math.max(most, this.weights[c * STRIDE + f * MAX_LEVELS + l]!);
        return most;
      };
      this.givenCeiling[c] = best(F_GIVEN);
      this.middleCeiling[c] = best(F_MIDDLE);
      this.familyCeiling[c] = best(F_FAMILY);
    }
    this.counts = tf
      ? {
          // The batch counts every record of the table, the pair's own included: leave those out.
          others: (v, kind, i, j) => tf.counts[v]! - (nameValue(table, kind, i) === v ? 1 : 0) - (nameValue(table, kind, j) === v ? 1 : 0),
          total: () => tf.n - 2,
        }
      : null;
  }

  /** Term-frequency adjustments for the levels in `this.levels`: [given, family, full name]. */
  private tfAdjust(i: number, j: number, out: number[] | null): number {
    if (!this.counts) return 0;
    return termFrequencyAdjustments(this.params, this.table, i, j, this.levels, (f, level) => this.levelWeight(f, level), this.counts, out);
  }

  /** The match weight of records i and j (their levels are left in `this.levels`). */
  score(i: number, j: number): number {
    const lv = this.levels;
    this.comparer.compare(i, j, lv);
    return this.weightOfLevels(lv) + this.tfAdjust(i, j, null);
  }

  /**
   * The match weight of records i and j when it can reach `minWeight`; otherwise −Infinity, often without comparing
   * their names. Most candidate pairs of a batch are far below the threshold on their other fields alone (a namesake
   * born ten years apart): the cheap fields are compared first, and when even the best each name field could do,
   * in any context, with the largest term-frequency adjustment the two records' names allow, cannot bring the pair to
   * `minWeight`, the names are not compared. Pairs that can reach it are scored exactly as by `score`.
   */
  scoreAbove(i: number, j: number, minWeight: number): number {
    if (!this.bounded) return this.score(i, j);
    const lv = this.levels;
    const comparer = this.comparer;
    comparer.compareOthers(i, j, lv);
    // A name part missing on either side is missing in the comparison (names in another order need given names on
    // both sides; pooling leaves the middle missing, and gives a family level only when mayPool).
    const ps = this.table.partStart;
    const hasGiven = ps[3 * i + 1]! > ps[3 * i]! && ps[3 * j + 1]! > ps[3 * j]!;
    const hasMiddle = ps[3 * i + 2]! > ps[3 * i + 1]! && ps[3 * j + 2]! > ps[3 * j + 1]!;
    const poolable = comparer.mayPool(i, j);
    const familyMay = (ps[3 * i + 3]! > ps[3 * i + 2]! && ps[3 * j + 3]! > ps[3 * j + 2]!) || poolable;
    const STRIDE = FIELD_COUNT * MAX_LEVELS;
    const base = this.boundBase;
    let bound = -Infinity;
    for (let c = 0; c < CONTEXTS.length; c++) {
      let w = this.prior + (hasMiddle ? this.middleCeiling[c]! : 0) + (familyMay ? this.familyCeiling[c]! : 0);
      for (let f = F_DOB; f < FIELD_COUNT; f++) w += this.weights[c * STRIDE + f * MAX_LEVELS + lv[f]!]!;
      base[c] = w;
      const g = hasGiven ? this.givenCeiling[c]! : 0;
      if (w + g > bound) bound = w + g;
    }
    let tfGiven = 0;
    let tfFamily = 0;
    if (this.tf) {
      const tc = (this.tfCeilings ??= this.termFrequencyCeilings(this.tf));
      tfGiven = Math.min(tc.given[i]!, tc.given[j]!);
      tfFamily = Math.min(tc.family[i]!, tc.family[j]!);
    }
    // The margin absorbs rounding (the bound and the weight add the same terms in different orders).
    if (bound + tfGiven + tfFamily < minWeight - 1e-9) return -Infinity;
    // Then the given names alone: their final level is this one, or "in another order" when this is N_JW88 or worse;
    // only exact agreement (or another order) earns a given-name frequency adjustment.
    const given = comparer.givenLevel(i, j);
    const mayTurn = given >= N_JW88;
    const tfGivenIf = given === N_EXACT || mayTurn ? tfGiven : 0;
    bound = -Infinity;
    for (let c = 0; c < CONTEXTS.length; c++) {
      const g = this.weights[c * STRIDE + F_GIVEN * MAX_LEVELS + given]!;
      const w = mayTurn ? Math.max(g, this.weights[c * STRIDE + F_GIVEN * MAX_LEVELS + N_SWAPPED]!) : g;
      this.boundGiven[c] = w;
      if (base[c]! + w > bound) bound = base[c]! + w;
    }
    if (bound + tfGivenIf + tfFamily < minWeight - 1e-9) return -Infinity;
    // Then the family names alone: their final level is this one; or, pooled with the middle names, N_SUBSET or
    // worse (only from N_MISSING or N_JW88 or worse); or missing, names in another order. Only an exact one earns
    // the family-name frequency adjustment.
    const family = comparer.familyLevel(i, j);
    const pooled = (family === N_MISSING || family >= N_JW88) && poolable;
    bound = -Infinity;
    for (let c = 0; c < CONTEXTS.length; c++) {
      const row = c * STRIDE + F_FAMILY * MAX_LEVELS;
      let f = this.weights[row + family]!;
      if (pooled) for (let l = N_SUBSET; l < LEVEL_COUNTS[F_FAMILY]!; l++) f = Math.max(f, this.weights[row + l]!);
      if (mayTurn) f = Math.max(f, 0);
      const w = base[c]! - (familyMay ? this.familyCeiling[c]! : 0) + f + this.boundGiven[c]!;
      if (w > bound) bound = w;
    }
    if (bound + tfGivenIf + (family === N_EXACT ? tfFamily : 0) < minWeight - 1e-9) return -Infinity;
    comparer.compareNames(i, j, lv, given, family);
    return this.weightOfLevels(lv) + this.tfAdjust(i, j, null);
  }

  /**
   * Per record, the most the given / family adjustment of termFrequencyAdjustments can be for a pair with it: the
   * adjustment is log2 u − lg (floored at most to 0), where lg, the log frequency of the commoner of the pair's two
   * values, is at least that of this record's value counted over all records but two. A missing name agrees with
   * nothing: no adjustment. The full-name adjustment is never positive.
   */
  private termFrequencyCeilings(tf: TermFrequencies): { given: Float64Array; family: Float64Array } {
    const t = this.table;
    const total = Math.max(1, tf.n - 2) + TF_PRIOR_RECORDS;
    const log2Min = Math.log2(this.params.tfMinimum);
    const ceilings = (values: Int32Array, u: number) => {
      const out = new Float64Array(t.n);
      for (let i = 0; i < t.n; i++) {
        const v = values[i]!;
        if (v < 0) continue;
        const lg = Math.max(log2Min, Math.log2((Math.max(0, tf.counts[v]! - 2) + TF_PRIOR_RECORDS * u) / total));
        out[i] = Math.max(0, Math.log2(u) - lg);
      }
      return out;
    };
    return { given: ceilings(t.givenVal, this.params.fields[F_GIVEN]!.u[N_EXACT]!), family: ceilings(t.familyVal, this.params.fields[F_FAMILY]!.u[N_EXACT]!) };
  }

  /** The weight of exact agreement on field f in the context of the levels in `this.levels`. */
  exactWeight(f: number, levels: ArrayLike<number> = this.levels): number {
    return this.levelWeight(f, N_EXACT, levels);
  }

  /** The weight of level `level` of field f in the context of the levels in `this.levels`. */
  levelWeight(f: number, level: number, levels: ArrayLike<number> = this.levels): number {
    return this.weights[contextOf(levels) * FIELD_COUNT * MAX_LEVELS + f * MAX_LEVELS + level]!;
  }

  /** The match weight of a comparison vector, without term frequencies. */
  weightOfLevels(levels: ArrayLike<number>): number {
    let w = this.prior;
    const base = contextOf(levels) * FIELD_COUNT * MAX_LEVELS;
    for (let f = 0; f < FIELD_COUNT; f++) w += this.weights[base + f * MAX_LEVELS + levels[f]!]!;
    return w;
  }

  /** The full explanation of a pair's score: the prior, each field's level and contribution, the total. */
  explain(i: number, j: number): Explanation {
    const matchWeight = this.score(i, j);
    const adj = [0, 0, 0];
    this.tfAdjust(i, j, adj);
    const context = contextOf(this.levels);
    const fields = FIELD_NAMES.map((field, f) => {
      const level = this.levels[f]!;
      const weight = this.weights[context * FIELD_COUNT * MAX_LEVELS + f * MAX_LEVELS + level]!;
      return { field, level, label: FIELD_LEVELS[field][level]!, weight, tfAdjustment: f === F_GIVEN ? adj[0]! : f === F_FAMILY ? adj[1]! : 0 };
    });
    return { prior: this.prior, context: CONTEXTS[context]!, fields, fullNameTfAdjustment: adj[2]!, matchWeight, probability: probabilityOf(matchWeight) };
  }
}
