/**
 * Screening people against a watchlist whose entries carry aliases.
 *
 * The name score is watchman's (moov-io/watchman), on names normalised and transliterated first (so "محمد علي"
 * meets "Mohamed Ali", which watchman alone scores 0): Jaro-Winkler for every query-token × list-token pair,
 * skipping pairs whose first letters are in different Soundex classes; the best pairs taken greedily; their
 * length-weighted average; times (1 − 0.15 × the share of the list name's tokens left unmatched). Tokens in one
 * variant class (Mohammed/Muhammad) score 1.
 * Then qualifiers as OpenSanctions applies them: a birth year more than a year apart −0.15, the same year but
 * another day −0.05 (both dates full), nationalities that differ −0.2. An entry's score is its best name or alias.
 * Bands (watchman): ≥ 0.95 block, 0.85–0.95 review, 0.70–0.85 enhanced due diligence.
 */
import { canonicalToken } from '../canonical.ts';
import { nameTokens } from '../normalise.ts';
import { skeleton } from '../skeleton.ts';
import { parseDateOfBirth, parseNationality, type ParsedDate } from './record.ts';
import { jaroWinkler, soundexClass } from './strings.ts';

export interface WatchlistEntry {
  entryId: string;
  name: string;
  /** The entry this row is an alias of (null/empty: a main entry). */
  aliasOf?: string | null;
  dateOfBirth?: string | null;
  nationality?: string | null;
}

export interface ScreenQuery {
  /** One or more names of the person (e.g. the Latin name and the original-script name); the best counts. */
  names: readonly string[];
  dateOfBirth?: string | null;
  nationality?: string | null;
}

export interface ScreenHit {
  /** The main entry (an alias's hit is reported under the entry it is an alias of). */
  entryId: string;
  /** The row whose name matched best (the entry itself or one of its aliases). */
  matchedRowId: string;
  score: number;
  nameScore: number;
  band: 'block' | 'review' | 'enhanced due diligence' | 'below';
}

interface Token {
  text: string;
  canonical: string;
  soundex: number;
}

function tokensOf(name: string): Token[] {
  const cut = name.length > 1000 ? name.slice(0, 1000) : name;
  return nameTokens(cut)
    .slice(0, MAX_QUERY_TOKENS)
    .map((text) => ({ text, canonical: canonicalToken(text), soundex: soundexClass(text[0] ?? '') }));
}

/** watchman's name score of a query against a list name (both as tokens). */
export function watchmanScore(query: readonly Token[], list: readonly Token[]): number {
  if (query.length === 0 || list.length === 0) return 0;
  const pairs: { q: number; l: number; s: number }[] = [];
  for (let q = 0; q < query.length; q++) {
    for (let l = 0; l < list.length; l++) {
      const a = query[q]!;
      const b = list[l]!;
      if (a.canonical === b.canonical) pairs.push({ q, l, s: 1 });
      else if (a.soundex === b.soundex) pairs.push({ q, l, s: Math.max(jaroWinkler(a.text, b.text), jaroWinkler(a.canonical, b.canonical)) });
    }
  }
  pairs.sort((x, y) => y.s - x.s || x.q - y.q || x.l - y.l);
  const usedQ = new Uint8Array(query.length);
  const usedL = new Uint8Array(list.length);
  let weighted = 0;
  let weights = 0;
  let matched = 0;
  for (const p of pairs) {
    if (usedQ[p.q] || usedL[p.l] || p.s <= 0) continue;
    usedQ[p.q] = 1;
    usedL[p.l] = 1;
    const w = list[p.l]!.text.length;
    weighted += p.s * w;
    weights += w;
    matched++;
  }
  if (matched === 0) return 0;
  const unmatchedShare = (list.length - matched) / list.length;
  return (weighted / weights) * (1 - 0.15 * unmatchedShare);
}

/** The watchman score of two names as strings (normalised and transliterated first). */
export function nameScore(query: string, listName: string): number {
  return watchmanScore(tokensOf(query), tokensOf(listName));
}

function band(score: number): ScreenHit['band'] {
  return score >= 0.95 ? 'block' : score >= 0.85 ? 'review' : score >= 0.7 ? 'enhanced due diligence' : 'below';
}

