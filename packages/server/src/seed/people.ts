/**
 * Demo people: a deterministic generator of households for the demo seeder, and of flat rows for a
 * bulk-import file (benchmarks go to 1,000,000 rows).
 *
 * EVERYONE HERE IS FICTITIOUS. Names are drawn at random from short lists of common given names and
 * family names and combined at random; dates of birth, phone numbers and document numbers are random.
 * Any resemblance to a real person is a coincidence. None of the countries concerned reserves a
 * fictional range of mobile numbers (as the UK's 07700 900xxx or North America's 555-01xx), so phone
 * numbers are random numbers that are valid in form for their country (libphonenumber-js) and may,
 * by chance, be in service: never call or text them.
 *
 * Pure: no I/O, no clock ("today" is a parameter), no Math.random. The same seed gives the same
 * people, and `demoImportRows` with a seed gives the same people as `demoHouseholds` with that seed.
 *
 * Names follow six patterns, each with its original script (where one is used) and Latin spellings
 * that vary from record to record, as they do in real registrations, so that search and
 * deduplication have real work to do:
 * - Arabic (Syria, Iraq, Sudan): given + father + family name (al-…, Abd al-… compounds), Arabic script.
 * - Ukrainian: given + patronymic + surname (gendered where the surname is), Cyrillic.
 * - Somali: given + father + grandfather, Latin only, no family name (the grandfather's name sits in
 *   the middle name with the father's in most records, in the family name in some, as registrars differ).
 * - Tigrinya (Eritrea): given + father + grandfather (the grandfather's name as family name), Ge'ez.
 * - Spanish (Venezuela, Colombia): one or two given names, two surnames (father's first, mother's first), Latin.
 * - Rohingya: often a single name, otherwise given + father's name; Latin, with an Arabic-script
 *   (Urdu-style) original. Nationality Myanmar or none (stateless); children born in the camps of
 *   Bangladesh have Bangladesh as country of birth; phones and documents are Bangladeshi.
 */
import {
  type DemoName as Name,
  DemoRandom,
  type UkrainianMale,
  UKRAINIAN_MALE,
  UKRAINIAN_SURNAMES,
  ARABIC_MALE,
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
} from '@passage/match/demo-names';
import {
  ageOn,
  estimatedBirthDate,
  isCalendarDate,
  SPECIFIC_NEEDS,
  WG_DOMAINS,
  type DobPrecision,
  type DocumentType,
  type PopulationGroup,
  type RegistrationInput,
  type Relationship,
  type SpecificNeed,
  type WgDomain,
  type WgLevel,
} from '@passage/domain';

export interface DemoPeopleOptions {
  seed: number;
  households: number;
  officeIds: string[];
  /** YYYY-MM-DD: dates of birth and document dates are computed back from it. */
  today: string;
}

/** The columns of a demo bulk-import file, in order. */
export const DEMO_IMPORT_COLUMNS: readonly string[] = Object.freeze([
  'external_id',
  'household_ref',
  'relationship',
  'given_name',
  'middle_name',
  'family_name',
  'name_original_script',
  'sex',
  'date_of_birth',
  'dob_precision',
  'nationality',
  'population_group',
  'phone',
  'document_type',
  'document_number',
  'document_country',
  'languages',
  'specific_needs',
]);

// ---------------------------------------------------------------------------------------------
// Random numbers


class Rng extends DemoRandom {
  /** An index in [0, n) favouring the first (name lists put the commonest names first), as real names cluster. */
  skewed(n: number): number {
    return this.skewedIndex(n, 1.4);
  }
}

// ---------------------------------------------------------------------------------------------
// Names

// Urdu-style Arabic script (ک, ی, ہ), as Rohingya names are often written.
// ---------------------------------------------------------------------------------------------
// Patterns: nationality, population group, languages, phones, documents

type Pattern = 'arabic' | 'ukrainian' | 'somali' | 'tigrinya' | 'spanish' | 'rohingya';

const PATTERNS: readonly (readonly [Pattern, number])[] = [
  ['arabic', 30],
  ['ukrainian', 18],
  ['somali', 12],
  ['tigrinya', 10],
  ['spanish', 18],
  ['rohingya', 12],
];

const MALE: Record<Pattern, readonly Name[]> = {
  arabic: ARABIC_MALE,
  ukrainian: UKRAINIAN_MALE,
  somali: SOMALI_MALE,
  tigrinya: TIGRINYA_MALE,
  spanish: SPANISH_MALE,
  rohingya: ROHINGYA_MALE,
};
const FEMALE: Record<Pattern, readonly Name[]> = {
  arabic: ARABIC_FEMALE,
  ukrainian: UKRAINIAN_FEMALE,
  somali: SOMALI_FEMALE,
  tigrinya: TIGRINYA_FEMALE,
  spanish: SPANISH_FEMALE,
  rohingya: ROHINGYA_FEMALE,
};
/** How many family names a pattern draws from (0: the pattern has none). */
const FAMILY_COUNT: Record<Pattern, number> = {
  arabic: ARABIC_FAMILY.length,
  ukrainian: UKRAINIAN_SURNAMES.length,
  somali: 0,
  tigrinya: 0,
  spanish: SPANISH_SURNAMES.length,
  rohingya: 0,
};

