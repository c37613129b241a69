/** The scripts the matcher transliterates with its own tables; everything else is 'other'. */
export type Script = 'latin' | 'arabic' | 'cyrillic' | 'ethiopic' | 'other';

/** The script of one code point, or null when it is not a letter of any script (digits, punctuation, marks). */
export type CharScript = Script | 'greek';

const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;

/** Classifies one code point by range; the common scripts avoid a Unicode-property regex per character. */
export function charScript(cp: number): CharScript | null {
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) ? 'latin' : null;
  if (cp <= 0x024f) return cp >= 0x00c0 && cp !== 0xd7 && cp !== 0xf7 ? 'latin' : cp === 0xaa || cp === 0xba ? 'latin' : cp === 0xb5 ? 'greek' : null;
  if (cp >= 0x0400 && cp <= 0x052f) return cp >= 0x0482 && cp <= 0x0489 ? null : 'cyrillic';
  if (cp >= 0x0600 && cp <= 0x06ff) return isArabicLetter(cp) ? 'arabic' : null;
  if (cp >= 0x1200 && cp <= 0x139f) return cp <= 0x135a || (cp >= 0x1380 && cp <= 0x138f) ? 'ethiopic' : null;
  if (cp >= 0x0370 && cp <= 0x03ff) return isLetter(cp) ? 'greek' : null;
  if ((cp >= 0x0750 && cp <= 0x077f) || (cp >= 0x08a0 && cp <= 0x08ff) || (cp >= 0xfb50 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfeff)) {
    return isLetter(cp) ? 'arabic' : null;
  }
  if ((cp >= 0x2d80 && cp <= 0x2ddf) || (cp >= 0xab00 && cp <= 0xab2f) || (cp >= 0x1e7e0 && cp <= 0x1e7ff)) return isLetter(cp) ? 'ethiopic' : null;
  if ((cp >= 0x1e00 && cp <= 0x1eff) || (cp >= 0x2c60 && cp <= 0x2c7f) || (cp >= 0xa720 && cp <= 0xa7ff) || (cp >= 0xab30 && cp <= 0xab6f) || (cp >= 0x0250 && cp <= 0x02af)) {
    return isLetter(cp) ? 'latin' : null;
  }
  if ((cp >= 0x1c80 && cp <= 0x1c8f) || (cp >= 0xa640 && cp <= 0xa69f)) return isLetter(cp) ? 'cyrillic' : null;
  return isLetter(cp) ? 'other' : null;
}

/** Arabic block letters, excluding harakat, digits and punctuation. Tatweel (U+0640) is not a letter here. */
function isArabicLetter(cp: number): boolean {
  return (cp >= 0x0620 && cp <= 0x063f) || (cp >= 0x0641 && cp <= 0x064a) || (cp >= 0x066e && cp <= 0x066f) || (cp >= 0x0671 && cp <= 0x06d3) || cp === 0x06d5 || (cp >= 0x06ee && cp <= 0x06ef) || (cp >= 0x06fa && cp <= 0x06fc) || cp === 0x06ff;
}

function isLetter(cp: number): boolean {
  return LETTER.test(String.fromCodePoint(cp));
}

export function isMark(cp: number): boolean {
  return MARK.test(String.fromCodePoint(cp));
}

/**
 * Detects the dominant script of a string: the script with the most letters (ties go to the earlier of latin,
 * arabic, cyrillic, ethiopic). Greek and every other script count as 'other'; a string without letters is 'other'.
 */
export function detectScript(s: string): Script {
  if (typeof s !== 'string' || s.length === 0) return 'other';
  let latin = 0;
  let arabic = 0;
  let cyrillic = 0;
  let ethiopic = 0;
  let other = 0;
  for (const ch of s.normalize('NFKC')) {
    switch (charScript(ch.codePointAt(0)!)) {
      case 'latin': latin++; break;
      case 'arabic': arabic++; break;
      case 'cyrillic': cyrillic++; break;
      case 'ethiopic': ethiopic++; break;
      case 'greek':
      case 'other': other++; break;
      case null: break;
    }
  }
  const best = Math.max(latin, arabic, cyrillic, ethiopic, other);
  if (best === 0) return 'other';
  if (latin === best) return 'latin';
  if (arabic === best) return 'arabic';
  if (cyrillic === best) return 'cyrillic';
  if (ethiopic === best) return 'ethiopic';
  return 'other';
}

/*
 * Look-alike letters. A Cyrillic "а" typed inside a Latin word (keyboard switching, copy-paste, or deliberate
 * evasion) must read as Latin "a", and a Latin "p" inside a Cyrillic word as Cyrillic "р" (= r). The maps are
 * case-sensitive because upper-case look-alikes differ from lower-case ones (Cyrillic "В" looks like "B", "в" does not).
 */
export const CYRILLIC_TO_LATIN: ReadonlyMap<string, string> = new Map(Object.entries({
  'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X', 'У': 'Y',
  'І': 'I', 'Ј': 'J', 'Ѕ': 'S', 'Ԛ': 'Q', 'Ԝ': 'W', 'Һ': 'H',
  'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'һ': 'h',
  'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'к': 'k',
}));

export const LATIN_TO_CYRILLIC: ReadonlyMap<string, string> = new Map(Object.entries({
  'A': 'А', 'B': 'В', 'E': 'Е', 'K': 'К', 'M': 'М', 'H': 'Н', 'O': 'О', 'P': 'Р', 'C': 'С', 'T': 'Т', 'X': 'Х', 'Y': 'У',
  'I': 'І', 'J': 'Ј', 'S': 'Ѕ',
  'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'y': 'у', 'x': 'х', 'i': 'і', 'j': 'ј', 'k': 'к',
}));

export const GREEK_TO_LATIN: ReadonlyMap<string, string> = new Map(Object.entries({
  'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T',
  'Υ': 'Y', 'Χ': 'X', 'ο': 'o', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ρ': 'p', 'υ': 'u', 'α': 'a',
}));
