/*
 * Arabic-script words (Arabic, Persian, Urdu, Pashto letters) → Latin, hand-written rather than taken from
 * any-ascii. A generic letter table drops what matching needs: it writes ع as "`" and ء as "'", reads و and ي
 * always as consonants (يوسف → "ywsf"), keeps the article glued to the name (الرحمن → "lrhmn") and cannot know
 * that محمد is "Muhammad". Here:
 *   - a word found in the lexicon (built from the reviewed variant data) gets that class's Latin spelling, so
 *     محمد → muhammad, يوسف → yusuf, أحمد → ahmad meet their Latin spellings on the canonical token;
 *   - the article ال is split off as "al" (the particle rules then drop it or join it into a compound), and
 *     the compounds عبد…, أبو…, …الدين, …الله written as one word are split;
 *   - otherwise letter by letter: و/ي read as w/y at the start of a word, before an alif or with a vowel sign,
 *     and as u/i elsewhere; ع as "a" except at the end; ة as "a" at the end; vowel signs (harakat) when written.
 */
import anyAscii from 'any-ascii';

/** Harakat and other Arabic combining signs, with what each adds to the Latin. */
const FATHA = 0x064e;
const DAMMA = 0x064f;
const KASRA = 0x0650;
const SHADDA = 0x0651;
const SUPERSCRIPT_ALEF = 0x0670;
const TATWEEL = 0x0640;

function isArabicMark(cp: number): boolean {
  return (cp >= 0x0610 && cp <= 0x061a) || (cp >= 0x064b && cp <= 0x065f) || cp === SUPERSCRIPT_ALEF || (cp >= 0x06d6 && cp <= 0x06ed) || (cp >= 0x08d3 && cp <= 0x08ff);
}

/** Folding for lexicon keys: hamza seats, alif forms, final yā'/alif maqṣūra, tā' marbūṭa/hā', Persian/Urdu forms. */
const KEY_FOLD: Readonly<Record<string, string>> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ی': 'ي', 'ې': 'ي', 'ئ': 'ي', 'ة': 'ه', 'ۃ': 'ه', 'ۀ': 'ه', 'ہ': 'ه',
  'ھ': 'ه', 'ە': 'ه', 'ک': 'ك', 'ګ': 'ك', 'ؤ': 'و',
};

/** Consonants with one fixed reading. */
const CONSONANTS: Readonly<Record<string, string>> = {
  'ب': 'b', 'ت': 't', 'ث': 'th', 'ج': 'j', 'ح': 'h', 'خ': 'kh', 'د': 'd', 'ذ': 'dh', 'ر': 'r', 'ز': 'z', 'س': 's',
  'ش': 'sh', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z', 'غ': 'gh', 'ف': 'f', 'ق': 'q', 'ك': 'k', 'ک': 'k', 'ل': 'l',
  'م': 'm', 'ن': 'n', 'ه': 'h', 'ہ': 'h', 'ھ': 'h', 'ۀ': 'h',
  // Persian and Urdu
  'پ': 'p', 'چ': 'ch', 'ژ': 'zh', 'گ': 'g', 'ٹ': 't', 'ڈ': 'd', 'ڑ': 'r', 'ں': 'n',
  // Pashto, Kurdish, Maghrebi, Uyghur
  'ټ': 't', 'ډ': 'd', 'ړ': 'r', 'ږ': 'zh', 'ښ': 'sh', 'ځ': 'dz', 'څ': 'ts', 'ڼ': 'n', 'ګ': 'g', 'ڤ': 'v', 'ڨ': 'g',
  'ۋ': 'v', 'ڵ': 'l', 'ڕ': 'r', 'ڭ': 'ng',
};

/** Letters that stand for a vowel (or nothing) on their own; a written vowel sign replaces the default. */
const VOWEL_LETTERS: Readonly<Record<string, string>> = {
  'ا': 'a', 'ٱ': 'a', 'آ': 'a', 'أ': 'a', 'إ': 'i', 'ء': '', 'ؤ': 'u', 'ئ': 'i', 'ى': 'a', 'ے': 'e', 'ۓ': 'e',
  'ې': 'e', 'ۍ': 'ay', 'ۆ': 'o', 'ۇ': 'u', 'ێ': 'e', 'ە': 'e',
};

const ALIFS = new Set(['ا', 'آ', 'ٱ', 'ى']);
const WAW = new Set(['و']);
const YA = new Set(['ي', 'ی']);
const TA_MARBUTA = new Set(['ة', 'ۃ']);

type Unit = { ch: string; marks: number[] };

function toUnits(word: string): Unit[] {
  const units: Unit[] = [];
  for (const ch of word) {
    const cp = ch.codePointAt(0)!;
    if (cp === TATWEEL) continue;
    if (isArabicMark(cp)) {
      const last = units[units.length - 1];
      if (last) last.marks.push(cp);
      continue;
    }
    units.push({ ch, marks: [] });
  }
  return units;
}

/** The lexicon key of an Arabic-script word: harakat and tatweel removed, letter forms folded. */
export function arabicKey(word: string): string {
  let out = '';
  for (const ch of word) {
    const cp = ch.codePointAt(0)!;
    if (cp === TATWEEL || isArabicMark(cp)) continue;
    out += KEY_FOLD[ch] ?? ch;
  }
  return out;
}