const NATIONALITIES: Record<Pattern, readonly (readonly [string | null, number])[]> = {
  arabic: [
    ['SYR', 60],
    ['IRQ', 20],
    ['SDN', 20],
  ],
  ukrainian: [['UKR', 1]],
  somali: [['SOM', 1]],
  tigrinya: [['ERI', 1]],
  spanish: [
    ['VEN', 75],
    ['COL', 25],
  ],
  rohingya: [
    ['MMR', 80],
    [null, 20],
  ],
};

const GROUPS: Record<string, readonly (readonly [PopulationGroup, number])[]> = {
  SYR: [
    ['refugee', 65],
    ['asylum_seeker', 15],
    ['returnee', 12],
    ['migrant_worker', 8],
  ],
  IRQ: [
    ['refugee', 40],
    ['internally_displaced', 25],
    ['returnee', 25],
    ['asylum_seeker', 10],
  ],
  SDN: [
    ['refugee', 60],
    ['asylum_seeker', 20],
    ['internally_displaced', 15],
    ['returnee', 5],
  ],
  UKR: [
    ['refugee', 55],
    ['internally_displaced', 30],
    ['returnee', 10],
    ['asylum_seeker', 5],
  ],
  SOM: [
    ['refugee', 60],
    ['asylum_seeker', 15],
    ['returnee', 15],
    ['irregular_migrant', 10],
  ],
  ERI: [
    ['refugee', 65],
    ['asylum_seeker', 25],
    ['irregular_migrant', 10],
  ],
  VEN: [
    ['migrant_worker', 30],
    ['refugee', 25],
    ['asylum_seeker', 25],
    ['irregular_migrant', 20],
  ],
  COL: [
    ['refugee', 40],
    ['internally_displaced', 30],
    ['returnee', 20],
    ['asylum_seeker', 10],
  ],
  MMR: [
    ['refugee', 90],
    ['asylum_seeker', 10],
  ],
  none: [['stateless', 1]],
};

/** The consent language of a pattern (ISO 639-1, or 639-3 where there is no 639-1 code: Rohingya is `rhg`). */
const LANGUAGE: Record<Pattern, string> = { arabic: 'ar', ukrainian: 'uk', somali: 'so', tigrinya: 'ti', spanish: 'es', rohingya: 'rhg' };
/** Second languages sometimes spoken, with their chance. */
const OTHER_LANGUAGES: Record<Pattern, readonly (readonly [string, number])[]> = {
  arabic: [['en', 0.08]],
  ukrainian: [
    ['ru', 0.35],
    ['en', 0.15],
  ],
  somali: [
    ['ar', 0.15],
    ['en', 0.1],
  ],
  tigrinya: [
    ['ar', 0.15],
    ['am', 0.1],
  ],
  spanish: [['en', 0.05]],
  rohingya: [
    ['my', 0.1],
    ['bn', 0.05],
  ],
};

/** Mobile numbering: country calling code, national prefixes, digits after the prefix. Checked against libphonenumber-js in the tests. */
const MOBILE: Record<string, { cc: string; prefixes: readonly string[]; rest: number }> = {
  SYR: { cc: '963', prefixes: ['93', '94', '95', '96', '98', '99'], rest: 7 },
  IRQ: { cc: '964', prefixes: ['750', '751', '770', '771', '780', '781', '790'], rest: 7 },
  SDN: { cc: '249', prefixes: ['91', '92', '99', '11', '12'], rest: 7 },
  UKR: { cc: '380', prefixes: ['50', '63', '66', '67', '68', '73', '93', '95', '96', '97', '98', '99'], rest: 7 },
  SOM: { cc: '252', prefixes: ['61', '62', '63', '65', '68', '90', '71', '77'], rest: 7 },
  ERI: { cc: '291', prefixes: ['71', '72', '73'], rest: 5 },
  VEN: { cc: '58', prefixes: ['412', '414', '416', '424', '426'], rest: 7 },
  COL: { cc: '57', prefixes: ['300', '301', '310', '311', '312', '313', '315', '316', '318', '320', '321', '350'], rest: 7 },
  BGD: { cc: '880', prefixes: ['13', '14', '15', '16', '17', '18', '19'], rest: 8 },
};

/** Years a passport of a country is valid (plausible, not authoritative). */
const PASSPORT_YEARS: Record<string, number> = { SYR: 6, IRQ: 8, SDN: 5, UKR: 10, SOM: 5, ERI: 5, VEN: 10, COL: 10 };

/** Groups `12345678` as `12.345.678` (Venezuelan and Colombian identity cards). */
function thousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

const UKR_SERIES = 'AEHKMNOPTX';

/**
 * A document number from a unique 7-digit code. Each format holds the code at a fixed place, and
 * formats whose keys (see `documentKey`) could look alike hold it at the same place, so numbers are
 * unique across everything one generator produces.
 */
