/**
 * A synthetic generator of registrations, for tests and the benchmark: people and their duplicate records the
 * way registrations really look, with a known truth (the entity of each record).
 *
 * EVERYONE HERE IS FICTITIOUS: names are drawn at random from lists of common names (the demo seed's lists) and
 * combined at random; dates, documents and phone numbers are random.
 *
 * What varies between two records of one person: the Latin spelling of each name (transliteration variants),
 * typing errors, given and family names swapped, a missing middle name, a second surname or given name dropped,
 * name chains moving between the middle and family fields (Somali), a name written only in its original script
 * (Arabic, Cyrillic, Ge'ez), "01-01" placeholder dates, day and month swapped, year ±1, a mistyped digit,
 * missing values, OCR errors and formatting in document numbers, other phone formats.
 * Hard non-matches: siblings (same family and father's name, close birth years), twins (same date of birth),
 * and very common names (name lists are drawn with a strong skew toward their first names).
 * Name frequencies: a head of very common names (the lists, drawn with a strong skew) and a long tail of rarer
 * names built from syllables (Latin only), as in real registers.
 * Pure and deterministic: the same options give the same records.
 */
import { type MatchRecord } from './record.ts';
import {
  DemoRandom,
  type DemoName as Name,
  nameList,
  ARABIC_MALE,
  UKRAINIAN_MALE as UKRAINIAN_MALE_FULL,
  UKRAINIAN_SURNAMES as UKRAINIAN_SURNAMES_GENDERED,
  ARABIC_FEMALE,
  ARABIC_FAMILY,
  UKRAINIAN_FEMALE,
  SOMALI_MALE,
  SOMALI_FEMALE,
  TIGRINYA_MALE,
  TIGRINYA_FEMALE,
  SPANISH_MALE,
  SPANISH_FEMALE,
  SPANISH_SURNAMES,
  ROHINGYA_MALE,
  ROHINGYA_FEMALE,
} from '../demo-names.ts';


type Pattern = 'arabic' | 'ukrainian' | 'somali' | 'tigrinya' | 'spanish' | 'rohingya';
// The generator writes masculine surname forms and no patronymics.
const UKRAINIAN_MALE: readonly Name[] = UKRAINIAN_MALE_FULL.map(({ o, l }) => ({ o, l }));
const UKRAINIAN_SURNAMES: readonly Name[] = UKRAINIAN_SURNAMES_GENDERED.map((g) => g.m);

const PATTERNS: readonly (readonly [Pattern, number])[] = [
  ['arabic', 32],
  ['ukrainian', 16],
  ['somali', 12],
  ['tigrinya', 10],
  ['spanish', 18],
  ['rohingya', 12],
];
const MALE: Record<Pattern, readonly Name[]> = { arabic: ARABIC_MALE, ukrainian: UKRAINIAN_MALE, somali: SOMALI_MALE, tigrinya: TIGRINYA_MALE, spanish: SPANISH_MALE, rohingya: ROHINGYA_MALE };
const FEMALE: Record<Pattern, readonly Name[]> = { arabic: ARABIC_FEMALE, ukrainian: UKRAINIAN_FEMALE, somali: SOMALI_FEMALE, tigrinya: TIGRINYA_FEMALE, spanish: SPANISH_FEMALE, rohingya: ROHINGYA_FEMALE };
const NATIONALITY: Record<Pattern, readonly string[]> = { arabic: ['SYR', 'SYR', 'IRQ', 'SDN'], ukrainian: ['UKR'], somali: ['SOM'], tigrinya: ['ERI'], spanish: ['VEN', 'VEN', 'COL'], rohingya: ['MMR', 'MMR', ''] };
const PHONE_PREFIX: Record<Pattern, string> = { arabic: '+963', ukrainian: '+380', somali: '+252', tigrinya: '+291', spanish: '+58', rohingya: '+880' };

