/**
 * MatchIndex: an incremental one-vs-all index for the registration duplicate check. Records are added, removed and
 * updated one at a time; a query scores one probe record against the records that share a blocking key with it,
 * with the batch engine's comparison, model and explanation — so a one-vs-all query finds what batch
 * deduplication (dedupe.ts) finds for that record.
 *
 * - Storage: the records are prepared once into a growable column table (TableBuilder's live view: typed arrays,
 *   no object per record). Each blocking rule of DEFAULT_RULES has a hash table from key to a posting list; the
 *   posting lists live in one Int32Array pool (a key with one record holds the record directly, with no list).
 * - Keys: the batch rules' own key functions (blocking.ts). `rare-tokens` depends on how often each token occurs,
 *   which changes as records come and go: a record is indexed under every pair of its (first 8 distinct)
 *   canonical name tokens, and a probe is looked up under its two rarest tokens at query time — every record the
 *   batch rule would pair with the probe is found.
 * - Capped blocks: a block of more than `maxBlockScan` records (default 2,000) is not scanned whole; the
 *   `cappedSample` records (default 200) nearest to the probe in the batch's sorted-neighbourhood order (date of
 *   birth, then name skeletons; ties by insertion order) are taken, and the block is reported in `capped`.
 * - Scores: Fellegi–Sunter with the given ModelParams (trainParams or defaultParams) and term frequencies counted
 *   live over the indexed records (`termFrequencies: 'live'`, the default; the batch counts them over its file) or
 *   none.
 * - Removed records leave their prepared row in the table (about 100 bytes each) until the index is rebuilt; they
 *   are in no posting list, so they are never candidates.
 * Pure (no I/O, no clock) and deterministic: the same operations in the same order give the same results. Not safe
 * for concurrent use (one index per thread).
 */
import { Comparer, FIELD_COUNT, FIELD_LEVELS, FIELD_NAMES, F_FAMILY, F_GIVEN } from './compare.ts';
import { BUILT_IN_RULES, DEFAULT_RULES, type BlockingContext, type BuiltInRule } from './blocking.ts';
import { CONTEXTS, MAX_LEVELS, Scorer, contextOf, nameValue, probabilityOf, termFrequencyAdjustments, weightOf, type Explanation, type ModelParams, type OtherRecordCounts } from './model.ts';
import { trainParams, type TrainOptions, type TrainReport } from './train.ts';
import { TableBuilder } from './prepare.ts';
import { type MatchRecord } from './record.ts';
import { DOB_PRESENT, type PreparedTable } from './table.ts';
import { NONE, NearestK, NumMap, PostingPool, grownFloat64, grownInt32, grownUint8 } from './index-storage.ts';

export interface MatchIndexOptions {
  /** Model parameters (from trainParams, paramsFromJSON or defaultParams). */
  params: ModelParams;
  /** 'live' (default): term frequencies of name values counted over the indexed records; 'none': no adjustment. */
  termFrequencies?: 'live' | 'none';
  /** Blocking rules (default DEFAULT_RULES, the batch's). */
  rules?: readonly BuiltInRule[];
  /** A block with more records than this is not scanned whole (default 2,000). */
  maxBlockScan?: number;
  /** Records taken from a capped block: those nearest the probe in date of birth and names (default 200). */
  cappedSample?: number;
}

export interface MatchQueryOptions {
  /** At most this many candidates (default 20). */
  limit?: number;
  /** Only candidates at or above this probability (default 0.5). */
  minProbability?: number;
}

export interface MatchCandidate {
  id: string;
  probability: number;
  matchWeight: number;
  /** The prior, each field's level and weight, the term-frequency adjustments (the batch's Explanation). */
  explanation: Explanation;
  /** The blocking rules under which the candidate was found, in rule order. */
  rules: string[];
}

export interface CappedBlock {
  rule: string;
  /** Records in the block (no key values: they may be personal data). */
  size: number;
  /** Records of it that were scored. */
  scanned: number;
}

export interface MatchQueryResult {
  /** Best first (probability, then id). */
  candidates: MatchCandidate[];
  /** Distinct records compared with the probe. */
  compared: number;
  /** Blocks too large to scan whole, with how much of each was scanned. Empty: the search was exhaustive. */
  capped: CappedBlock[];
}

const RARE = 'rare-tokens';
const PAIR_SCALE = 2 ** 24;
/** Distinct canonical tokens of a record indexed in pairs for `rare-tokens` (8 tokens: 28 pairs at most). */
const RARE_TOKENS_INDEXED = 8;


