/**
 * Comparison of two prepared records, field by field, into levels (the Fellegi–Sunter comparison vector).
 *
 * Names: the given, middle and family names are compared part by part on canonical tokens (variant classes),
 * consonant skeletons and Double Metaphone keys, and Jaro-Winkler on both the spelling and the canonical form.
 * Tokens are aligned regardless of order within a part, and a shorter part that is contained in the longer one
 * ("Garcia" / "Garcia Lopez", a missing second given name) is its own level. Names that moved between the middle
 * and family fields (patronymic chains) are compared pooled. Names written in another order (given and family
 * swapped, a chain rotated) are the given name's "in another order" level, the whole names compared as bags of
 * tokens. A missing part on either side is "missing" (weight 0).
 */
import { DOB_PRESENT, DOB_YEAR_ONLY, FAMILY, GIVEN, MIDDLE, type TableData } from './table.ts';
import { jaroWinkler, withinOneEdit } from './strings.ts';

export const FIELD_NAMES = ['given', 'middle', 'family', 'dob', 'sex', 'nationality', 'document', 'phone'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
export const FIELD_COUNT = FIELD_NAMES.length;
export const F_GIVEN = 0;
export const F_MIDDLE = 1;
export const F_FAMILY = 2;
export const F_DOB = 3;
export const F_SEX = 4;
export const F_NAT = 5;
export const F_DOC = 6;
export const F_PHONE = 7;

/** Name levels: lower is a closer agreement (MISSING aside). */
export const N_MISSING = 0;
export const N_EXACT = 1;
export const N_SUBSET = 2;
export const N_JW92 = 3;
export const N_PHONETIC = 4;
export const N_JW88 = 5;
export const N_JW70 = 6;
export const N_ELSE = 7;
export const N_SWAPPED = 8;
const NAME_LEVELS = ['missing', 'exact', 'contained', 'jaro-winkler > 0.92', 'phonetic', 'jaro-winkler > 0.88', 'jaro-winkler > 0.70', 'different'];

export const D_MISSING = 0;
export const D_EXACT = 1;
export const D_SWAPPED = 2;
export const D_ONE_DIGIT = 3;
export const D_YEAR_MONTH = 4;
export const D_YEAR_ONLY = 5;
export const D_YEAR_1_YEAR_ONLY = 6;
export const D_YEAR_1 = 7;
export const D_ELSE = 8;

/** Level labels of each field, in level order: what the explanation shows. */
export const FIELD_LEVELS: Readonly<Record<FieldName, readonly string[]>> = {
  given: [...NAME_LEVELS, 'names in another order'],
  middle: NAME_LEVELS,
  family: NAME_LEVELS,
  dob: ['missing', 'exact', 'day and month swapped', 'one digit different', 'same year and month', 'same year (year only known)', 'year ±1 (year only known)', 'year ±1', 'different'],
  sex: ['missing', 'agree', 'disagree'],
  nationality: ['missing', 'agree', 'disagree'],
  document: ['missing', 'exact (OCR-folded)', 'one edit', 'different'],
  phone: ['missing', 'exact', 'one edit', 'different'],
};
export const LEVEL_COUNTS: readonly number[] = FIELD_NAMES.map((f) => FIELD_LEVELS[f].length);

/** Slots of the Jaro-Winkler cache (a power of two): 4 MB, small enough to stay in the processor's cache. */
const MEMO_BITS = 18;
const MEMO_SIZE = 1 << MEMO_BITS;

/**
 * A direct-mapped cache from a token pair to its similarity: Int32 keys, no boxing, no garbage, bounded memory
 * (a colliding pair just replaces the previous one). Names repeat a great deal, so most look-ups hit.
 */
class PairMemo {
  private readonly keyA = new Int32Array(MEMO_SIZE).fill(-1);
  private readonly keyB = new Int32Array(MEMO_SIZE);
  private readonly value = new Float64Array(MEMO_SIZE);

  static slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> (32 - MEMO_BITS);
  }

  /** The stored value, or -1. */
  get(h: number, a: number, b: number): number {
    return this.keyA[h] === a && this.keyB[h] === b ? this.value[h]! : -1;
  }

  set(h: number, a: number, b: number, v: number): void {
    this.keyA[h] = a;
    this.keyB[h] = b;
    this.value[h] = v;
  }
}

