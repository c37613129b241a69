import { Readable } from 'node:stream';
import path from 'node:path';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { tabularError, TabularError } from './errors.ts';
import type { RawRow } from './table-rows.ts';
import { cellText } from './xlsx-values.ts';

/**
 * XLSX through exceljs's streaming reader, with the archive opened by its central directory
 * (yauzl) instead of exceljs's single pass over the ZIP stream. Why:
 *
 *  - exceljs names and parses a worksheet by what it has met *before* it in the archive. Archives
 *    that put `xl/workbook.xml` after the sheets (exceljs's own writer does; the sheet list is not
 *    required to come first) fail with "Cannot read properties of undefined (reading 'sheets')"
 *    (exceljs#3064, #962), and styles stored after the sheets silently turn dates into numbers.
 *    With the directory we read the parts in the order they are needed: relationships, workbook,
 *    shared strings, styles, then the one sheet asked for.
 *  - exceljs decodes each compressed chunk of XML on its own, so a multi-byte character (all of
 *    Arabic) split across two chunks becomes U+FFFD (exceljs#2063, #2084, #2316). We hand exceljs
 *    text already decoded by a streaming `TextDecoder` instead of bytes.
 *
 * Random access needs a file: an upload stream is first written to a private temporary file.
 * The shared-string table is held in memory (cells refer to it by index); the sheet itself streams.
 */

/** The exceljs WorkbookReader methods used here: internal (underscored), pinned by the exceljs version in package.json. */
interface WorkbookReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<{ index: number; text: unknown }>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
  workbookRels?: { Id: string; Type?: string; Target: string; TargetMode?: string }[];
  model?: { sheets?: { id?: number; name?: string; rId?: string; state?: string }[] };
  properties?: { model?: { date1904?: boolean } };
  sharedStrings?: unknown[];
}

/** An archive with more parts than this is not a spreadsheet someone exported. */
const MAX_ENTRIES = 10_000;
/** Shared strings are held in memory; their XML is refused past this size (uncompressed, as declared and checked by yauzl). */
export const MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024;

const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

/** Which sheet to read: a name, a 1-based position in the workbook's tab order, or (default) the first visible one. */
export type SheetChoice = string | number | undefined;

const invalid = (message: string, cause?: unknown) => tabularError('xlsx_invalid', message, {}, cause === undefined ? undefined : { cause });

/** Text of a ZIP entry, decoded across chunk boundaries. */
async function* utf8Text(stream: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream) {
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      if (text !== '') yield text;
    }
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } finally {
    stream.destroy();
  }
}

/**
 * A copy of a shared string that does not point into the XML it was parsed from. The SAX parser
 * gives substrings of each decoded chunk, and V8 keeps a whole chunk alive for any substring of
 * it: without the copy the table costs about three times its text (measured: 105 MB of heap
 * instead of 40 MB for 600,000 strings).
 */
function unsliced(entry: unknown): unknown {
  if (typeof entry === 'string') return entry.length < 13 ? entry : Buffer.from(entry, 'utf8').toString('utf8');
  if (typeof entry === 'object' && entry !== null && Array.isArray((entry as { richText?: unknown }).richText)) {
    // Rich text is flattened here already: only its characters are ever used.
    return (entry as { richText: { text?: unknown }[] }).richText.map((run) => (typeof run.text === 'string' ? run.text : '')).join('');
  }
  return entry;
}

/** A sheet of the workbook, in tab order. */
interface SheetPart {
  name: string;
  hidden: boolean;
  entry: string;
}

/** The opened workbook: its sheets, and the one chosen. */
export interface XlsxTable {
  sheet: string;
  /** Rows one at a time (each batch holds one row). */
  raws: AsyncGenerator<RawRow[]>;
  close(): Promise<void>;
}

/** Resolves a relationship target (relative to `xl/`, or absolute from the archive root) to an entry name. */
function partName(target: string): string {
  return target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join('xl', target));
}

function chooseSheet(sheets: SheetPart[], choice: SheetChoice): SheetPart {
  if (sheets.length === 0) throw invalid('The workbook has no worksheet.');
  if (choice === undefined) return sheets.find((s) => !s.hidden) ?? sheets[0]!;
  const found = typeof choice === 'number' ? sheets[choice - 1] : sheets.find((s) => s.name === choice) ?? sheets.find((s) => s.name.trim().toLowerCase() === choice.trim().toLowerCase());
  if (found === undefined) {
    throw tabularError(
      'sheet_not_found',
      typeof choice === 'number'
        ? `The workbook has ${sheets.length} sheet(s); there is no sheet ${choice}.`
        : `The workbook has no sheet called "${choice}" (it has ${sheets.map((s) => `"${s.name}"`).join(', ')}).`,
    );
  }
  return found;
}

/**
 * Opens an XLSX file and streams the raw rows of one sheet. Throws `xlsx_invalid` for anything
 * that is not a readable workbook (not a ZIP, no workbook part, broken XML, encrypted parts).
 */
