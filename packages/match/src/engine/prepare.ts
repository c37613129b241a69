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

  /** A new id with no string to look it up by (its value is ''): for values identified otherwise. */
  reserve(): number {
    this.values.push('');
    return this.values.length - 1;
  }
}

const EMPTY: readonly number[] = [];

/** FNV-1a, 31 bits (non-negative). */
export function hash31(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return (h >>> 1) & 0x7fffffff;
}

/**
 * What a table's ids stand for beyond its own arrays (TableBuilder.dictionaries): key strings (`skel`, `meta`), name
 * values (a given or family name's string; '' for a full name, whose given and family value ids are in
 * `valueParts`, two per value, −1 −1 for the others), nationality codes.
 */
export interface TableDictionaries {
  keys: readonly string[];
  values: readonly string[];
  valueParts: Int32Array;
  nats: readonly string[];
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
  private readonly fullIds = new Map<number | string, number>();
  /**
   * Per name value, the given and family value ids of a full-name value, −1 −1 for the others. A full name is
   * identified by its two parts, without a string (one per record would be built and hashed).
   */
  private readonly valueParts = new IntVec();
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
        v = this.stringValue(`${kind}:${this.tokenDict.values[c]!}`);
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
      v = this.stringValue(`${kind}:${this.canonicalString(ids.slice(0, MAX_TOKENS_PER_PART))}`);
      multi.set(key, v);
    }
    return v;
  }

  /** The id of a given or family name value ("g:…" / "f:…"). */
  private stringValue(value: string): number {
    const known = this.valueDict.ids.get(value);
    if (known !== undefined) return known;
    this.valueParts.push(-1);
    this.valueParts.push(-1);
    return this.valueDict.id(value);
  }

  /** The id of the full-name value of given value g and family value f. */
  private fullValue(g: number, f: number): number {
    const key = f < 2 ** 24 && g < 2 ** 28 ? g * 2 ** 24 + f : `${g},${f}`;
    let full = this.fullIds.get(key);
    if (full === undefined) {
      full = this.valueDict.reserve();
      this.valueParts.push(g);
      this.valueParts.push(f);
      this.fullIds.set(key, full);
    }
    return full;
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
    this.fullVal.push(g >= 0 && f >= 0 ? this.fullValue(g, f) : -1);

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

  /**
   * Appends records prepared apart (by another builder, on another thread): the part's tokens, keys, name values and
   * nationalities are looked up in this builder's dictionaries, those not met yet added in the part's own order, and
   * its records appended with their ids remapped. The result is what adding the part's records here one by one would
   * have built: a value new to this builder is one none of its records has, so the part holds its first occurrence,
   * and the part's order of first occurrences is the order they would have been met in (prepare-parallel.ts tests it).
   */
  absorb(part: TableDictionaries & { table: PreparedTable }, ids: readonly string[]): void {
    const t = part.table;
    if (ids.length !== t.n) throw new RangeError(`absorb: ${ids.length} ids for ${t.n} records`);
    const keyMap = Int32Array.from(part.keys, (k) => this.keyDict.id(k));
    // A full-name value comes after its two parts: they are mapped by the time it is.
    const valueMap = new Int32Array(part.values.length);
    for (let v = 0; v < part.values.length; v++) {
      const g = part.valueParts[2 * v]!;
      valueMap[v] = g < 0 ? this.stringValue(part.values[v]!) : this.fullValue(valueMap[g]!, valueMap[part.valueParts[2 * v + 1]!]!);
    }
    const natMap = Int32Array.from(part.nats, (c) => this.natDict.id(c));
    const tokMap = new Int32Array(t.tokens.length);
    const fresh: number[] = [];
    for (let x = 0; x < t.tokens.length; x++) {
      const s = t.tokens[x]!;
      let id = this.tokenDict.ids.get(s);
      if (id === undefined) {
        id = this.tokenDict.id(s);
        this.canon.push(0);
        this.skel.push(0);
        this.meta.push(0);
        fresh.push(x);
      }
      tokMap[x] = id;
    }
    for (const x of fresh) {
      const id = tokMap[x]!;
      this.canon.data[id] = tokMap[t.canon[x]!]!;
      this.skel.data[id] = keyMap[t.skel[x]!]!;
      this.meta.data[id] = keyMap[t.meta[x]!]!;
    }
    const offset = this.nameTok.length;
    for (let k = 0; k < t.nameTok.length; k++) this.nameTok.push(tokMap[t.nameTok[k]!]!);
    for (let k = 1; k <= 3 * t.n; k++) this.partStart.push(t.partStart[k]! + offset);
    const value = (v: number) => (v < 0 ? -1 : valueMap[v]!);
    for (let i = 0; i < t.n; i++) {
      this.ids.push(ids[i]!);
      this.givenVal.push(value(t.givenVal[i]!));
      this.familyVal.push(value(t.familyVal[i]!));
      this.fullVal.push(value(t.fullVal[i]!));
      this.dobYear.push(t.dobYear[i]!);
      this.dobMonth.push(t.dobMonth[i]!);
      this.dobDay.push(t.dobDay[i]!);
      this.dobDigits.push(t.dobDigits[i]!);
      this.dobFlags.push(t.dobFlags[i]!);
      this.sex.push(t.sex[i]!);
      this.nat.push(t.nat[i]! < 0 ? -1 : natMap[t.nat[i]!]!);
      this.doc.push(t.doc[i]!);
      this.docs.push(t.docs[i]!);
      this.phone.push(t.phone[i]!);
      this.phones.push(t.phones[i]!);
    }
  }

  /**
   * The dictionaries a table refers to but does not carry (its `skel`/`meta` key strings, its name-value strings,
   * its nationality codes), by id: what merging tables prepared apart needs (prepare-parallel.ts).
   */
  dictionaries(): TableDictionaries {
    return { keys: [...this.keyDict.values], values: [...this.valueDict.values], valueParts: this.valueParts.trimmed(), nats: [...this.natDict.values] };
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