class Rng extends DemoRandom {
  /** Favouring the first items strongly: common names are very common. */
  skewed<T>(items: readonly T[], power = 2): T {
    return items[this.skewedIndex(items.length, power)]!;
  }
}

/** A person: the truth behind their records. */
interface Person {
  entity: string;
  pattern: Pattern;
  sex: 'M' | 'F';
  given: Name[];
  /** Father's name, and for name chains the grandfather's. */
  middle: Name[];
  family: Name[];
  /** Spelling each person usually uses for each of their names (index into l). */
  usual: Map<Name, number>;
  year: number;
  month: number;
  day: number;
  /** Only the birth year is known: records carry YYYY-01-01. */
  yearOnly: boolean;
  nationality: string;
  document: string | null;
  phone: string | null;
}

export interface SyntheticOptions {
  /** Records to generate (about; the last household may add a few). */
  records: number;
  seed?: number;
  /** Share of people registered more than once (default 0.35). */
  duplicateShare?: number;
}

export interface SyntheticData {
  records: MatchRecord[];
  /** The true person of each record. */
  entity: string[];
  people: number;
}

/*
 * Family names: a few very common ones (the lists, drawn with a skew), and many others, as in real registers:
 * Arabic "al-" + a given name (al-Hassan, al-Omar), Ukrainian roots with their suffixes (Koval-enko, Koval-chuk),
 * Spanish two surnames.
 */
const UKRAINIAN_ROOTS = nameList(`
Мороз|Moroz
Білоус|Bilous/Belous
Гриценк|Hrytsenk/Gritsenk
Ковальч|Kovalch
Литвин|Lytvyn/Litvin
Захарч|Zakharch
Кравц|Kravts
Пономар|Ponomar
Сидор|Sydor/Sidor
Гуменн|Humenn/Gumenn
Степан|Stepan
Романч|Romanch
Остап|Ostap
Гнат|Hnat/Gnat
Дяч|Diach/Dyach
Мазур|Mazur
Ярем|Yarem/Iarem
Павлюч|Pavliuch/Pavlyuch
Назар|Nazar
Лук|Luk
`);
const UKRAINIAN_SUFFIXES: readonly (readonly [string, string])[] = [
  ['енко', 'enko'],
  ['ук', 'uk'],
  ['ишин', 'yshyn'],
  ['ак', 'ak'],
];

/*
 * The long tail: real registers have a few very common names and thousands of rare ones. Names drawn from the
 * lists alone would make every name common, so a share of names is built from syllables in the style of the
 * pattern (Latin only, with the spelling variants transliterations produce: ou/u, ee/i, aa/a, kh/h, doubled
 * consonants).
 */