/** Rows' name tokens, by text, with what the score needs of each. */
class TokenDictionary {
  readonly ids = new Map<string, number>();
  readonly text: string[] = [];
  readonly canonical: string[] = [];
  readonly soundex: number[] = [];
  readonly length: number[] = [];
  id(t: Token): number {
    let id = this.ids.get(t.text);
    if (id === undefined) {
      id = this.text.length;
      this.ids.set(t.text, id);
      this.text.push(t.text);
      this.canonical.push(t.canonical);
      this.soundex.push(t.soundex);
      this.length.push(t.text.length);
    }
    return id;
  }
}

const NO_PAIR = -1;
/** Memory for cached similarities of recent query tokens (see Watchlist.simRowOf). */
const SIM_CACHE_BYTES = 32 * 1024 * 1024;
/** Tokens read per name (a query's rows must all fit in the cache at once). */
const MAX_QUERY_TOKENS = 12;

/**
 * An in-memory watchlist index: candidates by canonical token, skeleton and 3-letter prefix.
 *
 * Storage: distinct names (rows with the same tokens share one), their tokens as ids into one token dictionary
 * (typed arrays), posting lists of names as Int32Arrays. Each (query token, list token) similarity is computed
 * once and kept for the most recent query tokens (32 MB: list names and queries repeat tokens a great deal); a
 * query counts shared keys per name with a
 * stamped Int32Array, scores each candidate name once with an allocation-free version of `watchmanScore` that
 * gives exactly its result, then applies the date and nationality qualifiers to the rows carrying that name.
 */
export class Watchlist {
  private readonly rowIds: string[] = [];
  private readonly entryIds: string[] = [];
  /** Distinct names (token sequences): tokens of name k are tokenIds[tokenStart[k] .. tokenStart[k + 1]). */
  private readonly tokenStart: Int32Array;
  private readonly tokenIds: Int32Array;
  /** Rows of name k: nameRows[rowStart[k] .. rowStart[k + 1]), in list order. */
  private readonly rowStart: Int32Array;
  private readonly nameRows: Int32Array;
  private readonly dict = new TokenDictionary();
  private readonly dobs: (ParsedDate | null)[] = [];
  private readonly nationalities: (string | null)[] = [];
  private readonly index = new Map<string, Int32Array>();
  /** Per-query scratch: shared-key counts (valid where stamp === current), touched rows. */
  private readonly hitCount: Int32Array;
  private readonly hitStamp: Int32Array;
  private readonly touched: Int32Array;
  private readonly ordered: Int32Array;
  private stampNow = 0;
  /** Similarities of recent query tokens to the dictionary's tokens (see simRowOf). */
  private readonly simCache = new Map<string, Float64Array>();
  private simRows: Float64Array[] = [];
  private readonly pairSim = new Float64Array(144);
  private readonly usedQ = new Uint8Array(12);
  private readonly usedL = new Uint8Array(12);
  /** Entries whose alias refers to an entry not in the list (reported, then treated as main entries). */
  readonly danglingAliases: string[] = [];

  constructor(entries: Iterable<WatchlistEntry>) {
    const list = [...entries];
    const ids = new Set(list.map((e) => e.entryId));
    const starts: number[] = [0];
    const toks: number[] = [];
    const postings = new Map<string, number[]>();
    const nameOf = new Map<string, number>();
    const rowsOf: number[][] = [];
    for (const e of list) {
      let entryId = e.aliasOf && e.aliasOf.trim() !== '' ? e.aliasOf.trim() : e.entryId;
      if (entryId !== e.entryId && !ids.has(entryId)) {
        this.danglingAliases.push(e.entryId);
        entryId = e.entryId;
      }
      const k = this.rowIds.length;
      this.rowIds.push(e.entryId);
      this.entryIds.push(entryId);
      this.dobs.push(parseDateOfBirth(e.dateOfBirth));
      this.nationalities.push(parseNationality(e.nationality));
      const tokens = tokensOf(e.name ?? '');
      const tokenIds = tokens.map((t) => this.dict.id(t));
      const key = tokenIds.join(' ');
      let name = nameOf.get(key);
      if (name === undefined) {
        name = rowsOf.length;
        nameOf.set(key, name);
        rowsOf.push([]);
        toks.push(...tokenIds);
        starts.push(toks.length);
        for (const key of keysOf(tokens)) (postings.get(key) ?? postings.set(key, []).get(key)!).push(name);
      }
      rowsOf[name]!.push(k);
    }
    this.tokenStart = Int32Array.from(starts);
    this.tokenIds = Int32Array.from(toks);
    this.rowStart = new Int32Array(rowsOf.length + 1);
    rowsOf.forEach((r, k) => (this.rowStart[k + 1] = this.rowStart[k]! + r.length));
    this.nameRows = Int32Array.from(rowsOf.flat());
    for (const [key, names] of postings) this.index.set(key, Int32Array.from(names));
    this.hitCount = new Int32Array(rowsOf.length);
    this.hitStamp = new Int32Array(rowsOf.length);
    this.touched = new Int32Array(rowsOf.length);
    this.ordered = new Int32Array(rowsOf.length);
  }

