/*
 * Cyrillic → Latin, hand-written rather than taken from a generic transliterator: a generic table (any-ascii,
 * cyrillic-to-translit-js) has one reading per letter, but Ukrainian and Russian read "г", "и" and "й" differently
 * (Ukrainian г = h, и = y; Russian г = g, и = i), and what we must reproduce is the spelling in the person's
 * passport: Ukraine's official romanisation (Cabinet resolution 55 of 2010) and ICAO Doc 9303 for Russian.
 * One deliberate deviation from ICAO: a word-initial я/ю/є/ї is ya/yu/ye/yi in both languages (ICAO writes
 * "Iuliia", but most records say "Yulia"; the variant data carries both).
 */

/** Which table to read a Cyrillic name with. */
export type CyrillicLanguage = 'uk' | 'ru';

const UK_LETTERS = /[іїєґІЇЄҐ]/u;
const RU_LETTERS = /[ыэъёЫЭЪЁ]/u;
// Weaker cues: typical Ukrainian and Russian surname endings.
const UK_ENDINGS = /(?:енко|ук|юк|ський|цький|ишин)(?=$|[^\p{L}])/iu;
const RU_ENDINGS = /(?:ский|цкий|ов|ев|ова|ева|ович|евич|овна|евна)(?=$|[^\p{L}])/iu;

/**
 * Decides the language of all the Cyrillic in one input: letters only Ukrainian has (і ї є ґ, or the apostrophe
 * inside a word) or only Russian has (ы э ъ ё); then surname endings; otherwise Russian (ICAO), because a run of
 * Ukrainian text without і/ї/є is rare, while Russian text never has them.
 */
export function cyrillicLanguage(s: string): CyrillicLanguage {
  const uk = UK_LETTERS.test(s) || /[\p{Script=Cyrillic}]['ʼ’][\p{Script=Cyrillic}]/u.test(s);
  const ru = RU_LETTERS.test(s);
  if (uk !== ru) return uk ? 'uk' : 'ru';
  if (uk && ru) return 'ru';
  if (UK_ENDINGS.test(s)) return 'uk';
  if (RU_ENDINGS.test(s)) return 'ru';
  return 'ru';
}

const COMMON: Readonly<Record<string, string>> = {
  'а': 'a', 'б': 'b', 'в': 'v', 'ґ': 'g', 'д': 'd', 'е': 'e', 'ё': 'e', 'ж': 'zh', 'з': 'z', 'і': 'i', 'к': 'k',
  'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r', 'с': 's', 'т': 't', 'у': 'u', 'ф': 'f', 'х': 'kh',
  'ц': 'ts', 'ч': 'ch', 'ш': 'sh', 'щ': 'shch', 'ъ': 'ie', 'ы': 'y', 'ь': '', 'э': 'e',
  // Letters of other Cyrillic alphabets met in the field (Serbian, Macedonian, Belarusian, Kazakh, Tajik, Kyrgyz, Uzbek).
  'ђ': 'dj', 'ј': 'j', 'љ': 'lj', 'њ': 'nj', 'ћ': 'c', 'џ': 'dz', 'ѓ': 'g', 'ќ': 'k', 'ѕ': 'dz', 'ў': 'u',
  'ә': 'a', 'ғ': 'gh', 'қ': 'q', 'ң': 'ng', 'ө': 'o', 'ұ': 'u', 'ү': 'u', 'һ': 'h', 'ҳ': 'h', 'ҷ': 'j', 'ӣ': 'i', 'ӯ': 'u',
};

const UK: Readonly<Record<string, string>> = { ...COMMON, 'г': 'h', 'и': 'y' };
const RU: Readonly<Record<string, string>> = { ...COMMON, 'г': 'g', 'и': 'i' };

/** Letters whose reading depends on standing first in the word: [initial, elsewhere]. */
const POSITIONAL_UK: Readonly<Record<string, readonly [string, string]>> = {
  'є': ['ye', 'ie'], 'ї': ['yi', 'i'], 'й': ['y', 'i'], 'ю': ['yu', 'iu'], 'я': ['ya', 'ia'],
};
const POSITIONAL_RU: Readonly<Record<string, readonly [string, string]>> = {
  'є': ['ye', 'ie'], 'ї': ['yi', 'i'], 'й': ['i', 'i'], 'ю': ['yu', 'iu'], 'я': ['ya', 'ia'],
};

/**
 * Transliterates one lower-case Cyrillic letter; `initial` says whether it starts the word and `prev` is the
 * previous letter (for Ukrainian "зг" = zgh). Returns null for a letter the tables do not know.
 */
export function cyrillicLetter(ch: string, lang: CyrillicLanguage, initial: boolean, prev: string): string | null {
  const positional = (lang === 'uk' ? POSITIONAL_UK : POSITIONAL_RU)[ch];
  if (positional) return initial ? positional[0] : positional[1];
  if (lang === 'uk' && ch === 'г' && prev === 'з') return 'gh';
  return (lang === 'uk' ? UK : RU)[ch] ?? null;
}