function documentNumber(type: DocumentType, country: string | null, code: string, rng: Rng, today: string): string {
  if (type === 'refugee_document') return `${rng.digits(3)}-${today.slice(2, 4)}C${code}`;
  if (type === 'passport') {
    switch (country ?? '') {
      case 'SYR':
        return `N${rng.digits(1)}${code}`;
      case 'IRQ':
        return `A${rng.digits(1)}${code}`;
      case 'UKR':
        return `F${UKR_SERIES[Number(code[0])]!}${code.slice(1)}`;
      case 'COL':
        return `A${UKR_SERIES[Number(code[0])]!}${code.slice(1)}`;
      case 'VEN':
        return `${rng.digits(2)}${code}`;
      case 'ERI':
        return `P${code}`;
      default:
        return `P${rng.digits(1)}${code}`;
    }
  }
  switch (country ?? '') {
    case 'SYR':
    case 'SDN':
      return `${rng.digits(4)}${code}`;
    case 'IRQ':
      return `${rng.digits(5)}${code}`;
    case 'UKR':
      return `${rng.digits(2)}${code}`;
    case 'VEN':
      return `V-${thousands(`${rng.range(1, 3)}${code}`)}`;
    case 'COL':
      return thousands(`1${rng.digits(2)}${code}`);
    default:
      return `0${code}`;
  }
}

/** A bijection on [0, 10^7): a keyed 24-bit mix, walked until it lands in range. */
function permute7(n: number, key: number): number {
  let x = n;
  do {
    x = (x ^ key) & 0xffffff;
    x ^= x >>> 12;
    x = Math.imul(x, 0x2c1b3c6d | 1) & 0xffffff;
    x ^= x >>> 11;
    x = Math.imul(x, 0x297a2d39 | 1) & 0xffffff;
    x ^= x >>> 13;
  } while (x >= 10_000_000);
  return x;
}

// ---------------------------------------------------------------------------------------------
// Dates

const DAY_MS = 86_400_000;

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** YYYY-MM-DD of a day number (days since 1970-01-01), for years 1000–9999; H. Hinnant's civil_from_days, much faster than Date. */
function iso(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The day number of a date (days since 1970-01-01), the day clamped to the month's length (29 February → 28 in other years). */
function dayNumber(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, Math.min(d, daysInMonth(y, m))) / DAY_MS;
}

/** A date of birth as recorded with its precision, from the true birth day (a day number) and age. */
function dateOfBirth(born: number, age: number, precision: DobPrecision, today: string): string {
  if (precision === 'estimated') return estimatedBirthDate(age, today);
  const exact = iso(born);
  if (precision === 'year') return `${exact.slice(0, 4)}-01-01`;
  if (precision === 'month') return `${exact.slice(0, 7)}-01`;
  return exact;
}

// ---------------------------------------------------------------------------------------------
// Households

type Sex = 'female' | 'male';

/** Who someone is by descent: indexes into the pattern's lists (-1: none). */
interface Lineage {
  sex: Sex;
  given: number;
  /** A second given name (Spanish), -1 when none. */
  given2: number;
  father: number;
  grandfather: number;
  family: number;
  /** The second surname (Spanish: the mother's first surname). */
  family2: number;
  /** Known by one name only (Rohingya). */
  single: boolean;
}

interface DemoDocument {
  type: DocumentType;
  number: string;
  issuingCountry: string | null;
  issueDate: string | null;
  expiryDate: string | null;
}

/** One generated person, whatever the output shape. */
interface DemoPerson {
  relationship: Relationship;
  givenName: string;
  middleName: string | null;
  familyName: string | null;
  fullNameOriginal: string | null;
  aliases: string[];
  sex: Sex;
  age: number;
  dateOfBirth: string;
  dobPrecision: DobPrecision;
  nationality: string | null;
  countryOfBirth: string | null;
  languages: string[];
  phones: string[];
  populationGroup: PopulationGroup;
  documents: DemoDocument[];
  needs: SpecificNeed[];
  washingtonGroup: Partial<Record<WgDomain, WgLevel>> | null;
  needsNote: string | null;
}

interface DemoHousehold {
  members: DemoPerson[];
  headNote: string | null;
  consentMethod: 'verbal' | 'signed' | 'thumbprint';
  consentLanguage: string;
  referralConsent: boolean;
}

const CHILD_HEAD_NOTES = [
  'Child-headed household: parents missing since displacement; caseworker follow-up (demo).',
  'Eldest child heads the household; both parents deceased according to the family (demo).',
  'Siblings arrived without adults; a relative is being traced (demo).',
] as const;

const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [
  [1, 10],
  [2, 12],
  [3, 15],
  [4, 17],
  [5, 16],
  [6, 13],
  [7, 9],
  [8, 8],
];

/** Someone planned for a household: lineage, age today, true birth day (a day number). */
interface PlannedPerson {
  lin: Lineage;
  age: number;
  born: number;
  relationship: Relationship;
}

/** Generates households of internal people; both public generators map from here. */
class HouseholdMaker {
  private readonly rng: Rng;
  private readonly ty: number;
  private readonly tm: number;
  private readonly td: number;
  private readonly docKey: number;
  private readonly todayNumber: number;
  private documentCount = 0;