const SYLLABLES: Record<Pattern, { c: readonly string[]; v: readonly string[]; tail: number }> = {
  arabic: { c: ['b', 'd', 'f', 'h', 'j', 'k', 'kh', 'l', 'm', 'n', 'q', 'r', 's', 'sh', 't', 'w', 'y', 'z', 'gh', 'dh'], v: ['a', 'i', 'u', 'aa', 'ee', 'ou'], tail: 0.35 },
  ukrainian: { c: ['b', 'd', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'ch', 'sh', 'kh'], v: ['a', 'e', 'i', 'o', 'y', 'u'], tail: 0.15 },
  somali: { c: ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'q', 'r', 's', 'sh', 'w', 'x', 'y'], v: ['a', 'i', 'u', 'aa', 'ii', 'uu', 'e', 'o'], tail: 0.35 },
  tigrinya: { c: ['b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'r', 's', 't', 'ts', 'w', 'y', 'z'], v: ['a', 'e', 'i', 'o', 'u'], tail: 0.35 },
  spanish: { c: ['b', 'c', 'd', 'f', 'g', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'y', 'z', 'ch', 'll'], v: ['a', 'e', 'i', 'o', 'u'], tail: 0.25 },
  rohingya: { c: ['b', 'd', 'h', 'j', 'k', 'l', 'm', 'n', 'r', 's', 'sh', 't', 'z', 'f', 'y'], v: ['a', 'i', 'u', 'o', 'oo', 'ee'], tail: 0.35 },
};

function tailName(rng: Rng, pattern: Pattern, female: boolean): Name {
  const { c, v } = SYLLABLES[pattern];
  let s = '';
  const n = 2 + rng.int(2);
  for (let k = 0; k < n; k++) s += rng.pick(c) + rng.pick(v);
  if (!female && rng.chance(0.6)) s += rng.pick(c);
  const base = s[0]!.toUpperCase() + s.slice(1);
  const variant = base.replace(/ou/g, 'u').replace(/ee/g, 'i').replace(/aa/g, 'a').replace(/kh/g, 'h').replace(/([bdlmnrst])([aeiou])/, '$1$1$2');
  return { o: null, l: variant !== base ? [base, variant] : [base] };
}

/** A given name: from the list (common names) or, for a share of people, from the long tail. */
function givenName(rng: Rng, pattern: Pattern, female: boolean): Name {
  return rng.chance(SYLLABLES[pattern].tail) ? tailName(rng, pattern, female) : rng.skewed(female ? FEMALE[pattern] : MALE[pattern]);
}

function familyName(rng: Rng, pattern: Pattern): Name[] {
  switch (pattern) {
    case 'arabic': {
      if (rng.chance(0.45)) return [rng.skewed(ARABIC_FAMILY, 1.6)];
      const g = givenName(rng, 'arabic', false);
      return [{ o: g.o === null ? null : `ال${g.o.replace(/^[اأإآ]/, 'ا')}`, l: g.l.flatMap((x) => [`al-${x}`, `Al ${x}`]) }];
    }
    case 'ukrainian': {
      if (rng.chance(0.4)) return [rng.skewed(UKRAINIAN_SURNAMES, 1.6)];
      const root = rng.pick(UKRAINIAN_ROOTS);
      const [so, sl] = rng.pick(UKRAINIAN_SUFFIXES);
      return [{ o: `${root.o}${so}`, l: root.l.map((x) => `${x}${sl}`) }];
    }
    case 'spanish': {
      const one = () => (rng.chance(0.35) ? tailName(rng, 'spanish', false) : rng.skewed(SPANISH_SURNAMES, 1.6));
      return [one(), one()];
    }
    case 'somali':
    case 'tigrinya':
    case 'rohingya':
      return [];
  }
}

const OCR: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B', O: '0', I: '1', S: '5', B: '8' };
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function typo(rng: Rng, s: string): string {
  if (s.length < 3) return s;
  const k = 1 + rng.int(s.length - 1);
  switch (rng.int(4)) {
    case 0:
      return s.slice(0, k) + s.slice(k + 1); // deletion
    case 1:
      return s.slice(0, k) + LETTERS[rng.int(26)] + s.slice(k); // insertion
    case 2:
      return s.slice(0, k) + LETTERS[rng.int(26)] + s.slice(k + 1); // substitution
    default:
      return k + 1 < s.length ? s.slice(0, k) + s[k + 1] + s[k] + s.slice(k + 2) : s; // transposition
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function generateSynthetic(options: SyntheticOptions): SyntheticData {
  const rng = new Rng(options.seed ?? 42);
  const dupShare = options.duplicateShare ?? 0.35;
  const records: MatchRecord[] = [];
  const entity: string[] = [];
  let people = 0;
  let docSerial = 0;

  const newPerson = (pattern: Pattern, sex: 'M' | 'F', household: { family: Name[]; father: Name; grandfather: Name; used: Set<string> }, year: number, twinOf: Person | null): Person => {
    // Siblings get different given names.
    let first = givenName(rng, pattern, sex === 'F');
    for (let tries = 0; household.used.has(first.l[0]!) && tries < 20; tries++) first = givenName(rng, pattern, sex === 'F');
    household.used.add(first.l[0]!);
    const given: Name[] = pattern === 'spanish' && rng.chance(0.35) ? [first, givenName(rng, pattern, sex === 'F')] : [first];
    let middle: Name[] = [];
    let family: Name[] = household.family;
    if (pattern === 'arabic' || pattern === 'ukrainian' || pattern === 'tigrinya') middle = [household.father];
    if (pattern === 'somali') {
      middle = [household.father, household.grandfather];
      family = [];
    }
    if (pattern === 'rohingya') {
      middle = [];
      family = rng.chance(0.5) ? [] : [household.father];
    }
    const month = twinOf ? twinOf.month : 1 + rng.int(12);
    const day = twinOf ? twinOf.day : 1 + rng.int(daysIn(year, month));
    const p: Person = {
      entity: `P${String(people++).padStart(7, '0')}`,
      pattern,
      sex,
      given,
      middle,
      family,
      usual: new Map(),
      year,
      month,
      day,
      yearOnly: twinOf ? twinOf.yearOnly : rng.chance(0.15),
      nationality: rng.pick(NATIONALITY[pattern]),
      document: rng.chance(0.7) ? `${rng.chance(0.5) ? 'N' : String.fromCharCode(65 + rng.int(26))}${String(1_000_000 + ((docSerial++ * 7_919_993 + rng.int(1000)) % 9_000_000))}${rng.digits(1)}` : null,
      phone: rng.chance(0.6) ? `9${rng.digits(8)}` : null,
    };
    for (const n of [...given, ...middle, ...family]) p.usual.set(n, rng.chance(0.7) ? 0 : rng.int(n.l.length));
    return p;
  };

  const spell = (p: Person, n: Name): string => {
    const i = rng.chance(0.6) ? p.usual.get(n)! : rng.int(n.l.length);
    return n.l[i] ?? n.l[0]!;
  };

  const record = (p: Person, k: number) => {
    const first = k === 0;
    const noise = first ? 0.5 : 1; // the first registration is a little cleaner
    let given = p.given.map((n) => spell(p, n));
    let middle = p.middle.map((n) => spell(p, n));
    let family = p.family.map((n) => spell(p, n));
    if (given.length > 1 && rng.chance(0.3 * noise)) given = given.slice(0, 1);
    if (family.length > 1 && rng.chance(0.3 * noise)) family = family.slice(0, 1);
    if (middle.length > 0 && rng.chance(0.3 * noise)) middle = p.pattern === 'somali' && rng.chance(0.5) ? middle.slice(0, 1) : [];
    if (p.pattern === 'somali' && middle.length === 2 && rng.chance(0.4)) {
      family = [middle[1]!];
      middle = [middle[0]!];
    }
    const withTypo = (parts: string[]) => parts.map((s) => (rng.chance(0.07 * noise) ? typo(rng, s) : s));
    given = withTypo(given);
    middle = withTypo(middle);
    family = withTypo(family);
    if (family.length > 0 && rng.chance(0.04 * noise)) [given, family] = [family, given];
    const all = [...p.given, ...p.middle, ...p.family];
    const original = all.every((n) => n.o !== null) ? all.map((n) => n.o).join(' ') : null;
    const onlyOriginal = original !== null && rng.chance(0.04 * noise);
    const upper = rng.chance(0.2);
    const fmt = (parts: string[]) => (parts.length === 0 ? '' : upper ? parts.join(' ').toUpperCase() : parts.join(' '));

    let dob: string | null;
    let y = p.year;
    let m = p.month;
    let d = p.day;
    if (!p.yearOnly && rng.chance(0.05 * noise)) {
      m = 1;
      d = 1; // a placeholder for a known date
    } else if (p.yearOnly) {
      m = 1;
      d = 1;
    }
    if (rng.chance(0.06 * noise)) y += rng.chance(0.5) ? 1 : -1;
    if (!(m === 1 && d === 1)) {
      if (d <= 12 && d !== m && rng.chance(0.05 * noise)) [m, d] = [d, m];
      else if (rng.chance(0.03 * noise)) d = Math.min(daysIn(y, m), Math.max(1, d + (rng.chance(0.5) ? 1 : -1) * (1 + rng.int(2)) * (rng.chance(0.5) ? 1 : 10)));
    }
    dob = `${y}-${pad(m)}-${pad(d)}`;
    if (rng.chance(0.04 * noise)) dob = null;

    let document: string | null = p.document;
    if (document !== null) {
      if (rng.chance(0.35)) document = null;
      else {
        if (rng.chance(0.08 * noise)) {
          const idx = [...document].map((c, x) => (OCR[c] ? x : -1)).filter((x) => x >= 0);
          if (idx.length > 0) {
            const x = rng.pick(idx);
            document = document.slice(0, x) + OCR[document[x]!] + document.slice(x + 1);
          }
        }
        if (rng.chance(0.03 * noise)) {
          const x = 1 + rng.int(document.length - 1);
          document = document.slice(0, x) + rng.digits(1) + document.slice(x + 1);
        }
        if (rng.chance(0.15)) document = `${document.slice(0, 3)} ${document.slice(3)}`;
        else if (rng.chance(0.1)) document = document.toLowerCase();
      }
    }
    let phone: string | null = p.phone;
    if (phone !== null) {
      if (rng.chance(0.4)) phone = null;
      else if (rng.chance(0.1)) phone = `9${rng.digits(8)}`; // a new number
      else phone = rng.chance(0.5) ? `${PHONE_PREFIX[p.pattern]} ${phone.slice(0, 3)} ${phone.slice(3)}` : `0${phone}`;
    }
    records.push({
      id: '',
      givenName: onlyOriginal ? null : fmt(given),
      middleName: onlyOriginal ? null : fmt(middle),
      familyName: onlyOriginal ? null : fmt(family),
      nameOriginal: original !== null && (onlyOriginal || rng.chance(0.4)) ? original : null,
      sex: rng.chance(0.03) ? null : p.sex,
      dateOfBirth: dob,
      nationality: rng.chance(0.05) ? null : p.nationality || null,
      documentNumber: document,
      phone,
    });
    entity.push(p.entity);
  };

  while (records.length < options.records) {
    const pattern = rng.weighted(PATTERNS);
    const household = {
      family: familyName(rng, pattern),
      father: givenName(rng, pattern, false),
      grandfather: givenName(rng, pattern, false),
      used: new Set<string>(),
    };
    // Siblings: same family and father's name, birth years close together; sometimes twins.
    const children = rng.weighted([
      [1, 40],
      [2, 25],
      [3, 18],
      [4, 12],
      [5, 5],
    ] as const);
    let year = 1945 + rng.int(75);
    let previous: Person | null = null;
    for (let c = 0; c < children && records.length < options.records; c++) {
      const twin = previous !== null && rng.chance(0.06);
      if (previous && !twin) year = Math.min(2023, year + 1 + rng.int(4));
      const p = newPerson(pattern, rng.chance(0.5) ? 'M' : 'F', household, year, twin ? previous : null);
      const extra = rng.chance(dupShare) ? rng.weighted([
        [1, 65],
        [2, 25],
        [3, 10],
      ] as const) : 0;
      for (let k = 0; k <= extra; k++) record(p, k);
      previous = p;
    }
  }
  // Shuffle (seeded) so duplicates are not next to each other, then number the records.
  const order = records.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  order.length = Math.min(order.length, options.records);
  const outRecords = order.map((i, k) => ({ ...records[i]!, id: `R${String(k + 1).padStart(8, '0')}` }));
  const outEntity = order.map((i) => entity[i]!);
  return { records: outRecords, entity: outEntity, people };
}
