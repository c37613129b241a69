/**
 * Preparing a large file on several threads. This thread prepares the first records itself; the rest go to worker
 * threads in contiguous chunks, as columns of joined strings (one string per field crosses a thread boundary as a
 * copy of its characters; a million small objects take seconds to clone); each worker prepares its chunk with its
 * own dictionaries, and this thread absorbs the parts in order (TableBuilder.absorb). Absorbing keeps the
 * first-occurrence order of every dictionary, so the table is the very one that prepareRecords builds on one thread
 * (tested), and everything downstream is unchanged.
 */
import { oneShot } from './parallel.ts';
import { hash31, TableBuilder, type TableDictionaries } from './prepare.ts';
import { type MatchRecord } from './record.ts';
import { type PreparedTable } from './table.ts';

/** The fields a worker needs (not the id: ids stay here, where the duplicate check runs). */
const FIELDS = ['givenName', 'middleName', 'familyName', 'nameOriginal', 'sex', 'dateOfBirth', 'nationality', 'documentNumber', 'phone'] as const;

/** Strings joined by NUL with their count, when none contains a NUL (the usual case); else the array as it is. */
export type PackedStrings = { count: number; joined: string } | readonly string[];

export function packStrings(values: readonly string[]): PackedStrings {
  for (const v of values) if (v.includes('\0')) return values;
  return { count: values.length, joined: values.join('\0') };
}

export function unpackStrings(packed: PackedStrings): string[] {
  if (Array.isArray(packed)) return [...(packed as readonly string[])];
  const { count, joined } = packed as { count: number; joined: string };
  return count === 0 ? [] : joined.split('\0');
}

/** Records from..to−1 as columns; `missing` has bit f set when field FIELDS[f] is not a string. */
export interface PackedRecords {
  n: number;
  columns: PackedStrings[];
  missing: Uint16Array;
}

export function packRecords(records: readonly MatchRecord[], from: number, to: number): PackedRecords {
  const n = to - from;
  const missing = new Uint16Array(n);
  const columns = FIELDS.map((field, f) => {
    const values = new Array<string>(n);
    for (let k = 0; k < n; k++) {
      const v = records[from + k]![field];
      if (typeof v === 'string') values[k] = v;
      else {
        values[k] = '';
        missing[k]! |= 1 << f;
      }
    }
    return packStrings(values);
  });
  return { n, columns, missing };
}

/** Prepares packed records (in a worker): the part of the table they make, with the dictionaries it refers to. */
export function preparePacked(packed: PackedRecords): TablePart {
  const columns = packed.columns.map(unpackStrings);
  const records: MatchRecord[] = new Array<MatchRecord>(packed.n);
  for (let k = 0; k < packed.n; k++) {
    const r: Record<string, string | null> = { id: String(k) };
    for (let f = 0; f < FIELDS.length; f++) r[FIELDS[f]!] = packed.missing[k]! & (1 << f) ? null : columns[f]![k]!;
    records[k] = r as unknown as MatchRecord;
  }
  return preparePart(records);
}

/** A table prepared apart, and what its ids stand for (TableBuilder.dictionaries). */
export interface TablePart extends TableDictionaries {
  table: PreparedTable;
}

/** Prepares records with a builder of their own (ids are not checked here: the caller does that for the whole file). */
export function preparePart(records: readonly MatchRecord[]): TablePart {
  const builder = new TableBuilder();
  for (const r of records) builder.add(r);
  return { table: builder.build(), ...builder.dictionaries() };
}

/**
 * The first id that repeats an earlier one (the one prepareRecords would stop at), or null. Ids are sorted by a
 * hash with their index rather than put in a Set: a typed-array sort of a million numbers is a fraction of what a
 * million-string Set costs, and only ids with equal hashes are compared.
 */
export function duplicateId(ids: readonly string[]): string | null {
  const n = ids.length;
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const hashBits = Math.max(1, Math.min(31, 53 - indexBits));
  const scale = 2 ** indexBits;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = Math.floor(hash31(ids[i]!) / 2 ** (31 - hashBits)) * scale + i;
  sorted.sort();
  let first = Infinity;
  for (let a = 0; a < n; ) {
    const h = Math.floor(sorted[a]! / scale);
    let b = a + 1;
    while (b < n && Math.floor(sorted[b]! / scale) === h) b++;
    if (b - a > 1) {
      // Ids with one hash, in index order: the first one seen before in this run is this run's first repeat.
      const seen = new Set<string>();
      for (let k = a; k < b; k++) {
        const i = sorted[k]! % scale;
        if (seen.has(ids[i]!)) {
          first = Math.min(first, i);
          break;
        }
        seen.add(ids[i]!);
      }
    }
    a = b;
  }
  return first === Infinity ? null : ids[first]!;
}

