/**
 * Display helpers of the registry: names, countries and languages in the user's language.
 * Country and language names come from the browser (Intl.DisplayNames), so no name lists ship.
 */
import countries from 'i18n-iso-countries';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** The parts of a person's name that every DTO carries. */
export interface NameParts {
  givenName: string;
  middleName?: string | null;
  familyName?: string | null;
}

/** "Given Middle Family", skipping absent parts. */
export function personName(p: NameParts): string {
  return [p.givenName, p.middleName, p.familyName].filter((x): x is string => Boolean(x && x.trim())).join(' ');
}

const ALPHA3_TO_ALPHA2: Record<string, string> = countries.getAlpha3Codes();

/** Languages offered first in pickers: those of the interface and of the people most often registered. */
export const COMMON_LANGUAGES = ['ar', 'en', 'fr', 'es', 'fa', 'prs', 'ps', 'ur', 'ku', 'so', 'ti', 'am', 'sw', 'uk', 'ru', 'tr', 'pt', 'ha', 'ln', 'rw'] as const;

const displayNames = new Map<string, Intl.DisplayNames | null>();
function names(lang: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  const key = `${lang}|${type}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([lang], { type, fallback: 'code' }));
    } catch {
      displayNames.set(key, null);
    }
  }
  return displayNames.get(key) ?? null;
}

/** The country's name in `lang` ("SYR" → "Syria"); the code itself when unknown. */
export function countryName(alpha3: string | null | undefined, lang: string): string {
  if (!alpha3) return '';
  const alpha2 = ALPHA3_TO_ALPHA2[alpha3];
  if (!alpha2) return alpha3;
  return names(lang, 'region')?.of(alpha2) ?? alpha3;
}

/** The language's name in `lang` ("ar" → "Arabic"). */
export function languageName(code: string, lang: string): string {
  try {
    return names(lang, 'language')?.of(code) ?? code;
  } catch {
    return code;
  }
}

export interface Option {
  value: string;
  label: string;
}

/** Every current country, named and sorted in the interface language. */
export function useCountryOptions(): Option[] {
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    const collator = new Intl.Collator(lang);
    return Object.keys(ALPHA3_TO_ALPHA2)
      .map((code) => ({ value: code, label: countryName(code, lang) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [lang]);
}

/** The common languages, named in the interface language. */
export function useLanguageOptions(extra: readonly string[] = []): Option[] {
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? i18n.language;
  const key = extra.join(',');
  return useMemo(() => {
    const codes = [...new Set([...COMMON_LANGUAGES, ...(key ? key.split(',') : [])])];
    const collator = new Intl.Collator(lang);
    return codes.map((code) => ({ value: code, label: languageName(code, lang) })).sort((a, b) => collator.compare(a.label, b.label));
  }, [lang, key]);
}

/** The interface language, for formatting and names. */
export function useLang(): string {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage ?? i18n.language;
}
