/**
 * Records prepared once for comparison, as a column table: names as token ids into a shared dictionary (each
 * token with its canonical form, consonant skeleton and Double Metaphone key), dates of birth as numbers,
 * documents and phones as folded keys. Plain data (typed arrays and string arrays), so a table can be handed to
 * worker threads; `shareTable` puts its arrays in shared memory so the workers do not copy them.
 * Building a table (which needs name normalisation) is in prepare.ts; this module has no heavy imports, so a
 * worker thread that only compares starts fast.
 */

/** Name parts, in the order of `TableData.partStart`. */
export const GIVEN = 0;
export const MIDDLE = 1;
export const FAMILY = 2;

/** At most this many tokens are kept per name part (a 10,000-character "name" stays bounded). */
export const MAX_TOKENS_PER_PART = 8;

export const DOB_PRESENT = 1;
export const DOB_YEAR_ONLY = 2;

export interface TableData {
  /** Number of records. */
  n: number;
  /** partStart[3i + p] .. partStart[3i + p + 1]: the token ids of part p (given, middle, family) of record i in nameTok. */
  partStart: Int32Array;
  nameTok: Int32Array;
  /** Token dictionary: normalised token strings by id. */
  tokens: string[];
  /** Token id → id of its canonical token (itself when it is in no variant class). */
  canon: Int32Array;
  /** Token id → id of its consonant skeleton (in `keys`). */
  skel: Int32Array;
  /** Token id → id of its Double Metaphone primary code (in `keys`). */
  meta: Int32Array;
  /** Name values for term frequencies: ids of "given", "family" and "given family" canonical strings, -1 when missing. */
  givenVal: Int32Array;
  familyVal: Int32Array;
  fullVal: Int32Array;
  /** Number of distinct name values (the size of the value dictionary). */
  valueCount: number;
  dobYear: Int16Array;
  dobMonth: Int8Array;
  dobDay: Int8Array;
  /** YYYYMMDD as written (0 when not an 8-digit date), for typing-error comparison. */
  dobDigits: Int32Array;
  /** DOB_PRESENT | DOB_YEAR_ONLY bits. */
  dobFlags: Uint8Array;
  /** 0 missing, 1 M, 2 F, 3 another value. */
  sex: Uint8Array;
  /** Nationality id (-1 missing). */
  nat: Int32Array;
  /** A hash of the document key (-1 missing): a block key and a quick inequality test. */
  doc: Int32Array;
  /** The document key of each record ('' missing). */
  docs: string[];
  /** A hash of the phone key (-1 missing). */
  phone: Int32Array;
  /** The phone key of each record ('' missing). */
  phones: string[];
}

export interface PreparedTable extends TableData {
  /** Record ids, by index. */
  ids: string[];
}

type TypedArray = Int32Array | Int16Array | Int8Array | Uint8Array | Float64Array | Float32Array;

/** A copy of a typed array in a SharedArrayBuffer. */
export function toShared<T extends TypedArray>(a: T): T {
  // Already the whole of a shared buffer: nothing to copy (a table shared once serves several workers).
  if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(x: T): void }).set(a);
  return out;
}

/** The table with its typed arrays in shared memory (the string dictionaries are copied to each worker). */
export function shareTable(t: TableData): TableData {
  const out = { ...t } as Record<string, unknown>;
  for (const [k, v] of Object.entries(t)) if (ArrayBuffer.isView(v)) out[k] = toShared(v as TypedArray);
  return out as unknown as TableData;
}

/** Token ids of part p of record i. */
export function partTokens(t: TableData, i: number, p: number): Int32Array {
  return t.nameTok.subarray(t.partStart[3 * i + p]!, t.partStart[3 * i + p + 1]!);
}

/** The canonical tokens of a record's names, for display and tests. */
export function recordNames(t: TableData, i: number): { given: string[]; middle: string[]; family: string[] } {
  const part = (p: number) => [...partTokens(t, i, p)].map((x) => t.tokens[t.canon[x]!]!);
  return { given: part(GIVEN), middle: part(MIDDLE), family: part(FAMILY) };
}

/**
 * A table of some of the records (by index, in the order given), sharing the dictionaries. O(records + tokens).
 */
export function subsetTable(t: PreparedTable, indices: ArrayLike<number>): PreparedTable {
  const n = indices.length;
  const partStart = new Int32Array(3 * n + 1);
  let tokens = 0;
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    tokens += t.partStart[3 * i + 3]! - t.partStart[3 * i]!;
  }
  const nameTok = new Int32Array(tokens);
  let at = 0;
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    for (let p = 0; p < 3; p++) {
      partStart[3 * k + p] = at;
      for (let x = t.partStart[3 * i + p]!; x < t.partStart[3 * i + p + 1]!; x++) nameTok[at++] = t.nameTok[x]!;
    }
    partStart[3 * k + 3] = at;
  }
  const pick = <T extends Int32Array | Int16Array | Int8Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(n);
    for (let k = 0; k < n; k++) out[k] = a[indices[k]!]!;
    return out;
  };
  const pickStrings = (a: readonly string[]) => Array.from({ length: n }, (_, k) => a[indices[k]!]!);
  return {
    ...t,
    n,
    ids: pickStrings(t.ids),
    partStart,
    nameTok,
    givenVal: pick(t.givenVal),
    familyVal: pick(t.familyVal),
    fullVal: pick(t.fullVal),
    dobYear: pick(t.dobYear),
    dobMonth: pick(t.dobMonth),
    dobDay: pick(t.dobDay),
    dobDigits: pick(t.dobDigits),
    dobFlags: pick(t.dobFlags),
    sex: pick(t.sex),
    nat: pick(t.nat),
    doc: pick(t.doc),
    docs: pickStrings(t.docs),
    phone: pick(t.phone),
    phones: pickStrings(t.phones),
  };
}