  constructor(
    seed: number,
    private readonly today: string,
  ) {
    if (!isCalendarDate(today)) throw new RangeError(`today must be a YYYY-MM-DD date, got ${today}`);
    this.rng = new Rng(seed);
    [this.ty, this.tm, this.td] = today.split('-').map(Number) as [number, number, number];
    this.docKey = Math.floor(new Rng(seed ^ 0x5bd1e995).next() * 0x1000000);
    this.todayNumber = dayNumber(this.ty, this.tm, this.td);
  }

  /** A birth day (day number) that makes someone exactly `age` today: after that day `age + 1` years ago, no later than that day `age` years ago. */
  private bornAtAge(age: number): number {
    const hi = dayNumber(this.ty - age, this.tm, this.td);
    const lo = dayNumber(this.ty - age - 1, this.tm, this.td);
    return hi - this.rng.int(hi - lo);
  }

  /** Completed years on today of someone born on a day number. */
  private ageOf(born: number): number {
    return ageOn(iso(born), this.today);
  }

  /**
   * Birth days of `count` children of one mother, eldest first, between `minDays` and `maxDays` old:
   * 10 months to 3½ years apart (closer only when the window is too short), twins now and then.
   */
  private siblingBirths(count: number, minDays: number, maxDays: number): number[] {
    if (count <= 0) return [];
    const rng = this.rng;
    const gaps: number[] = [];
    let total = 0;
    for (let i = 1; i < count; i++) {
      const gap = rng.chance(0.02) ? 0 : rng.range(300, 1300);
      gaps.push(gap);
      total += gap;
    }
    const window = Math.max(0, maxDays - minDays);
    const scale = total > window ? window / total : 1;
    let old = minDays + rng.int(Math.max(1, window - Math.floor(total * scale)));
    const births = [this.todayNumber - old];
    for (const gap of gaps) {
      old += Math.floor(gap * scale);
      births.push(this.todayNumber - old);
    }
    return births.reverse();
  }

  household(): DemoHousehold {
    const rng = this.rng;
    const pattern = rng.weighted(PATTERNS);
    const nationality = rng.weighted(NATIONALITIES[pattern]);
    const group = rng.weighted(GROUPS[nationality ?? 'none']!);
    const size = rng.weighted(HOUSEHOLD_SIZES);
    const plan: PlannedPerson[] = [];
    let headNote: string | null = null;
    const childHeaded = size >= 2 && rng.chance(0.012);

    if (childHeaded) {
      const head = this.lineage(pattern, rng.chance(0.5) ? 'male' : 'female');
      const headAge = rng.range(14, 17);
      const headBorn = this.bornAtAge(headAge);
      plan.push({ lin: head, age: headAge, born: headBorn, relationship: 'head' });
      for (const born of this.siblingBirths(size - 1, 0, this.todayNumber - headBorn - 300)) {
        plan.push({ lin: this.sibling(pattern, head), age: this.ageOf(born), born, relationship: 'sibling' });
      }
      headNote = rng.pick(CHILD_HEAD_NOTES);
    } else if (size === 1) {
      const sex: Sex = rng.chance(0.55) ? 'male' : 'female';
      const age = this.adultAge(18);
      plan.push({ lin: this.lineage(pattern, sex), age, born: this.bornAtAge(age), relationship: 'head' });
    } else {
      const hasSpouse = rng.chance(0.78);
      const headSex: Sex = hasSpouse ? (rng.chance(0.88) ? 'male' : 'female') : rng.chance(0.7) ? 'female' : 'male';
      let extras = size >= 3 && rng.chance(0.3) ? (size >= 5 && rng.chance(0.25) ? 2 : 1) : 0;
      let children = size - 1 - (hasSpouse ? 1 : 0) - extras;
      if (children < 0) {
        extras += children;
        children = 0;
      }
      if (!hasSpouse && children === 0 && extras === 0) extras = 1;
      // Larger families have older parents.
      const headAge = this.adultAge(children > 0 ? Math.min(40, 18 + 3 * children) : 18);
      const head = this.lineage(pattern, headSex);
      plan.push({ lin: head, age: headAge, born: this.bornAtAge(headAge), relationship: 'head' });
      let spouse: Lineage | null = null;
      let spouseAge = 0;
      if (hasSpouse) {
        const sex: Sex = headSex === 'male' ? 'female' : 'male';
        spouse = this.lineage(pattern, sex);
        // Most Ukrainian wives carry the husband's surname.
        if (pattern === 'ukrainian' && rng.chance(0.85)) (sex === 'female' ? spouse : head).family = (sex === 'female' ? head : spouse).family;
        spouseAge = sex === 'female' ? Math.max(18, headAge - rng.range(0, 10)) : Math.min(95, headAge + rng.range(0, 8));
        // Spanish spouses have different surnames (they keep their own).
        if (pattern === 'spanish' && spouse.family === head.family) spouse.family = (spouse.family + 1) % SPANISH_SURNAMES.length;
        plan.push({ lin: spouse, age: spouseAge, born: this.bornAtAge(spouseAge), relationship: 'spouse' });
      }
      // Children: born when the mother was 16–45.
      const mother = headSex === 'female' ? { lin: head, age: headAge } : spouse ? { lin: spouse, age: spouseAge } : { lin: this.lineage(pattern, 'female'), age: Math.max(18, headAge - rng.range(0, 8)) };
      const father = headSex === 'male' ? head : spouse && spouse.sex === 'male' ? spouse : this.lineage(pattern, 'male');
      if (pattern === 'ukrainian' && headSex === 'female' && !spouse) father.family = head.family;
      const lo = Math.max(0, mother.age - 45);
      const hi = Math.max(lo, Math.min(mother.age - 16, headAge >= 45 ? Math.max(35, lo + 10) : 17));
      for (const born of this.siblingBirths(children, Math.ceil(lo * 365.25), Math.floor((hi + 1) * 365.25) - 1)) {
        plan.push({ lin: this.child(pattern, father, mother.lin), age: this.ageOf(born), born, relationship: 'child' });
      }
      for (let i = 0; i < extras; i++) plan.push(this.relative(pattern, head, headAge, plan));
    }

    const method = rng.weighted([
      ['verbal', 50],
      ['signed', 35],
      ['thumbprint', 15],
    ] as const);
    const members = plan.map((p, i) => this.person(pattern, p, nationality, group, i === 0, childHeaded));
    if (pattern === 'arabic') this.kunya(members, plan.map((p) => p.lin));
    if (!childHeaded && members.length >= 2 && !members.some((m) => m.relationship === 'spouse') && members.some((m) => m.relationship === 'child' && m.age < 18) && rng.chance(0.3)) {
      members[0]!.needs = SPECIFIC_NEEDS.filter((n) => n === 'single_parent' || members[0]!.needs.includes(n));
    }
    return { members, headNote, consentMethod: method, consentLanguage: LANGUAGE[pattern], referralConsent: rng.chance(0.3) };
  }

