import { variantData } from './data.ts';
import { normaliseTokens } from './pipeline.ts';

/**
 * Full normalisation of a name to folded Latin: NFKC, case fold, diacritics stripped, punctuation and spacing
 * unified (apostrophes join, hyphens separate), look-alike letters folded to the word's script, Arabic (with
 * Persian, Urdu and Pashto letters), Cyrillic (Ukrainian and Russian) and Ge'ez transliterated, Arabic
 * particles and compounds resolved (see particles.ts). Returns space-separated tokens of a–z; '' when the name
 * has no letters. Deterministic and idempotent.
 */
export function normaliseName(s: string): string {
  return normaliseTokens(s, variantData.context).join(' ');
}

/** The tokens of normaliseName (never empty strings). */
export function nameTokens(s: string): string[] {
  return normaliseTokens(s, variantData.context);
}
