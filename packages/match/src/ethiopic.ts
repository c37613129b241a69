/*
 * Ge'ez (Ethiopic) → Latin for Tigrinya and Amharic names, hand-written: each syllable is a consonant row and a
 * vowel order, and names are spelt in popular, not scholarly, romanisation ("Tsegay", "Kidane", "Haile"). Generic
 * tools write ejectives with apostrophes ("ts'e", "k'e") and read first-order laryngeals as "he" where every
 * Eritrean and Ethiopian record writes "Ha" (ሀብቶም Habtom, ሐጎስ Hagos, አበበ Abebe).
 */

/** Vowel of each order in a plain row: 1st ä→e, 2nd u, 3rd i, 4th a, 5th e, 6th none, 7th o, 8th labialised wa. */
const ORDER_VOWELS = ['e', 'u', 'i', 'a', 'e', '', 'o', 'wa'] as const;
/** Labialised rows (ቈ ኈ ኰ ዀ ጐ) carry w plus a vowel, and only orders 1, 3, 4, 5, 6. */
const LABIAL_VOWELS = ['we', '', 'wi', 'wa', 'we', 'w', '', ''] as const;

type Row = { c: string; kind?: 'laryngeal' | 'vowel' | 'labial' };

/** Consonant of each 8-syllable row from U+1200, in popular romanisation. */
const ROWS: readonly Row[] = [
  { c: 'h', kind: 'laryngeal' }, // 1200 ሀ
  { c: 'l' }, // 1208 ለ
  { c: 'h', kind: 'laryngeal' }, // 1210 ሐ
  { c: 'm' }, // 1218 መ
  { c: 's' }, // 1220 ሠ
  { c: 'r' }, // 1228 ረ
  { c: 's' }, // 1230 ሰ
  { c: 'sh' }, // 1238 ሸ
  { c: 'k' }, // 1240 ቀ (q; popular spellings write k: ቅድስት Kidist, መቅደስ Mekdes)
  { c: 'k', kind: 'labial' }, // 1248 ቈ
  { c: 'k' }, // 1250 ቐ (Tigrinya)
  { c: 'k', kind: 'labial' }, // 1258 ቘ
  { c: 'b' }, // 1260 በ
  { c: 'v' }, // 1268 ቨ
  { c: 't' }, // 1270 ተ
  { c: 'ch' }, // 1278 ቸ
  { c: 'h', kind: 'laryngeal' }, // 1280 ኀ
  { c: 'h', kind: 'labial' }, // 1288 ኈ
  { c: 'n' }, // 1290 ነ
  { c: 'ny' }, // 1298 ኘ
  { c: '', kind: 'vowel' }, // 12A0 አ
  { c: 'k' }, // 12A8 ከ
  { c: 'k', kind: 'labial' }, // 12B0 ኰ
  { c: 'kh' }, // 12B8 ኸ (Tigrinya)
  { c: 'kh', kind: 'labial' }, // 12C0 ዀ
  { c: 'w' }, // 12C8 ወ
  { c: '', kind: 'vowel' }, // 12D0 ዐ
  { c: 'z' }, // 12D8 ዘ
  { c: 'zh' }, // 12E0 ዠ
  { c: 'y' }, // 12E8 የ
  { c: 'd' }, // 12F0 ደ
  { c: 'd' }, // 12F8 ዸ
  { c: 'j' }, // 1300 ጀ
  { c: 'g' }, // 1308 ገ
  { c: 'g', kind: 'labial' }, // 1310 ጐ
  { c: 'ng' }, // 1318 ጘ
  { c: 't' }, // 1320 ጠ (ejective t')
  { c: 'ch' }, // 1328 ጨ (ejective ch')
  { c: 'p' }, // 1330 ጰ (ejective p')
  { c: 'ts' }, // 1338 ጸ (ejective ts')
  { c: 'ts' }, // 1340 ፀ
  { c: 'f' }, // 1348 ፈ
  { c: 'p' }, // 1350 ፐ
];

/** U+1358–U+135A: ፘ rya, ፙ mya, ፚ fya. */
const EXTRA: Readonly<Record<number, string>> = { 0x1358: 'rya', 0x1359: 'mya', 0x135a: 'fya' };

/** Transliterates one Ethiopic syllable; null when it is outside the tables (the caller falls back to any-ascii). */
export function ethiopicSyllable(cp: number): string | null {
  if (cp >= 0x1200 && cp < 0x1358) {
    const row = ROWS[(cp - 0x1200) >> 3];
    if (!row) return null;
    const order = (cp - 0x1200) & 7;
    if (row.kind === 'labial') return row.c + LABIAL_VOWELS[order]!;
    if (row.kind === 'vowel') {
      // አ/ዐ carry only the vowel; first order is "a" (አበበ Abebe), sixth "e" (እዮብ Eyob).
      if (order === 0 || order === 3) return 'a';
      if (order === 5) return 'e';
      return ORDER_VOWELS[order]!;
    }
    // Laryngeals in the first order sound as "a": ሀብቶም Habtom, ሐጎስ Hagos, ኀይሉ Hailu.
    if (row.kind === 'laryngeal' && order === 0) return row.c + 'a';
    return row.c + ORDER_VOWELS[order]!;
  }
  return EXTRA[cp] ?? null;
}
