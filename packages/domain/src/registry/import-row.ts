/**
 * Bulk import: the columns a file may carry, and turning one row of text into a person to register.
 * Pure: the server's import job streams rows through `parseImportRow` and writes what comes out.
 */
import { z } from 'zod';
import {
  DOCUMENT_TYPES,
  NewPersonFields,
  POPULATION_GROUPS,
  RELATIONSHIPS,
  SPECIFIC_NEEDS,
  estimatedBirthDate,
  isCalendarDate,
  personRuleProblems,
  type DobPrecision,
  type DocumentType,
  type Relationship,
  type Sex,
  type SpecificNeed,
} from './model.ts';

/** A column Passage can import, with the header names it recognises by itself (any language of the interface). */
export interface ImportTarget {
  key: string;
  label: string;
  required?: boolean;
  synonyms?: string[];
}

export const IMPORT_TARGETS: readonly ImportTarget[] = [
  { key: 'external_id', label: 'External id', synonyms: ['id', 'record id', 'record_id', 'case id', 'source id', 'identifiant', 'id externe', 'identificador', 'المعرف'] },
  { key: 'household_ref', label: 'Household reference', synonyms: ['household', 'household id', 'hh id', 'family id', 'ménage', 'menage', 'hogar', 'الأسرة'] },
  { key: 'relationship', label: 'Relationship to head', synonyms: ['relation', 'relationship to head', 'lien', 'parentesco', 'صلة القرابة'] },
  { key: 'given_name', label: 'Given name', required: true, synonyms: ['first name', 'firstname', 'forename', 'prénom', 'prenom', 'nombre', 'nombres', 'الاسم', 'الاسم الأول'] },
  { key: 'middle_name', label: "Middle (father's) name", synonyms: ['middle', "father's name", 'father name', 'patronymic', 'second name', 'nom du père', 'segundo nombre', 'اسم الأب'] },
  { key: 'family_name', label: 'Family name', synonyms: ['surname', 'last name', 'lastname', 'nom', 'nom de famille', 'apellido', 'apellidos', 'اسم العائلة', 'الكنية'] },
  { key: 'name_original_script', label: 'Name in original script', synonyms: ['original name', 'full name original', 'name original', 'native name', 'nom original', 'nombre original', 'الاسم بالعربية'] },
  { key: 'aliases', label: 'Other names (separated by ;)', synonyms: ['alias', 'aka', 'other names', 'autres noms', 'otros nombres'] },
  { key: 'sex', label: 'Sex', required: true, synonyms: ['gender', 'sexe', 'sexo', 'الجنس'] },
  { key: 'date_of_birth', label: 'Date of birth', synonyms: ['dob', 'birth date', 'birthdate', 'date de naissance', 'fecha de nacimiento', 'تاريخ الميلاد'] },
  { key: 'dob_precision', label: 'Date of birth precision', synonyms: ['dob precision', 'precision'] },
  { key: 'age', label: 'Stated age (when no date of birth)', synonyms: ['age', 'âge', 'edad', 'العمر'] },
  { key: 'nationality', label: 'Nationality (ISO 3166 alpha-3)', synonyms: ['citizenship', 'nationalité', 'nacionalidad', 'الجنسية'] },
  { key: 'country_of_birth', label: 'Country of birth', synonyms: ['birth country', 'pays de naissance', 'país de nacimiento', 'بلد الميلاد'] },
  { key: 'population_group', label: 'Population group', required: true, synonyms: ['population type', 'status', 'groupe de population', 'grupo de población', 'الفئة'] },
  { key: 'phone', label: 'Phone', synonyms: ['phone number', 'mobile', 'telephone', 'téléphone', 'teléfono', 'celular', 'الهاتف'] },
  { key: 'document_type', label: 'Document type', synonyms: ['id type', 'type de document', 'tipo de documento', 'نوع الوثيقة'] },
  { key: 'document_number', label: 'Document number', synonyms: ['id number', 'passport number', 'passport', 'numéro de document', 'número de documento', 'رقم الوثيقة'] },
  { key: 'document_country', label: 'Document issuing country', synonyms: ['issuing country', "pays d'émission", 'país de emisión'] },
  { key: 'languages', label: 'Languages (ISO 639, separated by ;)', synonyms: ['language', 'langues', 'idiomas', 'اللغات'] },
  { key: 'specific_needs', label: 'Specific needs (codes separated by ;)', synonyms: ['needs', 'vulnerabilities', 'besoins spécifiques', 'necesidades específicas'] },
  { key: 'admin_area_code', label: 'Administrative area (P-code)', synonyms: ['pcode', 'p-code', 'admin code', 'location code'] },
];

