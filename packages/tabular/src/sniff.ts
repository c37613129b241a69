import { tabularError } from './errors.ts';

/** The formats `openTable` reads. */
export type TabularFormat = 'csv' | 'xlsx';

const startsWith = (head: Uint8Array, magic: readonly number[]): boolean =>
  head.length >= magic.length && magic.every((b, i) => head[i] === b);

/** Formats people upload by mistake, recognised by their first bytes so the refusal can say what the file is. */
const NOT_TABLES: { magic: readonly number[]; what: string }[] = [
  // OLE2 compound file: a legacy .xls, or an .xlsx protected by a password (Excel encrypts into OLE2).
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'a legacy Excel 97–2003 (.xls) or password-protected workbook' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x1f, 0x8b], what: 'a gzip archive' },
];

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];

/**
 * Detects the format from the first bytes (an XLSX file is a ZIP archive: `PK\x03\x04`) and, when
 * the bytes leave it open, the file name. The bytes win over the name: a ZIP is read as XLSX
 * whatever it is called, and text is read as CSV. A file named `.xlsx` that is not a ZIP is
 * reported as XLSX so that reading it fails with `xlsx_invalid` rather than garbage rows.
 * Throws `unknown_format` for legacy `.xls`, PDF, images and archives.
 */
export function sniffFormat(head: Uint8Array, fileName?: string): TabularFormat {
  if (startsWith(head, ZIP_LOCAL_HEADER) || startsWith(head, ZIP_EMPTY)) return 'xlsx';
  for (const { magic, what } of NOT_TABLES) {
    if (startsWith(head, magic)) {
      throw tabularError('unknown_format', `The file is ${what}, not a CSV or XLSX table. Save it as .xlsx or .csv and upload it again.`);
    }
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName?.trim() ?? '')?.[1]?.toLowerCase();
  if (extension === 'xls') {
    throw tabularError('unknown_format', 'Legacy Excel 97–2003 (.xls) files are not supported. Save it as .xlsx or .csv and upload it again.');
  }
  if (extension === 'xlsx' || extension === 'xlsm') return 'xlsx';
  return 'csv';
}
