/**
 * A person as the forms hold it (strings as typed), and its conversion to the API's shape.
 * Empty strings mean "not given"; the shared zod schemas then say what is wrong as the user types.
 */
import {
  CONSENT_PURPOSES,
  NewPersonFields,
  PersonUpdateSchema,
  RELATIONSHIPS,
  withPersonRules,
  type ConsentPurpose,
  type DobPrecision,
  type DocumentType,
  type PopulationGroup,
  type Relationship,
  type Sex,
  type SpecificNeed,
  type WgDomain,
  type WgLevel,
} from '@passage/domain/registry/model';
import { z } from 'zod';
import type { PersonDto } from './registry-api.ts';

export type ConsentMethod = 'verbal' | 'signed' | 'thumbprint';

export interface DocumentDraft {
  key: string;
  type: DocumentType | '';
  number: string;
  issuingCountry: string;
  issueDate: string;
  expiryDate: string;
}

export interface ConsentDraft {
  answer: '' | 'yes' | 'no';
  method: ConsentMethod;
  language: string;
}

export interface NeedsDraft {
  needs: SpecificNeed[];
  washingtonGroup: Partial<Record<WgDomain, WgLevel>>;
  note: string;
}

/** The fields every person form edits. */
export interface PersonDraft {
  givenName: string;
  middleName: string;
  familyName: string;
  fullNameOriginal: string;
  /** One alias per line. */
  aliases: string;
  sex: Sex | '';
  dateOfBirth: string;
  dobPrecision: DobPrecision;
  nationality: string;
  countryOfBirth: string;
  /** ISO 639 codes separated by commas or spaces. */
  languages: string;
  phones: string[];
  adminAreaCode: string;
  populationGroup: PopulationGroup | '';
  externalId: string;
}

/** A member of the household being registered. */
export interface MemberDraft extends PersonDraft {
  key: string;
  relationship: Relationship | '';
  documents: DocumentDraft[];
  needs: NeedsDraft;
  consents: Record<ConsentPurpose, ConsentDraft>;
}

let seq = 0;
/** A key unique in this page, for React lists. */
export function newKey(prefix: string): string {
  seq += 1;
  return `${prefix}-${seq}`;
}

export function emptyPerson(): PersonDraft {
  return {
    givenName: '',
    middleName: '',
    familyName: '',
    fullNameOriginal: '',
    aliases: '',
    sex: '',
    dateOfBirth: '',
    dobPrecision: 'exact',
    nationality: '',
    countryOfBirth: '',
    languages: '',
    phones: [],
    adminAreaCode: '',
    populationGroup: '',
    externalId: '',
  };
}

export function emptyDocument(): DocumentDraft {
  return { key: newKey('doc'), type: '', number: '', issuingCountry: '', issueDate: '', expiryDate: '' };
}

export function emptyConsents(language: string): Record<ConsentPurpose, ConsentDraft> {
  return Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, { answer: '', method: 'verbal', language }])) as Record<ConsentPurpose, ConsentDraft>;
}

