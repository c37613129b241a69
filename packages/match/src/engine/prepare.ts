/**
 * Preparing records once: names normalised into tokens (cached by raw name), keys, dates, documents and phones
 * parsed, into a TableData (see table.ts).
 */
import { doubleMetaphone } from 'double-metaphone';
import { canonicalToken } from '../canonical.ts';
import { nameTokens } from '../normalise.ts';
import { skeleton } from '../skeleton.ts';
import { documentKey, parseDateOfBirth, parseNationality, parseSex, phoneKey, type MatchRecord } from './record.ts';
import { DOB_PRESENT, DOB_YEAR_ONLY, MAX_TOKENS_PER_PART, type PreparedTable } from './table.ts';

type IntArray = Int32Array | Int16Array | Int8Array | Uint8Array;

/** A growable typed vector (Int32 by default). */
class Vec<T extends IntArray = Int32Array> {
  data: T;
  length = 0;
  private readonly make: (n: number) => T;
  constructor(make: (n: number) => T = ((n: number) => new Int32Array(n)) as unknown as (n: number) => T) {
    this.make = make;
    this.data = make(1024);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data as never);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }
}
const IntVec = Vec;

class Dictionary {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

const EMPTY: readonly number[] = [];

/** FNV-1a, 31 bits (non-negative). */
function hash31(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return (h >>> 1) & 0x7fffffff;
}

/**
 * Builds a table record by record. Names, tokens and their keys are cached, so a name seen before costs a map
 * look-up (registrations repeat names a great deal). Deterministic: ids are given in the order values are met.
 */
export class TableBuilder {
  private readonly tokenDict = new Dictionary();
  private readonly keyDict = new Dictionary();
  private readonly valueDict = new Dictionary();
  private readonly givenByToken = new Map<number, number>();
  private readonly familyByToken = new Map<number, number>();
  private readonly fullIds = new Map<number, number>();
  private readonly givenMulti = new Map<number, number>();
  private readonly familyMulti = new Map<number, number>();
  private readonly natDict = new Dictionary();
  private readonly docs: string[] = [];
  private readonly phones: string[] = [];
  private readonly canon = new IntVec();
  private readonly skel = new IntVec();
  private readonly meta = new IntVec();
  private readonly nameCache = new Map<string, readonly number[]>();
  private readonly ids: string[] = [];
  private readonly partStart = new IntVec();
  private readonly nameTok = new IntVec();
  private readonly givenVal = new IntVec();
  private readonly familyVal = new IntVec();
  private readonly fullVal = new IntVec();
  private readonly dobYear = new Vec((n) => new Int16Array(n));
  private readonly dobMonth = new Vec((n) => new Int8Array(n));
  private readonly dobDay = new Vec((n) => new Int8Array(n));
  private readonly dobDigits = new IntVec();
  private readonly dobFlags = new Vec((n) => new Uint8Array(n));
  private readonly sex = new Vec((n) => new Uint8Array(n));
  private readonly nat = new IntVec();
  private readonly doc = new IntVec();
  private readonly phone = new IntVec();

