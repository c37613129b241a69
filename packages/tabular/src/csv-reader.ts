import { CsvError, Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import type { ByteSource } from './byte-source.ts';
import { createDecoder, detectEncoding, SNIFF_BYTES, type ChunkDecoder, type TextEncoding } from './decode.ts';
import { tabularError, type TabularError } from './errors.ts';
import type { RawRow } from './table-rows.ts';

/** Field separators a CSV file may use. */
export type CsvDelimiter = ',' | ';' | '\t';

/** Longest record accepted (in bytes of UTF-8): a guard so an unclosed quote cannot swallow the file into memory. */
export const MAX_RECORD_BYTES = 1024 * 1024;

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/**
 * The separator of the header line: whichever of comma, semicolon and tab occurs most often
 * outside quotes in the first non-blank line (ties go to that order; none at all means a
 * one-column file, read with a comma).
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const counts = new Map<string, number>();
  let inQuotes = false;
  let content = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuotes = !inQuotes;
      content = true;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (content) break;
      counts.clear();
    } else if (!inQuotes && DELIMITERS.includes(ch as CsvDelimiter)) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    } else if (ch.trim() !== '') {
      content = true;
    }
  }
  let best: CsvDelimiter = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Text of the sample for sniffing the delimiter; undecodable bytes do not matter here. */
function sampleText(sample: Uint8Array, encoding: TextEncoding): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(sample);
  return iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), encoding);
}

/** Turns csv-parse's errors into ours, with the spreadsheet row. */
function fromCsvError(err: unknown, inQuotes: boolean | undefined): unknown {
  if (!(err instanceof CsvError)) return err;
  // csv-parse reports how many records were complete; the faulty one is the next.
  const row = typeof err.records === 'number' ? err.records + 1 : null;
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    return tabularError('unbalanced_quotes', `A quote opened in row ${row} is never closed: every " that starts a value needs a closing ".`, { row });
  }
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' || err.code === 'INVALID_OPENING_QUOTE') {
    return tabularError(
      'unbalanced_quotes',
      `Row ${row} has a quoted value followed by other characters before the next separator; a " inside a quoted value must be doubled ("").`,
      { row },
    );
  }
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    // Inside quotes, this is a quote that opens and never closes: the rest of the file reads as one value.
    if (inQuotes !== false) {
      return tabularError('unbalanced_quotes', `A quote opened in row ${row} is not closed within ${MAX_RECORD_BYTES / 1024 / 1024} MB: every " that starts a value needs a closing ".`, {
        row,
      });
    }
    return tabularError('row_too_large', `Row ${row} is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB; check that the file is a table with one record per line.`, { row });
  }
  return err;
}

const undecodable = (row: number, encoding: TextEncoding, chosen: boolean): TabularError =>
  tabularError(
    'undecodable',
    chosen
      ? `Row ${row} contains bytes that are not ${encoding === 'utf-8' ? 'UTF-8' : encoding} text. Check the encoding chosen for the file.`
      : `Row ${row} contains bytes that are not text in any encoding we read (UTF-8, Arabic windows-1256, Western windows-1252). ` +
          'If the file comes from a spreadsheet, save it as "CSV UTF-8" or .xlsx and upload it again; otherwise choose its encoding.',
    { row },
  );

/**
 * A csv-parse parser whose output is collected as it is produced instead of going through the
 * stream's readable buffer. csv-parse parses synchronously inside write() and hands each record
 * to push(), the Transform contract, so after a write every record of that text is here, in
 * order, and none is lost if an error follows. (csv-parse's `on_record` hook would do the same but
 * builds an info object per record, a fifth of the reading time.)
 */
class CollectingParser extends Parser {
  records: string[][] = [];

  override push(chunk: unknown): boolean {
    if (chunk === null) return super.push(null);
    this.records.push(chunk as string[]);
    return true;
  }
}

/**
 * Decodes and parses CSV records as they stream in, yielding them in batches (one per chunk of
 * the input). Pull-based: a chunk is read only when the caller wants more rows, so memory holds
 * one chunk and its records.
 */