/** Compares records of one table (or of two tables sharing a dictionary: link builds one table for both lists). */
export class Comparer {
  private readonly memo = new PairMemo();
  private readonly pooledA = new Int32Array(32);
  private readonly pooledB = new Int32Array(32);

  /** Per token: a bit per letter a–z it contains (a cheap upper bound on Jaro-Winkler before computing it). */
  private masks = new Int32Array(0);
  /** Tokens whose mask is known. */
  private maskedTokens = 0;

  constructor(readonly t: TableData) {
    this.refreshTokens();
  }

  /**
   * Takes in tokens added to the table's dictionary since construction (a live table that grows: the incremental
   * index calls this after adding records). Cheap when nothing is new.
   */
  refreshTokens(): void {
    const tokens = this.t.tokens;
    if (tokens.length === this.maskedTokens) return;
    if (tokens.length > this.masks.length) {
      const next = new Int32Array(Math.max(tokens.length, this.masks.length * 2));
      next.set(this.masks);
      this.masks = next;
    }
    for (let k = this.maskedTokens; k < tokens.length; k++) {
      const s = tokens[k]!;
      let m = 0;
      for (let c = 0; c < s.length; c++) m |= 1 << ((s.charCodeAt(c) - 97) & 31);
      this.masks[k] = m;
    }
    this.maskedTokens = tokens.length;
  }

  /**
   * An upper bound of Jaro-Winkler(a, b): at most as many characters match as there are characters of the shorter
   * string whose letter occurs in the other at all; no transpositions; the longest prefix bonus.
   */
  private jwBound(a: string, b: string, maskB: number): number {
    let inB = 0;
    for (let c = 0; c < a.length; c++) if (maskB & (1 << ((a.charCodeAt(c) - 97) & 31))) inB++;
    const m = Math.min(inB, b.length);
    if (m === 0) return 0;
    const j = (m / a.length + m / b.length + 1) / 3;
    return j + 0.4 * (1 - j);
  }

  /**
   * Jaro-Winkler of two tokens: the better of their spellings and their canonical forms; memoised. Computed with the
   * smaller token id first whichever way it is asked, so that the value depends on the pair alone (neither the bound
   * nor Jaro's greedy matching is symmetric), never on which order the memo first saw it in: a batch gives the same
   * scores with any number of threads and any task order.
   */
  tokenJw(a: number, b: number): number {
    const x = a < b ? a : b;
    const y = a < b ? b : a;
    const h = PairMemo.slot(x, y);
    let v = this.memo.get(h, x, y);
    if (v < 0) {
      const t = this.t;
      const ca = t.canon[x]!;
      const cb = t.canon[y]!;
      const sa = t.tokens[x]!;
      const sb = t.tokens[y]!;
      // Below 0.7 every level is "different": skip the exact computation when the bound says so.
      v = this.jwBound(sa, sb, this.masks[y]!) <= 0.7 ? 0 : jaroWinkler(sa, sb);
      if (ca !== x || cb !== y) {
        const sca = t.tokens[ca]!;
        const scb = t.tokens[cb]!;
        if (this.jwBound(sca, scb, this.masks[cb]!) > Math.max(0.7, v)) v = Math.max(v, jaroWinkler(sca, scb));
      }
      this.memo.set(h, x, y, v);
    }
    return v;
  }