/** One problem of one row, named by the file's own column. */
export interface ImportProblem {
  row: number;
  column: string | null;
  message: string;
}

/** A row ready to write. */
export interface ImportedPerson {
  externalId: string | null;
  householdRef: string | null;
  relationship: Relationship | null;
  givenName: string;
  middleName: string | null;
  familyName: string | null;
  fullNameOriginal: string | null;
  aliases: string[];
  sex: Sex;
  dateOfBirth: string | null;
  dobPrecision: DobPrecision;
  nationality: string | null;
  countryOfBirth: string | null;
  populationGroup: string;
  phone: string | null;
  documentType: DocumentType | null;
  documentNumber: string | null;
  documentCountry: string | null;
  languages: string[];
  specificNeeds: SpecificNeed[];
  adminAreaCode: string | null;
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase().replace(/[\s-]+/g, '_');

const SEX_WORDS: Record<string, Sex> = {
  f: 'female', female: 'female', woman: 'female', girl: 'female', femme: 'female', feminin: 'female', mujer: 'female', femenino: 'female', 'أنثى': 'female', 'انثى': 'female',
  m: 'male', male: 'male', man: 'male', boy: 'male', homme: 'male', masculin: 'male', hombre: 'male', masculino: 'male', 'ذكر': 'male',
  other: 'other', autre: 'other', otro: 'other', x: 'other',
  unknown: 'unknown', u: 'unknown', inconnu: 'unknown', desconocido: 'unknown',
};
const POPULATION_WORDS: Record<string, string> = {
  ...Object.fromEntries(POPULATION_GROUPS.map((g) => [g, g])),
  idp: 'internally_displaced',
  refugie: 'refugee',
  refugiado: 'refugee',
  "demandeur_d'asile": 'asylum_seeker',
  solicitante_de_asilo: 'asylum_seeker',
  migrant_in_an_irregular_situation: 'irregular_migrant',
  host: 'host_community',
};

/** Reads a date as ISO (YYYY-MM-DD), day-first (DD/MM/YYYY, DD.MM.YYYY) or a year alone; returns the date and its precision. */
export function parseImportDate(raw: string): { date: string; precision: DobPrecision } | null {
  const s = raw.trim();
  if (isCalendarDate(s)) return { date: s, precision: 'exact' };
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) {
    const d = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
    return isCalendarDate(d) ? { date: d, precision: 'exact' } : null;
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) return isCalendarDate(`${s}-01`) ? { date: `${s}-01`, precision: 'month' } : null;
  m = /^(\d{4})$/.exec(s);
  if (m) return { date: `${s}-01-01`, precision: 'year' };
  return null;
}

const list = (s: string) => s.split(/[;|]/).map((x) => x.trim()).filter((x) => x.length > 0);

/**
 * Turns a row into a person, or the row's problems. `mapping` gives, for each target key, the file's
 * column (or null). Problems name the file's column so the user can find the cell.
 */