  /** An adult's age of at least `min`: many young adults, fewer older people. */
  private adultAge(min: number): number {
    for (;;) {
      const band = this.rng.weighted([
        [[18, 29], 30],
        [[30, 44], 40],
        [[45, 59], 20],
        [[60, 75], 8],
        [[76, 92], 2],
      ] as const);
      if (band[1] >= min) return this.rng.range(Math.max(min, band[0]), band[1]);
    }
  }

  private lineage(pattern: Pattern, sex: Sex): Lineage {
    const rng = this.rng;
    const males = MALE[pattern].length;
    const families = FAMILY_COUNT[pattern];
    const given = rng.skewed((sex === 'male' ? MALE : FEMALE)[pattern].length);
    let given2 = -1;
    if (pattern === 'spanish' && rng.chance(0.6)) {
      given2 = rng.skewed((sex === 'male' ? MALE : FEMALE)[pattern].length);
      if (given2 === given) given2 = -1;
    }
    let father = rng.skewed(males);
    if (sex === 'male' && father === given) father = (father + 1) % males; // rarely named after one's father
    return {
      sex,
      given,
      given2,
      father,
      grandfather: rng.skewed(males),
      family: families ? rng.skewed(families) : -1,
      family2: pattern === 'spanish' ? rng.skewed(families) : -1,
      single: pattern === 'rohingya' && rng.chance(0.55),
    };
  }

  private child(pattern: Pattern, father: Lineage, mother: Lineage): Lineage {
    const sex: Sex = this.rng.chance(0.51) ? 'male' : 'female';
    const c = this.lineage(pattern, sex);
    c.father = father.given;
    c.grandfather = father.father;
    c.family = father.family;
    if (pattern === 'spanish') c.family2 = mother.family;
    return c;
  }

  private sibling(pattern: Pattern, of: Lineage): Lineage {
    const s = this.lineage(pattern, this.rng.chance(0.5) ? 'male' : 'female');
    s.father = of.father;
    s.grandfather = of.grandfather;
    s.family = of.family;
    s.family2 = of.family2;
    return s;
  }

  /** A relative of the head other than spouse and children, with a plausible age. */
  private relative(pattern: Pattern, head: Lineage, headAge: number, plan: readonly PlannedPerson[]): PlannedPerson {
    const r = this.relativeOf(pattern, head, headAge, plan);
    return { ...r, born: this.bornAtAge(r.age) };
  }

