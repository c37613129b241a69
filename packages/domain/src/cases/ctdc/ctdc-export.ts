/**
 * The anonymised counter-trafficking publication: case records → rows of the Counter Trafficking Data
 * Collaborative (CTDC) public dataset, k-anonymised (k = 11 by default), with a report of what was
 * generalised and suppressed. Pure: no I/O, no clock; the same input (in any order) gives the same output.
 *
 * ## Method (the CTDC 2017–2021 public dataset's: k = 11, "queries cannot return fewer than 10 results")
 *
 * Quasi-identifiers (QIs) are the columns a query can combine with public knowledge about a person:
 * `ageBroad`, `gender`, `citizenship`, `CountryOfExploitation`, `yearOfRegistration`. The flags (means of
 * control, exploitation, recruiter relation) and `traffickMonths` are not QIs by CTDC's method and are
 * published as they are. Every combination of QI values that appears in the output appears at least k
 * times; the empty value ('' = unknown or withheld) is a value of its own.
 *
 * 1. Map each record to a CTDC row (codebook values, see the mapping functions below).
 * 2. Walk a fixed generalisation ladder. Each level coarsens the one before it (the hierarchies nest), so
 *    the number of records that would need suppressing never rises from one level to the next:
 *      0. as is: codebook age bands, single years, countries and gender as recorded;
 *      1. local recoding of rare values: a gender, citizenship or country-of-exploitation value held by
 *         fewer than k records of the whole input becomes '' (only those records change);
 *      2. + age in wide bands: 0--17, 18--29, 30--47, 48+;
 *      3. + year of registration in fixed three-year periods (2016--2018, 2019--2021, 2022--2024 …);
 *      4. + age as minor / adult: 0--17, 18+;
 *      5. + year of registration dropped ('').
 *    The periods are aligned on years divisible by 3, not on the data, so a year falls in the same
 *    period in every release (periods cut to fit the data would let two releases be differenced).
 * 3. Choose a level: the first (least generalised) whose suppression is at most `maxSuppressionRate`
 *    (5 % by default) of the input; when none is, the first level with the fewest suppressions.
 * 4. Suppress: every record whose QI combination still has fewer than k records is removed whole.
 *    Suppression removes whole groups, so the groups left all keep their k or more records.
 * 5. Sort the rows by their QI values, then traffickMonths and the flags, so the row order says nothing
 *    about the input order (which may follow case ids or registration dates).
 *
 * Limits, as for CTDC's release: k-anonymity does not stop attribute disclosure when all k records of a
 * group share a flag, and it holds for one release: publishing overlapping releases built with different
 * ladders or inputs can let them be differenced. Later CTDC releases moved to synthetic data.
 *
 * ## Spelling of values
 *
 * The codebook table in our standards file writes ranges with an en dash ("0–8"); the CTDC CSV files
 * themselves write them with two hyphens ("0--8", "30--38", "48+", "0--12 (0-1 yr)"). We write the CSV
 * spelling: it is what users of the CTDC data parse, and it keeps the output plain ASCII. Generalised
 * ranges follow the same spelling ("18--29", "2019--2021").
 */
import { isCalendarDate, isCountryCode } from '../../registry/model.ts';

// ---------------------------------------------------------------------------------------------
// Input