export function parseImportRow(values: Record<string, string>, rowNumber: number, mapping: Record<string, string | null>, today: string): { person: ImportedPerson; problems: [] } | { person: null; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const col = (key: string) => mapping[key] ?? null;
  const get = (key: string): string => {
    const c = col(key);
    return c === null ? '' : (values[c] ?? '').trim();
  };
  const fail = (key: string, message: string) => problems.push({ row: rowNumber, column: col(key) ?? key, message });

  const sexRaw = get('sex');
  const sex = SEX_WORDS[fold(sexRaw)] ?? SEX_WORDS[sexRaw.trim()];
  if (!sex) fail('sex', sexRaw === '' ? 'required' : `"${sexRaw}" is not a sex (female, male, other, unknown)`);
  const groupRaw = get('population_group');
  const populationGroup = POPULATION_WORDS[fold(groupRaw)];
  if (!populationGroup) fail('population_group', groupRaw === '' ? 'required' : `"${groupRaw}" is not a population group`);

  let dateOfBirth: string | null = null;
  let dobPrecision: DobPrecision = 'exact';
  const dobRaw = get('date_of_birth');
  if (dobRaw !== '') {
    const parsed = parseImportDate(dobRaw);
    if (!parsed) fail('date_of_birth', `"${dobRaw}" is not a real date (YYYY-MM-DD, DD/MM/YYYY or a year)`);
    else {
      dateOfBirth = parsed.date;
      dobPrecision = parsed.precision;
    }
  } else if (get('age') !== '') {
    const age = Number(get('age'));
    if (!Number.isInteger(age) || age < 0 || age > 120) fail('age', `"${get('age')}" is not an age in years`);
    else {
      dateOfBirth = estimatedBirthDate(age, today);
      dobPrecision = 'estimated';
    }
  }
  const precisionRaw = get('dob_precision');
  if (precisionRaw !== '') {
    if (['exact', 'month', 'year', 'estimated'].includes(fold(precisionRaw))) dobPrecision = fold(precisionRaw) as DobPrecision;
    else fail('dob_precision', 'exact, month, year or estimated');
  }
  if (dateOfBirth) for (const p of personRuleProblems({ dateOfBirth }, today)) fail('date_of_birth', p.message);

  let relationship: Relationship | null = null;
  if (get('relationship') !== '') {
    const r = fold(get('relationship'));
    if ((RELATIONSHIPS as readonly string[]).includes(r)) relationship = r as Relationship;
    else fail('relationship', `"${get('relationship')}" is not one of ${RELATIONSHIPS.join(', ')}`);
  }
  let documentType: DocumentType | null = null;
  const documentNumber = get('document_number') || null;
  if (documentNumber) {
    const t = fold(get('document_type') || 'other');
    if ((DOCUMENT_TYPES as readonly string[]).includes(t)) documentType = t as DocumentType;
    else fail('document_type', `"${get('document_type')}" is not one of ${DOCUMENT_TYPES.join(', ')}`);
    if (!/^[\p{L}\p{N} ./-]{1,60}$/u.test(documentNumber)) fail('document_number', 'letters, digits, spaces, dots, slashes and hyphens only (at most 60)');
  }
  const specificNeeds: SpecificNeed[] = [];
  for (const n of list(get('specific_needs'))) {
    if ((SPECIFIC_NEEDS as readonly string[]).includes(fold(n))) specificNeeds.push(fold(n) as SpecificNeed);
    else fail('specific_needs', `"${n}" is not a specific need code`);
  }

  // The person's own fields go through the same schema as a registration in the browser.
  const fields = {
    givenName: get('given_name'),
    middleName: get('middle_name'),
    familyName: get('family_name'),
    fullNameOriginal: get('name_original_script'),
    aliases: list(get('aliases')),
    sex: sex ?? 'unknown',
    nationality: get('nationality').toUpperCase() || null,
    countryOfBirth: get('country_of_birth').toUpperCase() || null,
    languages: list(get('languages')).map((l) => l.toLowerCase()),
    populationGroup: populationGroup ?? 'other',
    adminAreaCode: get('admin_area_code').toUpperCase() || null,
    externalId: get('external_id') || null,
  };
  const KEY_OF: Record<string, string> = { givenName: 'given_name', middleName: 'middle_name', familyName: 'family_name', fullNameOriginal: 'name_original_script', aliases: 'aliases', nationality: 'nationality', countryOfBirth: 'country_of_birth', languages: 'languages', adminAreaCode: 'admin_area_code', externalId: 'external_id' };
  const parsed = NewPersonFields.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fail(KEY_OF[String(issue.path[0])] ?? String(issue.path[0]), issue.message);
  }
  const documentCountry = get('document_country').toUpperCase() || null;
  if (documentCountry && !z.string().regex(/^[A-Z]{3}$/).safeParse(documentCountry).success) fail('document_country', 'ISO 3166-1 alpha-3 code');
  if (problems.length > 0 || !parsed.success) return { person: null, problems };
  const p = parsed.data;
  return {
    person: {
      externalId: p.externalId ?? null,
      householdRef: get('household_ref') || null,
      relationship,
      givenName: p.givenName,
      middleName: p.middleName ?? null,
      familyName: p.familyName ?? null,
      fullNameOriginal: p.fullNameOriginal ?? null,
      aliases: p.aliases,
      sex: p.sex,
      dateOfBirth,
      dobPrecision,
      nationality: p.nationality ?? null,
      countryOfBirth: p.countryOfBirth ?? null,
      populationGroup: p.populationGroup,
      phone: get('phone') || null,
      documentType,
      documentNumber,
      documentCountry,
      languages: p.languages,
      specificNeeds,
      adminAreaCode: p.adminAreaCode ?? null,
    },
    problems: [],
  };
}
