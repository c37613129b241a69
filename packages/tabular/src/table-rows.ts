import { columnLetter, tabularError } from './errors.ts';

/** One data row: its spreadsheet row number and its values by column name ('' for an empty cell). */
export interface TableRow {
  row: number;
  values: Record<string, string>;
}

/** A row of raw cells as a reader produced it (index 0 is the first column). */
export interface RawRow {
  row: number;
  cells: readonly (string | undefined)[];
}

const isBlank = (cell: string | undefined): boolean => cell === undefined || cell.trim() === '';

/** True when every cell of the row is empty or white space: such rows are skipped, as a person skims past them. */
export function isBlankRow(cells: readonly (string | undefined)[]): boolean {
  // every() skips holes, which are blank anyway.
  return cells.every(isBlank);
}

/**
 * Column names from the header row: trimmed, NFC-normalised, trailing empty cells dropped (Excel
 * often saves a few). An empty cell before the last name is `empty_header`, a name used twice is
 * `duplicate_header`.
 */
export function columnsFromHeader(raw: RawRow): string[] {
  // Array.from visits the holes a sparse row of XLSX cells has, where map would skip them.
  const names = Array.from(raw.cells, (cell) => (cell ?? '').trim().normalize('NFC'));
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  const seen = new Set<string>();
  names.forEach((name, index) => {
    const letter = columnLetter(index + 1);
    if (name === '') {
      throw tabularError('empty_header', `The header cell in column ${letter} (position ${index + 1}) is empty; every column needs a name.`, {
        row: raw.row,
        column: letter,
      });
    }
    if (seen.has(name)) {
      throw tabularError('duplicate_header', `The column name "${name}" appears more than once in the header (again in column ${letter}).`, {
        row: raw.row,
        column: name,
      });
    }
    seen.add(name);
  });
  return names;
}

/**
 * Turns raw cells into values keyed by column. Missing cells are ''. A non-empty cell to the right
 * of the last named column is `row_too_long`; empty ones there are ignored (trailing separators).
 * Returns null for a blank row.
 */
export function shapeRow(columns: readonly string[], raw: RawRow): TableRow | null {
  const { cells } = raw;
  if (isBlankRow(cells)) return null;
  for (let i = columns.length; i < cells.length; i++) {
    if (!isBlank(cells[i])) {
      throw tabularError(
        'row_too_long',
        `Row ${raw.row} has a value in column ${columnLetter(i + 1)}, to the right of the last named column (${columns.length} columns in the header).`,
        { row: raw.row, column: columnLetter(i + 1) },
      );
    }
  }
  const values: Record<string, string> = {};
  if (columns.includes('__proto__')) {
    // Assignment to "__proto__" would set the prototype; define it as the ordinary key it is.
    columns.forEach((name, i) => Object.defineProperty(values, name, { value: cells[i] ?? '', enumerable: true, writable: true, configurable: true }));
  } else {
    for (let i = 0; i < columns.length; i++) values[columns[i]!] = cells[i] ?? '';
  }
  return { row: raw.row, values };
}

/** Raw rows arrive in batches (a chunk of CSV, a row of XLSX). */
export type RawBatches = AsyncGenerator<RawRow[]>;

/**
 * Pulls the header (the first non-blank row) from the batches; `no_header` when there is none.
 * Returns the rows of its batch that follow it.
 */
export async function takeHeader(batches: RawBatches): Promise<{ columns: string[]; row: number; rest: RawRow[] }> {
  for (;;) {
    const next = await batches.next();
    if (next.done) {
      throw tabularError('no_header', 'The file has no header row: it is empty, or every row is blank. The first row must name the columns.');
    }
    const index = next.value.findIndex((raw) => !isBlankRow(raw.cells));
    if (index !== -1) {
      const header = next.value[index]!;
      return { columns: columnsFromHeader(header), row: header.row, rest: next.value.slice(index + 1) };
    }
  }
}

/** The data rows after the header, blank rows skipped; `release` runs however the iteration ends. */
export async function* shapeRows(columns: readonly string[], rest: RawRow[], batches: RawBatches, release: () => Promise<void>): AsyncGenerator<TableRow> {
  try {
    for (const raw of rest) {
      const shaped = shapeRow(columns, raw);
      if (shaped !== null) yield shaped;
    }
    for await (const batch of batches) {
      for (const raw of batch) {
        const shaped = shapeRow(columns, raw);
        if (shaped !== null) yield shaped;
      }
    }
  } finally {
    await release();
  }
}
