/*
 * The normalisation pipeline, parameterised by the data it needs so that the variant data can be normalised
 * with it at load time (normalise.ts binds it to the loaded data):
 *   NFKC → words (apostrophes join, hyphens and everything else that is not a letter separate) →
 *   look-alike letters folded to the word's dominant script → lower case → per-script transliteration →
 *   particle and compound rules → lower-case ASCII tokens.
 */
import anyAscii from 'any-ascii';
import { transliterateArabicWord } from './arabic.ts';
import { cyrillicLanguage, cyrillicLetter, type CyrillicLanguage } from './cyrillic.ts';
import { ethiopicSyllable } from './ethiopic.ts';
import { applyParticles, type ParticleContext, type RawToken } from './particles.ts';
import { CYRILLIC_TO_LATIN, GREEK_TO_LATIN, LATIN_TO_CYRILLIC, charScript, isMark, type CharScript } from './script.ts';

export type PipelineContext = ParticleContext & {
  /** Arabic-script words (arabicKey form) → Latin spelling, from the variant data. */
  arabicLexicon: ReadonlyMap<string, string>;
};

/** Apostrophe-like characters: removed, so the letters either side join (O'Brien, Sa'id, Мар'яна, ʿAbd). */
const APOSTROPHES = new Set(["'", '’', '‘', 'ʼ', 'ʻ', 'ʹ', 'ʽ', 'ʾ', 'ʿ', '`', '´', '′', 'ˈ', 'ꞌ', '‛', 'ʹ', '\u02bc']);
/** Hyphen-like characters: separate tokens, remembered so "ar-Rahman" can be told from "Ar Rahman". */
const HYPHENS = new Set(['-', '‐', '‑', '‒', '–', '—', '―', '⁃', '−', '﹘', '﹣', '－', '\u058a', '\u05be', '\u1806', '\u2e3a', '\u2e3b']);
/** Format characters that sit inside words (soft hyphen, joiners, direction marks): dropped. */
function isInvisible(cp: number): boolean {
  return cp === 0x00ad || cp === 0x034f || cp === 0x180e || cp === 0x200b || cp === 0x200d || cp === 0x200e || cp === 0x200f || cp === 0xfeff ||
    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069);
}
const ASCII_WORD = /^[a-z]+$/;
const NON_AZ = /[^a-z]/g;

type Word = { text: string; sep: 'space' | 'hyphen' };

/** Splits NFKC text into words, each with the kind of separator before it. */
function words(s: string): Word[] {
  const out: Word[] = [];
  let cur = '';
  let sep: 'space' | 'hyphen' = 'space';
  let pending: 'space' | 'hyphen' | null = null;
  const flush = (): void => {
    if (cur) out.push({ text: cur, sep });
    cur = '';
  };
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (APOSTROPHES.has(ch)) continue;
    if (charScript(cp) !== null || (cur && isWordMark(cp))) {
      if (!cur) {
        sep = pending ?? 'space';
        pending = null;
      }
      cur += ch;
      continue;
    }
    if (cp > 0x7f && isInvisible(cp)) continue;
    // Everything else separates words; ZWNJ too, since it separates the parts of Persian compounds (عبد‌الله).
    const hyphen = HYPHENS.has(ch);
    if (cur) {
      flush();
      pending = hyphen ? 'hyphen' : 'space';
    } else if (pending !== null && hyphen) {
      pending = 'hyphen';
    }
  }
  flush();
  return out;
}

/** Combining marks (Arabic harakat, Ethiopic gemination, accents left uncomposed) and tatweel continue a word. */
function isWordMark(cp: number): boolean {
  return cp > 0x2ff && (cp === 0x0640 || isMark(cp));
}

/**
 * Folds look-alike letters when a word mixes Latin with Cyrillic or Greek. The word's script is the one that has
 * letters without a twin in the other ("Mаria": r has no Cyrillic twin → Latin; "Олеkсандр": л, д have no Latin
 * twin → Cyrillic); when both or neither do, the one with more letters.
 */