  get size(): number {
    return this.rowIds.length;
  }

  /**
   * Similarities of one query token to every dictionary token (NaN: not computed yet), kept for the most recently
   * used query tokens: queries repeat common names, so most similarities are computed once for many queries.
   */
  private simRowOf(t: Token): Float64Array {
    let row = this.simCache.get(t.text);
    if (row) {
      // Most recently used last.
      this.simCache.delete(t.text);
      this.simCache.set(t.text, row);
      return row;
    }
    const maxRows = Math.max(MAX_QUERY_TOKENS + 4, Math.floor(SIM_CACHE_BYTES / (8 * Math.max(1, this.dict.text.length))));
    if (this.simCache.size >= maxRows) {
      const oldest = this.simCache.keys().next().value as string;
      row = this.simCache.get(oldest)!;
      this.simCache.delete(oldest);
      row.fill(NaN);
    } else row = new Float64Array(this.dict.text.length).fill(NaN);
    this.simCache.set(t.text, row);
    return row;
  }

  /** Similarity of query token a and dictionary token d, as watchmanScore scores a pair; NO_PAIR when skipped. */
  private sim(a: Token, row: Float64Array, d: number): number {
    const cached = row[d]!;
    if (cached === cached) return cached;
    let v: number;
    if (a.canonical === this.dict.canonical[d]) v = 1;
    else if (a.soundex === this.dict.soundex[d]) v = Math.max(jaroWinkler(a.text, this.dict.text[d]!), jaroWinkler(a.canonical, this.dict.canonical[d]!));
    else v = NO_PAIR;
    row[d] = v;
    return v;
  }

  /**
   * watchmanScore(query, tokens of name k), without allocating; 0 early when the score cannot reach `atLeast` (the
   * score is at most the best pair's similarity, so a name whose best pair is below `atLeast` is not paired up).
   */
  private rowScore(query: readonly Token[], k: number, atLeast = 0): number {
    const s0 = this.tokenStart[k]!;
    const L = this.tokenStart[k + 1]! - s0;
    const Q = query.length;
    if (Q === 0 || L === 0) return 0;
    const ps = this.pairSim;
    const tokenIds = this.tokenIds;
    let top = 0;
    for (let q = 0; q < Q; q++) {
      const row = this.simRows[q]!;
      for (let l = 0; l < L; l++) {
        const d = tokenIds[s0 + l]!;
        const cached = row[d]!;
        const v = cached === cached ? cached : this.sim(query[q]!, row, d);
        ps[q * L + l] = v;
        if (v > top) top = v;
      }
    }
    if (top < atLeast || top <= 0) return 0;
    const usedQ = this.usedQ;
    const usedL = this.usedL;
    usedQ.fill(0, 0, Q);
    usedL.fill(0, 0, L);
    let weighted = 0;
    let weights = 0;
    let matched = 0;
    // Greedy: the best remaining pair (ties: lower query index, then lower list index), as sorting all pairs does.
    for (;;) {
      let best = 0;
      let bq = -1;
      let bl = -1;
      for (let q = 0; q < Q; q++) {
        if (usedQ[q]) continue;
        for (let l = 0; l < L; l++) {
          if (usedL[l]) continue;
          const v = ps[q * L + l]!;
          if (v > best) {
            best = v;
            bq = q;
            bl = l;
          }
        }
      }
      if (bq < 0) break;
      usedQ[bq] = 1;
      usedL[bl] = 1;
      const w = this.dict.length[tokenIds[s0 + bl]!]!;
      weighted += best * w;
      weights += w;
      matched++;
    }
    if (matched === 0) return 0;
    return (weighted / weights) * (1 - 0.15 * ((L - matched) / L));
  }