  /**
   * True when token x is one of arr[s..e) as the name levels count agreement: the same canonical token, the same
   * consonant skeleton or Double Metaphone key, or Jaro-Winkler above 0.92 (a typing error in a swapped name).
   */
  private foundIn(x: number, arr: Int32Array, s: number, e: number): boolean {
    const t = this.t;
    const cx = t.canon[x]!;
    const sx = t.skel[x]!;
    for (let k = s; k < e; k++) {
      const y = arr[k]!;
      if (t.canon[y] === cx || t.skel[y] === sx || t.meta[y] === t.meta[x] || this.tokenJw(x, y) > 0.92) return true;
    }
    return false;
  }

  private phonetic(a: number, b: number): boolean {
    const t = this.t;
    return t.skel[a] === t.skel[b] || t.meta[a] === t.meta[b];
  }

  /** The level of two token lists (A = arrA[a0..a1), B = arrB[b0..b1)). */
  partLevel(arrA: Int32Array, a0: number, a1: number, arrB: Int32Array, b0: number, b1: number): number {
    const la = a1 - a0;
    const lb = b1 - b0;
    if (la === 0 || lb === 0) return N_MISSING;
    const canon = this.t.canon;
    if (la === 1 && lb === 1) {
      const x = arrA[a0]!;
      const y = arrB[b0]!;
      if (x === y || canon[x] === canon[y]) return N_EXACT;
      const jw = this.tokenJw(x, y);
      if (jw > 0.92) return N_JW92;
      if (this.phonetic(x, y)) return N_PHONETIC;
      return jw > 0.88 ? N_JW88 : jw > 0.7 ? N_JW70 : N_ELSE;
    }
    // Greedy best pairing of the shorter list's tokens with the longer list's, length-weighted.
    let sArr = arrA;
    let s0 = a0;
    let sl = la;
    let lArr = arrB;
    let l0 = b0;
    let ll = lb;
    if (la > lb) {
      sArr = arrB;
      s0 = b0;
      sl = lb;
      lArr = arrA;
      l0 = a0;
      ll = la;
    }
    let used = 0;
    let allCanon = true;
    let allPhon = true;
    let weighted = 0;
    let weights = 0;
    const tokens = this.t.tokens;
    for (let k = 0; k < sl; k++) {
      const x = sArr[s0 + k]!;
      let best = -1;
      let bestSim = -1;
      let bestCanon = false;
      for (let q = 0; q < ll; q++) {
        if (used & (1 << q)) continue;
        const y = lArr[l0 + q]!;
        if (x === y || canon[x] === canon[y]) {
          best = q;
          bestSim = 1;
          bestCanon = true;
          break;
        }
        const jw = this.tokenJw(x, y);
        if (jw > bestSim) {
          bestSim = jw;
          best = q;
        }
      }
      if (best < 0) break;
      used |= 1 << best;
      const y = lArr[l0 + best]!;
      if (!bestCanon) {
        allCanon = false;
        if (!this.phonetic(x, y)) allPhon = false;
      }
      const w = tokens[x]!.length + tokens[y]!.length;
      weighted += bestSim * w;
      weights += w;
    }
    if (allCanon) return la === lb ? N_EXACT : N_SUBSET;
    const avg = weights > 0 ? weighted / weights : 0;
    if (avg > 0.92) return N_JW92;
    if (allPhon) return N_PHONETIC;
    return avg > 0.88 ? N_JW88 : avg > 0.7 ? N_JW70 : N_ELSE;
  }

  /** Fills `out` (length FIELD_COUNT) with the comparison levels of records i and j. */
  compare(i: number, j: number, out: Uint8Array): void {
    this.compareNames(i, j, out);
    this.compareOthers(i, j, out);
  }

  /**
   * The level of the given names alone, before the rest of the names are looked at. compareNames keeps it unless it
   * is N_JW88 or worse, which the names-in-another-order rule may turn into N_SWAPPED.
   */
  givenLevel(i: number, j: number): number {
    const ps = this.t.partStart;
    return this.partLevel(this.t.nameTok, ps[3 * i]!, ps[3 * i + MIDDLE]!, this.t.nameTok, ps[3 * j]!, ps[3 * j + MIDDLE]!);
  }