/** One counter-trafficking case, as the server builds it from decrypted case data for publication. */
export interface CtCaseForPublication {
  /** ISO date 'YYYY-MM-DD' the case was opened → yearOfRegistration. */
  registeredOn: string;
  /** Whole years, null when unknown. */
  ageAtRegistration: number | null;
  /** Registry sex: 'other' → 'Trans/Transgender/NonConforming', 'unknown' → ''. */
  gender: 'female' | 'male' | 'other' | 'unknown';
  /** ISO 3166-1 alpha-3. */
  citizenship: string | null;
  /** ISO 3166-1 alpha-3 of the first exploitation event's country. */
  countryOfExploitation: string | null;
  /** Duration of the exploitation → traffickMonths. */
  exploitationMonths: number | null;
  /** HTCDS TypeOfExploitation codes ('forced_labour', 'sexual_exploitation', 'child_labour', …). */
  exploitationTypes: readonly string[];
  /** 'agriculture', 'construction', 'domestic_work', 'hospitality'; others ignored. */
  forcedLabourIndustries: readonly string[];
  /** 'prostitution', 'pornography'; others ignored. */
  sexExploitationTypes: readonly string[];
  /** HTCDS MethodsOfControl codes ('debt_bondage', 'threats', …); codes without a CTDC flag are ignored. */
  meansOfControl: readonly string[];
  /** 'intimate_partner', 'friend', 'family', 'other'; others (e.g. 'unknown') ignored. */
  recruiterRelation: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Output vocabulary

/** The k of the CTDC 2017–2021 release. */
export const CTDC_DEFAULT_K = 11;
/** Default cap on the share of records suppressed before the ladder goes one level further. */
export const CTDC_DEFAULT_MAX_SUPPRESSION_RATE = 0.05;

/** The codebook's age bands (CSV spelling). */
export const CTDC_AGE_BANDS = ['0--8', '9--17', '18--20', '21--23', '24--26', '27--29', '30--38', '39--47', '48+'] as const;
/** Lower bounds of CTDC_AGE_BANDS, same order. */
const AGE_BAND_STARTS = [0, 9, 18, 21, 24, 27, 30, 39, 48] as const;
/** Ladder level 2: wide bands, each a union of codebook bands. */
export const CTDC_WIDE_AGE_BANDS = ['0--17', '18--29', '30--47', '48+'] as const;
/** Ladder level 4: minor or adult. */
export const CTDC_MINOR_ADULT_BANDS = ['0--17', '18+'] as const;

export type CtdcAgeBand = (typeof CTDC_AGE_BANDS)[number];
export type CtdcAgeBroad = CtdcAgeBand | (typeof CTDC_WIDE_AGE_BANDS)[number] | (typeof CTDC_MINOR_ADULT_BANDS)[number] | '';

export const CTDC_GENDERS = ['Woman', 'Man', 'Trans/Transgender/NonConforming'] as const;
export type CtdcGender = (typeof CTDC_GENDERS)[number] | '';

/** The codebook's durations (CSV spelling). */
export const CTDC_TRAFFICK_MONTHS = ['0--12 (0-1 yr)', '13--24 (1-2 yrs)', '25+ (2+ yrs)'] as const;
export type CtdcTraffickMonths = (typeof CTDC_TRAFFICK_MONTHS)[number] | '';

/** The quasi-identifiers, in CSV column order. */
export const CTDC_QI_COLUMNS = ['yearOfRegistration', 'gender', 'ageBroad', 'citizenship', 'CountryOfExploitation'] as const;
export type CtdcQiColumn = (typeof CTDC_QI_COLUMNS)[number];

/** The 1-or-empty columns, in CSV column order. */
export const CTDC_FLAG_COLUMNS = [
  'meansDebtBondageEarnings',
  'meansThreats',
  'meansAbusePsyPhySex',
  'meansFalsePromises',
  'meansDrugsAlcohol',
  'meansDenyBasicNeeds',
  'meansExcessiveWorkHours',
  'meansWithholdDocs',
  'isForcedLabour',
  'isSexualExploit',
  'isOtherExploit',
  'typeOfLabourAgriculture',
  'typeOfLabourConstruction',
  'typeOfLabourDomesticWork',
  'typeOfLabourHospitality',
  'typeOfSexProstitution',
  'typeOfSexPornography',
  'recruiterRelationIntimatePartner',
  'recruiterRelationFriend',
  'recruiterRelationFamily',
  'recruiterRelationOther',
] as const;
export type CtdcFlagColumn = (typeof CTDC_FLAG_COLUMNS)[number];

/** A flag: 1 when it applies, null (written empty) otherwise. */
export type CtdcFlag = 1 | null;

/**
 * One published row. Keys are the codebook's column names (hence `CountryOfExploitation`), so the CSV
 * header is the key list. Text QIs use '' for unknown or withheld; `yearOfRegistration` is text because a
 * generalised year is a period ('2019--2021').
 */
export type CtdcRow = {
  yearOfRegistration: string;
  gender: CtdcGender;
  ageBroad: CtdcAgeBroad;
  citizenship: string;
  CountryOfExploitation: string;
  traffickMonths: CtdcTraffickMonths;
} & { [C in CtdcFlagColumn]: CtdcFlag };

/** Every column in the CTDC order: the QIs, traffickMonths, then the flags. */
export const CTDC_COLUMNS = [...CTDC_QI_COLUMNS, 'traffickMonths', ...CTDC_FLAG_COLUMNS] as const;
export type CtdcColumn = (typeof CTDC_COLUMNS)[number];
// Compile-time check that CTDC_COLUMNS names every key of CtdcRow (and so toCsv writes them all).
const _everyColumnListed: Exclude<keyof CtdcRow, CtdcColumn> extends never ? true : never = true;

// ---------------------------------------------------------------------------------------------
// Mapping one record (no anonymisation)

/** Codebook age band of an age in whole years (fractions are cut); '' when unknown or impossible. */
export function ctdcAgeBroad(age: number | null): CtdcAgeBand | '' {
  if (age === null || !Number.isFinite(age) || age < 0) return '';
  const years = Math.floor(age);
  for (let i = AGE_BAND_STARTS.length - 1; i >= 0; i--) if (years >= AGE_BAND_STARTS[i]!) return CTDC_AGE_BANDS[i]!;
  return '';
}

/** CTDC gender of a registry sex. */
export function ctdcGender(sex: CtCaseForPublication['gender']): CtdcGender {
  switch (sex) {
    case 'female':
      return 'Woman';
    case 'male':
      return 'Man';
    case 'other':
      return 'Trans/Transgender/NonConforming';
    case 'unknown':
      return '';
  }
}

/** CTDC duration band: up to 12 months, up to 24, more; '' when unknown or negative. */
export function ctdcTraffickMonths(months: number | null): CtdcTraffickMonths {
  if (months === null || !Number.isFinite(months) || months < 0) return '';
  if (months <= 12) return '0--12 (0-1 yr)';
  if (months <= 24) return '13--24 (1-2 yrs)';
  return '25+ (2+ yrs)';
}

/** A valid ISO 3166-1 alpha-3 code (case and spaces forgiven), else ''. Keeps odd text out of the CSV. */
export function ctdcCountry(code: string | null): string {
  if (code === null) return '';
  const c = code.trim().toUpperCase();
  return isCountryCode(c) ? c : '';
}

/** The input's lists of codes. */
type CodeListField = 'exploitationTypes' | 'forcedLabourIndustries' | 'sexExploitationTypes' | 'meansOfControl' | 'recruiterRelation';

/** Which input list and which of its codes set each flag (isOtherExploit is computed apart). */
const FLAG_SOURCES: { readonly [C in Exclude<CtdcFlagColumn, 'isOtherExploit'>]: readonly [CodeListField, readonly string[]] } = {
  meansDebtBondageEarnings: ['meansOfControl', ['debt_bondage', 'taking_earnings']],
  meansThreats: ['meansOfControl', ['threats', 'threats_to_family', 'threat_law_enforcement']],
  meansAbusePsyPhySex: ['meansOfControl', ['psychological_abuse', 'physical_abuse', 'sexual_abuse']],
  meansFalsePromises: ['meansOfControl', ['false_promises']],
  meansDrugsAlcohol: ['meansOfControl', ['drugs_alcohol']],
  meansDenyBasicNeeds: ['meansOfControl', ['denial_basic_needs']],
  meansExcessiveWorkHours: ['meansOfControl', ['excessive_working_hours']],
  meansWithholdDocs: ['meansOfControl', ['withholding_documents']],
  isForcedLabour: ['exploitationTypes', ['forced_labour', 'child_labour']],
  isSexualExploit: ['exploitationTypes', ['sexual_exploitation']],
  typeOfLabourAgriculture: ['forcedLabourIndustries', ['agriculture']],
  typeOfLabourConstruction: ['forcedLabourIndustries', ['construction']],
  typeOfLabourDomesticWork: ['forcedLabourIndustries', ['domestic_work']],
  typeOfLabourHospitality: ['forcedLabourIndustries', ['hospitality']],
  typeOfSexProstitution: ['sexExploitationTypes', ['prostitution']],
  typeOfSexPornography: ['sexExploitationTypes', ['pornography']],
  recruiterRelationIntimatePartner: ['recruiterRelation', ['intimate_partner']],
  recruiterRelationFriend: ['recruiterRelation', ['friend']],
  recruiterRelationFamily: ['recruiterRelation', ['family']],
  recruiterRelationOther: ['recruiterRelation', ['other']],
};
const CODE_LIST_FIELDS = ['exploitationTypes', 'forcedLabourIndustries', 'sexExploitationTypes', 'meansOfControl', 'recruiterRelation'] as const;

/** FLAG_SOURCES turned round, for one look-up per code: list → code → the flag it sets. */
const FLAG_BY_CODE = Object.fromEntries(CODE_LIST_FIELDS.map((field) => [field, new Map<string, CtdcFlagColumn>()])) as Record<CodeListField, Map<string, CtdcFlagColumn>>;
for (const [column, [field, codes]] of Object.entries(FLAG_SOURCES) as Array<[CtdcFlagColumn, readonly [CodeListField, readonly string[]]]>) {
  for (const code of codes) FLAG_BY_CODE[field].set(code, column);
}

/**
 * One record as a CTDC row, at ladder level 0. NOT anonymised: never publish these rows directly, use
 * `buildCtdcExport`. Throws RangeError when `registeredOn` is not a calendar date.
 * (Plain loops, no closures or spreads: it runs once per record, and those cost, more so under tsx.)
 */
export function mapToCtdcRow(record: CtCaseForPublication): CtdcRow {
  if (!isCalendarDate(record.registeredOn)) throw new RangeError('registeredOn is not a calendar date YYYY-MM-DD');
  const row: CtdcRow = {
    yearOfRegistration: record.registeredOn.slice(0, 4),
    gender: ctdcGender(record.gender),
    ageBroad: ctdcAgeBroad(record.ageAtRegistration),
    citizenship: ctdcCountry(record.citizenship),
    CountryOfExploitation: ctdcCountry(record.countryOfExploitation),
    traffickMonths: ctdcTraffickMonths(record.exploitationMonths),
    // Every flag off to start with, written out: a literal is much faster than spreading a constant.
    meansDebtBondageEarnings: null,
    meansThreats: null,
    meansAbusePsyPhySex: null,
    meansFalsePromises: null,
    meansDrugsAlcohol: null,
    meansDenyBasicNeeds: null,
    meansExcessiveWorkHours: null,
    meansWithholdDocs: null,
    isForcedLabour: null,
    isSexualExploit: null,
    isOtherExploit: null,
    typeOfLabourAgriculture: null,
    typeOfLabourConstruction: null,
    typeOfLabourDomesticWork: null,
    typeOfLabourHospitality: null,
    typeOfSexProstitution: null,
    typeOfSexPornography: null,
    recruiterRelationIntimatePartner: null,
    recruiterRelationFriend: null,
    recruiterRelationFamily: null,
    recruiterRelationOther: null,
  };
  for (const field of CODE_LIST_FIELDS) {
    const flagOf = FLAG_BY_CODE[field];
    for (const code of record[field]) {
      const column = flagOf.get(code);
      if (column !== undefined) row[column] = 1;
      // Any exploitation type without a flag of its own (forced marriage, servitude, …) is "other".
      else if (field === 'exploitationTypes') row.isOtherExploit = 1;
    }
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Generalisation hierarchies

type AgeLevel = 'codebook' | 'wide' | 'minor-adult';
type YearLevel = 'year' | 'three-year period' | 'dropped';

/** One rung of the ladder: how age and year are generalised, and whether rare values are recoded. */
interface LadderStep {
  ageBroad: AgeLevel;
  yearOfRegistration: YearLevel;
  rareValuesRecoded: boolean;
}

/** The ladder, least generalised first; each step coarsens the previous one (see the file comment). */
const LADDER: readonly LadderStep[] = [
  { ageBroad: 'codebook', yearOfRegistration: 'year', rareValuesRecoded: false },
  { ageBroad: 'codebook', yearOfRegistration: 'year', rareValuesRecoded: true },
  { ageBroad: 'wide', yearOfRegistration: 'year', rareValuesRecoded: true },
  { ageBroad: 'wide', yearOfRegistration: 'three-year period', rareValuesRecoded: true },
  { ageBroad: 'minor-adult', yearOfRegistration: 'three-year period', rareValuesRecoded: true },
  { ageBroad: 'minor-adult', yearOfRegistration: 'dropped', rareValuesRecoded: true },
];

const WIDE_BAND: { readonly [B in CtdcAgeBand]: (typeof CTDC_WIDE_AGE_BANDS)[number] } = {
  '0--8': '0--17',
  '9--17': '0--17',
  '18--20': '18--29',
  '21--23': '18--29',
  '24--26': '18--29',
  '27--29': '18--29',
  '30--38': '30--47',
  '39--47': '30--47',
  '48+': '48+',
};

function generaliseAge(band: CtdcAgeBroad, level: AgeLevel): CtdcAgeBroad {
  if (band === '' || level === 'codebook') return band;
  // Level-0 rows only hold codebook bands; the cast names that.
  const wide = WIDE_BAND[band as CtdcAgeBand];
  if (level === 'wide') return wide;
  return wide === '0--17' ? '0--17' : '18+';
}

/** '2020' → '2019--2021': fixed three-year periods starting on years divisible by 3. */
function generaliseYear(year: string, level: YearLevel): string {
  if (level === 'year' || year === '') return year;
  if (level === 'dropped') return '';
  const y = Number(year);
  const start = y - (y % 3);
  return `${start}--${start + 2}`;
}

/** The nominal QIs whose rare values are recoded to ''. */
const RECODED_COLUMNS = ['gender', 'citizenship', 'CountryOfExploitation'] as const;
type RecodedColumn = (typeof RECODED_COLUMNS)[number];
type RareValues = Record<RecodedColumn, ReadonlySet<string>>;

type Qis = Pick<CtdcRow, CtdcQiColumn>;

/** One QI value at a ladder step: the single place that says what each step does to each column. */
function generaliseValue(column: CtdcQiColumn, value: string, step: LadderStep, rare: RareValues): string {
  switch (column) {
    case 'yearOfRegistration':
      return generaliseYear(value, step.yearOfRegistration);
    case 'ageBroad':
      return generaliseAge(value as CtdcAgeBroad, step.ageBroad);
    case 'gender':
    case 'citizenship':
    case 'CountryOfExploitation':
      return step.rareValuesRecoded && rare[column].has(value) ? '' : value;
  }
}

/** A row's QIs at a ladder step. */
function generalise(row: CtdcRow, step: LadderStep, rare: RareValues): Qis {
  return {
    yearOfRegistration: generaliseValue('yearOfRegistration', row.yearOfRegistration, step, rare),
    gender: generaliseValue('gender', row.gender, step, rare) as CtdcGender,
    ageBroad: generaliseValue('ageBroad', row.ageBroad, step, rare) as CtdcAgeBroad,
    citizenship: generaliseValue('citizenship', row.citizenship, step, rare),
    CountryOfExploitation: generaliseValue('CountryOfExploitation', row.CountryOfExploitation, step, rare),
  };
}

/**
 * One QI column with its values interned: the distinct level-0 values, and each record's index into them.
 * Generalising then works on the few distinct values, not on every record, and a record's group becomes
 * one number instead of a joined string (no string built or hashed per record per level).
 */
interface InternedColumn {
  column: CtdcQiColumn;
  values: string[];
  counts: number[];
  ids: Uint32Array;
}

function intern(rows: readonly CtdcRow[], column: CtdcQiColumn): InternedColumn {
  const index = new Map<string, number>();
  const values: string[] = [];
  const counts: number[] = [];
  const ids = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i]![column];
    let id = index.get(value);
    if (id === undefined) {
      id = values.length;
      index.set(value, id);
      values.push(value);
      counts.push(0);
    }
    counts[id]!++;
    ids[i] = id;
  }
  return { column, values, counts, ids };
}

/** For each recoded column, the non-empty values held by fewer than k records of the whole input. */
function rareValues(columns: readonly InternedColumn[], k: number): RareValues {
  const rare = { gender: new Set<string>(), citizenship: new Set<string>(), CountryOfExploitation: new Set<string>() };
  for (const { column, values, counts } of columns) {
    if (column === 'gender' || column === 'citizenship' || column === 'CountryOfExploitation') {
      values.forEach((value, id) => {
        if (value !== '' && counts[id]! < k) rare[column].add(value);
      });
    }
  }
  return rare;
}

interface Evaluation {
  level: number;
  /** Each record's group at this level, in input order. */
  groups: Float64Array;
  /** Records per group. */
  sizes: Map<number, number>;
  suppressed: number;
}

/**
 * Generalises every record at one level and counts the records in groups smaller than k. O(n).
 * A group number mixes the columns' generalised value numbers in a mixed radix: at most about
 * 10,000 years × 4 genders × 10 age bands × 250² countries ≈ 2.5·10¹⁰, well inside 2⁵³.
 */
function evaluate(columns: readonly InternedColumn[], n: number, level: number, rare: RareValues, k: number): Evaluation {
  const step = LADDER[level]!;
  // Per column: distinct value → number of its generalised value, and how many generalised values there are.
  // Generalised values are numbered in sorted order, so group numbers sort as the QI values do, whatever
  // the input order (the output order is built on that).
  const maps = columns.map(({ column, values, ids }) => {
    const generalised = values.map((value) => generaliseValue(column, value, step, rare));
    const rank = new Map([...new Set(generalised)].sort().map((g, i) => [g, i]));
    return { map: Uint32Array.from(generalised, (g) => rank.get(g)!), radix: rank.size, ids };
  });
  const groups = new Float64Array(n);
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let group = 0;
    for (const { map, radix, ids } of maps) group = group * radix + map[ids[i]!]!;
    groups[i] = group;
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
  }
  let suppressed = 0;
  for (const size of sizes.values()) if (size < k) suppressed += size;
  return { level, groups, sizes, suppressed };
}

