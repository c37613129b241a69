/**
 * A person record as the matching engine sees it, and the parsing of its non-name fields into comparable keys:
 * dates of birth (with "01-01" read as "only the year is known"), sex, nationality, document numbers folded
 * against OCR confusions, phone numbers. Pure; every parser accepts any string and never throws.
 */

export interface MatchRecord {
  /** Unique within one run. */
  id: string;
  givenName?: string | null;
  middleName?: string | null;
  familyName?: string | null;
  /** The name as written in its original script (Arabic, Cyrillic, Ge'ez…), when recorded. */
  nameOriginal?: string | null;
  sex?: string | null;
  /** YYYY-MM-DD is expected; YYYYMMDD, DD/MM/YYYY, YYYY-MM and YYYY are read too. 01-01 means "year only". */
  dateOfBirth?: string | null;
  nationality?: string | null;
  documentNumber?: string | null;
  phone?: string | null;
}

/** A parsed date of birth. */
export interface ParsedDate {
  year: number;
  /** 1–12, or 0 when unknown (year only, or not a real month). */
  month: number;
  /** 1–31, or 0 when unknown. */
  day: number;
  /** The date as written, as YYYYMMDD digits, for typing-error comparison; 0 when not an 8-digit date. */
  digits: number;
  /** True when only the year is to be trusted: a "01-01" placeholder, a year alone, or an impossible day/month. */
  yearOnly: boolean;
}

const MIN_YEAR = 1850;
const MAX_YEAR = 2100;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Reads a date of birth; null when missing or unreadable (a year outside 1850–2100 is unreadable). */
/** The value of two or four ASCII digits at s[at..], or -1. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

export function parseDateOfBirth(value: string | null | undefined): ParsedDate | null {
  if (typeof value !== 'string') return null;
  // Fast path for the expected form, YYYY-MM-DD (most values): the same result as the general path below.
  if (value.length === 10 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45) {
    const y = digitsAt(value, 0, 4);
    const m = digitsAt(value, 5, 2);
    const d = digitsAt(value, 8, 2);
    if (y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) {
      return m === 1 && d === 1 ? { year: y, month: 0, day: 0, digits: 0, yearOnly: true } : { year: y, month: m, day: d, digits: y * 10000 + m * 100 + d, yearOnly: false };
    }
  }
  const s = asciiDigits(value.normalize('NFKC')).trim().slice(0, 40);
  if (s === '') return null;
  let y: number;
  let m = 0;
  let d = 0;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s)) || (match = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(s)) || (match = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  } else if ((match = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s))) {
    y = Number(match[3]);
    m = Number(match[2]);
    d = Number(match[1]);
  } else if ((match = /^(\d{4})-(\d{1,2})$/.exec(s))) {
    y = Number(match[1]);
    m = Number(match[2]);
  } else if ((match = /^(\d{4})$/.exec(s))) {
    y = Number(match[1]);
  } else {
    return null;
  }
  if (y < MIN_YEAR || y > MAX_YEAR) return null;
  const digits = m > 0 && m <= 99 && d > 0 && d <= 99 ? y * 10000 + m * 100 + d : 0;
  const validMonth = m >= 1 && m <= 12;
  const validDay = validMonth && d >= 1 && d <= daysInMonth(y, m);
  if (!validMonth) return { year: y, month: 0, day: 0, digits, yearOnly: true };
  if (!validDay) return { year: y, month: m, day: 0, digits, yearOnly: true };
  if (m === 1 && d === 1) return { year: y, month: 0, day: 0, digits: 0, yearOnly: true };
  return { year: y, month: m, day: d, digits, yearOnly: false };
}

/** 'M', 'F', 'X' (another recorded value) or null (missing, unknown). */
export function parseSex(value: string | null | undefined): 'M' | 'F' | 'X' | null {
  if (typeof value !== 'string') return null;
  const s = value.trim().toLowerCase();
  if (s === '' || s === 'u' || s === 'unknown' || s === '?' || s === 'na' || s === 'n/a') return null;
  if (['m', 'male', 'man', 'h', 'homme', 'masculin', 'hombre', 'masculino', '1', 'ذكر', 'м', 'ч'].includes(s)) return 'M';
  if (['f', 'female', 'woman', 'w', 'femme', 'féminin', 'feminin', 'mujer', 'femenino', '2', 'أنثى', 'انثى', 'ж'].includes(s)) return 'F';
  return 'X';
}

/** Upper-case letters and digits only, at most 40 characters; null when nothing is left. */
export function parseNationality(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  if (/^[A-Z]{2,3}$/.test(value)) return value;
  const s = value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 40);
  return s === '' ? null : s;
}

const OCR_FOLD: Readonly<Record<string, string>> = { O: '0', Q: '0', I: '1', L: '1', S: '5', B: '8', Z: '2', G: '6' };

/** Arabic-Indic and Persian digits to ASCII (NFKC leaves them as they are). */
export function asciiDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (c) => String((c.charCodeAt(0) & 0xf) % 10));
}

/**
 * A document number as a comparison key: NFKC, upper case, separators and spaces dropped, and the letters OCR and
 * people confuse with digits folded to the digit (O/Q→0, I/L→1, S→5, B→8, Z→2, G→6). Null when fewer than 3
 * characters remain; at most 32 characters are kept.
 */
export function documentKey(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  // ASCII needs no Unicode normalisation.
  const s = (/^[\x20-\x7e]*$/.test(value) ? value : asciiDigits(value.normalize('NFKC')))
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .replace(/[OQILSBZG]/g, (c) => OCR_FOLD[c]!)
    .slice(0, 32);
  return s.length < 3 ? null : s;
}

/** The last 9 digits of a phone number (the subscriber number without the country code); null under 6 digits. */
export function phoneKey(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const digits = (/^[\x20-\x7e]*$/.test(value) ? value : asciiDigits(value.normalize('NFKC'))).replace(/\D/g, '');
  if (digits.length < 6) return null;
  return digits.slice(-9);
}