  /**
   * The level of the family names alone. compareNames keeps it unless the names are pooled (only when it is
   * N_MISSING or N_JW88 or worse, and mayPool: then N_SUBSET or worse) or in another order (then N_MISSING).
   */
  familyLevel(i: number, j: number): number {
    const ps = this.t.partStart;
    return this.partLevel(this.t.nameTok, ps[3 * i + FAMILY]!, ps[3 * i + 3]!, this.t.nameTok, ps[3 * j + FAMILY]!, ps[3 * j + 3]!);
  }

  /** Whether compareNames may compare the middle and family names pooled (name chains). */
  mayPool(i: number, j: number): boolean {
    const ps = this.t.partStart;
    return (ps[3 * i + FAMILY]! > ps[3 * i + MIDDLE]! || ps[3 * j + FAMILY]! > ps[3 * j + MIDDLE]!) && ps[3 * i + 3]! > ps[3 * i + MIDDLE]! && ps[3 * j + 3]! > ps[3 * j + MIDDLE]!;
  }

  /** The levels of the name fields (given, middle, family) of records i and j, into `out` (`plain…`: givenLevel's, familyLevel's). */
  compareNames(i: number, j: number, out: Uint8Array, plainGiven = this.givenLevel(i, j), plainFamily = this.familyLevel(i, j)): void {
    const t = this.t;
    const ps = t.partStart;
    const tok = t.nameTok;
    const gA0 = ps[3 * i]!;
    const mA0 = ps[3 * i + MIDDLE]!;
    const fA0 = ps[3 * i + FAMILY]!;
    const eA = ps[3 * i + 3]!;
    const gB0 = ps[3 * j + GIVEN]!;
    const mB0 = ps[3 * j + MIDDLE]!;
    const fB0 = ps[3 * j + FAMILY]!;
    const eB = ps[3 * j + 3]!;
    let given = plainGiven;
    let middle = this.partLevel(tok, mA0, fA0, tok, mB0, fB0);
    let family = plainFamily;
    if ((family === N_MISSING || family >= N_JW88) && this.mayPool(i, j)) {
      // Names moved between the middle and family fields (Somali and Eritrean name chains): compare them pooled.
      const na = Math.min(eA - mA0, 32);
      const nb = Math.min(eB - mB0, 32);
      const pa = this.pooledA;
      const pb = this.pooledB;
      for (let k = 0; k < na; k++) pa[k] = tok[mA0 + k]!;
      for (let k = 0; k < nb; k++) pb[k] = tok[mB0 + k]!;
      const pooled = this.partLevel(pa, 0, na, pb, 0, nb);
      if (pooled !== N_MISSING && (family === N_MISSING || pooled < family)) {
        family = Math.max(pooled, N_SUBSET);
        middle = N_MISSING;
      }
    }
    if (given >= N_JW88 && gA0 < mA0 && gB0 < mB0 && mA0 < eA && mB0 < eB && this.foundIn(tok[gA0]!, tok, mB0, eB) && this.foundIn(tok[gB0]!, tok, mA0, eA)) {
      // Names in another order (given and family swapped, or a whole name chain rotated): each side's given name is
      // among the other side's other names, and the whole names agree as bags of tokens. That one level is the names'
      // evidence: the family and middle levels are left missing, or the same agreement would count twice (a swap
      // scored more than the same names in the same order).
      const all = this.partLevel(tok, gA0, eA, tok, gB0, eB);
      if (all !== N_MISSING && all <= N_PHONETIC) {
        given = N_SWAPPED;
        family = N_MISSING;
        middle = N_MISSING;
      }
    }
    out[F_GIVEN] = given;
    out[F_MIDDLE] = middle;
    out[F_FAMILY] = family;
  }