/**
 * Records identical in every field, grouped: `representative[i]` is the first record with i's exact content (i
 * itself when it has none before it). Records with little to go on (fewer than three of: given name, family
 * name, a full date of birth, a document, a phone) are never grouped — two bare "Mohammed" records are not
 * known to be one person.
 */
export function exactDuplicates(t: TableData): { representative: Int32Array; duplicates: number } {
  const representative = new Int32Array(t.n);
  const ps = t.partStart;
  const same = (a: number, b: number): boolean => {
    if (ps[3 * a + 1]! - ps[3 * a]! !== ps[3 * b + 1]! - ps[3 * b]! || ps[3 * a + 2]! - ps[3 * a]! !== ps[3 * b + 2]! - ps[3 * b]!) return false;
    const la = ps[3 * a + 3]! - ps[3 * a]!;
    if (la !== ps[3 * b + 3]! - ps[3 * b]!) return false;
    for (let k = 0; k < la; k++) if (t.nameTok[ps[3 * a]! + k] !== t.nameTok[ps[3 * b]! + k]) return false;
    return (
      t.dobFlags[a] === t.dobFlags[b] &&
      t.dobYear[a] === t.dobYear[b] &&
      t.dobMonth[a] === t.dobMonth[b] &&
      t.dobDay[a] === t.dobDay[b] &&
      t.dobDigits[a] === t.dobDigits[b] &&
      t.sex[a] === t.sex[b] &&
      t.nat[a] === t.nat[b] &&
      t.docs[a] === t.docs[b] &&
      t.phones[a] === t.phones[b]
    );
  };
  // Records sorted by (hash of their content, index) in one typed array — a Map of a million arrays costs ~5× more —
  // then each run of equal hashes is resolved in index order: a record's representative is the first earlier one of
  // its run with the same content (compared field by field: no false merge).
  const indexBits = Math.max(1, Math.ceil(Math.log2(t.n + 1)));
  const hashBits = Math.max(1, Math.min(32, 53 - indexBits));
  const scale = 2 ** indexBits;
  const keyed = new Float64Array(t.n);
  let m = 0;
  for (let i = 0; i < t.n; i++) {
    representative[i] = i;
    const full = (t.dobFlags[i]! & DOB_PRESENT) !== 0 && (t.dobFlags[i]! & DOB_YEAR_ONLY) === 0;
    const has = (ps[3 * i + 1]! > ps[3 * i]! ? 1 : 0) + (ps[3 * i + 3]! > ps[3 * i + 2]! ? 1 : 0) + (full ? 1 : 0) + (t.doc[i]! >= 0 ? 1 : 0) + (t.phone[i]! >= 0 ? 1 : 0);
    if (has < 3) continue;
    let h = 0x811c9dc5;
    const mix = (v: number) => (h = Math.imul(h ^ v, 0x01000193));
    for (let k = ps[3 * i]!; k < ps[3 * i + 3]!; k++) mix(t.nameTok[k]!);
    mix(ps[3 * i + 1]! - ps[3 * i]!);
    mix(ps[3 * i + 2]! - ps[3 * i]!);
    mix(t.dobDigits[i]!);
    mix(t.dobYear[i]! * 1000 + t.dobMonth[i]! * 40 + t.dobDay[i]!);
    mix(t.dobFlags[i]! * 4 + t.sex[i]!);
    mix(t.nat[i]!);
    mix(t.doc[i]!);
    mix(t.phone[i]!);
    keyed[m++] = Math.floor((h >>> 0) / 2 ** (32 - hashBits)) * scale + i;
  }
  const sorted = keyed.subarray(0, m).sort();
  let duplicates = 0;
  const firsts: number[] = [];
  for (let a = 0; a < m; ) {
    const h = Math.floor(sorted[a]! / scale);
    let b = a + 1;
    while (b < m && Math.floor(sorted[b]! / scale) === h) b++;
    if (b - a > 1) {
      firsts.length = 0;
      for (let k = a; k < b; k++) {
        const i = sorted[k]! % scale;
        const match = firsts.find((c) => same(c, i));
        if (match !== undefined) {
          representative[i] = match;
          duplicates++;
        } else firsts.push(i);
      }
    }
    a = b;
  }
  return { representative, duplicates };
}
