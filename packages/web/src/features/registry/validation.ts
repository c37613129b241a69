/**
 * Turns validation problems — zod issues found while typing, or the server's field errors —
 * into translated messages keyed by field path ("givenName", "documents.0.number").
 *
 * The shared schemas phrase their messages in English for the API; the web app recognises them
 * and shows its own translation, falling back to the server's words for anything new.
 */
import type { TFunction } from 'i18next';
import type { FieldError } from '../../lib/api.ts';

/** A validation problem from zod (the subset used here). */
export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  minimum?: unknown;
  maximum?: unknown;
}

/** Field path → translated message. */
export type Errors = Record<string, string>;

const KNOWN: [RegExp, string][] = [
  [/^required$/, 'required'],
  [/^must contain letters$/, 'letters'],
  [/^contains control characters$/, 'control'],
  [/country code/i, 'country'],
  [/^not a real date/, 'date'],
  [/^ISO 639/, 'language'],
  [/^must be after the issue date$/, 'expiryAfterIssue'],
  [/^letters, digits, spaces, dots, slashes and hyphens only$/, 'documentNumber'],
  [/^digits, spaces, \+/, 'phone'],
  [/P-code/, 'pcode'],
  [/^is in the future$/, 'dobFuture'],
  [/more than 120 years/, 'dobTooOld'],
  [/^one answer per purpose$/, 'consentPerPurpose'],
  [/^already recorded$/, 'documentRecorded'],
];

/** A translated message for one problem. */
export function problemMessage(t: TFunction, p: { message: string; code?: string | undefined; minimum?: unknown; maximum?: unknown }): string {
  for (const [re, key] of KNOWN) if (re.test(p.message)) return t(`registry.validation.${key}`);
  const most = /at most (\d+) characters/.exec(p.message);
  if (most) return t('registry.validation.tooLong', { max: most[1] });
  switch (p.code ?? '') {
    case 'invalid_type':
      return t('validation.required');
    case 'invalid_value':
    case 'invalid_enum_value':
      return t('registry.validation.choose');
    case 'too_small':
      return Number(p.minimum) <= 1 ? t('validation.required') : t('registry.validation.tooShort', { min: String(p.minimum) });
    case 'too_big':
      return t('registry.validation.tooLong', { max: String(p.maximum) });
    case 'invalid_format':
    case 'invalid_string':
      return t('registry.validation.format');
    default:
      return p.message;
  }
}

/** The value at a path of the validated input. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * The first message per field path. With the validated `input`, an unanswered choice reads
 * "required" rather than "choose one of the options".
 */
export function issuesToErrors(t: TFunction, issues: readonly IssueLike[], input?: unknown): Errors {
  const out: Errors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    if (key in out) continue;
    const missing = input !== undefined && issue.path.length > 0 && (valueAt(input, issue.path) === undefined || valueAt(input, issue.path) === '');
    out[key] = missing && (issue.code === 'invalid_value' || issue.code === 'invalid_type') ? t('validation.required') : problemMessage(t, issue);
  }
  return out;
}

/** The server's field errors ("members.2.givenName", "body.version") as a map, without a leading "body". */
export function serverErrors(t: TFunction, errors: readonly FieldError[] | undefined): Errors {
  const out: Errors = {};
  for (const e of errors ?? []) {
    const key = e.field.replace(/^\/?body[./]?/, '').replace(/\//g, '.');
    if (!(key in out)) out[key] = problemMessage(t, { message: e.message });
  }
  return out;
}

/** The errors under a prefix ("members.1."), with the prefix removed. */
export function scoped(errors: Errors, prefix: string): Errors {
  const out: Errors = {};
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}