export function emptyMember(relationship: Relationship | '', language: string, from?: Partial<PersonDraft>): MemberDraft {
  return {
    ...emptyPerson(),
    ...from,
    key: newKey('member'),
    relationship,
    documents: [],
    needs: { needs: [], washingtonGroup: {}, note: '' },
    consents: emptyConsents(language),
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s);
const list = (s: string, sep: RegExp): string[] => s.split(sep).map((x) => x.trim()).filter(Boolean);

/** The person's own fields in the API's shape (before the schema tidies them). */
export function personFields(d: PersonDraft) {
  return {
    givenName: d.givenName,
    middleName: orNull(d.middleName),
    familyName: orNull(d.familyName),
    fullNameOriginal: orNull(d.fullNameOriginal),
    aliases: list(d.aliases, /\n/),
    // An unchosen select stays undefined so the schema says "required" rather than "invalid".
    sex: d.sex || undefined,
    dateOfBirth: orNull(d.dateOfBirth),
    dobPrecision: d.dobPrecision,
    nationality: orNull(d.nationality),
    countryOfBirth: orNull(d.countryOfBirth),
    languages: list(d.languages.toLowerCase(), /[\s,;]+/),
    phones: d.phones.map((p) => p.trim()).filter(Boolean),
    adminAreaCode: orNull(d.adminAreaCode.toUpperCase()),
    populationGroup: d.populationGroup || undefined,
    externalId: orNull(d.externalId),
  };
}

export function documentInput(d: DocumentDraft) {
  return {
    type: d.type || undefined,
    number: d.number,
    issuingCountry: orNull(d.issuingCountry),
    issueDate: orNull(d.issueDate),
    expiryDate: orNull(d.expiryDate),
  };
}

/** A recorded document as an editable draft (keyed by its id). */
export function documentDraftFrom(d: PersonDto['documents'][number]): DocumentDraft {
  return { key: d.id, type: d.type, number: d.number, issuingCountry: d.issuingCountry ?? '', issueDate: d.issueDate ?? '', expiryDate: d.expiryDate ?? '' };
}

const DOCUMENT_FIELDS = ['type', 'number', 'issuingCountry', 'issueDate', 'expiryDate'] as const;
export type DocumentField = (typeof DOCUMENT_FIELDS)[number];

/** The document fields whose value differs between two drafts. */
export function changedDocumentFields(before: DocumentDraft, after: DocumentDraft): DocumentField[] {
  return DOCUMENT_FIELDS.filter((k) => before[k] !== after[k]);
}

/** The user's edits of a document (what differs from `base`) put on top of a newer version of it. */
export function rebaseDocument(base: DocumentDraft, edited: DocumentDraft, latest: DocumentDraft): DocumentDraft {
  const out: DocumentDraft = { ...latest };
  for (const k of changedDocumentFields(base, edited)) (out as unknown as Record<string, unknown>)[k] = edited[k];
  return out;
}

/**
 * The PATCH body of a document: the changed fields as the shared schema tidied them (`valid`, the whole edited
 * document validated; a field emptied is sent as null), and the version of the person read.
 */
export function documentUpdateBody(base: DocumentDraft, edited: DocumentDraft, valid: Partial<Record<DocumentField, string | null | undefined>>, version: number): Record<string, unknown> & { version: number } {
  const body: Record<string, unknown> & { version: number } = { version };
  for (const k of changedDocumentFields(base, edited)) body[k] = valid[k] ?? null;
  return body;
}

export function needsInput(n: NeedsDraft) {
  const wg = Object.fromEntries(Object.entries(n.washingtonGroup).filter(([, v]) => Boolean(v)));
  if (n.needs.length === 0 && Object.keys(wg).length === 0 && !n.note.trim()) return null;
  return { needs: n.needs, washingtonGroup: Object.keys(wg).length > 0 ? wg : null, note: orNull(n.note) };
}

export function consentInputs(c: Record<ConsentPurpose, ConsentDraft>) {
  return CONSENT_PURPOSES.filter((p) => c[p].answer !== '').map((p) => ({ purpose: p, granted: c[p].answer === 'yes', method: c[p].method, language: c[p].language }));
}

/** A member as RegistrationSchema wants it. */
export function memberInput(m: MemberDraft, withNeeds: boolean) {
  return {
    ...personFields(m),
    relationship: m.relationship || undefined,
    documents: m.documents.map(documentInput),
    ...(withNeeds ? { specificNeeds: needsInput(m.needs) } : {}),
    consents: consentInputs(m.consents),
  };
}

/** The registration's member schema: the shared person fields plus a relationship. */
export const MemberSchema = NewPersonFields.extend({ relationship: z.enum(RELATIONSHIPS) }).superRefine(withPersonRules);

/** Validates one member as typed; `input` is what was validated (for telling "missing" from "wrong"). */
export function validateMember(m: MemberDraft, withNeeds: boolean) {
  const input = memberInput(m, withNeeds);
  return { ...MemberSchema.safeParse(input), input };
}

/** A PersonDto as an editable draft. */
export function draftFromPerson(p: PersonDto): PersonDraft {
  return {
    givenName: p.givenName,
    middleName: p.middleName ?? '',
    familyName: p.familyName ?? '',
    fullNameOriginal: p.fullNameOriginal ?? '',
    aliases: p.aliases.join('\n'),
    sex: p.sex,
    dateOfBirth: p.dateOfBirth ?? '',
    dobPrecision: p.dobPrecision,
    nationality: p.nationality ?? '',
    countryOfBirth: p.countryOfBirth ?? '',
    languages: p.languages.join(', '),
    phones: [...p.phones],
    adminAreaCode: p.adminAreaCode ?? '',
    populationGroup: p.populationGroup,
    externalId: p.externalId ?? '',
  };
}

export function needsDraftFromPerson(p: PersonDto): NeedsDraft {
  const sn = p.specificNeeds;
  return { needs: sn ? [...sn.needs] : [], washingtonGroup: { ...(sn?.washingtonGroup ?? {}) }, note: sn?.note ?? '' };
}

type FieldKey = keyof PersonDraft;
const FIELD_KEYS = Object.keys(emptyPerson()) as FieldKey[];

/** The draft fields whose value differs between two drafts. */
export function changedFields(before: PersonDraft, after: PersonDraft): FieldKey[] {
  return FIELD_KEYS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** Rebases the user's edits (what differs from `base`) onto a newer record, for a stale-version reload. */
export function rebase(base: PersonDraft, edited: PersonDraft, latest: PersonDraft): PersonDraft {
  const out: PersonDraft = { ...latest };
  for (const k of changedFields(base, edited)) (out as unknown as Record<string, unknown>)[k] = edited[k];
  return out;
}

/** The PATCH body: only the changed fields, in API shape, plus the version read. */
export function updateBody(base: PersonDraft, edited: PersonDraft, version: number, needs?: { before: NeedsDraft; after: NeedsDraft }) {
  const fields = personFields(edited) as Record<string, unknown>;
  const body: Record<string, unknown> = { version };
  for (const k of changedFields(base, edited)) body[k] = fields[k];
  if (needs && JSON.stringify(needs.before) !== JSON.stringify(needs.after)) body['specificNeeds'] = needsInput(needs.after);
  return body;
}

export function validateUpdate(body: Record<string, unknown>) {
  return PersonUpdateSchema.safeParse(body);
}

