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

interface Row {
  rowId: string;
  entryId: string;
  tokens: Token[];
  dob: ParsedDate | null;
  nationality: string | null;
}

function tokensOf(name: string): Token[] {
  const cut = name.length > 1000 ? name.slice(0, 1000) : name;
  return nameTokens(cut)
    .slice(0, 12)
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

/** An in-memory watchlist index: candidates by canonical token, skeleton and 3-letter prefix. */
export class Watchlist {
  private readonly rows: Row[] = [];
  private readonly index = new Map<string, number[]>();
  /** Entries whose alias refers to an entry not in the list (reported, then treated as main entries). */
  readonly danglingAliases: string[] = [];

  constructor(entries: Iterable<WatchlistEntry>) {
    const list = [...entries];
    const ids = new Set(list.map((e) => e.entryId));
    for (const e of list) {
      let entryId = e.aliasOf && e.aliasOf.trim() !== '' ? e.aliasOf.trim() : e.entryId;
      if (entryId !== e.entryId && !ids.has(entryId)) {
        this.danglingAliases.push(e.entryId);
        entryId = e.entryId;
      }
      const row: Row = { rowId: e.entryId, entryId, tokens: tokensOf(e.name ?? ''), dob: parseDateOfBirth(e.dateOfBirth), nationality: parseNationality(e.nationality) };
      const k = this.rows.length;
      this.rows.push(row);
      const keys = new Set<string>();
      for (const t of row.tokens) {
        keys.add(`c:${t.canonical}`);
        keys.add(`s:${skeleton(t.canonical)}`);
        keys.add(`p:${t.text.slice(0, 3)}`);
      }
      for (const key of keys) (this.index.get(key) ?? this.index.set(key, []).get(key)!).push(k);
    }
  }

  get size(): number {
    return this.rows.length;
  }

  /**
   * Entries scoring at least `threshold` (default 0.85), best first. At most `maxCandidates` rows (those sharing
   * the most keys with the query) are scored, which bounds the time of a query on a very common name.
   */
  screen(query: ScreenQuery, options: { threshold?: number; maxCandidates?: number } = {}): ScreenHit[] {
    const threshold = options.threshold ?? 0.85;
    const maxCandidates = options.maxCandidates ?? 5000;
    const dob = parseDateOfBirth(query.dateOfBirth);
    const nat = parseNationality(query.nationality);
    const best = new Map<string, ScreenHit>();
    for (const name of query.names) {
      const q = tokensOf(name);
      if (q.length === 0) continue;
      const hits = new Map<number, number>();
      const keys = new Set<string>();
      for (const t of q) {
        keys.add(`c:${t.canonical}`);
        keys.add(`s:${skeleton(t.canonical)}`);
        keys.add(`p:${t.text.slice(0, 3)}`);
      }
      for (const key of keys) for (const k of this.index.get(key) ?? []) hits.set(k, (hits.get(k) ?? 0) + 1);
      let candidates = [...hits.keys()];
      if (candidates.length > maxCandidates) candidates = candidates.sort((a, b) => hits.get(b)! - hits.get(a)! || a - b).slice(0, maxCandidates);
      for (const k of candidates) {
        const row = this.rows[k]!;
        const ns = watchmanScore(q, row.tokens);
        let score = ns;
        if (dob && row.dob) {
          if (Math.abs(dob.year - row.dob.year) > 1) score -= 0.15;
          else if (!dob.yearOnly && !row.dob.yearOnly && (dob.year !== row.dob.year || dob.month !== row.dob.month || dob.day !== row.dob.day)) score -= 0.05;
        }
        if (nat && row.nationality && nat !== row.nationality) score -= 0.2;
        score = Math.max(0, score);
        if (score < threshold) continue;
        const had = best.get(row.entryId);
        if (!had || score > had.score || (score === had.score && row.rowId < had.matchedRowId)) best.set(row.entryId, { entryId: row.entryId, matchedRowId: row.rowId, score, nameScore: ns, band: band(score) });
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
  }
}