  private relativeOf(pattern: Pattern, head: Lineage, headAge: number, plan: readonly PlannedPerson[]): Omit<PlannedPerson, 'born'> {
    const rng = this.rng;
    const kinds: readonly (readonly [Relationship, number])[] =
      headAge >= 50
        ? [
            ['grandchild', 45],
            ['sibling', 15],
            ['other_relative', 30],
            ['parent', headAge < 65 ? 7 : 0],
            ['unrelated', 3],
          ]
        : headAge < 40
          ? [
              ['parent', 45],
              ['sibling', 27],
              ['grandparent', 5],
              ['other_relative', 20],
              ['unrelated', 3],
            ]
          : [
              ['parent', 35],
              ['sibling', 30],
              ['other_relative', 32],
              ['unrelated', 3],
            ];
    let relationship = rng.weighted(kinds);
    if (relationship === 'grandparent' && headAge + 40 > 95) relationship = 'other_relative';
    const sex: Sex = rng.chance(0.45) ? 'male' : 'female';
    switch (relationship) {
      case 'parent':
      case 'grandparent': {
        const age = Math.min(95, headAge + (relationship === 'parent' ? rng.range(18, 35) : rng.range(40, 55)));
        const lin = this.lineage(pattern, sex);
        if (sex === 'male') {
          lin.given = relationship === 'parent' ? head.father : head.grandfather;
          if (relationship === 'parent') lin.father = head.grandfather;
          lin.family = head.family;
        } else if (pattern === 'ukrainian') {
          lin.family = head.family;
        } else if (pattern === 'spanish' && relationship === 'parent') {
          lin.family = head.family2;
        }
        return { lin, age, relationship };
      }
      case 'sibling':
        return { lin: this.sibling(pattern, head), age: Math.max(0, headAge + rng.range(-10, 10)), relationship };
      case 'grandchild': {
        const lin = this.lineage(pattern, sex);
        const son = plan.find((p) => p.relationship === 'child' && p.lin.sex === 'male' && p.age >= 18);
        lin.father = son ? son.lin.given : lin.father;
        if (head.sex === 'male') {
          lin.grandfather = head.given;
          lin.family = head.family;
        }
        return { lin, age: rng.range(0, Math.min(17, Math.max(0, headAge - 36))), relationship };
      }
      case 'other_relative': {
        const lin = this.lineage(pattern, sex);
        if (rng.chance(0.5)) {
          lin.grandfather = head.father;
          lin.family = head.family;
        }
        return { lin, age: rng.range(0, 70), relationship };
      }
      case 'head':
      case 'spouse':
      case 'child':
      case 'unrelated':
        return { lin: this.lineage(pattern, sex), age: rng.range(18, 60), relationship: 'unrelated' };
    }
  }

  /** A Latin spelling: usually the most common, otherwise another. */
  private spell(n: Name): string {
    return n.l.length === 1 || this.rng.chance(0.6) ? n.l[0]! : n.l[1 + this.rng.int(n.l.length - 1)]!;
  }

  private names(pattern: Pattern, lin: Lineage): Pick<DemoPerson, 'givenName' | 'middleName' | 'familyName' | 'fullNameOriginal'> {
    const rng = this.rng;
    const given = (lin.sex === 'male' ? MALE : FEMALE)[pattern][lin.given]!;
    const father = MALE[pattern][lin.father]!;
    const grandfather = MALE[pattern][lin.grandfather]!;
    switch (pattern) {
      case 'arabic': {
        const family = ARABIC_FAMILY[lin.family]!;
        const withFather = rng.chance(0.9);
        return {
          givenName: this.spell(given),
          middleName: withFather ? this.spell(father) : null,
          familyName: this.spell(family),
          fullNameOriginal: withFather ? `${given.o} ${father.o} ${family.o}` : `${given.o} ${family.o}`,
        };
      }
      case 'ukrainian': {
        const patronymic = (father as UkrainianMale)[lin.sex === 'male' ? 'pm' : 'pf'];
        const surname = UKRAINIAN_SURNAMES[lin.family]![lin.sex === 'male' ? 'm' : 'f'];
        const withPatronymic = rng.chance(0.85);
        return {
          givenName: this.spell(given),
          middleName: withPatronymic ? this.spell(patronymic) : null,
          familyName: this.spell(surname),
          fullNameOriginal: `${given.o} ${patronymic.o} ${surname.o}`,
        };
      }
      case 'somali': {
        const f = this.spell(father);
        const g = this.spell(grandfather);
        return rng.chance(0.65) ? { givenName: this.spell(given), middleName: `${f} ${g}`, familyName: null, fullNameOriginal: null } : { givenName: this.spell(given), middleName: f, familyName: g, fullNameOriginal: null };
      }
      case 'tigrinya':
        return { givenName: this.spell(given), middleName: this.spell(father), familyName: this.spell(grandfather), fullNameOriginal: `${given.o} ${father.o} ${grandfather.o}` };
      case 'spanish': {
        const first = this.spell(given);
        const second = lin.given2 >= 0 ? this.spell((lin.sex === 'male' ? MALE : FEMALE)[pattern][lin.given2]!) : null;
        const s1 = this.spell(SPANISH_SURNAMES[lin.family]!);
        const s2 = this.spell(SPANISH_SURNAMES[lin.family2]!);
        const familyName = rng.chance(0.85) ? `${s1} ${s2}` : s1;
        if (second && rng.chance(0.5)) return { givenName: `${first} ${second}`, middleName: null, familyName, fullNameOriginal: null };
        return { givenName: first, middleName: second, familyName, fullNameOriginal: null };
      }
      case 'rohingya':
        return lin.single
          ? { givenName: this.spell(given), middleName: null, familyName: null, fullNameOriginal: given.o }
          : { givenName: this.spell(given), middleName: this.spell(father), familyName: null, fullNameOriginal: `${given.o} ${father.o}` };
    }
  }

