/**
 * The Fellegi–Sunter model: m and u probabilities per field and level, the prior λ, term-frequency
 * adjustments, and the match weight with its per-field explanation (the "waterfall").
 *
 *   match weight M = log2(λ / (1 − λ)) + Σ log2(m_f / u_f) + term-frequency adjustments
 *   probability    = 2^M / (1 + 2^M)
 *
 * Estimation needs no labels (as Splink does it):
 * - u from random pairs (seeded), which are almost all non-matches;
 * - m by expectation–maximisation on blocked pairs, in sessions blocked on one thing (date of birth, the full
 *   name, the document number) where only the fields not used by the session's blocking are estimated;
 * - λ from a strict deterministic rule (same canonical name and same full date of birth), divided by that
 *   rule's recall as the estimated m and the fields' fill rates predict it.
 * Term frequencies: agreeing exactly on a common name earns less, on a rare one more; the full name too.
 */
import { Comparer, FIELD_COUNT, FIELD_LEVELS, FIELD_NAMES, F_DOB, F_FAMILY, F_GIVEN, F_MIDDLE, LEVEL_COUNTS, N_EXACT, N_MISSING, N_SUBSET, D_EXACT, type FieldName } from './compare.ts';
import { seededRandom } from './strings.ts';
import { DOB_PRESENT, DOB_YEAR_ONLY, type TableData } from './table.ts';

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
const DEFAULT_M: Readonly<Record<FieldName, readonly number[]>> = {
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
const M_FLOOR = 1e-3;

function normalised(p: readonly number[], floor = 1e-6): number[] {
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
    for (const key of ['m', 'u', 'uFamily'] as const) {
      const v = f[key];
      if (key === 'uFamily' && v === undefined) continue;
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
export type ScoreContext = 'any' | 'same family name' | 'same name chain';
const CONTEXTS: readonly ScoreContext[] = ['any', 'same family name', 'same name chain'];

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

/** Scores record pairs of one table with fixed parameters. Not thread-safe (scratch buffers): one per thread. */
/** 1 when the family name agrees (exact or contained), 2 when there is none and the name chain agrees, else 0. */
/** Pseudo-records of "average" frequency added to term frequencies (see Scorer). */
const TF_PRIOR_RECORDS = 500;

export function contextOf(levels: ArrayLike<number>): number {
  const f = levels[F_FAMILY]!;
  if (f === N_EXACT || f === N_SUBSET) return 1;
  const m = levels[F_MIDDLE]!;
  return f === N_MISSING && (m === N_EXACT || m === N_SUBSET) ? 2 : 0;
}

export class Scorer {
  readonly comparer: Comparer;
  /** log2(m / u) by context (0 any, 1 same family name, 2 same name chain), field and level. */
  readonly weights: Float64Array;
  readonly prior: number;
  private readonly log2uGivenExact: number;
  private readonly log2uFamilyExact: number;
  private readonly log2TfMin: number;
  /** log2 of each name value's term frequency (at least log2 tfMinimum). */
  private readonly log2TfOf: Float64Array | null;
  private readonly fullMinCount: number;
  readonly levels = new Uint8Array(FIELD_COUNT);

  constructor(
    readonly table: TableData,
    readonly params: ModelParams,
    readonly tf: TermFrequencies | null,
    comparer?: Comparer,
  ) {
    this.comparer = comparer ?? new Comparer(table);
    const STRIDE = FIELD_COUNT * MAX_LEVELS;
    this.weights = new Float64Array(3 * STRIDE);
    params.fields.forEach((f, k) => {
      for (let l = 1; l < f.m.length; l++) {
        const plain = Math.log2(f.m[l]! / f.u[l]!);
        const relatives = Math.log2(f.m[l]! / (f.uFamily ?? f.u)[l]!);
        this.weights[k * MAX_LEVELS + l] = plain;
        this.weights[STRIDE + k * MAX_LEVELS + l] = k === F_FAMILY ? plain : relatives;
        this.weights[2 * STRIDE + k * MAX_LEVELS + l] = k === F_FAMILY || k === F_MIDDLE ? plain : relatives;
      }
    });
    this.fullMinCount = params.tfFullNameMinCount ?? 10;
    this.prior = Math.log2(params.lambda / (1 - params.lambda));
    this.log2uGivenExact = Math.log2(params.fields[F_GIVEN]!.u[N_EXACT]!);
    this.log2uFamilyExact = Math.log2(params.fields[F_FAMILY]!.u[N_EXACT]!);
    this.log2TfMin = Math.log2(params.tfMinimum);
    if (tf) {
      // Smoothed toward the average (u of exact agreement) with TF_PRIOR_RECORDS pseudo-records, so that a small
      // file (where every name is "frequent") gets no adjustment, and a large one gets the data's own.
      const kind = new Uint8Array(tf.counts.length);
      for (let i = 0; i < table.n; i++) {
        if (table.familyVal[i]! >= 0) kind[table.familyVal[i]!] = 1;
        if (table.fullVal[i]! >= 0) kind[table.fullVal[i]!] = 2;
      }
      const uGiven = params.fields[F_GIVEN]!.u[N_EXACT]!;
      const uFamily = params.fields[F_FAMILY]!.u[N_EXACT]!;
      const prior = [uGiven, uFamily, uGiven * uFamily];
      this.log2TfOf = new Float64Array(tf.counts.length);
      for (let v = 0; v < tf.counts.length; v++) {
        const smoothed = (tf.counts[v]! + TF_PRIOR_RECORDS * prior[kind[v]!]!) / (tf.n + TF_PRIOR_RECORDS);
        this.log2TfOf[v] = Math.max(this.log2TfMin, Math.log2(smoothed));
      }
    } else this.log2TfOf = null;
  }

  private log2Tf(value: number): number {
    if (!this.log2TfOf || value < 0) return this.log2TfMin;
    return this.log2TfOf[value] ?? this.log2TfMin;
  }

  /** Term-frequency adjustments for the levels in `this.levels`: [given, family, full name]. */
  private tfAdjust(i: number, j: number, out: number[] | null): number {
    if (!this.tf) return 0;
    const t = this.table;
    const lv = this.levels;
    let total = 0;
    let lg = 0;
    let lf = 0;
    if (lv[F_GIVEN] === N_EXACT) {
      lg = Math.max(this.log2Tf(t.givenVal[i]!), this.log2Tf(t.givenVal[j]!));
      const a = flooredTfAdjustment(this.exactWeight(F_GIVEN), this.log2uGivenExact - lg);
      total += a;
      if (out) out[0] = a;
    }
    if (lv[F_FAMILY] === N_EXACT) {
      lf = Math.max(this.log2Tf(t.familyVal[i]!), this.log2Tf(t.familyVal[j]!));
      const a = flooredTfAdjustment(this.exactWeight(F_FAMILY), this.log2uFamilyExact - lf);
      total += a;
      if (out) out[1] = a;
    }
    if (lv[F_GIVEN] === N_EXACT && lv[F_FAMILY] === N_EXACT && this.tf && Math.max(this.tf.counts[t.fullVal[i]!] ?? 0, this.tf.counts[t.fullVal[j]!] ?? 0) >= this.fullMinCount) {
      const full = Math.max(this.log2Tf(t.fullVal[i]!), this.log2Tf(t.fullVal[j]!));
      const a = Math.min(0, lg + lf - full);
      total += a;
      if (out) out[2] = a;
    }
    return total;
  }

  /** The match weight of records i and j (their levels are left in `this.levels`). */
  score(i: number, j: number): number {
    const lv = this.levels;
    this.comparer.compare(i, j, lv);
    return this.weightOfLevels(lv) + this.tfAdjust(i, j, null);
  }

  /** The weight of exact agreement on field f in the context of the levels in `this.levels`. */
  exactWeight(f: number, levels: ArrayLike<number> = this.levels): number {
    return this.weights[contextOf(levels) * FIELD_COUNT * MAX_LEVELS + f * MAX_LEVELS + N_EXACT]!;
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

// ---------------------------------------------------------------------------------------------
// Estimation

/** Counts of comparison vectors (patterns): EM runs on these, not on pairs. */
export class PatternCounts {
  private readonly map = new Map<number, number>();
  total = 0;
  add(levels: ArrayLike<number>, count = 1): void {
    let key = 0;
    for (let f = 0; f < FIELD_COUNT; f++) key = key * MAX_LEVELS + levels[f]!;
    this.map.set(key, (this.map.get(key) ?? 0) + count);
    this.total += count;
  }
  /** [levels, count] pairs in a deterministic (key) order. */
  entries(): { levels: Uint8Array; count: number }[] {
    return [...this.map.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([key, count]) => {
        const levels = new Uint8Array(FIELD_COUNT);
        let k = key;
        for (let f = FIELD_COUNT - 1; f >= 0; f--) {
          levels[f] = k % MAX_LEVELS;
          k = Math.floor(k / MAX_LEVELS);
        }
        return { levels, count };
      });
  }
  /** Level counts per field (for u). */
  levelCounts(): number[][] {
    const out = LEVEL_COUNTS.map((n) => new Array<number>(n).fill(0));
    for (const { levels, count } of this.entries()) for (let f = 0; f < FIELD_COUNT; f++) out[f]![levels[f]!]! += count;
    return out;
  }
}

export interface UEstimate {
  u: number[][];
  /** Share of sampled pairs where each field is present on both sides. */
  presentRate: number[];
  pairs: number;
}

/**
 * u from random pairs: all pairs when there are at most `maxPairs`, else `maxPairs` random ones (seeded).
 * `sides` (link mode): only pairs with one record from each side (index < leftCount, index ≥ leftCount).
 */
export function estimateU(comparer: Comparer, options: { maxPairs?: number; seed?: number; leftCount?: number } = {}): UEstimate {
  const t = comparer.t;
  const maxPairs = options.maxPairs ?? 1_000_000;
  const rand = seededRandom(options.seed ?? 1);
  const patterns = new PatternCounts();
  const lv = new Uint8Array(FIELD_COUNT);
  const left = options.leftCount;
  const total = left === undefined ? (t.n * (t.n - 1)) / 2 : left * (t.n - left);
  if (total <= maxPairs) {
    for (let i = 0; i < t.n; i++) {
      for (let j = left === undefined ? i + 1 : Math.max(left, i + 1); j < t.n; j++) {
        if (left !== undefined && i >= left) break;
        comparer.compare(i, j, lv);
        patterns.add(lv);
      }
    }
  } else {
    for (let k = 0; k < maxPairs; k++) {
      let i: number;
      let j: number;
      if (left === undefined) {
        i = Math.floor(rand() * t.n);
        j = Math.floor(rand() * (t.n - 1));
        if (j >= i) j++;
      } else {
        i = Math.floor(rand() * left);
        j = left + Math.floor(rand() * (t.n - left));
      }
      comparer.compare(i, j, lv);
      patterns.add(lv);
    }
  }
  const counts = patterns.levelCounts();
  const u = counts.map((c) => {
    const present = c.slice(1).reduce((a, b) => a + b, 0);
    // Add-half smoothing: a level never seen among random pairs still gets a small, finite u.
    return c.map((x, l) => (l === 0 ? 1 : (x + 0.5) / (present + 0.5 * (c.length - 1))));
  });
  const presentRate = counts.map((c) => (patterns.total === 0 ? 0 : 1 - c[0]! / patterns.total));
  return { u, presentRate, pairs: patterns.total };
}

export interface EmResult {
  m: number[][];
  /** u as estimated within the session (the fixed u when not estimated). */
  u: number[][];
  lambda: number;
  iterations: number;
  converged: boolean;
}

/**
 * Expectation–maximisation of m (and the session's own λ) with u fixed, on pattern counts. Only the `active`
 * fields are estimated and take part (the others were used to block the session's pairs).
 */
export function expectationMaximisation(
  patterns: PatternCounts,
  u: number[][],
  active: readonly boolean[],
  options: { mInit?: number[][]; lambdaInit?: number; maxIterations?: number; tolerance?: number; estimateU?: boolean; fixM?: boolean } = {},
): EmResult {
  const entries = patterns.entries();
  let m = (options.mInit ?? FIELD_NAMES.map((n) => normalised(DEFAULT_M[n]))).map((x) => [...x]);
  let lambda = options.lambdaInit ?? 0.1;
  const maxIter = options.maxIterations ?? 100;
  const tol = options.tolerance ?? 1e-5;
  let iterations = 0;
  let converged = false;
  let uCur = u.map((x) => [...x]);
  for (; iterations < maxIter; iterations++) {
    const logM = m.map((x) => x.map((v) => Math.log(v)));
    const logU = uCur.map((x) => x.map((v) => Math.log(v)));
    const num = LEVEL_COUNTS.map((n) => new Array<number>(n).fill(0));
    const numU = LEVEL_COUNTS.map((n) => new Array<number>(n).fill(0));
    let sw = 0;
    let sc = 0;
    const lMatch = Math.log(lambda);
    const lNon = Math.log(1 - lambda);
    for (const { levels, count } of entries) {
      let a = lMatch;
      let b = lNon;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = levels[f]!;
        if (!active[f] || l === 0) continue;
        a += logM[f]![l]!;
        b += logU[f]![l]!;
      }
      const d = b - a;
      const w = d > 700 ? 0 : 1 / (1 + Math.exp(d));
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = levels[f]!;
        if (active[f] && l !== 0) {
          num[f]![l]! += count * w;
          numU[f]![l]! += count * (1 - w);
        }
      }
      sw += count * w;
      sc += count;
    }
    const next = options.fixM ? m : m.map((old, f) => (active[f] ? normalised(num[f]!.map((x, l) => (l === 0 ? 1 : x + 1e-9))) : old));
    if (options.estimateU) uCur = uCur.map((old, f) => (active[f] ? normalised(numU[f]!.map((x, l) => (l === 0 ? 1 : x + 1e-9))) : old));
    const nextLambda = Math.min(0.999, Math.max(1e-9, sc > 0 ? sw / sc : lambda));
    let change = Math.abs(nextLambda - lambda);
    for (let f = 0; f < FIELD_COUNT; f++) for (let l = 1; l < next[f]!.length; l++) change = Math.max(change, Math.abs(next[f]![l]! - m[f]![l]!));
    m = next;
    lambda = nextLambda;
    if (change < tol) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { m, u: uCur, lambda, iterations, converged };
}

export interface TrainingSession {
  name: string;
  /** Block key of record i for this session (null: not in the session). Pairs share a key. */
  key: (t: TableData, i: number) => number | null;
  /** Fields the blocking used: not estimated in this session. */
  blocked: readonly FieldName[];
  /** Only pairs whose comparison vector passes this take part. */
  accept?: (levels: Uint8Array) => boolean;
  /** This session's u (non-matches within it) is the model's uFamily. */
  givesFamilyU?: boolean;
}

/** A key for the canonical tokens of a record's middle names (the name chain), or null. */
function middleKey(t: TableData, i: number): number | null {
  const s = t.partStart[3 * i + 1]!;
  const e = t.partStart[3 * i + 2]!;
  if (s === e) return null;
  let h = 17;
  for (let k = s; k < e; k++) h = (Math.imul(h, 31) + t.canon[t.nameTok[k]!]!) | 0;
  return h;
}

/** The default training sessions: on the full date of birth, on the exact canonical full name, on the document. */
export const TRAINING_SESSIONS: readonly TrainingSession[] = [
  {
    name: 'same date of birth',
    key: (t, i) => ((t.dobFlags[i]! & DOB_PRESENT) && !(t.dobFlags[i]! & DOB_YEAR_ONLY) ? t.dobYear[i]! * 10000 + t.dobMonth[i]! * 100 + t.dobDay[i]! : null),
    blocked: ['dob'],
  },
  { name: 'same full name', key: (t, i) => (t.fullVal[i]! >= 0 ? t.fullVal[i]! : null), blocked: ['given', 'family'] },
  { name: 'same document', key: (t, i) => (t.doc[i]! >= 0 ? t.doc[i]! : null), blocked: ['document'] },
  {
    name: 'same family name (relatives)',
    key: (t, i) => {
      if (t.familyVal[i]! >= 0) return t.familyVal[i]! * 2;
      const m = middleKey(t, i);
      return m === null ? null : m * 2 + 1;
    },
    blocked: ['family'],
    accept: (levels) => contextOf(levels) !== 0,
    givesFamilyU: true,
  },
];

/** Groups record indices by a key; groups of one are dropped. Deterministic (first-seen order). */
export function groupBy(n: number, key: (i: number) => number | null, filter?: (i: number) => boolean): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (filter && !filter(i)) continue;
    const k = key(i);
    if (k === null) continue;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/**
 * Calls `visit(i, j)` for a seeded random sample of about `maxPairs` of the within-group pairs (all of them when
 * there are fewer). `accept` filters pairs (link mode: one record from each list).
 */
export function samplePairs(groups: number[][], maxPairs: number, seed: number, visit: (i: number, j: number) => void, accept?: (i: number, j: number) => boolean): number {
  let total = 0;
  for (const g of groups) total += (g.length * (g.length - 1)) / 2;
  const rand = seededRandom(seed);
  const rate = total <= maxPairs ? 1 : maxPairs / total;
  let visited = 0;
  for (const g of groups) {
    const s = g.length;
    const pairs = (s * (s - 1)) / 2;
    if (rate === 1 || pairs <= 3) {
      for (let a = 0; a < s; a++)
        for (let b = a + 1; b < s; b++) {
          if (rate < 1 && rand() >= rate) continue;
          if (accept && !accept(g[a]!, g[b]!)) continue;
          visit(g[a]!, g[b]!);
          visited++;
        }
    } else {
      const k = Math.floor(pairs * rate + rand());
      for (let x = 0; x < k; x++) {
        const a = Math.floor(rand() * s);
        let b = Math.floor(rand() * (s - 1));
        if (b >= a) b++;
        if (accept && !accept(g[a]!, g[b]!)) continue;
        visit(g[Math.min(a, b)]!, g[Math.max(a, b)]!);
        visited++;
      }
    }
  }
  return visited;
}

export interface TrainOptions {
  seed?: number;
  /** Random pairs for u. */
  uPairs?: number;
  /** Pairs per EM session (sampled when the session has more). */
  emPairs?: number;
  sessions?: readonly TrainingSession[];
  /** Link mode: records [0, leftCount) are one list, the rest the other; only pairs across lists count. */
  leftCount?: number;
  tfMinimum?: number;
  /** Estimate u within each EM session as well (default true); the model's u always comes from random pairs. */
  sessionU?: boolean;
}

export interface TrainReport {
  uPairs: number;
  sessions: { name: string; pairs: number; iterations: number; converged: boolean; lambda: number; used: boolean }[];
  prior: { rulePairs: number; ruleRecall: number; lambda: number; method: string };
}

/** Estimates all parameters from the records themselves, without labels. */
export function trainParams(t: TableData, options: TrainOptions = {}): { params: ModelParams; report: TrainReport } {
  const seed = options.seed ?? 1;
  const comparer = new Comparer(t);
  const left = options.leftCount;
  const accept = left === undefined ? undefined : (i: number, j: number) => i < left !== j < left;
  const { u, presentRate, pairs: uPairs } = estimateU(comparer, { maxPairs: options.uPairs ?? 1_000_000, seed, leftCount: left });
  const sums = LEVEL_COUNTS.map((n) => new Array<number>(n).fill(0));
  let familyU: number[][] | null = null;
  const estimates = new Array<number>(FIELD_COUNT).fill(0);
  const report: TrainReport = { uPairs, sessions: [], prior: { rulePairs: 0, ruleRecall: 0, lambda: 0, method: '' } };
  const lv = new Uint8Array(FIELD_COUNT);
  const allSessions = options.sessions ?? TRAINING_SESSIONS;
  const familySessions = allSessions.filter((s) => s.givesFamilyU);
  for (const [k, session] of allSessions.filter((s) => !s.givesFamilyU).entries()) {
    const groups = groupBy(t.n, (i) => session.key(t, i));
    const patterns = new PatternCounts();
    const pairs = samplePairs(
      groups,
      options.emPairs ?? 500_000,
      seed + 17 * (k + 1),
      (i, j) => {
        comparer.compare(i, j, lv);
        if (!session.accept || session.accept(lv)) patterns.add(lv);
      },
      accept,
    );
    const active = FIELD_NAMES.map((f) => !session.blocked.includes(f));
    if (patterns.total < 20) {
      report.sessions.push({ name: session.name, pairs, iterations: 0, converged: false, lambda: 0, used: false });
      continue;
    }
    // u is estimated inside the session too: within a block the non-matches are not random pairs (people with one
    // name share sex, nationality and naming patterns), and a fixed u would push that agreement into m.
    const em = expectationMaximisation(patterns, u, active, { estimateU: options.sessionU ?? true });
    // A session whose "match" class vanished or swallowed everything taught nothing.
    const used = em.lambda > 1e-6 && em.lambda < 0.999;
    report.sessions.push({ name: session.name, pairs: patterns.total, iterations: em.iterations, converged: em.converged, lambda: em.lambda, used });
    if (!used) continue;
    for (let f = 0; f < FIELD_COUNT; f++) {
      if (!active[f]) continue;
      estimates[f]!++;
      for (let l = 1; l < LEVEL_COUNTS[f]!; l++) sums[f]![l]! += em.m[f]![l]!;
    }
  }
  const params = defaultParams(u);
  params.tfMinimum = options.tfMinimum ?? params.tfMinimum;
  params.fields.forEach((field, f) => {
    if (estimates[f]! > 0) field.m = normalised(sums[f]!.map((x) => x / estimates[f]!), M_FLOOR);
  });
  // u among relatives: EM on pairs that share the family name, with m fixed (the match class is known), u free.
  for (const [k, session] of familySessions.entries()) {
    const groups = groupBy(t.n, (i) => session.key(t, i));
    const patterns = new PatternCounts();
    samplePairs(
      groups,
      options.emPairs ?? 500_000,
      seed + 1000 + k,
      (i, j) => {
        comparer.compare(i, j, lv);
        if (!session.accept || session.accept(lv)) patterns.add(lv);
      },
      accept,
    );
    if (patterns.total < 50) {
      report.sessions.push({ name: session.name, pairs: patterns.total, iterations: 0, converged: false, lambda: 0, used: false });
      continue;
    }
    const active = FIELD_NAMES.map((f) => !session.blocked.includes(f));
    const em = expectationMaximisation(patterns, u, active, { mInit: params.fields.map((f) => f.m), fixM: true, estimateU: true, lambdaInit: 0.05 });
    report.sessions.push({ name: session.name, pairs: patterns.total, iterations: em.iterations, converged: em.converged, lambda: em.lambda, used: true });
    // Levels the session barely saw (a shared document among relatives) lean on random pairs: shrink toward u.
    const nonMatches = patterns.total * (1 - em.lambda);
    const prior = 2000;
    familyU = em.u.map((row, f) => row.map((x, l) => (l === 0 ? 1 : (x * nonMatches + u[f]![l]! * prior) / (nonMatches + prior))));
  }
  if (familyU) params.fields.forEach((field, f) => (field.uFamily = normalised(familyU![f]!)));

  // λ from the strict rule "same canonical full name and same full date of birth", divided by its recall.
  const ruleGroups = groupBy(t.n, (i) => {
    const full = t.fullVal[i]!;
    const dob = TRAINING_SESSIONS[0]!.key(t, i);
    return full < 0 || dob === null ? null : full * 1e8 + dob;
  });
  let rulePairs = 0;
  for (const g of ruleGroups) {
    if (left === undefined) rulePairs += (g.length * (g.length - 1)) / 2;
    else {
      const a = g.filter((i) => i < left).length;
      rulePairs += a * (g.length - a);
    }
  }
  const fg = params.fields;
  // P(a true pair meets the rule) = P(names and date present on both) × P(each exact | match).
  const recall = presentRate[F_GIVEN]! * presentRate[F_FAMILY]! * presentRate[F_DOB]! * fg[F_GIVEN]!.m[N_EXACT]! * fg[F_FAMILY]!.m[N_EXACT]! * fg[F_DOB]!.m[D_EXACT]!;
  const totalPairs = left === undefined ? (t.n * (t.n - 1)) / 2 : left * (t.n - left);
  let lambda: number;
  let method: string;
  if (rulePairs >= 5 && recall > 0.01) {
    lambda = rulePairs / recall / Math.max(1, totalPairs);
    method = 'deterministic rule / estimated recall';
  } else {
    lambda = (left === undefined ? t.n * 0.2 : Math.min(left, t.n - left) * 0.5) / Math.max(1, totalPairs);
    method = 'fallback (too few rule pairs)';
  }
  params.lambda = Math.min(0.5, Math.max(1e-12, lambda));
  report.prior = { rulePairs, ruleRecall: recall, lambda: params.lambda, method };
  params.training = { seed, uPairs, sessions: report.sessions, prior: report.prior };
  return { params, report };
}
