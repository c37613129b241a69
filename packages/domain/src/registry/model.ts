/**
 * The registry's data model: people, identity documents, specific needs, consent, households.
 *
 * One set of zod schemas, used by the server (request validation, OpenAPI) and by the web app
 * (validation as you type), so both say the same thing about the same input. Pure: the clock is a
 * parameter wherever "today" matters.
 */
import countries from 'i18n-iso-countries';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** How much of a date of birth is known. `estimated` = computed from a stated age. */
export const DOB_PRECISIONS = ['exact', 'month', 'year', 'estimated'] as const;
export type DobPrecision = (typeof DOB_PRECISIONS)[number];

export const POPULATION_GROUPS = [
  'refugee',
  'asylum_seeker',
  'internally_displaced',
  'returnee',
  'migrant_worker',
  'irregular_migrant',
  'stateless',
  'host_community',
  'other',
] as const;
export type PopulationGroup = (typeof POPULATION_GROUPS)[number];

export const DOCUMENT_TYPES = ['passport', 'national_id', 'birth_certificate', 'refugee_document', 'laissez_passer', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The controlled list of vulnerabilities and specific needs. `disability` is derived from the Washington Group answers. */
export const SPECIFIC_NEEDS = [
  'unaccompanied_or_separated_child',
  'single_parent',
  'older_person_at_risk',
  'pregnant_or_lactating',
  'serious_medical_condition',
  'disability',
  'survivor_of_violence',
  'at_risk_of_trafficking',
  'other',
] as const;
export type SpecificNeed = (typeof SPECIFIC_NEEDS)[number];

/** The Washington Group Short Set: six domains, four answer levels. */
export const WG_DOMAINS = ['seeing', 'hearing', 'walking', 'remembering', 'self_care', 'communicating'] as const;
export const WG_LEVELS = ['no_difficulty', 'some_difficulty', 'a_lot_of_difficulty', 'cannot_do_at_all'] as const;
export type WgDomain = (typeof WG_DOMAINS)[number];
export type WgLevel = (typeof WG_LEVELS)[number];

export const CONSENT_PURPOSES = ['registration', 'assistance', 'referral', 'government_sharing', 'research'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const CONSENT_METHODS = ['verbal', 'signed', 'thumbprint'] as const;

export const RELATIONSHIPS = [
  'head',
  'spouse',
  'child',
  'parent',
  'sibling',
  'grandchild',
  'grandparent',
  'other_relative',
  'unrelated',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** Standard age bands of humanitarian reporting. */
export const AGE_BANDS = ['0-4', '5-11', '12-17', '18-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

// ---------------------------------------------------------------------------------------------
// Value rules (pure functions, unit-tested)

const ALPHA3 = new Set(Object.keys(countries.getAlpha3Codes()));

/** True for an ISO 3166-1 alpha-3 code of a current country. */
export function isCountryCode(code: string): boolean {
  return ALPHA3.has(code);
}

/** True for a real calendar date written YYYY-MM-DD (2023-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= dim;
}

/** Today as YYYY-MM-DD in UTC. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Completed years between a date of birth and a day (both YYYY-MM-DD). */
/** A calendar day (YYYY-MM-DD) moved by n days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The standard age band of an age in years. */
export function ageBand(age: number): AgeBand {
  if (age < 5) return '0-4';
  if (age < 12) return '5-11';
  if (age < 18) return '12-17';
  if (age < 60) return '18-59';
  return '60+';
}

/** A date of birth estimated from a stated age: 1 July of the year that makes the age right today (the convention of estimated dates). */
export function estimatedBirthDate(statedAge: number, today: string): string {
  const year = Number(today.slice(0, 4)) - statedAge - (today.slice(5) < '07-01' ? 1 : 0);
  return `${String(year).padStart(4, '0')}-07-01`;
}

/** Washington Group rule: "disability" when any domain is "a lot of difficulty" or "cannot do at all". */
export function hasWgDisability(answers: Partial<Record<WgDomain, WgLevel>> | null | undefined): boolean {
  if (!answers) return false;
  return Object.values(answers).some((a) => a === 'a_lot_of_difficulty' || a === 'cannot_do_at_all');
}

/** Normalises a phone number to E.164; null when it is not a valid number (local formats use the default country). */
export function toE164(raw: string, defaultCountryAlpha3?: string | null): string | null {
  const alpha2 = defaultCountryAlpha3 ? countries.alpha3ToAlpha2(defaultCountryAlpha3) : undefined;
  const parsed = parsePhoneNumberFromString(raw, { defaultCountry: alpha2 as CountryCode | undefined, extract: false });
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** Letters of any script (a name must hold at least one). */
const HAS_LETTER = /\p{L}/u;
/** Control characters, never part of a name. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** Collapses runs of whitespace and trims. */
export function tidySpaces(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Schemas

/** A name part: 1–100 characters after tidying, at least one letter, no control characters. */
export const NamePart = z
  .string()
  .transform(tidySpaces)
  .pipe(
    z
      .string()
      .min(1, 'required')
      .max(100, 'at most 100 characters')
      .refine((s) => HAS_LETTER.test(s), 'must contain letters')
      .refine((s) => !CONTROL.test(s), 'contains control characters'),
  );
/** An optional name part: empty means absent. */
export const OptionalNamePart = z
  .string()
  .transform(tidySpaces)
  .pipe(
    z
      .string()
      .max(100, 'at most 100 characters')
      .refine((s) => s === '' || HAS_LETTER.test(s), 'must contain letters')
      .refine((s) => !CONTROL.test(s), 'contains control characters'),
  )
  .transform((s) => (s === '' ? null : s))
  .nullable()
  .optional();
/** A full name in the original script (up to 200 characters). */
const OriginalName = z
  .string()
  .transform(tidySpaces)
  .pipe(z.string().max(200, 'at most 200 characters').refine((s) => s === '' || HAS_LETTER.test(s), 'must contain letters').refine((s) => !CONTROL.test(s), 'contains control characters'))
  .transform((s) => (s === '' ? null : s))
  .nullable()
  .optional();

export const CountryCodeSchema = z.string().refine(isCountryCode, 'unknown ISO 3166-1 alpha-3 country code');
export const DateString = z.string().refine(isCalendarDate, 'not a real date (YYYY-MM-DD)');
export const LanguageCode = z.string().regex(/^[a-z]{2,3}$/, 'ISO 639 code (2 or 3 lower-case letters)');

export const WashingtonGroupSchema = z.object(Object.fromEntries(WG_DOMAINS.map((d) => [d, z.enum(WG_LEVELS).optional()])) as Record<WgDomain, z.ZodOptional<z.ZodEnum<{ [K in WgLevel]: K }>>>).strict();

export const SpecificNeedsSchema = z
  .object({
    needs: z.array(z.enum(SPECIFIC_NEEDS)).max(SPECIFIC_NEEDS.length).default([]),
    washingtonGroup: WashingtonGroupSchema.nullable().optional(),
    note: z.string().max(2000).transform(tidySpaces).nullable().optional(),
  })
  .strict();
export type SpecificNeeds = z.infer<typeof SpecificNeedsSchema>;

/** The needs as stored: `disability` added or removed to agree with the Washington Group answers when they are given. */
export function effectiveNeeds(sn: SpecificNeeds | null | undefined): SpecificNeed[] {
  if (!sn) return [];
  const set = new Set(sn.needs);
  if (sn.washingtonGroup) {
    if (hasWgDisability(sn.washingtonGroup)) set.add('disability');
    else set.delete('disability');
  }
  return SPECIFIC_NEEDS.filter((n) => set.has(n));
}

/** The fields of an identity document (adding one and changing one share them). */
const documentShape = {
  type: z.enum(DOCUMENT_TYPES),
  number: z
    .string()
    .transform(tidySpaces)
    .pipe(z.string().min(1, 'required').max(60, 'at most 60 characters').regex(/^[\p{L}\p{N} ./-]+$/u, 'letters, digits, spaces, dots, slashes and hyphens only')),
  issuingCountry: CountryCodeSchema.nullable().optional(),
  issueDate: DateString.nullable().optional(),
  expiryDate: DateString.nullable().optional(),
};

/** Checks that hold across fields of a document: a document expires after it was issued. */
export function documentRuleProblems(d: { issueDate?: string | null | undefined; expiryDate?: string | null | undefined }): { path: string; message: string }[] {
  return d.issueDate && d.expiryDate && d.expiryDate <= d.issueDate ? [{ path: 'expiryDate', message: 'must be after the issue date' }] : [];
}

const withDocumentRules = (d: { issueDate?: string | null | undefined; expiryDate?: string | null | undefined }, ctx: z.RefinementCtx): void => {
  for (const p of documentRuleProblems(d)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
};

export const DocumentInputSchema = z
  .object({ id: z.string().uuid().optional(), ...documentShape })
  .strict()
  .superRefine(withDocumentRules);
export type DocumentInput = z.infer<typeof DocumentInputSchema>;

/**
 * Changing a document: any of its fields (absent = unchanged, null = cleared), with the version of the person read
 * (a document belongs to the person's record). The cross-field rule is checked here on what is sent, and by the
 * server again on the document as it would be after the change.
 */
export const DocumentUpdateSchema = z
  .object(documentShape)
  .partial()
  .extend({ version: z.number().int().min(1) })
  .strict()
  .superRefine(withDocumentRules);
export type DocumentUpdate = z.infer<typeof DocumentUpdateSchema>;

/** Document numbers compare without spaces, dots, slashes, hyphens and case. */
export function documentKey(number: string): string {
  return number.normalize('NFKC').toUpperCase().replace(/[\s./-]+/gu, '');
}

export const ConsentInputSchema = z
  .object({
    purpose: z.enum(CONSENT_PURPOSES),
    granted: z.boolean(),
    method: z.enum(CONSENT_METHODS),
    language: LanguageCode,
  })
  .strict();
export type ConsentInput = z.infer<typeof ConsentInputSchema>;

/** A phone number as typed; normalised to E.164 against the person's nationality or office country. */
export const PhoneInput = z.string().trim().min(3).max(40).regex(/^[+\d\s().-]+$/, 'digits, spaces, +, (, ), . and - only');

/** The fields of a person that are edited together (registration and update share them). */
const personShape = {
  givenName: NamePart,
  middleName: OptionalNamePart,
  familyName: OptionalNamePart,
  fullNameOriginal: OriginalName,
  aliases: z.array(NamePart).max(10),
  sex: z.enum(SEXES),
  dateOfBirth: DateString.nullable().optional(),
  dobPrecision: z.enum(DOB_PRECISIONS),
  nationality: CountryCodeSchema.nullable().optional(),
  countryOfBirth: CountryCodeSchema.nullable().optional(),
  languages: z.array(LanguageCode).max(10),
  phones: z.array(PhoneInput).max(5),
  adminAreaCode: z.string().trim().regex(/^[A-Z]{2,3}[0-9A-Z]{0,12}$/, 'a P-code such as SY0102').nullable().optional(),
  populationGroup: z.enum(POPULATION_GROUPS),
  /** An id in another system (an import's external id): unique per office. */
  externalId: z.string().trim().min(1).max(100).nullable().optional(),
};

/** Checks that hold across fields of a person, given today (YYYY-MM-DD). */
export function personRuleProblems(p: { dateOfBirth?: string | null | undefined; dobPrecision?: DobPrecision | undefined }, today: string): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (p.dateOfBirth) {
    if (p.dateOfBirth > today) problems.push({ path: 'dateOfBirth', message: 'is in the future' });
    else if (ageOn(p.dateOfBirth, today) > 120) problems.push({ path: 'dateOfBirth', message: 'more than 120 years ago' });
  }
  return problems;
}

/** Adds the cross-field person rules to a zod refinement. */
export const withPersonRules = <T extends { dateOfBirth?: string | null | undefined; dobPrecision?: DobPrecision | undefined }>(value: T, ctx: z.RefinementCtx): void => {
  for (const p of personRuleProblems(value, isoDay(new Date()))) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
};

/** A new person's own fields (with documents, needs and consent given at registration), before cross-field rules. */
export const NewPersonFields = z
  .object({
    ...personShape,
    aliases: personShape.aliases.default([]),
    dobPrecision: personShape.dobPrecision.default('exact'),
    languages: personShape.languages.default([]),
    phones: personShape.phones.default([]),
    documents: z.array(DocumentInputSchema).max(20).default([]),
    specificNeeds: SpecificNeedsSchema.nullable().optional(),
    consents: z
      .array(ConsentInputSchema)
      .max(CONSENT_PURPOSES.length)
      .default([])
      .refine((c) => new Set(c.map((x) => x.purpose)).size === c.length, 'one answer per purpose'),
  })
  .strict();

/** Registering one person. */
export const PersonCreateSchema = NewPersonFields.superRefine(withPersonRules);
export type PersonCreate = z.infer<typeof PersonCreateSchema>;
export type PersonCreateInput = z.input<typeof PersonCreateSchema>;

/** Changing a person: any of the fields (absent = unchanged), with the version read. Documents have their own routes. */
export const PersonUpdateSchema = z
  .object(personShape)
  .partial()
  .extend({ specificNeeds: SpecificNeedsSchema.nullable().optional(), version: z.number().int().min(1) })
  .strict()
  .superRefine(withPersonRules);
export type PersonUpdate = z.infer<typeof PersonUpdateSchema>;

/** The fields of a person whose values are sensitive: their changes are logged by name only. */
export const SENSITIVE_PERSON_FIELDS = ['specificNeeds'] as const;

// ---------------------------------------------------------------------------------------------
// Registration ids

const CHECK_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, O: they read as 1, 0

/** A check character over the id (Luhn mod N), so a mistyped digit is caught before a lookup. */
export function registrationCheckChar(body: string): string {
  const n = CHECK_ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const code = CHECK_ALPHABET.indexOf(body[i]!);
    if (code < 0) continue;
    let addend = factor * code;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return CHECK_ALPHABET[(n - (sum % n)) % n]!;
}

/** The registration id of the n-th person registered at an office: `NL-PORT-000123-K`. */
export function formatRegistrationId(officeCode: string, sequence: number): string {
  const body = `${officeCode}-${String(sequence).padStart(6, '0')}`;
  return `${body}-${registrationCheckChar(body)}`;
}

/** True when a string is a well-formed registration id with a correct check character. */
export function isRegistrationId(s: string): boolean {
  const m = /^([A-Z0-9][A-Z0-9-]{1,15})-(\d{6,})-([0-9A-Z])$/.exec(s.trim().toUpperCase());
  return m !== null && registrationCheckChar(`${m[1]}-${m[2]}`) === m[3];
}