  private person(pattern: Pattern, planned: PlannedPerson, nationality: string | null, group: PopulationGroup, isHead: boolean, childHeaded: boolean): DemoPerson {
    const rng = this.rng;
    const { lin, age, born, relationship } = planned;
    const adult = age >= 18;
    const lowDocumentation = pattern === 'rohingya' || pattern === 'somali';
    const dobPrecision = rng.weighted<DobPrecision>(
      adult
        ? lowDocumentation
          ? [
              ['exact', 40],
              ['year', 30],
              ['estimated', 25],
              ['month', 5],
            ]
          : [
              ['exact', 72],
              ['year', 12],
              ['estimated', 10],
              ['month', 6],
            ]
        : [
            ['exact', 88],
            ['year', 5],
            ['estimated', 5],
            ['month', 2],
          ],
    );
    const languages = [LANGUAGE[pattern]];
    for (const [code, p] of OTHER_LANGUAGES[pattern]) if (age >= 5 && rng.chance(p)) languages.push(code);
    const countryOfBirth = pattern === 'rohingya' ? (age <= 8 ? 'BGD' : 'MMR') : adult ? nationality : null;
    const phones: string[] = [];
    if (isHead && rng.chance(0.55)) {
      const plan = MOBILE[pattern === 'rohingya' ? 'BGD' : nationality!]!;
      phones.push(`+${plan.cc}${rng.pick(plan.prefixes)}${rng.digits(plan.rest)}`);
    }
    const person: DemoPerson = {
      relationship,
      ...this.names(pattern, lin),
      aliases: [],
      sex: lin.sex,
      age,
      dateOfBirth: dateOfBirth(born, age, dobPrecision, this.today),
      dobPrecision,
      nationality,
      countryOfBirth,
      languages,
      phones,
      populationGroup: group,
      documents: adult ? this.documents(pattern, nationality, group) : [],
      needs: [],
      washingtonGroup: null,
      needsNote: null,
    };
    this.specificNeeds(person, isHead && childHeaded, childHeaded);
    return person;
  }

  private documents(pattern: Pattern, nationality: string | null, group: PopulationGroup): DemoDocument[] {
    const rng = this.rng;
    if (pattern === 'rohingya') return rng.chance(0.6) ? [this.document('refugee_document', 'BGD')] : [];
    if (!rng.chance(0.4)) return [];
    const displaced = group === 'refugee' || group === 'asylum_seeker';
    const type = rng.weighted<DocumentType>(
      displaced
        ? [
            ['refugee_document', 45],
            ['passport', 30],
            ['national_id', 25],
          ]
        : [
            ['passport', 50],
            ['national_id', 50],
          ],
    );
    const docs = [this.document(type, type === 'refugee_document' ? null : nationality)];
    if (type !== 'passport' && rng.chance(0.1)) docs.push(this.document('passport', nationality));
    return docs;
  }

  private document(type: DocumentType, country: string | null): DemoDocument {
    if (this.documentCount >= 10_000_000) throw new RangeError('demo documents run out after 10,000,000 per generator');
    const code = String(permute7(this.documentCount++, this.docKey)).padStart(7, '0');
    const number = documentNumber(type, country, code, this.rng, this.today);
    let issueDate: string | null = null;
    let expiryDate: string | null = null;
    if (type === 'passport' || type === 'refugee_document') {
      const issued = dayNumber(this.ty, this.tm, this.td) - this.rng.range(30, 1800);
      const years = type === 'passport' ? (PASSPORT_YEARS[country ?? ''] ?? 5) : 5;
      issueDate = iso(issued);
      const [y, m, d] = issueDate.split('-').map(Number) as [number, number, number];
      expiryDate = iso(dayNumber(y + years, m, d) - 1);
    }
    return { type, number, issuingCountry: country, issueDate, expiryDate };
  }

  /** About one person in twenty has a specific need; some with Washington Group answers. */
  private specificNeeds(p: DemoPerson, childHead: boolean, childHeaded: boolean): void {
    const rng = this.rng;
    const needs = new Set<SpecificNeed>();
    let wg: Partial<Record<WgDomain, WgLevel>> | null = null;
    if (childHead || (childHeaded && rng.chance(0.5))) needs.add('unaccompanied_or_separated_child');
    if (p.age >= 60 && rng.chance(0.2)) {
      needs.add('older_person_at_risk');
      if (rng.chance(0.4)) wg = this.washingtonGroup(rng.chance(0.35));
    } else if (p.sex === 'female' && p.age >= 18 && p.age <= 45 && rng.chance(0.025)) {
      needs.add('pregnant_or_lactating');
    } else if (rng.chance(0.022)) {
      const need = rng.weighted<SpecificNeed>([
        ['serious_medical_condition', 35],
        ['disability', 35],
        ['survivor_of_violence', p.age >= 12 ? 15 : 0],
        ['at_risk_of_trafficking', p.age >= 12 && p.age < 30 ? 8 : 0],
        ['other', 7],
      ]);
      if (need === 'disability') {
        if (p.age >= 5 && rng.chance(0.7)) wg = this.washingtonGroup(true);
        else needs.add('disability');
      } else needs.add(need);
      if (need === 'other') p.needsNote = 'Needs follow-up at the next visit (demo note).';
    }
    if (wg && Object.values(wg).some((a) => a === 'a_lot_of_difficulty' || a === 'cannot_do_at_all')) needs.add('disability');
    p.needs = SPECIFIC_NEEDS.filter((n) => needs.has(n));
    p.washingtonGroup = wg;
  }