/** Prepared parts cross back as typed arrays (transferred) and packed strings. */
export interface PackedPart {
  table: Omit<PreparedTable, 'tokens' | 'docs' | 'phones' | 'ids'> & { tokens: PackedStrings; docs: PackedStrings; phones: PackedStrings };
  keys: PackedStrings;
  values: PackedStrings;
  valueParts: Int32Array;
  nats: PackedStrings;
}

export function packPart(part: TablePart): { message: PackedPart; transfer: ArrayBuffer[] } {
  const { ids: _ids, tokens, docs, phones, ...rest } = part.table;
  const transfer = Object.values(rest)
    .filter((v) => ArrayBuffer.isView(v))
    .map((v) => (v as Int32Array).buffer as ArrayBuffer);
  return {
    message: {
      table: { ...rest, tokens: packStrings(tokens), docs: packStrings(docs), phones: packStrings(phones) },
      keys: packStrings(part.keys),
      values: packStrings(part.values),
      valueParts: part.valueParts,
      nats: packStrings(part.nats),
    },
    transfer: [...transfer, part.valueParts.buffer as ArrayBuffer],
  };
}

export function unpackPart(m: PackedPart): TablePart {
  const { tokens, docs, phones, ...rest } = m.table;
  return {
    table: { ...rest, ids: [], tokens: unpackStrings(tokens), docs: unpackStrings(docs), phones: unpackStrings(phones) },
    keys: unpackStrings(m.keys),
    values: unpackStrings(m.values),
    valueParts: m.valueParts,
    nats: unpackStrings(m.nats),
  };
}

/** Chunks smaller than this are not worth a worker thread (starting one and loading the normaliser: ~0.5 s). */
export const MIN_CHUNK = 50_000;

/**
 * This thread's share of the records when it prepares beside `workers` − 1 worker threads: a little less than an
 * even share, because it also packs the workers' records (~3 µs a record, against ~15–20 µs to prepare one).
 */
function ownShare(workers: number): number {
  return workers <= 1 ? 1 : 0.9 / workers;
}

/**
 * Prepares records on `workers` threads, this one included (fewer for a small input): the same table as
 * prepareRecords, the same error for a repeated id. This thread prepares the first records itself while worker
 * threads prepare the rest, whose parts it then absorbs. `minChunk` is for tests.
 */
export async function prepareInWorkers(records: readonly MatchRecord[], options: { workers: number; signal?: AbortSignal; minChunk?: number }): Promise<PreparedTable> {
  const n = records.length;
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = String(records[i]!.id);
  const repeated = duplicateId(ids);
  if (repeated !== null) throw new Error(`duplicate record id "${repeated.slice(0, 100)}"`);
  const threads = Math.max(1, Math.min(options.workers, Math.floor(n / (options.minChunk ?? MIN_CHUNK))));
  const own = Math.floor(n * ownShare(threads));
  const parts: { from: number; to: number; part: Promise<TablePart> }[] = [];
  for (let c = 1; c < threads; c++) {
    options.signal?.throwIfAborted();
    const from = own + Math.floor(((c - 1) * (n - own)) / (threads - 1));
    const to = own + Math.floor((c * (n - own)) / (threads - 1));
    // A worker stops after its one message, or when the signal aborts.
    const part = oneShot<PackedPart>(new URL('./prepare-worker-entry.mjs', import.meta.url), packRecords(records, from, to), 'prepare', options.signal).then(unpackPart);
    part.catch(() => undefined);
    parts.push({ from, to, part });
  }
  const builder = new TableBuilder();
  for (let i = 0; i < own; i++) {
    if ((i & 0xffff) === 0) options.signal?.throwIfAborted();
    builder.add(records[i]!);
  }
  for (const { from, to, part } of parts) builder.absorb(await part, ids.slice(from, to));
  return builder.build();
}