function keyOf(units: readonly Unit[]): string {
  let out = '';
  for (const u of units) out += KEY_FOLD[u.ch] ?? u.ch;
  return out;
}

/** Built-in words: the grammar of names, not name variants (those come from the reviewed data file). */
const GRAMMAR: ReadonlyMap<string, string> = new Map([
  ['عبد', 'abd'], ['ابو', 'abu'], ['بن', 'bin'], ['ابن', 'ibn'], ['بنت', 'bint'], ['الله', 'allah'], ['دين', 'din'],
  ['حق', 'haq'],
].map(([k, v]) => [arabicKey(k!), v!]));

const ABD = arabicKey('عبد');
const ABU = arabicKey('أبو');
const AL = 'ال';
const SUFFIXES: readonly (readonly [string, string])[] = [[arabicKey('الدين'), 'din'], [arabicKey('الله'), 'allah'], [arabicKey('الحق'), 'haq']];

function vowelOfMark(cp: number): string {
  if (cp === FATHA || cp === SUPERSCRIPT_ALEF) return 'a';
  if (cp === DAMMA) return 'u';
  if (cp === KASRA) return 'i';
  return '';
}

function hasVowelMark(u: Unit | undefined): boolean {
  return !!u && u.marks.some((m) => m === FATHA || m === DAMMA || m === KASRA || m === SHADDA);
}

/** Letter-by-letter reading of one word's units. */
function letterwise(units: readonly Unit[]): string {
  let out = '';
  const last = units.length - 1;
  for (let i = 0; i <= last; i++) {
    const u = units[i]!;
    const prev = units[i - 1];
    const next = units[i + 1];
    const marked = hasVowelMark(u);
    let base: string;
    let consonant = false;
    if (WAW.has(u.ch)) {
      consonant = i === 0 || marked || (!!next && ALIFS.has(next.ch)) || (!!prev && ALIFS.has(prev.ch));
      base = consonant ? 'w' : 'u';
    } else if (YA.has(u.ch)) {
      consonant = i === 0 || marked || (i !== last && ((!!next && (ALIFS.has(next.ch) || WAW.has(next.ch))) || (!!prev && ALIFS.has(prev.ch))));
      base = consonant ? 'y' : 'i';
    } else if (u.ch === 'ع') {
      base = marked ? '' : i === last ? '' : 'a';
    } else if (TA_MARBUTA.has(u.ch)) {
      base = i === last ? 'a' : 't';
    } else if (CONSONANTS[u.ch] !== undefined) {
      base = CONSONANTS[u.ch]!;
      consonant = true;
    } else if (VOWEL_LETTERS[u.ch] !== undefined) {
      const written = u.marks.map(vowelOfMark).join('');
      base = written && (u.ch === 'أ' || u.ch === 'إ' || u.ch === 'ء' || u.ch === 'ؤ' || u.ch === 'ئ') ? '' : VOWEL_LETTERS[u.ch]!;
    } else {
      base = anyAscii(u.ch).toLowerCase().replace(/[^a-z]/g, '');
    }
    out += base;
    for (const m of u.marks) {
      if (m === SHADDA) {
        if (consonant && base.length === 1) out += base;
      } else {
        out += vowelOfMark(m);
      }
    }
  }
  // Long vowels written after a vowel sign, and ع beside an alif, give doubled vowels: keep one.
  return out.replace(/([aeiou])\1+/g, '$1');
}

function translitUnits(units: readonly Unit[], lexicon: ReadonlyMap<string, string>, depth: number): string[] {
  if (units.length === 0) return [];
  const key = keyOf(units);
  const known = lexicon.get(key) ?? GRAMMAR.get(key);
  if (known !== undefined) return [known];
  if (depth < 3) {
    if (key.startsWith(ABD) && units.length >= ABD.length + 2) return ['abd', ...translitUnits(units.slice(ABD.length), lexicon, depth + 1)];
    if (key.startsWith(ABU) && units.length >= ABU.length + 2) return ['abu', ...translitUnits(units.slice(ABU.length), lexicon, depth + 1)];
    if (key.startsWith(AL) && units.length >= AL.length + 2) return ['al', ...translitUnits(units.slice(AL.length), lexicon, depth + 1)];
    for (const [suffix, latin] of SUFFIXES) {
      if (key.endsWith(suffix) && units.length >= suffix.length + 2) {
        const head = translitUnits(units.slice(0, units.length - suffix.length), lexicon, depth + 1);
        return latin === 'allah' ? [...head, 'allah'] : [...head, 'al', latin];
      }
    }
  }
  const latin = letterwise(units);
  return latin ? [latin] : [];
}

/**
 * Transliterates one Arabic-script word (no spaces) to Latin parts: usually one, more when an article or a
 * compound was split off (الرحمن → ['al', 'rahman'], عبدالله → ['abd', 'allah']). Parts are lower-case a–z.
 */
export function transliterateArabicWord(word: string, lexicon: ReadonlyMap<string, string>): string[] {
  return translitUnits(toUnits(word), lexicon, 0).filter((p) => p.length > 0);
}
