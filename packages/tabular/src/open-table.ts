import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open as openFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSize, ByteSource, type ByteInput } from './byte-source.ts';
import { readCsv } from './csv-reader.ts';
import { SNIFF_BYTES } from './decode.ts';
import { sniffFormat, type TabularFormat } from './sniff.ts';
import { shapeRows, takeHeader, type RawBatches, type RawRow, type TableRow } from './table-rows.ts';
import { readXlsxFile } from './xlsx-reader.ts';

/** How to read a table. Every field is optional: by default everything is sniffed. */
export interface ReadOptions {
  /** Default: sniffed from the first bytes (and `fileName`). */
  format?: TabularFormat;
  /** CSV only. Default 'auto': UTF-8 if the first 64 KB are valid UTF-8, else windows-1256 or -1252 when the bytes read as Arabic or Western text. */
  encoding?: 'utf-8' | 'windows-1256' | 'windows-1252' | 'auto';
  /** CSV only. Default 'auto': the most frequent of the three in the header line. */
  delimiter?: ',' | ';' | '\t' | 'auto';
  /** XLSX only: a sheet name or 1-based position in tab order. Default: the first visible sheet. */
  sheet?: string | number;
  /** If known (upload Content-Length, file stat): above `MAX_IMPORT_BYTES` the file is refused before reading. */
  sizeBytes?: number;
  /** The uploaded file's name, used only to help sniff the format. */
  fileName?: string;
  /** XLSX from a stream only: the folder of the private temporary copy (default os.tmpdir()). */
  tempDir?: string;
}

/** What was found at the top of the table. `delimiter` is null for XLSX; `sheet` is set for XLSX. */
export interface TabularHeader {
  columns: string[];
  encoding: string;
  delimiter: string | null;
  format: TabularFormat;
  sheet?: string;
}

/** An opened table. Iterate `rows` once; call `close()` when stopping early without breaking out of a loop. */
export interface OpenedTable {
  header: TabularHeader;
  rows: AsyncIterable<TableRow>;
  /** Releases the input (and a temporary copy of an uploaded XLSX). Idempotent; safe after the end of `rows`. */
  close(): Promise<void>;
}

/** Releases the input of tables whose rows became unreachable before they ended (a safety net; close() is the way). */
const unreachable = new FinalizationRegistry<() => Promise<void>>((release) => {
  release().catch((err: unknown) => console.warn('@passage/tabular: releasing an abandoned table failed', err));
});

/**
 * `release`, run at most once. Built outside `opened()` on purpose: a closure there would share
 * its scope with the rows and keep them alive from the finalization registry.
 */
function once(release: () => Promise<void>): () => Promise<void> {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await release();
  };
}

function opened(header: TabularHeader, taken: { columns: string[]; rest: RawRow[] }, batches: RawBatches, release: () => Promise<void>): OpenedTable {
  const releaseOnce = once(release);
  // Whatever ends the rows (their end, an error, a break out of the loop) releases the input.
  const rows = shapeRows(taken.columns, taken.rest, batches, releaseOnce);
  // A caller that only wanted the header and drops the rows without close() would leave a file
  // descriptor (and a temporary copy) behind: release them when the rows are garbage-collected.
  unreachable.register(rows, releaseOnce);
  return {
    header,
    rows,
    async close() {
      await rows.return(undefined);
      // A generator that was never started ignores return(): release what it would have.
      await batches.return([]);
      await releaseOnce();
    },
  };
}

/** Reads the header from the raw rows; on failure releases everything before rethrowing. */
async function withHeader(batches: RawBatches, release: () => Promise<void>): Promise<{ columns: string[]; rest: RawRow[] }> {
  try {
    return await takeHeader(batches);
  } catch (err) {
    await batches.return([]);
    await release();
    throw err;
  }
}

async function openXlsx(file: string, options: ReadOptions, release: () => Promise<void>): Promise<OpenedTable> {
  let xlsx;
  try {
    xlsx = await readXlsxFile(file, options.sheet);
  } catch (err) {
    await release();
    throw err;
  }
  const releaseAll = async () => {
    await xlsx.close();
    await release();
  };
  const taken = await withHeader(xlsx.raws, releaseAll);
  return opened({ columns: taken.columns, encoding: 'utf-8', delimiter: null, format: 'xlsx', sheet: xlsx.sheet }, taken, xlsx.raws, releaseAll);
}

/**
 * Opens a table: sniffs the format, reads the header row (the first non-blank row) and returns it
 * with an async iterator of the data rows, `{ row, values }`, where `row` is the spreadsheet row
 * number and `values` maps each column name to the cell's text, exactly as in the file ('' when
 * empty). Blank rows are skipped. Streams: memory stays bounded whatever the size of the file.
 * Problems throw `TabularError`, from here (header) or while iterating (a row).
 */
export async function openTable(source: ByteInput, options: ReadOptions = {}): Promise<OpenedTable> {
  const bytes = new ByteSource(source);
  try {
    assertSize(options.sizeBytes);
    const head = await bytes.peek(SNIFF_BYTES);
    const format = options.format ?? sniffFormat(head, options.fileName);
    if (format === 'xlsx') {
      // Random access is needed (see xlsx-reader.ts): keep a private copy for the time of the reading.
      const dir = await mkdtemp(path.join(options.tempDir ?? tmpdir(), 'passage-tabular-'));
      const removeDir = () => rm(dir, { recursive: true, force: true });
      const file = path.join(dir, 'upload.xlsx');
      try {
        // Readable only by this user: the upload holds personal data.
        await pipeline(Readable.from(bytes.chunks()), createWriteStream(file, { mode: 0o600, flags: 'wx' }));
      } catch (err) {
        await removeDir();
        throw err;
      }
      return await openXlsx(file, options, removeDir);
    }
    const csv = await readCsv(bytes, options);
    const release = () => bytes.close();
    const taken = await withHeader(csv.raws, release);
    return opened({ columns: taken.columns, encoding: csv.encoding, delimiter: csv.delimiter, format: 'csv' }, taken, csv.raws, release);
  } catch (err) {
    await bytes.close();
    throw err;
  }
}

/**
 * `openTable` on a file: its size comes from stat, so a file over the limit is refused without
 * being read. An XLSX file is read in place.
 */
export async function openTableFile(file: string, options: ReadOptions = {}): Promise<OpenedTable> {
  const { size } = await stat(file);
  assertSize(size);
  let format = options.format;
  if (format === undefined) {
    const handle = await openFile(file, 'r');
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      format = sniffFormat(head.subarray(0, bytesRead), options.fileName ?? path.basename(file));
    } finally {
      await handle.close();
    }
  }
  if (format === 'xlsx') return openXlsx(file, options, async () => undefined);
  return openTable(createReadStream(file), { ...options, format, sizeBytes: size });
}
