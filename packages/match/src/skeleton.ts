import { variantData } from './data.ts';
import { normaliseTokens } from './pipeline.ts';

const NORMALISED_TOKEN = /^[a-z]+$/;
/*
 * The standards file's consonant skeleton (kh→h, ph→f, ou→u; drop vowels and w/y after the first letter;
 * squeeze doubles), with more spelling pairs that transliterations of the same letter disagree on: q/k
 * (ق: Qasim/Kasim), gh/g (غ: Ghulam/Gulam), dj/j and dzh/j (French and Russian spellings of ج: Djamila,
 * Джамиля → Dzhamilia, Jamila). A word-initial vowel is
 * kept as a vowel but written "a", because the first vowel is what transliterations disagree on most (bare-alif
 * اسماعيل, Omar/Umar, Ibrahim/Ebrahim, Eyob/Iyob).
 */
const DIGRAPHS = /kh|ph|ou|gh|dzh|dj|q/g;
const DIGRAPH_MAP: Readonly<Record<string, string>> = { kh: 'h', ph: 'f', ou: 'u', gh: 'g', dzh: 'j', dj: 'j', q: 'k' };
const DROPPED = new Set(['a', 'e', 'i', 'o', 'u', 'w', 'y']);

function skeletonOfNormalised(token: string): string {
  const t = token.replace(DIGRAPHS, (m) => DIGRAPH_MAP[m]!);
  if (t.length === 0) return '';
  const first = t[0]!;
  let out = 'aeiou'.includes(first) ? 'a' : first;
  let last = out;
  for (let i = 1; i < t.length; i++) {
    const c = t[i]!;
    if (DROPPED.has(c) || c === last) continue;
    out += c;
    last = c;
  }
  return out;
}

/**
 * A consonant-skeleton key of a normalised token, so that spellings of one name across scripts meet: محمد,
 * Мухаммед and Muhammad → "mhmd"; يوسف and Youssef → "ysf". Anything that is not a normalised token is
 * normalised first and its tokens joined.
 */
export function skeleton(token: string): string {
  if (typeof token !== 'string') return '';
  if (NORMALISED_TOKEN.test(token)) return skeletonOfNormalised(token);
  return skeletonOfNormalised(normaliseTokens(token, variantData.context).join(''));
}