  /** Answers to the six Washington Group questions, with a disability (a lot of difficulty or worse in a domain) or not. */
  private washingtonGroup(disability: boolean): Partial<Record<WgDomain, WgLevel>> {
    const rng = this.rng;
    const answers: Partial<Record<WgDomain, WgLevel>> = {};
    for (const d of WG_DOMAINS) answers[d] = 'no_difficulty';
    answers[rng.pick(WG_DOMAINS)] = 'some_difficulty';
    if (disability) answers[rng.pick(WG_DOMAINS)] = rng.chance(0.3) ? 'cannot_do_at_all' : 'a_lot_of_difficulty';
    return answers;
  }

  /** Now and then a parent is also known as "Abu/Umm" + the eldest son's name (a kunya), as an alias. */
  private kunya(members: DemoPerson[], lineages: Lineage[]): void {
    if (!this.rng.chance(0.15)) return;
    const son = members.findIndex((m) => m.relationship === 'child' && m.sex === 'male');
    if (son < 0) return;
    const sonName = this.spell(MALE.arabic[lineages[son]!.given]!);
    for (const m of members) {
      if (m.relationship === 'head' || m.relationship === 'spouse') m.aliases.push(`${m.sex === 'male' ? 'Abu' : 'Umm'} ${sonName}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Output shapes

/** Households of 1–8 people with a head (relationship 'head'), spouse, children, sometimes a grandparent or other relative. */
export function* demoHouseholds(options: DemoPeopleOptions): Generator<RegistrationInput> {
  const { seed, households, officeIds, today } = options;
  if (officeIds.length === 0) throw new RangeError('demoHouseholds needs at least one office id');
  const maker = new HouseholdMaker(seed, today);
  const offices = new Rng(seed ^ 0x27d4eb2f);
  for (let h = 0; h < households; h++) {
    const hh = maker.household();
    const consents: { purpose: 'registration' | 'assistance' | 'referral'; granted: true; method: DemoHousehold['consentMethod']; language: string }[] = [
      { purpose: 'registration', granted: true, method: hh.consentMethod, language: hh.consentLanguage },
      { purpose: 'assistance', granted: true, method: hh.consentMethod, language: hh.consentLanguage },
    ];
    if (hh.referralConsent) consents.push({ purpose: 'referral', granted: true, method: hh.consentMethod, language: hh.consentLanguage });
    const registration: RegistrationInput = {
      officeId: offices.pick(officeIds),
      members: hh.members.map((p) => ({
        relationship: p.relationship,
        givenName: p.givenName,
        middleName: p.middleName,
        familyName: p.familyName,
        fullNameOriginal: p.fullNameOriginal,
        aliases: p.aliases,
        sex: p.sex,
        dateOfBirth: p.dateOfBirth,
        dobPrecision: p.dobPrecision,
        nationality: p.nationality,
        countryOfBirth: p.countryOfBirth,
        languages: p.languages,
        phones: p.phones,
        populationGroup: p.populationGroup,
        documents: p.documents.map((d) => ({ ...d })),
        specificNeeds: p.needs.length || p.washingtonGroup ? { needs: p.needs, washingtonGroup: p.washingtonGroup, note: p.needsNote } : null,
        consents: consents.map((c) => ({ ...c })),
      })),
    };
    if (hh.headNote) registration.headNote = hh.headNote;
    yield registration;
  }
}

/**
 * Flat rows for a bulk-import file (CSV), one per person, with the columns of `DEMO_IMPORT_COLUMNS`.
 * Values are strings ('' when absent); `languages` and `specific_needs` are ';'-separated codes.
 * Whole households, head first; the last one is cut short when `rows` is reached.
 */
export function* demoImportRows(options: { seed: number; rows: number; today: string }): Generator<Record<string, string>> {
  const { seed, rows, today } = options;
  const maker = new HouseholdMaker(seed, today);
  const tag = String(seed >>> 0);
  let n = 0;
  for (let h = 1; n < rows; h++) {
    const hh = maker.household();
    const householdRef = `DEMO-HH-${tag}-${String(h).padStart(6, '0')}`;
    for (const p of hh.members) {
      if (n >= rows) return;
      n++;
      const doc = p.documents[0];
      yield {
        external_id: `DEMO-${tag}-${String(n).padStart(7, '0')}`,
        household_ref: householdRef,
        relationship: p.relationship,
        given_name: p.givenName,
        middle_name: p.middleName ?? '',
        family_name: p.familyName ?? '',
        name_original_script: p.fullNameOriginal ?? '',
        sex: p.sex,
        date_of_birth: p.dateOfBirth,
        dob_precision: p.dobPrecision,
        nationality: p.nationality ?? '',
        population_group: p.populationGroup,
        phone: p.phones[0] ?? '',
        document_type: doc?.type ?? '',
        document_number: doc?.number ?? '',
        document_country: doc?.issuingCountry ?? '',
        languages: p.languages.join(';'),
        specific_needs: p.needs.join(';'),
      };
    }
  }
}