/** An incremental one-vs-all index of MatchRecords. See the module comment. */
export class MatchIndex {
  private readonly builder = new TableBuilder();
  private readonly table: PreparedTable;
  private readonly comparer: Comparer;
  private scorer!: Scorer;
  private params!: ModelParams;
  private readonly liveTf: boolean;
  private readonly ruleNames: readonly BuiltInRule[];
  private readonly maps: NumMap[];
  private readonly pool = new PostingPool();
  private readonly maxBlockScan: number;
  private readonly nearest: NearestK;
  /** Record id → slot (row of the table), for live records. */
  private readonly slotOf = new Map<string, number>();
  /** 1 for a live slot. */
  private alive: Uint8Array = new Uint8Array(1024);
  /** Sorted-neighbourhood key of each slot (as the batch orders capped blocks). */
  private sortKey: Float64Array = new Float64Array(1024);
  /** Live occurrences of each name value id (given, family, full): term frequencies. */
  private valueCounts: Int32Array = new Int32Array(1024);
  /** Live occurrences of each canonical token id, for the rare-tokens key of a probe. */
  private tokenCounts: Int32Array = new Int32Array(1024);
  private readonly ctx: BlockingContext = { tokenCounts: this.tokenCounts };
  /** Per-query marks: stamp[slot] === current query's stamp when the slot is already a candidate. */
  private stamp: Int32Array = new Int32Array(1024);
  /** Bit r set in ruleBits[slot] when rule r found the slot in the current query. */
  private ruleBits: Int32Array = new Int32Array(1024);
  private queryStamp = 0;
  private readonly levels = new Uint8Array(FIELD_COUNT);

  constructor(options: MatchIndexOptions) {
    this.table = this.builder.view();
    this.comparer = new Comparer(this.table);
    this.liveTf = (options.termFrequencies ?? 'live') === 'live';
    this.ruleNames = [...(options.rules ?? DEFAULT_RULES)];
    for (const r of this.ruleNames) if (!(r in BUILT_IN_RULES)) throw new Error(`unknown blocking rule; known: ${Object.keys(BUILT_IN_RULES).join(', ')}`);
    if (this.ruleNames.length > 31) throw new Error('at most 31 rules');
    this.maps = this.ruleNames.map(() => new NumMap());
    this.maxBlockScan = Math.max(1, Math.floor(options.maxBlockScan ?? 2000));
    this.nearest = new NearestK(Math.max(1, Math.min(this.maxBlockScan, Math.floor(options.cappedSample ?? 200))));
    this.setParams(options.params);
  }

  /**
   * Estimates the model from the indexed records themselves, as a batch run does (u from random pairs, m by
   * expectation–maximisation, the prior), and uses it from now on. Deterministic for the same records and seed.
   * Needs a registry of some size (a thousand records or more) to mean anything.
   */
  train(options: TrainOptions = {}): TrainReport {
    const { params, report } = trainParams(this.table, options);
    this.setParams(params);
    return report;
  }

