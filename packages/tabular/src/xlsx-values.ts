/**
 * Cell values of an XLSX sheet as the text an import wants. Pure functions, no I/O.
 *
 *  - text as is; rich text flattened to its characters; a hyperlink gives its text
 *  - formulas give their cached result (what Excel last computed), as text
 *  - dates (a number with a date format) as ISO 8601: `2024-03-05`, `2024-03-05T14:30:00` when the
 *    format shows a time, `14:30:00` for a time alone
 *  - numbers as plain digits, never with an exponent, so ids and phone numbers survive
 *    (`12345678901234`, not `1.23457E+13`); zero-padded formats (`00000`) keep their leading zeros;
 *    other formats (currency, percent, thousands separators) are not applied: the stored value is
 *    what is imported
 *  - TRUE / FALSE for booleans, the error code (`#N/A`) for errors
 */

/** Excel keeps 15 significant digits; more is binary noise (0.1 + 0.2 = 0.30000000000000004). */
const EXCEL_DIGITS = 15;

/** A decimal number written out without exponent: 1.5e-7 → "0.00000015". */
function plainDecimal(x: number): string {
  const s = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign, lead, fraction = '', exp] = m;
  const digits = lead! + fraction;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A number as plain text; `numFmt` only matters when it is a run of zeros (fixed-width ids). */
export function numberText(n: number, numFmt?: string): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) {
    const digits = Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
    if (numFmt !== undefined && /^0+$/.test(numFmt) && n >= 0) return digits.padStart(numFmt.length, '0');
    return digits;
  }
  return plainDecimal(Number(n.toPrecision(EXCEL_DIGITS)));
}

/** What a number format shows of a date: strips literal text ("…", \x) and [colours]/[$-locale]. */
function dateParts(numFmt: string | undefined): { date: boolean; time: boolean } | null {
  if (numFmt === undefined || numFmt === '') return null;
  const f = numFmt.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  const time = /[hs]/i.test(f) || /AM\/PM|A\/P/i.test(f);
  const date = /[ydb]/i.test(f) || (/m/i.test(f) && !time);
  return date || time ? { date, time } : null;
}

/** Whether a number format displays a date or time. */
export function isDateFormat(numFmt: string | undefined): boolean {
  return dateParts(numFmt) !== null;
}

/** Excel's serial day number (1900 or 1904 system) as a UTC date, as exceljs computes it. */
export function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** A date as ISO 8601, showing the parts its format shows (date only when there is no format). */
export function dateText(d: Date, numFmt?: string): string {
  const t = d.getTime();
  if (Number.isNaN(t)) return '';
  const rounded = new Date(Math.round(t / 1000) * 1000);
  if (rounded.getUTCFullYear() < 0 || rounded.getUTCFullYear() > 9999) return '';
  const iso = rounded.toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  const parts = dateParts(numFmt) ?? { date: true, time: time !== '00:00:00' };
  if (parts.time && !parts.date) return time;
  return parts.time ? `${date}T${time}` : date;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The text of one cell value as exceljs gives it (`cell.value`), with the cell's number format. */
export function cellText(value: unknown, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isDateFormat(numFmt) ? dateText(excelSerialToDate(value, date1904), numFmt) : numberText(value, numFmt);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value, numFmt);
  if (isObject(value)) {
    if (Array.isArray(value.richText)) return value.richText.map((run: unknown) => (isObject(run) && typeof run.text === 'string' ? run.text : '')).join('');
    // A formula without a cached result (never calculated) has no value to import.
    if ('formula' in value || 'sharedFormula' in value) return 'result' in value ? cellText(value.result, numFmt, date1904) : '';
    if (typeof value.error === 'string') return value.error;
    if ('text' in value) return cellText(value.text, numFmt, date1904);
    // A shared-string index without a shared-string table: nothing to show.
    if ('sharedString' in value) return '';
  }
  return String(value);
}