/** A number that orders rows on the columns published as is: traffickMonths, then the flags. */
function nonQiRank(row: CtdcRow): number {
  let rank = CTDC_TRAFFICK_MONTHS.indexOf(row.traffickMonths as (typeof CTDC_TRAFFICK_MONTHS)[number]) + 1;
  for (const column of CTDC_FLAG_COLUMNS) rank = rank * 2 + (row[column] === 1 ? 1 : 0);
  return rank; // < 4 · 2²¹
}

// ---------------------------------------------------------------------------------------------
// The export

export interface CtdcExportOptions {
  /** Smallest group size published; an integer ≥ 2. Default 11 (CTDC). */
  k?: number;
  /** Share of the input (0–1) the ladder accepts suppressing before it generalises further. Default 0.05. */
  maxSuppressionRate?: number;
}

/** What was generalised, for the person publishing (counts only, never values). */
export interface CtdcGeneralisation {
  /** The chosen ladder level: 0 = as is … 5 = minor/adult and no year. */
  level: number;
  ageBroad: AgeLevel;
  yearOfRegistration: YearLevel;
  /** Whether gender, citizenship and country values held by fewer than k records became ''. */
  rareValuesRecoded: boolean;
  /** Published rows whose value was blanked by that recoding, per column. */
  recodedRows: Record<RecodedColumn, number>;
  /** The suppression cap used and whether the chosen level met it. */
  maxSuppressionRate: number;
  withinSuppressionCap: boolean;
  /** The levels tried, in order, with the records each would suppress. */
  tried: Array<{ level: number; suppressed: number }>;
  /** One sentence saying the above. */
  description: string;
}