function foldLookAlikes(word: string): string {
  let latin = 0;
  let cyrillic = 0;
  let greek = 0;
  let latinOnly = 0;
  let cyrillicOnly = 0;
  for (const ch of word) {
    const sc = charScript(ch.codePointAt(0)!);
    if (sc === 'latin') {
      latin++;
      if (!LATIN_TO_CYRILLIC.has(ch)) latinOnly++;
    } else if (sc === 'cyrillic') {
      cyrillic++;
      if (!CYRILLIC_TO_LATIN.has(ch)) cyrillicOnly++;
    } else if (sc === 'greek') greek++;
  }
  const mixed = (latin > 0 ? 1 : 0) + (cyrillic > 0 ? 1 : 0) + (greek > 0 ? 1 : 0) > 1;
  if (!mixed) return word;
  const toCyrillic = latinOnly === 0 && cyrillicOnly > 0 ? true : cyrillicOnly === 0 && latinOnly > 0 ? false : cyrillic > latin + greek;
  let out = '';
  if (toCyrillic) {
    for (const ch of word) out += charScript(ch.codePointAt(0)!) === 'latin' ? LATIN_TO_CYRILLIC.get(ch) ?? ch : ch;
  } else {
    for (const ch of word) {
      const sc = charScript(ch.codePointAt(0)!);
      out += sc === 'cyrillic' ? CYRILLIC_TO_LATIN.get(ch) ?? ch : sc === 'greek' ? GREEK_TO_LATIN.get(ch) ?? ch : ch;
    }
  }
  return out;
}

function dominant(word: string): CharScript | null {
  let arabic = 0;
  let letters = 0;
  for (const ch of word) {
    const sc = charScript(ch.codePointAt(0)!);
    if (sc !== null) letters++;
    if (sc === 'arabic') arabic++;
  }
  return letters > 0 && arabic * 2 >= letters ? 'arabic' : null;
}

/** any-ascii readings of single characters, memoised (bounded: arbitrary input must not grow it without end). */
const fallbackCache = new Map<string, string>();

function fallback(ch: string): string {
  let v = fallbackCache.get(ch);
  if (v === undefined) {
    v = anyAscii(ch).toLowerCase().replace(NON_AZ, '');
    if (fallbackCache.size < 4096) fallbackCache.set(ch, v);
  }
  return v;
}

/** Transliterates one lower-case word that is not (mostly) Arabic, character by character. */
function transliterateWord(word: string, lang: () => CyrillicLanguage): string {
  let out = '';
  let initial = true;
  let prev = '';
  for (const ch of word) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x61 && cp <= 0x7a) {
      out += ch;
    } else {
      const sc = charScript(cp);
      if (sc === null) continue; // a combining mark: its base letter was read already
      let piece: string | null = null;
      if (sc === 'cyrillic') piece = cyrillicLetter(ch, lang(), initial, prev);
      else if (sc === 'ethiopic') piece = ethiopicSyllable(cp);
      out += piece ?? fallback(ch);
    }
    initial = false;
    prev = ch;
  }
  return out;
}

/** Normalises a name to folded Latin tokens with the given data. */
export function normaliseTokens(input: string, ctx: PipelineContext): string[] {
  if (typeof input !== 'string' || input.length === 0) return [];
  const s = input.normalize('NFKC');
  let language: CyrillicLanguage | null = null;
  const lang = (): CyrillicLanguage => (language ??= cyrillicLanguage(s));
  const raw: RawToken[] = [];
  for (const w of words(s)) {
    const lower = foldLookAlikes(w.text).toLowerCase();
    if (ASCII_WORD.test(lower)) {
      raw.push({ t: lower, sep: w.sep });
      continue;
    }
    if (dominant(lower) === 'arabic') {
      const parts = transliterateArabicWord(lower, ctx.arabicLexicon);
      parts.forEach((t, k) => raw.push({ t, sep: k === 0 ? w.sep : parts[k - 1] === 'al' ? 'hyphen' : 'space' }));
      continue;
    }
    const t = transliterateWord(lower, lang);
    if (t) raw.push({ t, sep: w.sep });
  }
  return applyParticles(raw, ctx);
}
