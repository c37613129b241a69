/**
 * Clustering of scored pairs into people.
 *
 * Links at or above the "same" threshold are taken strongest first (single linkage, as connected components
 * would), with a guard against chaining: when a link would join two groups of several records, the pairs
 * across the two groups are scored too (scored already, or scored now), and the groups are joined only when
 * those cross pairs agree on average (mean probability ≥ `minLinkage`). So one weak or wrong link cannot join
 * two strong groups — twins, or two people with a common name, each registered several times. A refused join
 * goes to the review list.
 *
 * Cluster ids are stable: the smallest record id (string order) in the cluster, so re-running on the same
 * records gives the same ids, and adding unrelated records does not renumber anyone.
 * The review band: pairs between the "different" and "same" thresholds that ended in different clusters.
 */
import { probabilityOf, weightOf } from './model.ts';
import { type ScoredPairs } from './score-pairs.ts';

export interface ClusterOptions {
  /** Probability at or above which a pair is the same person (default 0.9). */
  sameThreshold?: number;
  /** Probability below which a pair is different people; between the two is the review band (default 0.5). */
  reviewThreshold?: number;
  /** Mean probability of the cross pairs required to join two groups of two or more (default 0.5). */
  minLinkage?: number;
  /** At most this many members of each group are checked (evenly spread); default 8 (so 64 cross pairs). */
  maxCheckedMembers?: number;
  /** Reviewer decisions: pairs (record indices) that are the same person / different people. */
  mustLink?: readonly (readonly [number, number])[];
  cannotLink?: readonly (readonly [number, number])[];
}

export interface ReviewPair {
  i: number;
  j: number;
  probability: number;
  reason: 'review band' | 'chaining guard';
}

export interface ClusterResult {
  /** Stable cluster id of each record (the smallest record id of its cluster). */
  clusterIds: string[];
  /** Index of the cluster's representative (the record with the smallest id) for each record. */
  clusterOf: Int32Array;
  clusters: number;
  /** Clusters of two records or more. */
  multiRecordClusters: number;
  review: ReviewPair[];
  /** Joins refused by the chaining guard. */
  refusedJoins: number;
  /** Joins accepted after a cross-pair check. */
  checkedJoins: number;
}

/**
 * The permutation that sorts pairs by (i, j): a least-significant-digit radix sort, 16 bits at a time (four
 * passes), so tens of millions of pairs sort in seconds and without a comparison function.
 */
