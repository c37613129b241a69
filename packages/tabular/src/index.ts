/**
 * @passage/tabular: streaming reading of uploaded CSV and XLSX files for bulk import.
 * File I/O on streams only: no database, no HTTP. See README.md.
 */
export { MAX_IMPORT_BYTES, TABULAR_ERROR_CODES, TabularError, type TabularErrorCode, type TabularProblem } from './errors.ts';
export { sniffFormat, type TabularFormat } from './sniff.ts';
export { openTable, openTableFile, type OpenedTable, type ReadOptions, type TabularHeader } from './open-table.ts';
export type { TableRow } from './table-rows.ts';
export type { ByteInput } from './byte-source.ts';
export { autoMapHeaders, normalizeHeader, type HeaderMapping, type TargetField } from './auto-map.ts';
