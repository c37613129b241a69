/**
 * Estimating the Fellegi–Sunter model (model.ts) from the data itself, without labels, as Splink does it:
 * u from random pairs, m by expectation–maximisation on pattern counts in blocked sessions, u among relatives,
 * and the prior λ from a strict rule divided by its predicted recall. See the package README, "Score".
 */
import { Comparer, FIELD_COUNT, FIELD_NAMES, F_DOB, F_FAMILY, F_GIVEN, LEVEL_COUNTS, N_EXACT, D_EXACT, type FieldName } from './compare.ts';
import { DEFAULT_M, MAX_LEVELS, M_FLOOR, contextOf, defaultParams, normalised, type ModelParams } from './model.ts';
import { seededRandom } from './strings.ts';
import { DOB_PRESENT, DOB_YEAR_ONLY, type TableData } from './table.ts';

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
  /** This session's u is the model's uSiblings. */
  givesSiblingsU?: boolean;
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
  {
    name: "same family and father's name (siblings)",
    key: (t, i) => {
      const m = middleKey(t, i);
      if (m === null || t.familyVal[i]! < 0) return null;
      return Math.imul(t.familyVal[i]! + 1, 0x9e3779b1) ^ m;
    },
    blocked: ['family', 'middle'],
    accept: (levels) => contextOf(levels) === 3,
    givesSiblingsU: true,
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
  const comparer = new Comparer(t);
  const uEstimate = estimateU(comparer, uOptions(options));
  return fitParams(t, options, uEstimate, sessionPatterns(t, options, comparer));
}

/**
 * The same as trainParams, with u estimated elsewhere (dedupe estimates it on a worker thread meanwhile): the
 * sessions' comparisons do not need u, only their estimation does. The same result as trainParams.
 */
export async function trainParamsWith(t: TableData, options: TrainOptions, uEstimate: Promise<UEstimate>): Promise<{ params: ModelParams; report: TrainReport }> {
  const sessions = sessionPatterns(t, options, new Comparer(t));
  return fitParams(t, options, await uEstimate, sessions);
}

/** estimateU's options in trainParams. */
export function uOptions(options: TrainOptions): { maxPairs: number; seed: number; leftCount?: number } {
  return { maxPairs: options.uPairs ?? 1_000_000, seed: options.seed ?? 1, ...(options.leftCount === undefined ? {} : { leftCount: options.leftCount }) };
}

interface SessionPatterns {
  session: TrainingSession;
  patterns: PatternCounts;
  /** Pairs sampled (before the session's filter). */
  pairs: number;
}

/** The comparison patterns of every training session's sampled pairs: estimation sessions, then the family ones. */
function sessionPatterns(t: TableData, options: TrainOptions, comparer: Comparer): { estimation: SessionPatterns[]; family: SessionPatterns[] } {
  const seed = options.seed ?? 1;
  const left = options.leftCount;
  const accept = left === undefined ? undefined : (i: number, j: number) => i < left !== j < left;
  const lv = new Uint8Array(FIELD_COUNT);
  const collect = (session: TrainingSession, sampleSeed: number): SessionPatterns => {
    const groups = groupBy(t.n, (i) => session.key(t, i));
    const patterns = new PatternCounts();
    const pairs = samplePairs(
      groups,
      options.emPairs ?? 500_000,
      sampleSeed,
      (i, j) => {
        comparer.compare(i, j, lv);
        if (!session.accept || session.accept(lv)) patterns.add(lv);
      },
      accept,
    );
    return { session, patterns, pairs };
  };
  const all = options.sessions ?? TRAINING_SESSIONS;
  return {
    estimation: all.filter((s) => !s.givesFamilyU && !s.givesSiblingsU).map((session, k) => collect(session, seed + 17 * (k + 1))),
    family: all.filter((s) => s.givesFamilyU || s.givesSiblingsU).map((session, k) => collect(session, seed + 1000 + k)),
  };
}

/** The parameters from u, the sessions' patterns and the records (for λ). */
function fitParams(t: TableData, options: TrainOptions, uEstimate: UEstimate, sessions: { estimation: SessionPatterns[]; family: SessionPatterns[] }): { params: ModelParams; report: TrainReport } {
  const seed = options.seed ?? 1;
  const left = options.leftCount;
  const { u, presentRate, pairs: uPairs } = uEstimate;
  const sums = LEVEL_COUNTS.map((n) => new Array<number>(n).fill(0));
  let familyU: number[][] | null = null;
  let siblingsU: number[][] | null = null;
  const estimates = new Array<number>(FIELD_COUNT).fill(0);
  const report: TrainReport = { uPairs, sessions: [], prior: { rulePairs: 0, ruleRecall: 0, lambda: 0, method: '' } };
  for (const { session, patterns, pairs } of sessions.estimation) {
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
  for (const { session, patterns } of sessions.family) {
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
    const toward: number[][] = session.givesSiblingsU ? (familyU ?? u) : u;
    const shrunk: number[][] = em.u.map((row, f) => row.map((x, l) => (l === 0 ? 1 : (x * nonMatches + toward[f]![l]! * prior) / (nonMatches + prior))));
    if (session.givesSiblingsU) siblingsU = shrunk;
    else familyU = shrunk;
  }
  if (familyU) params.fields.forEach((field, f) => (field.uFamily = normalised(familyU![f]!)));
  if (siblingsU) params.fields.forEach((field, f) => (field.uSiblings = normalised(siblingsU![f]!)));

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