export function sortPairsByIndex(I: Int32Array, J: Int32Array): Uint32Array {
  const m = I.length;
  let from = new Uint32Array(m);
  for (let k = 0; k < m; k++) from[k] = k;
  let to = new Uint32Array(m);
  const count = new Uint32Array(65537);
  for (const [keys, shift] of [[J, 0], [J, 16], [I, 0], [I, 16]] as const) {
    count.fill(0);
    for (let k = 0; k < m; k++) count[((keys[from[k]!]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 0; d < 65536; d++) count[d + 1]! += count[d]!;
    for (let k = 0; k < m; k++) {
      const p = from[k]!;
      to[count[(keys[p]! >>> shift) & 0xffff]!++] = p;
    }
    [from, to] = [to, from];
  }
  return from;
}

/** A sorted index of scored pairs for look-up by (i, j). */
export class PairIndex {
  private readonly keys: Float64Array;
  private readonly weights: Float64Array;
  /** Pair positions in (i, j) order. */
  readonly order: Uint32Array;
  constructor(
    private readonly n: number,
    pairs: ScoredPairs,
  ) {
    const m = pairs.i.length;
    this.order = sortPairsByIndex(pairs.i, pairs.j);
    this.keys = new Float64Array(m);
    this.weights = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const p = this.order[k]!;
      this.keys[k] = pairs.i[p]! * n + pairs.j[p]!;
      this.weights[k] = pairs.weight[p]!;
    }
  }
  /** The stored weight of the pair, or null. */
  weight(i: number, j: number): number | null {
    const key = i < j ? i * this.n + j : j * this.n + i;
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = this.keys[mid]!;
      if (k === key) return this.weights[mid]!;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }
}

/** Weights are ordered in steps of 1/64 bit (ties then by (i, j)): a counting sort, linear in the pairs. */
const WEIGHT_STEPS = 64;
const WEIGHT_SPAN = 256;

function spread(members: readonly number[], k: number): number[] {
  if (members.length <= k) return [...members];
  const out: number[] = [];
  for (let x = 0; x < k; x++) out.push(members[Math.floor((x * members.length) / k)]!);
  return out;
}

/**
 * Clusters records 0..n-1 from scored pairs. `weightOfPair` scores a pair that is not among `pairs` (used by the
 * chaining guard); it must be deterministic.
 */
export function clusterPairs(ids: readonly string[], pairs: ScoredPairs, weightOfPair: (i: number, j: number) => number, options: ClusterOptions = {}): ClusterResult {
  const n = ids.length;
  const same = options.sameThreshold ?? 0.9;
  const review = options.reviewThreshold ?? 0.5;
  const minLinkage = options.minLinkage ?? 0.5;
  const checked = Math.max(1, options.maxCheckedMembers ?? 8);
  const sameW = weightOf(same);
  const reviewW = weightOf(review);
  const index = new PairIndex(n, pairs);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const members = new Map<number, number[]>();
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const membersOf = (root: number): number[] => members.get(root) ?? [root];
  const cannot = new Map<number, number[]>();
  for (const [a, b] of options.cannotLink ?? []) {
    if (a === b) continue;
    (cannot.get(a) ?? cannot.set(a, []).get(a)!).push(b);
    (cannot.get(b) ?? cannot.set(b, []).get(b)!).push(a);
  }
  const forbidden = (ra: number, rb: number): boolean => {
    if (cannot.size === 0) return false;
    const [small, other] = membersOf(ra).length <= membersOf(rb).length ? [ra, rb] : [rb, ra];
    for (const x of membersOf(small)) for (const y of cannot.get(x) ?? []) if (find(y) === other) return true;
    return false;
  };
  const join = (ra: number, rb: number) => {
    const ma = membersOf(ra);
    const mb = membersOf(rb);
    const [big, small, bigRoot, smallRoot] = ma.length >= mb.length ? [ma, mb, ra, rb] : [mb, ma, rb, ra];
    for (const x of small) big.push(x);
    parent[smallRoot] = bigRoot;
    members.set(bigRoot, big);
    members.delete(smallRoot);
  };

  for (const [a, b] of options.mustLink ?? []) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb && !forbidden(ra, rb)) join(ra, rb);
  }

  // Links at or above the threshold, strongest first (in steps of 1/64 bit), then by (i, j): deterministic.
  const bucketOf = (w: number) => Math.max(0, Math.min(2 * WEIGHT_SPAN * WEIGHT_STEPS, Math.floor((WEIGHT_SPAN - w) * WEIGHT_STEPS)));
  const counts = new Uint32Array(2 * WEIGHT_SPAN * WEIGHT_STEPS + 2);
  let edgeCount = 0;
  for (const p of index.order) {
    if (pairs.weight[p]! < sameW) continue;
    counts[bucketOf(pairs.weight[p]!) + 1]!++;
    edgeCount++;
  }
  for (let b = 0; b + 1 < counts.length; b++) counts[b + 1]! += counts[b]!;
  const edges = new Uint32Array(edgeCount);
  for (const p of index.order) if (pairs.weight[p]! >= sameW) edges[counts[bucketOf(pairs.weight[p]!)]!++] = p;
  const refused: ReviewPair[] = [];
  let checkedJoins = 0;
  for (const k of edges) {
    const i = pairs.i[k]!;
    const j = pairs.j[k]!;
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    if (forbidden(ri, rj)) continue;
    const mi = membersOf(ri);
    const mj = membersOf(rj);
    if (mi.length > 1 || mj.length > 1) {
      let sum = 0;
      let count = 0;
      for (const x of spread(mi, checked))
        for (const y of spread(mj, checked)) {
          sum += probabilityOf(index.weight(x, y) ?? weightOfPair(Math.min(x, y), Math.max(x, y)));
          count++;
        }
      if (sum / count < minLinkage) {
        refused.push({ i, j, probability: probabilityOf(pairs.weight[k]!), reason: 'chaining guard' });
        continue;
      }
      checkedJoins++;
    }
    join(ri, rj);
  }

  // Stable ids: the smallest record id of each cluster (roots and representatives are record indices: typed arrays).
  const best = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const b = best[r]!;
    if (b < 0 || ids[i]! < ids[b]!) best[r] = i;
  }
  const clusterOf = new Int32Array(n);
  const clusterIds = new Array<string>(n);
  const sizes = new Int32Array(n);
  let clusters = 0;
  let multi = 0;
  for (let i = 0; i < n; i++) {
    const rep = best[find(i)]!;
    clusterOf[i] = rep;
    clusterIds[i] = ids[rep]!;
    const size = ++sizes[rep]!;
    if (size === 1) clusters++;
    else if (size === 2) multi++;
  }

  const band: ReviewPair[] = [];
  for (let k = 0; k < pairs.i.length; k++) {
    const w = pairs.weight[k]!;
    if (w >= reviewW && w < sameW && clusterOf[pairs.i[k]!] !== clusterOf[pairs.j[k]!]) band.push({ i: pairs.i[k]!, j: pairs.j[k]!, probability: probabilityOf(w), reason: 'review band' });
  }
  const reviewList = [...refused.filter((p) => clusterOf[p.i] !== clusterOf[p.j]), ...band].sort((a, b) => b.probability - a.probability || a.i - b.i || a.j - b.j);
  return { clusterIds, clusterOf, clusters, multiRecordClusters: multi, review: reviewList, refusedJoins: refused.length, checkedJoins };
}

/**
 * Clusters of a subset of records (representatives) extended to all records: each record joins its
 * representative's cluster; ids are recomputed (the smallest record id of the whole cluster).
 */
export function expandClusters(ids: readonly string[], work: ClusterResult, workIndex: Int32Array, reps: readonly number[]): ClusterResult {
  const n = ids.length;
  // Cluster numbers are record indices (of the work table, then of the whole): typed arrays, not maps.
  const best = new Int32Array(work.clusterOf.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = work.clusterOf[workIndex[i]!]!;
    const b = best[c]!;
    if (b < 0 || ids[i]! < ids[b]!) best[c] = i;
  }
  const clusterOf = new Int32Array(n);
  const clusterIds = new Array<string>(n);
  const sizes = new Int32Array(n);
  let clusters = 0;
  let multi = 0;
  for (let i = 0; i < n; i++) {
    const rep = best[work.clusterOf[workIndex[i]!]!]!;
    clusterOf[i] = rep;
    clusterIds[i] = ids[rep]!;
    const size = ++sizes[rep]!;
    if (size === 1) clusters++;
    else if (size === 2) multi++;
  }
  return {
    ...work,
    clusterIds,
    clusterOf,
    clusters,
    multiRecordClusters: multi,
    review: work.review.map((p) => ({ ...p, i: reps[p.i]!, j: reps[p.j]! })),
  };
}