  /** Records in the index. */
  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(String(id));
  }

  /** Replaces the model parameters (e.g. after re-training or reviewers' refinement). */
  setParams(params: ModelParams): void {
    this.params = params;
    this.scorer = new Scorer(this.table, params, null, this.comparer);
  }

  /** Adds a record. Throws when a record with this id is already indexed (use `update`). */
  add(record: MatchRecord): void {
    const id = String(record.id);
    if (this.slotOf.has(id)) throw new Error(`record id "${id.slice(0, 100)}" is already indexed`);
    const slot = this.append(record);
    this.slotOf.set(id, slot);
    this.alive[slot] = 1;
    this.count(slot, 1);
    this.forEachKey(slot, (r, key) => this.pool.add(this.maps[r]!, key, slot));
  }

  /** Removes the record with this id; false when there is none. */
  remove(id: string): boolean {
    const key = String(id);
    const slot = this.slotOf.get(key);
    if (slot === undefined) return false;
    this.forEachKey(slot, (r, k) => this.pool.remove(this.maps[r]!, k, slot));
    this.count(slot, -1);
    this.alive[slot] = 0;
    this.slotOf.delete(key);
    return true;
  }

  /** Replaces the record with the same id (adds it when it is not indexed). */
  update(record: MatchRecord): void {
    this.remove(String(record.id));
    this.add(record);
  }

  /**
   * Scores a probe against the indexed records that share a blocking key with it. A record with the probe's id is
   * not a candidate (so a stored record can be checked against the others). The probe is not added.
   */
  query(probe: MatchRecord, options: MatchQueryOptions = {}): MatchQueryResult {
    const limit = Math.max(0, Math.floor(options.limit ?? 20));
    const minWeight = weightOf(options.minProbability ?? 0.5);
    const n = this.builder.size;
    const p = this.append(probe);
    try {
      const self = this.slotOf.get(String(probe.id)) ?? -1;
      this.selfSlot = self;
      const stamp = ++this.queryStamp;
      const found: number[] = [];
      const capped: CappedBlock[] = [];
      const visit = (slot: number, r: number) => {
        if (slot === self) return;
        if (this.stamp[slot] !== stamp) {
          this.stamp[slot] = stamp;
          this.ruleBits[slot] = 0;
          found.push(slot);
        }
        this.ruleBits[slot]! |= 1 << r;
      };
      this.ctx.tokenCounts = this.tokenCounts;
      this.ruleNames.forEach((name, r) => {
        const key = BUILT_IN_RULES[name].key(this.table, p, this.ctx);
        if (key === null || !Number.isFinite(key)) return;
        const v = this.maps[r]!.get(key);
        if (v === NONE) return;
        if (v >= 0) {
          visit(v, r);
          return;
        }
        const pool = this.pool.pool;
        const at = -v - 2 + 2;
        const len = pool[at - 1]!;
        if (len <= this.maxBlockScan) {
          for (let k = 0; k < len; k++) visit(pool[at + k]!, r);
          return;
        }
        const near = this.nearest;
        near.size = 0;
        const sk = this.sortKey[p]!;
        for (let k = 0; k < len; k++) {
          const s = pool[at + k]!;
          near.offer(Math.abs(this.sortKey[s]! - sk), s);
        }
        for (let k = 0; k < near.size; k++) visit(near.slot[k]!, r);
        capped.push({ rule: name, size: len, scanned: near.size });
      });
      // Score, keep those at or above the threshold.
      const kept: { slot: number; weight: number }[] = [];
      const lv = this.levels;
      for (const slot of found) {
        this.comparer.compare(p, slot, lv);
        const w = this.scorer.weightOfLevels(lv) + this.tfAdjust(p, slot, null);
        if (w >= minWeight) kept.push({ slot, weight: w });
      }
      const ids = this.table.ids;
      kept.sort((a, b) => b.weight - a.weight || (ids[a.slot]! < ids[b.slot]! ? -1 : ids[a.slot]! > ids[b.slot]! ? 1 : 0));
      const candidates = kept.slice(0, limit).map(({ slot, weight }) => ({
        id: ids[slot]!,
        probability: probabilityOf(weight),
        matchWeight: weight,
        explanation: this.explain(p, slot),
        rules: this.ruleNames.filter((_, r) => (this.ruleBits[slot]! & (1 << r)) !== 0),
      }));
      return { candidates, compared: found.length, capped };
    } finally {
      this.selfSlot = -1;
      this.builder.truncate(n);
      this.builder.refreshView(this.table);
    }
  }

  /** Sizes of the index's own structures (bytes; the prepared table and the id map are not counted). */
  stats(): { records: number; rows: number; keys: Record<string, number>; postingBytes: number; hashBytes: number } {
    const keys: Record<string, number> = {};
    this.ruleNames.forEach((name, r) => (keys[name] = this.maps[r]!.size));
    return { records: this.size, rows: this.builder.size, keys, postingBytes: this.pool.bytes, hashBytes: this.maps.reduce((a, m) => a + m.bytes, 0) };
  }

  // -------------------------------------------------------------------------------------------

  /** Prepares a record into the next row of the table; returns its slot. */
  private append(record: MatchRecord): number {
    const slot = this.builder.add({ ...record, id: String(record.id) });
    this.builder.refreshView(this.table);
    this.comparer.refreshTokens();
    const n = slot + 1;
    if (n > this.alive.length) {
      this.alive = grownUint8(this.alive, n);
      this.sortKey = grownFloat64(this.sortKey, n);
      this.stamp = grownInt32(this.stamp, n);
      this.ruleBits = grownInt32(this.ruleBits, n);
    }
    const t = this.table;
    this.valueCounts = grownInt32(this.valueCounts, t.valueCount);
    this.tokenCounts = grownInt32(this.tokenCounts, t.tokens.length);
    // The batch's order inside a capped block: date of birth, then the given and family skeletons.
    const g = this.firstToken(slot, 0);
    const f = this.firstToken(slot, 2);
    const dob = t.dobFlags[slot]! & DOB_PRESENT ? t.dobYear[slot]! * 10000 + t.dobMonth[slot]! * 100 + t.dobDay[slot]! : 0;
    this.sortKey[slot] = dob * 2 ** 22 + (g < 0 ? 0 : t.skel[t.canon[g]!]! % 2048) * 2048 + (f < 0 ? 0 : t.skel[t.canon[f]!]! % 2048);
    return slot;
  }

  private firstToken(i: number, part: number): number {
    const t = this.table;
    const s = t.partStart[3 * i + part]!;
    return s < t.partStart[3 * i + part + 1]! ? t.nameTok[s]! : -1;
  }

  /** Adds `delta` to the live counts of the record's name values and canonical tokens. */
  private count(slot: number, delta: number): void {
    const t = this.table;
    for (const v of [t.givenVal[slot]!, t.familyVal[slot]!, t.fullVal[slot]!]) if (v >= 0) this.valueCounts[v]! += delta;
    for (let k = t.partStart[3 * slot]!; k < t.partStart[3 * slot + 3]!; k++) this.tokenCounts[t.canon[t.nameTok[k]!]!]! += delta;
  }

  /** The keys a stored record is indexed under, rule by rule (rare-tokens: every pair of its canonical tokens). */
  private forEachKey(slot: number, visit: (rule: number, key: number) => void): void {
    const t = this.table;
    this.ruleNames.forEach((name, r) => {
      if (name === RARE) {
        const distinct: number[] = [];
        for (let k = t.partStart[3 * slot]!; k < t.partStart[3 * slot + 3]! && distinct.length < RARE_TOKENS_INDEXED; k++) {
          const c = t.canon[t.nameTok[k]!]!;
          if (!distinct.includes(c)) distinct.push(c);
        }
        for (let a = 0; a < distinct.length; a++)
          for (let b = a + 1; b < distinct.length; b++) {
            const x = distinct[a]!;
            const y = distinct[b]!;
            visit(r, x < y ? x * PAIR_SCALE + y : y * PAIR_SCALE + x);
          }
        return;
      }
      const key = BUILT_IN_RULES[name].key(t, slot, this.ctx);
      if (key !== null && Number.isFinite(key)) visit(r, key);
    });
  }

  /** During a query: the slot of the probe's own indexed record (an existing person checked again), or -1. */
  private selfSlot = -1;

  /** Live name-value counts over the records other than a probe's pair: the probe is not counted, its own indexed record is. */
  private readonly otherCounts: OtherRecordCounts = {
    others: (v, kind, _probe, stored) => {
      const self = this.selfSlot;
      return (this.valueCounts[v] ?? 0) - (nameValue(this.table, kind, stored) === v ? 1 : 0) - (self >= 0 && nameValue(this.table, kind, self) === v ? 1 : 0);
    },
    total: () => this.slotOf.size - 1 - (this.selfSlot < 0 ? 0 : 1),
  };

  /** Term-frequency adjustments for the levels in `this.levels` (as Scorer, over the live records): [given, family, full name]. */
  private tfAdjust(i: number, j: number, out: number[] | null): number {
    if (!this.liveTf) return 0;
    return termFrequencyAdjustments(this.params, this.table, i, j, this.levels, (f, level) => this.scorer.levelWeight(f, level, this.levels), this.otherCounts, out);
  }

  private explain(i: number, j: number): Explanation {
    const lv = this.levels;
    this.comparer.compare(i, j, lv);
    const adj = [0, 0, 0];
    const matchWeight = this.scorer.weightOfLevels(lv) + this.tfAdjust(i, j, adj);
    const context = contextOf(lv);
    const fields = FIELD_NAMES.map((field, f) => {
      const level = lv[f]!;
      const weight = this.scorer.weights[context * FIELD_COUNT * MAX_LEVELS + f * MAX_LEVELS + level]!;
      return { field, level, label: FIELD_LEVELS[field][level]!, weight, tfAdjustment: f === F_GIVEN ? adj[0]! : f === F_FAMILY ? adj[1]! : 0 };
    });
    return { prior: this.scorer.prior, context: CONTEXTS[context]!, fields, fullNameTfAdjustment: adj[2]!, matchWeight, probability: probabilityOf(matchWeight) };
  }
}