async function* csvRecords(chunks: AsyncIterable<Uint8Array>, decoder: ChunkDecoder, delimiter: CsvDelimiter, chosen: boolean): AsyncGenerator<RawRow[]> {
  const parser = new CollectingParser({
    delimiter,
    quote: '"',
    escape: '"',
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    // Every line is a record, blank ones too, so counting records counts spreadsheet rows.
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  });
  let count = 0;
  // csv-parse's parser state (kept public "for backward compatibility", not typed) says whether a quote is open.
  const inQuotes = () => (parser as unknown as { state?: { quoting?: boolean } }).state?.quoting;
  // Errors are taken from the write and end callbacks below; the listener keeps the event from crashing the process.
  parser.on('error', () => undefined);
  const write = (text: string) => new Promise<unknown>((resolve) => parser.write(text, (err) => resolve(err ?? null)));
  const finish = () =>
    new Promise<unknown>((resolve) => {
      parser.once('error', resolve);
      parser.once('finish', () => resolve(null));
      parser.end();
    });
  /** The records parsed so far, numbered. */
  function take(): RawRow[] {
    const records = parser.records;
    parser.records = [];
    return records.map((cells) => {
      count++;
      // A last cell may end with a stray CR when a file mixes line endings.
      const last = cells.length - 1;
      if (last >= 0 && cells[last]!.endsWith('\r')) cells[last] = cells[last]!.slice(0, -1);
      return { row: count, cells };
    });
  }
  /**
   * The text decoded so far ends where bad bytes start. To name their row, a NUL (which decoded
   * text never contains) stands in for them: the record that receives it is the bad row. The
   * records before it are handed out first.
   */
  async function* refuse(): AsyncGenerator<RawRow[], never> {
    const err = (await write('\0')) ?? (await finish());
    const records = take();
    const bad = records.findIndex((raw) => raw.cells.some((cell) => cell !== undefined && cell.includes('\0')));
    if (bad > 0) yield records.slice(0, bad);
    const row = bad !== -1 ? records[bad]!.row : err instanceof CsvError && typeof err.records === 'number' ? err.records + 1 : count + 1;
    throw undecodable(row, decoder.encoding, chosen);
  }
  async function* feed(text: string): AsyncGenerator<RawRow[]> {
    if (text === '') return;
    const err = await write(text);
    const records = take();
    if (records.length > 0) yield records;
    if (err) throw fromCsvError(err, inQuotes());
  }
  try {
    for await (const chunk of chunks) {
      const step = decoder.write(chunk);
      yield* feed(step.text);
      if (step.invalid) yield* refuse();
    }
    const last = decoder.end();
    yield* feed(last.text);
    if (last.invalid) yield* refuse();
    const err = await finish();
    const records = take();
    if (records.length > 0) yield records;
    if (err) throw fromCsvError(err, inQuotes());
  } finally {
    parser.destroy();
  }
}

/** Options of the CSV reader. */
export interface CsvReadOptions {
  encoding?: TextEncoding | 'auto';
  delimiter?: CsvDelimiter | 'auto';
}

/** Sniffs encoding and delimiter from the start of the file, then streams its raw rows. */
export async function readCsv(
  bytes: ByteSource,
  options: CsvReadOptions,
): Promise<{ encoding: TextEncoding; delimiter: CsvDelimiter; raws: AsyncGenerator<RawRow[]> }> {
  const head = await bytes.peek(SNIFF_BYTES);
  // The first chunk may be larger than asked for; decide on the first 64 KB all the same.
  const sample = head.subarray(0, SNIFF_BYTES);
  const chosen = options.encoding !== undefined && options.encoding !== 'auto';
  const encoding = chosen ? (options.encoding as TextEncoding) : detectEncoding(sample, bytes.ended && head.length <= SNIFF_BYTES);
  const delimiter = options.delimiter === undefined || options.delimiter === 'auto' ? sniffDelimiter(sampleText(sample, encoding)) : options.delimiter;
  return { encoding, delimiter, raws: csvRecords(bytes.chunks(), createDecoder(encoding), delimiter, chosen) };
}