  /**
   * Entries scoring at least `threshold` (default 0.85), best first. At most `maxCandidates` distinct names (those
   * sharing the most keys with the query; ties by list order) are scored, each once for all the rows that carry
   * it, which bounds the time of a query on a very common name. `report`, when given, is filled in: whether any
   * query name met more candidate names than that (then the hits are the strongest found, not every namesake).
   *
   * The default cap is 2,000 names: on the benchmark's name-dense list (50,000 entries, 80,528 rows; 346 hits per
   * query at 5,000) it finds the listed person as often as 5,000 did (994 of 1,000; 986 within the best 100) at
   * about half the time (CPU p95 3.8 ms instead of 7.3), keeping 255 namesakes per query instead of 346.
   */
  screen(query: ScreenQuery, options: { threshold?: number; maxCandidates?: number; report?: { capped: boolean } } = {}): ScreenHit[] {
    const threshold = options.threshold ?? 0.85;
    const maxCandidates = options.maxCandidates ?? 2000;
    if (options.report) options.report.capped = false;
    const dob = parseDateOfBirth(query.dateOfBirth);
    const nat = parseNationality(query.nationality);
    const best = new Map<string, ScreenHit>();
    for (const name of query.names) {
      const q = tokensOf(name);
      if (q.length === 0) continue;
      const stamp = ++this.stampNow;
      // A query token repeated in one name shares its row (the cache holds each text once).
      this.simRows = q.map((t) => this.simRowOf(t));
      const touched = this.touched;
      let nTouched = 0;
      let most = 0;
      for (const key of keysOf(q)) {
        const names = this.index.get(key);
        if (!names) continue;
        for (let x = 0; x < names.length; x++) {
          const k = names[x]!;
          if (this.hitStamp[k] !== stamp) {
            this.hitStamp[k] = stamp;
            this.hitCount[k] = 0;
            touched[nTouched++] = k;
          }
          const c = ++this.hitCount[k]!;
          if (c > most) most = c;
        }
      }
      let candidates = touched.subarray(0, nTouched);
      if (nTouched > maxCandidates) {
        if (options.report) options.report.capped = true;
        // The names sharing the most keys, ties by list order: a counting sort by count (descending), then by name.
        candidates.sort();
        const start = new Int32Array(most + 2);
        for (let x = 0; x < nTouched; x++) start[most - this.hitCount[candidates[x]!]! + 1]!++;
        for (let c = 1; c <= most + 1; c++) start[c]! += start[c - 1]!;
        const ordered = this.ordered;
        for (let x = 0; x < nTouched; x++) ordered[start[most - this.hitCount[candidates[x]!]!]!++] = candidates[x]!;
        candidates = ordered.subarray(0, maxCandidates);
      }
      for (const name of candidates) {
        // Qualifiers only lower a score: a name below the threshold has no row above it.
        const ns = this.rowScore(q, name, threshold);
        if (ns < threshold) continue;
        for (let x = this.rowStart[name]!; x < this.rowStart[name + 1]!; x++) {
          const k = this.nameRows[x]!;
          let score = ns;
          const rowDob = this.dobs[k];
          if (dob && rowDob) {
            if (Math.abs(dob.year - rowDob.year) > 1) score -= 0.15;
            else if (!dob.yearOnly && !rowDob.yearOnly && (dob.year !== rowDob.year || dob.month !== rowDob.month || dob.day !== rowDob.day)) score -= 0.05;
          }
          const rowNat = this.nationalities[k];
          if (nat && rowNat && nat !== rowNat) score -= 0.2;
          score = Math.max(0, score);
          if (score < threshold) continue;
          const entryId = this.entryIds[k]!;
          const rowId = this.rowIds[k]!;
          const had = best.get(entryId);
          if (!had || score > had.score || (score === had.score && rowId < had.matchedRowId)) best.set(entryId, { entryId, matchedRowId: rowId, score, nameScore: ns, band: band(score) });
        }
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
  }
}

/** The index keys of a name's tokens: canonical token, its skeleton, 3-letter prefix. */
function keysOf(tokens: readonly Token[]): Set<string> {
  const keys = new Set<string>();
  for (const t of tokens) {
    keys.add(`c:${t.canonical}`);
    keys.add(`s:${skeleton(t.canonical)}`);
    keys.add(`p:${t.text.slice(0, 3)}`);
  }
  return keys;
}