export interface CtdcExport {
  /** The published rows, sorted by QI values, then traffickMonths and flags (never in input order). */
  rows: CtdcRow[];
  k: number;
  /** Input records left out because their QI combination had fewer than k records. */
  suppressed: number;
  /** rows.length; suppressed + published = the input count. */
  published: number;
  generalisation: CtdcGeneralisation;
  qiColumns: readonly CtdcQiColumn[];
}

/**
 * Case records → the k-anonymised CTDC dataset (method in the file comment). O(n) per ladder level plus
 * one sort; 50,000 records take a fraction of a second. Throws RangeError for k not an integer ≥ 2, a
 * `maxSuppressionRate` outside 0–1, or a record whose `registeredOn` is not a date (naming its index).
 */
export function buildCtdcExport(records: readonly CtCaseForPublication[], options: CtdcExportOptions = {}): CtdcExport {
  const k = options.k ?? CTDC_DEFAULT_K;
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer of at least 2, got ${k}`);
  const maxSuppressionRate = options.maxSuppressionRate ?? CTDC_DEFAULT_MAX_SUPPRESSION_RATE;
  if (!(maxSuppressionRate >= 0 && maxSuppressionRate <= 1)) throw new RangeError(`maxSuppressionRate must be between 0 and 1, got ${maxSuppressionRate}`);

  const base = records.map((record, i) => {
    try {
      return mapToCtdcRow(record);
    } catch (e) {
      throw new RangeError(`record ${i}: ${(e as Error).message}`, { cause: e });
    }
  });
  const columns = CTDC_QI_COLUMNS.map((column) => intern(base, column));
  const rare = rareValues(columns, k);

  // Walk the ladder: stop at the first level within the cap, else keep the first with the fewest suppressed.
  const cap = maxSuppressionRate * base.length;
  const tried: Array<{ level: number; suppressed: number }> = [];
  let chosen: Evaluation | undefined;
  let best: Evaluation | undefined;
  for (let level = 0; level < LADDER.length; level++) {
    const ev = evaluate(columns, base.length, level, rare, k);
    tried.push({ level, suppressed: ev.suppressed });
    if (best === undefined || ev.suppressed < best.suppressed) best = ev;
    if (ev.suppressed <= cap) {
      chosen = ev;
      break;
    }
  }
  chosen ??= best!;

  // Suppress small groups; order what is left by QI values, then by the published-as-is columns.
  const step = LADDER[chosen.level]!;
  const kept: number[] = [];
  for (let i = 0; i < base.length; i++) if (chosen.sizes.get(chosen.groups[i]!)! >= k) kept.push(i);
  const rest = new Float64Array(base.length);
  for (const i of kept) rest[i] = nonQiRank(base[i]!);
  const { groups } = chosen;
  kept.sort((a, b) => groups[a]! - groups[b]! || rest[a]! - rest[b]!);

  // Publish: each kept row with its generalised QIs (the level-0 rows are ours to overwrite).
  const recodedRows: Record<RecodedColumn, number> = { gender: 0, citizenship: 0, CountryOfExploitation: 0 };
  const rows = kept.map((i) => {
    const row = base[i]!;
    const q = generalise(row, step, rare);
    for (const column of RECODED_COLUMNS) if (q[column] !== row[column]) recodedRows[column]++;
    row.yearOfRegistration = q.yearOfRegistration;
    row.gender = q.gender;
    row.ageBroad = q.ageBroad;
    row.citizenship = q.citizenship;
    row.CountryOfExploitation = q.CountryOfExploitation;
    return row;
  });

  const withinSuppressionCap = chosen.suppressed <= cap;
  const description =
    `Level ${chosen.level}: age ${step.ageBroad === 'codebook' ? 'in codebook bands' : step.ageBroad === 'wide' ? 'in wide bands' : 'as minor or adult'}, ` +
    `year of registration ${step.yearOfRegistration === 'year' ? 'as is' : step.yearOfRegistration === 'three-year period' ? 'in three-year periods' : 'dropped'}, ` +
    `${step.rareValuesRecoded ? `values held by fewer than ${k} records withheld` : 'no values withheld'}; ` +
    `${chosen.suppressed} of ${base.length} records suppressed (k = ${k}${withinSuppressionCap ? '' : `, above the ${maxSuppressionRate * 100} % cap at every level`}).`;

  return {
    rows,
    k,
    suppressed: chosen.suppressed,
    published: rows.length,
    generalisation: {
      level: chosen.level,
      ageBroad: step.ageBroad,
      yearOfRegistration: step.yearOfRegistration,
      rareValuesRecoded: step.rareValuesRecoded,
      recodedRows,
      maxSuppressionRate,
      withinSuppressionCap,
      tried,
      description,
    },
    qiColumns: CTDC_QI_COLUMNS,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** A field as CSV: null → '', quoted when it holds a comma, quote or line break (RFC 4180). */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csvLine(row: CtdcRow): string {
  return CTDC_COLUMNS.map((column) => csvField(row[column])).join(',');
}

/**
 * Rows as CSV in the CTDC column order: a header line, then one line per row, each ending in CRLF; flags
 * are '1' or empty. The values are codebook text and validated country codes, so none starts with a
 * spreadsheet formula character; no CSV library is needed for them.
 */
export function toCsv(rows: readonly CtdcRow[]): string {
  return [CTDC_COLUMNS.join(','), ...rows.map(csvLine)].map((line) => `${line}\r\n`).join('');
}
