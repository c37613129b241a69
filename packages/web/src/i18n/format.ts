/** Locale-aware formatting of dates and numbers, following the current UI language. */
import { useTranslation } from 'react-i18next';
import { toLanguage } from './index.ts';

type DateInput = string | number | Date | null | undefined;

function toDate(value: DateInput): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function locale(lng: string): string {
  return toLanguage(lng) ?? 'en';
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormatter(lng: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${lng}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(lng), options);
    cache.set(key, f);
  }
  return f as Intl.DateTimeFormat;
}
function numberFormatter(lng: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${lng}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(lng), options);
    cache.set(key, f);
  }
  return f as Intl.NumberFormat;
}

export function formatDateTime(value: DateInput, lng: string): string {
  const d = toDate(value);
  return d ? dateFormatter(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(d) : '';
}

export function formatDateTimeLong(value: DateInput, lng: string): string {
  const d = toDate(value);
  return d ? dateFormatter(lng, { dateStyle: 'full', timeStyle: 'long' }).format(d) : '';
}

export function formatDate(value: DateInput, lng: string): string {
  const d = toDate(value);
  return d ? dateFormatter(lng, { dateStyle: 'medium' }).format(d) : '';
}

export function formatNumber(value: number, lng: string, options: Intl.NumberFormatOptions = {}): string {
  return numberFormatter(lng, options).format(value);
}

/** The formatters bound to the current language; re-renders when it changes. */
export function useFormat(): {
  dateTime: (v: DateInput) => string;
  dateTimeLong: (v: DateInput) => string;
  date: (v: DateInput) => string;
  number: (v: number, options?: Intl.NumberFormatOptions) => string;
} {
  const { i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? i18n.language;
  return {
    dateTime: (v) => formatDateTime(v, lng),
    dateTimeLong: (v) => formatDateTimeLong(v, lng),
    date: (v) => formatDate(v, lng),
    number: (v, options) => formatNumber(v, lng, options),
  };
}
