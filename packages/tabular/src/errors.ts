/**
 * Errors of the tabular reader. Every refusal is a `TabularError` with a stable `code` and a
 * `problem` that says where (spreadsheet row, column) so the upload screen can point at it.
 * Messages name rows and columns but never quote cell values: they may end up in logs, and cells
 * hold personal data.
 */

/** Files larger than this are refused before anything is read (1 GiB). */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/** Stable codes of `TabularError`. Clients match on the code, never on the message. */
export const TABULAR_ERROR_CODES = [
  'too_large',
  'unknown_format',
  'undecodable',
  'unbalanced_quotes',
  'duplicate_header',
  'empty_header',
  'no_header',
  'row_too_long',
  'row_too_large',
  'sheet_not_found',
  'xlsx_invalid',
] as const;

/** One of `TABULAR_ERROR_CODES`. */
export type TabularErrorCode = (typeof TABULAR_ERROR_CODES)[number];

/**
 * Where and what. `row` is the row number a person sees in a spreadsheet (the header is row 1, the
 * first data row is 2; blank rows count, as they do on screen); `column` is a column name, or for a
 * header cell without a name its spreadsheet letter.
 */
export interface TabularProblem {
  row: number | null;
  column: string | null;
  code: string;
  message: string;
}

/** A file, or a row of it, that cannot be read as a table. */
export class TabularError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly problem: TabularProblem,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TabularError';
  }
}

/** Builds a `TabularError` whose problem repeats the code and message. */
export function tabularError(
  code: TabularErrorCode,
  message: string,
  where: { row?: number | null; column?: string | null } = {},
  options?: ErrorOptions,
): TabularError {
  return new TabularError(code, message, { row: where.row ?? null, column: where.column ?? null, code, message }, options);
}

/** 1 → A, 27 → AA: how spreadsheets name column positions. */
export function columnLetter(position: number): string {
  let n = position;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