export async function readXlsxFile(file: string, choice: SheetChoice): Promise<XlsxTable> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw invalid('The file is not a valid XLSX workbook: it is not a readable ZIP archive. Save it again from the spreadsheet program.', err);
  }
  const closeZip = async () => {
    if (zip.isOpen) zip.close();
  };
  try {
    const entries = new Map<string, yauzl.Entry>();
    for await (const entry of zip.eachEntry()) {
      entries.set(entry.fileName.replace(/\\/g, '/'), entry);
      if (entries.size > MAX_ENTRIES) throw invalid('The file is not an XLSX workbook: its archive has too many parts.');
    }
    const open = async (name: string): Promise<Readable> => {
      const entry = entries.get(name);
      if (entry === undefined) throw invalid(`The file is not a valid XLSX workbook: the part ${name} is missing.`);
      if (entry.isEncrypted()) throw invalid('The workbook is encrypted; remove its password and upload it again.');
      return zip.openReadStreamPromise(entry);
    };
    const asText = async (name: string): Promise<Readable> => Readable.from(utf8Text(await open(name)));

    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: 'emit',
      sharedStrings: 'emit',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as WorkbookReaderInternals;

    if (!entries.has('xl/workbook.xml')) {
      throw invalid('The file is a ZIP archive but not an XLSX workbook (it has no xl/workbook.xml). Save it as .xlsx or .csv.');
    }
    await reader._parseRels(await asText('xl/_rels/workbook.xml.rels'));
    await reader._parseWorkbook(await asText('xl/workbook.xml'));
    const rels = reader.workbookRels ?? [];
    const relPart = (pattern: RegExp, fallback: string): string | undefined => {
      const rel = rels.find((r) => r.Type !== undefined && pattern.test(r.Type) && r.TargetMode !== 'External');
      const name = rel === undefined ? fallback : partName(rel.Target);
      return entries.has(name) ? name : undefined;
    };

    const sheets: SheetPart[] = (reader.model?.sheets ?? []).flatMap((s) => {
      const rel = rels.find((r) => r.Id === s.rId && (r.Type === undefined || REL_WORKSHEET.test(r.Type)));
      return rel === undefined ? [] : [{ name: s.name ?? '', hidden: s.state === 'hidden' || s.state === 'veryHidden', entry: partName(rel.Target) }];
    });
    const sheet = chooseSheet(sheets, choice);

    const sharedStrings = relPart(REL_SHARED_STRINGS, 'xl/sharedStrings.xml');
    if (sharedStrings !== undefined) {
      if (entries.get(sharedStrings)!.uncompressedSize > MAX_SHARED_STRINGS_BYTES) {
        throw tabularError('too_large', 'The workbook holds too much text to be read at once; split it into smaller files or save it as CSV.');
      }
      // 'emit' mode hands each string over as it is parsed, so it is copied (see unsliced) while
      // the XML around it can still be freed; the worksheet reader then looks them up here.
      const table: unknown[] = [];
      for await (const item of reader._parseSharedStrings(await asText(sharedStrings))) {
        table[item.index] = unsliced(item.text);
      }
      reader.sharedStrings = table;
    }
    reader.sharedStrings ??= [];
    const styles = relPart(REL_STYLES, 'xl/styles.xml');
    if (styles !== undefined) await reader._parseStyles(await asText(styles));

    const date1904 = reader.properties?.model?.date1904 === true;
    const sheetText = utf8Text(await open(sheet.entry));
    const [event] = [...reader._parseWorksheet(sheetText, '1')];
    if (event === undefined) throw invalid('The worksheet could not be opened.');
    return { sheet: sheet.name, raws: sheetRows(event.value, date1904, closeZip), close: closeZip };
  } catch (err) {
    await closeZip();
    if (err instanceof TabularError) throw err;
    throw invalid('The file is not a valid XLSX workbook: its structure could not be read. Save it again from the spreadsheet program.', err);
  }
}

/** The rows of a worksheet as text cells, with their spreadsheet row numbers. */
async function* sheetRows(worksheet: AsyncIterable<ExcelJS.Row>, date1904: boolean, close: () => Promise<void>): AsyncGenerator<RawRow[]> {
  let last = 0;
  try {
    for await (const row of worksheet) {
      // The row number is optional in the file format; without it a row follows the previous one.
      const number = Number.isFinite(row.number) && row.number > last ? row.number : last + 1;
      last = number;
      const cells: (string | undefined)[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        cells[col - 1] = cellText(cell.value, cell.style?.numFmt, date1904);
      });
      yield [{ row: number, cells }];
    }
  } catch (err) {
    if (err instanceof TabularError) throw err;
    throw tabularError('xlsx_invalid', `The worksheet cannot be read after row ${last}: the file is damaged. Save it again from the spreadsheet program.`, { row: last + 1 }, { cause: err });
  } finally {
    await close();
  }
}