  /** The levels of the other fields (date of birth, sex, nationality, document, phone): cheap next to the names. */
  compareOthers(i: number, j: number, out: Uint8Array): void {
    const t = this.t;
    out[F_DOB] = this.dobLevel(i, j);
    const sa = t.sex[i]!;
    const sb = t.sex[j]!;
    out[F_SEX] = sa === 0 || sb === 0 ? 0 : sa === sb ? 1 : 2;
    const na = t.nat[i]!;
    const nb = t.nat[j]!;
    out[F_NAT] = na < 0 || nb < 0 ? 0 : na === nb ? 1 : 2;
    const da = t.doc[i]!;
    const db = t.doc[j]!;
    out[F_DOC] = da < 0 || db < 0 ? 0 : da === db && t.docs[i] === t.docs[j] ? 1 : withinOneEdit(t.docs[i]!, t.docs[j]!) ? 2 : 3;
    const pa = t.phone[i]!;
    const pb = t.phone[j]!;
    out[F_PHONE] = pa < 0 || pb < 0 ? 0 : pa === pb && t.phones[i] === t.phones[j] ? 1 : withinOneEdit(t.phones[i]!, t.phones[j]!) ? 2 : 3;
  }

  dobLevel(i: number, j: number): number {
    const t = this.t;
    const fa = t.dobFlags[i]!;
    const fb = t.dobFlags[j]!;
    if (!(fa & DOB_PRESENT) || !(fb & DOB_PRESENT)) return D_MISSING;
    const ya = t.dobYear[i]!;
    const yb = t.dobYear[j]!;
    const dy = Math.abs(ya - yb);
    const full = !(fa & DOB_YEAR_ONLY) && !(fb & DOB_YEAR_ONLY);
    if (full) {
      const ma = t.dobMonth[i]!;
      const mb = t.dobMonth[j]!;
      const da = t.dobDay[i]!;
      const db = t.dobDay[j]!;
      if (dy === 0 && ma === mb && da === db) return D_EXACT;
      if (dy === 0 && ma === db && da === mb) return D_SWAPPED;
      if (oneDigitApart(t.dobDigits[i]!, t.dobDigits[j]!)) return D_ONE_DIGIT;
      if (dy === 0 && ma === mb) return D_YEAR_MONTH;
      return dy === 1 ? D_YEAR_1 : D_ELSE;
    }
    const ga = t.dobDigits[i]!;
    const gb = t.dobDigits[j]!;
    if (ga !== 0 && gb !== 0 && ga !== gb && oneDigitApart(ga, gb)) return D_ONE_DIGIT;
    if (dy === 0) return D_YEAR_ONLY;
    // An estimated age is often a year off: "year ±1" with a year-only date is its own level.
    return dy === 1 ? D_YEAR_1_YEAR_ONLY : D_ELSE;
  }
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];

/** True when two YYYYMMDD numbers differ in exactly one digit, or by one swap of adjacent digits. */
export function oneDigitApart(a: number, b: number): boolean {
  if (a === 0 || b === 0 || a === b) return false;
  let diff = a > b ? a - b : b - a;
  let k = 0;
  while (diff % 10 === 0) {
    diff /= 10;
    k++;
  }
  if (k > 7) return false;
  const hi = POW10[k + 1]!;
  const lo = POW10[k]!;
  // One digit: everything above and below position k agrees.
  if (diff < 10 && Math.floor(a / hi) === Math.floor(b / hi) && a % lo === b % lo) return true;
  // Adjacent swap of positions k+1 and k: the difference is (x − y) × 9 × 10^k.
  if (k > 6 || diff % 9 !== 0 || diff > 81) return false;
  const top = POW10[k + 2]!;
  if (Math.floor(a / top) !== Math.floor(b / top) || a % lo !== b % lo) return false;
  const a1 = Math.floor(a / hi) % 10;
  const a0 = Math.floor(a / lo) % 10;
  const b1 = Math.floor(b / hi) % 10;
  const b0 = Math.floor(b / lo) % 10;
  return a1 === b0 && a0 === b1;
}
