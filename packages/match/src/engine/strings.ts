/**
 * String similarity building blocks, written for the short a–z tokens that normalisation produces.
 * Pure and allocation-light: they run tens of millions of times in a batch deduplication.
 */

const MAX_PREFIX = 4;
const PREFIX_SCALE = 0.1;
/** Longer strings are compared on their first characters only, which bounds the cost of pathological input. */
const MAX_LENGTH = 64;

let flagsA = new Uint8Array(MAX_LENGTH);
let flagsB = new Uint8Array(MAX_LENGTH);

/** Jaro similarity in [0, 1]. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = Math.min(a.length, MAX_LENGTH);
  const lb = Math.min(b.length, MAX_LENGTH);
  if (la === 0 || lb === 0) return 0;
  if (flagsA.length < la) flagsA = new Uint8Array(la);
  if (flagsB.length < lb) flagsB = new Uint8Array(lb);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters of common prefix). */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j === 0 || j === 1) return j;
  let prefix = 0;
  const n = Math.min(MAX_PREFIX, a.length, b.length);
  while (prefix < n && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * PREFIX_SCALE * (1 - j);
}

/**
 * True when a and b differ by at most one edit: one substitution, insertion or deletion, or one swap of two
 * adjacent characters (a common typing and OCR error).
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (la - lb > 1 || lb - la > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  let ea = la - 1;
  let eb = lb - 1;
  while (ea >= i && eb >= i && a.charCodeAt(ea) === b.charCodeAt(eb)) {
    ea--;
    eb--;
  }
  // a[i..ea] and b[i..eb] is what differs.
  const da = ea - i + 1;
  const db = eb - i + 1;
  if (da <= 1 && db <= 1) return true; // one substitution, insertion or deletion
  return da === 2 && db === 2 && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i); // adjacent swap
}

const SOUNDEX_CLASS: Readonly<Record<string, number>> = (() => {
  const groups = ['aeiouyhw', 'bfpv', 'cgjkqsxz', 'dt', 'l', 'mn', 'r'];
  const out: Record<string, number> = {};
  groups.forEach((g, n) => {
    for (const c of g) out[c] = n;
  });
  return out;
})();

/** The Soundex class of a letter (0 for vowels and h/w/y, 1–6 for consonant groups, -1 for anything else). */
export function soundexClass(letter: string): number {
  return SOUNDEX_CLASS[letter.toLowerCase()] ?? -1;
}

/** mulberry32 (public domain): a small, fast seeded PRNG. Deterministic; not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
