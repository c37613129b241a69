/**
 * Internationalisation: i18next with all four languages bundled (they are small),
 * so the first paint is always translated and works offline from the cache.
 *
 * The user's explicit choice lives in localStorage under `passage.lang`; without
 * one we fall back to the browser language, and after login to the account locale.
 * Arabic switches the whole document to right-to-left.
 */
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fr from './fr.json';
import es from './es.json';
import ar from './ar.json';

export const LANGUAGES = ['en', 'fr', 'es', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANG_STORAGE_KEY = 'passage.lang';
const RTL_LANGUAGES: readonly string[] = ['ar'];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** "fr-CA" → "fr"; unknown → null. */
export function toLanguage(value: string | null | undefined): Language | null {
  const base = value?.toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : null;
}

export function currentLanguage(): Language {
  return toLanguage(i18n.resolvedLanguage ?? i18n.language) ?? 'en';
}

export function isRtl(lng: string): boolean {
  return RTL_LANGUAGES.includes(toLanguage(lng) ?? 'en');
}

function applyToDocument(lng: string): void {
  const language = toLanguage(lng) ?? 'en';
  const root = document.documentElement;
  root.lang = language;
  root.dir = isRtl(language) ? 'rtl' : 'ltr';
}

function readStoredLanguage(): Language | null {
  try {
    return toLanguage(localStorage.getItem(LANG_STORAGE_KEY));
  } catch {
    return null;
  }
}

/** True when the user picked a language on this device (it then wins over the account locale). */
export function hasStoredLanguage(): boolean {
  return readStoredLanguage() !== null;
}

/** Switches language and remembers the choice on this device. */
export async function chooseLanguage(lng: Language): Promise<void> {
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lng);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  await i18n.changeLanguage(lng);
}

/** Switches language without remembering it (e.g. applying the account's saved locale). */
export async function applyLanguage(lng: Language): Promise<void> {
  if (currentLanguage() !== lng) await i18n.changeLanguage(lng);
}

i18n.on('languageChanged', applyToDocument);

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: {
      en: { translation: en },
      fr: { translation: fr },
      es: { translation: es },
      ar: { translation: ar },
    },
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    initAsync: false,
    detection: {
      order: ['localStorage', 'navigator', 'htmlTag'],
      lookupLocalStorage: LANG_STORAGE_KEY,
      caches: [],
    },
    interpolation: { escapeValue: false },
    returnNull: false,
  });

applyToDocument(currentLanguage());

export default i18n;