  constructor() {
    this.partStart.push(0);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The token id of a normalised token, adding it (with its canonical form and keys) when new. */
  private token(t: string, asCanonical = false): number {
    const known = this.tokenDict.ids.get(t);
    if (known !== undefined) return known;
    const id = this.tokenDict.id(t);
    // Reserve the slots before recursing into the canonical token.
    this.canon.push(id);
    this.skel.push(0);
    this.meta.push(0);
    let c = asCanonical ? t : canonicalToken(t);
    // An Arabic article joined to a name the variant data does not know ("Alobaidi", "Elmasry"): the name without
    // it is the canonical form, so it meets "al-Obaidi" and "Obaidi".
    const article = !asCanonical && c === t ? /^(?:al|el)([a-z]{4,})$/.exec(t) : null;
    if (article) c = canonicalToken(article[1]!);
    const canonId = c === '' || c === t || c.includes(' ') ? id : this.token(c, true);
    this.canon.data[id] = canonId;
    this.skel.data[id] = this.keyDict.id(`s:${skeleton(this.tokenDict.values[canonId]!)}`);
    this.meta.data[id] = this.keyDict.id(`m:${doubleMetaphone(t)[0]}`);
    return id;
  }

  private nameIds(name: string | null | undefined): readonly number[] {
    if (typeof name !== 'string' || name.length === 0) return EMPTY;
    const cached = this.nameCache.get(name);
    if (cached) return cached;
    // Normalisation is linear, but a pathological "name" is cut first so that it stays cheap.
    const tokens = nameTokens(name.length > 1000 ? name.slice(0, 1000) : name);
    const ids = tokens.slice(0, MAX_TOKENS_PER_PART * 3).map((t) => this.token(t));
    if (this.nameCache.size < 2_000_000) this.nameCache.set(name, ids);
    return ids;
  }

  /** Value id of a name part ("g" given or "f" family): by canonical token id for one token, else by string. */
  private partValue(kind: 'g' | 'f', ids: readonly number[]): number {
    if (ids.length === 0) return -1;
    if (ids.length === 1) {
      const cache = kind === 'g' ? this.givenByToken : this.familyByToken;
      const c = this.canon.data[ids[0]!]!;
      let v = cache.get(c);
      if (v === undefined) {
        v = this.valueDict.id(`${kind}:${this.tokenDict.values[c]!}`);
        cache.set(c, v);
      }
      return v;
    }
    // Several tokens (a double surname): keyed by their canonical ids, the string is built once per new value.
    let key = kind === 'g' ? 0 : 1;
    const n = Math.min(ids.length, MAX_TOKENS_PER_PART);
    for (let k = 0; k < n; k++) key = (key * 1_000_003 + this.canon.data[ids[k]!]!) % 9_007_199_254_740_881;
    const multi = kind === 'g' ? this.givenMulti : this.familyMulti;
    let v = multi.get(key);
    if (v === undefined) {
      v = this.valueDict.id(`${kind}:${this.canonicalString(ids.slice(0, MAX_TOKENS_PER_PART))}`);
      multi.set(key, v);
    }
    return v;
  }

  private canonicalString(ids: readonly number[]): string {
    return ids.map((t) => this.tokenDict.values[this.canon.data[t]!]!).join(' ');
  }

  private pushPart(part: readonly number[]): void {
    const n = Math.min(part.length, MAX_TOKENS_PER_PART);
    for (let k = 0; k < n; k++) this.nameTok.push(part[k]!);
    this.partStart.push(this.nameTok.length);
  }

  /** Adds a record; returns its index. */
  add(record: MatchRecord): number {
    const index = this.ids.length;
    this.ids.push(String(record.id));
    let given = this.nameIds(record.givenName);
    let middle = this.nameIds(record.middleName);
    let family = this.nameIds(record.familyName);
    let fromOriginal = false;
    if (given.length + middle.length + family.length === 0) {
      given = this.nameIds(record.nameOriginal);
      fromOriginal = true;
    }
    else if (middle.length === 0 && given.length > 0 && family.length > 0 && record.nameOriginal) {
      // The middle name left out of the Latin fields but written in the original script: take it from there when
      // the original's first and last names are the Latin given and family names.
      const original = this.nameIds(record.nameOriginal);
      const canon = this.canon.data;
      if (original.length >= 3 && canon[original[0]!] === canon[given[0]!] && canon[original[original.length - 1]!] === canon[family[family.length - 1]!]) {
        middle = original.slice(1, -1);
      }
    }
    // A whole name written in one field: first token given, last token family, the rest middle. Two Latin tokens
    // with no other part stay one given name ("Nur Alam", "Maria Jose"): people named that way often have no family
    // name, and taking the second token for one made namesakes look like relatives. A name known only in its
    // original script is split from two tokens on.
    if (middle.length === 0 && given.length >= (fromOriginal ? 2 : 3) && family.length === 0) [given, middle, family] = [given.slice(0, 1), given.slice(1, -1), given.slice(-1)];
    else if (middle.length === 0 && family.length >= 2 && given.length === 0) [given, middle, family] = [family.slice(0, 1), family.slice(1, -1), family.slice(-1)];
    this.pushPart(given);
    this.pushPart(middle);
    this.pushPart(family);
    const g = this.partValue('g', given);
    const f = this.partValue('f', family);
    this.givenVal.push(g);
    this.familyVal.push(f);
    let full = -1;
    if (g >= 0 && f >= 0) {
      // A number key for the pair of value ids, so no string is built per record.
      const key = g * 2 ** 24 + f;
      full = this.fullIds.get(key) ?? -1;
      if (full < 0) {
        full = this.valueDict.id(`n:${this.valueDict.values[g]!.slice(2)}|${this.valueDict.values[f]!.slice(2)}`);
        this.fullIds.set(key, full);
      }
    }
    this.fullVal.push(full);

    const dob = parseDateOfBirth(record.dateOfBirth);
    this.dobYear.push(dob?.year ?? 0);
    this.dobMonth.push(dob?.month ?? 0);
    this.dobDay.push(dob?.day ?? 0);
    this.dobDigits.push(dob?.digits ?? 0);
    this.dobFlags.push(dob ? DOB_PRESENT | (dob.yearOnly ? DOB_YEAR_ONLY : 0) : 0);
    const sex = parseSex(record.sex);
    this.sex.push(sex === 'M' ? 1 : sex === 'F' ? 2 : sex === 'X' ? 3 : 0);
    const nat = parseNationality(record.nationality);
    this.nat.push(nat === null ? -1 : this.natDict.id(nat));
    // Documents and phones are nearly unique: a hash per record and the key itself, rather than a dictionary.
    const doc = documentKey(record.documentNumber);
    this.doc.push(doc === null ? -1 : hash31(doc));
    this.docs.push(doc ?? '');
    const phone = phoneKey(record.phone);
    this.phone.push(phone === null ? -1 : hash31(phone));
    this.phones.push(phone ?? '');
    return index;
  }

  /**
   * The records added so far as a table, without copying: the arrays are the builder's own (longer than `n`), so
   * the view is only valid until the next `add` or `truncate`; `refreshView` updates a view in place after them (a
   * Comparer holding the view then sees the new records). For an incremental index (index-store.ts).
   */
  view(): PreparedTable {
    const v = {} as PreparedTable;
    this.refreshView(v);
    return v;
  }

  refreshView(v: PreparedTable): void {
    v.n = this.ids.length;
    v.ids = this.ids;
    v.partStart = this.partStart.data;
    v.nameTok = this.nameTok.data;
    v.tokens = this.tokenDict.values;
    v.canon = this.canon.data;
    v.skel = this.skel.data;
    v.meta = this.meta.data;
    v.givenVal = this.givenVal.data;
    v.familyVal = this.familyVal.data;
    v.fullVal = this.fullVal.data;
    v.valueCount = this.valueDict.values.length;
    v.dobYear = this.dobYear.data;
    v.dobMonth = this.dobMonth.data;
    v.dobDay = this.dobDay.data;
    v.dobDigits = this.dobDigits.data;
    v.dobFlags = this.dobFlags.data;
    v.sex = this.sex.data;
    v.nat = this.nat.data;
    v.doc = this.doc.data;
    v.docs = this.docs;
    v.phone = this.phone.data;
    v.phones = this.phones;
  }

  /**
   * Drops the records from index `size` on (the dictionaries keep what they learnt). Used to score a probe record
   * against a live table without keeping it.
   */
  truncate(size: number): void {
    if (size < 0 || size > this.ids.length) throw new RangeError('truncate: size out of range');
    if (size === this.ids.length) return;
    this.partStart.length = 3 * size + 1;
    this.nameTok.length = this.partStart.data[3 * size]!;
    for (const v of [this.givenVal, this.familyVal, this.fullVal, this.dobYear, this.dobMonth, this.dobDay, this.dobDigits, this.dobFlags, this.sex, this.nat, this.doc, this.phone]) v.length = size;
    this.ids.length = size;
    this.docs.length = size;
    this.phones.length = size;
  }

  build(): PreparedTable {
    return {
      n: this.ids.length,
      ids: [...this.ids],
      partStart: this.partStart.trimmed(),
      nameTok: this.nameTok.trimmed(),
      tokens: [...this.tokenDict.values],
      canon: this.canon.trimmed(),
      skel: this.skel.trimmed(),
      meta: this.meta.trimmed(),
      givenVal: this.givenVal.trimmed(),
      familyVal: this.familyVal.trimmed(),
      fullVal: this.fullVal.trimmed(),
      valueCount: this.valueDict.values.length,
      dobYear: this.dobYear.trimmed(),
      dobMonth: this.dobMonth.trimmed(),
      dobDay: this.dobDay.trimmed(),
      dobDigits: this.dobDigits.trimmed(),
      dobFlags: this.dobFlags.trimmed(),
      sex: this.sex.trimmed(),
      nat: this.nat.trimmed(),
      doc: this.doc.trimmed(),
      docs: [...this.docs],
      phone: this.phone.trimmed(),
      phones: [...this.phones],
    };
  }
}

/** Prepares records for comparison. Record ids must be unique (checked: a duplicate id throws). */
export function prepareRecords(records: Iterable<MatchRecord>): PreparedTable {
  const builder = new TableBuilder();
  const seen = new Set<string>();
  for (const r of records) {
    const id = String(r.id);
    if (seen.has(id)) throw new Error(`duplicate record id "${id.slice(0, 100)}"`);
    seen.add(id);
    builder.add(r);
  }
  return builder.build();
}

