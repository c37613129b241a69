/**
 * The registry's API shapes (responses and query strings), shared by the server (response schemas,
 * OpenAPI) and the web app (types of what it receives).
 */
import { z } from 'zod';
import {
  AGE_BANDS,
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  DOB_PRECISIONS,
  DOCUMENT_TYPES,
  POPULATION_GROUPS,
  RELATIONSHIPS,
  SEXES,
  SPECIFIC_NEEDS,
  NewPersonFields,
  withPersonRules,
} from './model.ts';
import { MatchExplanationDto } from '../match/explanation.ts';

export const DocumentDto = z.object({
  id: z.string(),
  type: z.enum(DOCUMENT_TYPES),
  number: z.string(),
  issuingCountry: z.string().nullable(),
  issueDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
  version: z.number().int(),
});
export type DocumentDto = z.infer<typeof DocumentDto>;

export const ConsentDto = z.object({
  id: z.string(),
  purpose: z.enum(CONSENT_PURPOSES),
  granted: z.boolean(),
  method: z.enum(CONSENT_METHODS),
  language: z.string(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
  withdrawnAt: z.string().nullable(),
});
export type ConsentDto = z.infer<typeof ConsentDto>;

/** A person as a list or search result shows them. */
export const PersonSummaryDto = z.object({
  id: z.string(),
  registrationId: z.string(),
  officeId: z.string(),
  officeCode: z.string(),
  givenName: z.string(),
  middleName: z.string().nullable(),
  familyName: z.string().nullable(),
  fullNameOriginal: z.string().nullable(),
  sex: z.enum(SEXES),
  dateOfBirth: z.string().nullable(),
  dobPrecision: z.enum(DOB_PRECISIONS),
  age: z.number().int().nullable(),
  nationality: z.string().nullable(),
  populationGroup: z.enum(POPULATION_GROUPS),
  householdId: z.string().nullable(),
  createdAt: z.string(),
});
export type PersonSummaryDto = z.infer<typeof PersonSummaryDto>;

/** A whole person record. `specificNeeds` is null and `specificNeedsHidden` true for users not allowed to see them. */
export const PersonDto = PersonSummaryDto.extend({
  externalId: z.string().nullable(),
  aliases: z.array(z.string()),
  countryOfBirth: z.string().nullable(),
  languages: z.array(z.string()),
  phones: z.array(z.string()),
  adminAreaCode: z.string().nullable(),
  relationship: z.enum(RELATIONSHIPS).nullable(),
  specificNeeds: z
    .object({
      needs: z.array(z.enum(SPECIFIC_NEEDS)),
      washingtonGroup: z.record(z.string(), z.string()).nullable().optional(),
      note: z.string().nullable().optional(),
      /** The needs in force: `disability` follows the Washington Group answers when they are given. */
      effective: z.array(z.enum(SPECIFIC_NEEDS)),
    })
    .nullable(),
  specificNeedsHidden: z.boolean(),
  documents: z.array(DocumentDto),
  /** Every consent record, newest first (withdrawn ones included). */
  consents: z.array(ConsentDto),
  /** The purposes with consent in force now. */
  consentInForce: z.array(z.enum(CONSENT_PURPOSES)),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type PersonDto = z.infer<typeof PersonDto>;

export const HouseholdMemberDto = PersonSummaryDto.extend({ relationship: z.enum(RELATIONSHIPS) });

export const HouseholdDto = z.object({
  id: z.string(),
  officeId: z.string(),
  headPersonId: z.string().nullable(),
  headNote: z.string().nullable(),
  size: z.number().int(),
  members: z.array(HouseholdMemberDto),
  /** Everyone who was ever a member, with when they joined and left. */
  history: z.array(
    z.object({
      personId: z.string(),
      registrationId: z.string(),
      relationship: z.enum(RELATIONSHIPS),
      joinedAt: z.string(),
      leftAt: z.string().nullable(),
    }),
  ),
  version: z.number().int(),
});
export type HouseholdDto = z.infer<typeof HouseholdDto>;

export const PersonChangeDto = z.object({
  version: z.number().int(),
  action: z.string(),
  changedBy: z.string().nullable(),
  changedByName: z.string().nullable(),
  changedAt: z.string(),
  /** Field → { from, to } for ordinary fields; sensitive fields appear with `{ sensitive: true }` only. */
  changes: z.record(z.string(), z.unknown()),
});

/** One registration: a household of one or more new people (or new people joining an existing household). */
export const RegistrationSchema = z
  .object({
    officeId: z.string().uuid(),
    /** Join an existing household instead of creating one. */
    householdId: z.string().uuid().nullable().optional(),
    headNote: z.string().trim().min(3).max(500).nullable().optional(),
    members: z
      .array(
        NewPersonFields.extend({
          relationship: z.enum(RELATIONSHIPS),
          /** The people the duplicate check showed for this member, whom the officer judged to be someone else (ids; with `notDuplicateReason`). */
          notDuplicateOf: z
            .array(z.string().uuid())
            .max(100)
            .refine((ids) => new Set(ids).size === ids.length, 'each person once')
            .optional(),
        }).superRefine(withPersonRules),
      )
      .min(1)
      .max(30),
    /** When the duplicate check found someone and the officer says these are different people: why. */
    notDuplicateReason: z.string().trim().min(3).max(500).nullable().optional(),
  })
  .strict();
export type Registration = z.infer<typeof RegistrationSchema>;
export type RegistrationInput = z.input<typeof RegistrationSchema>;

export const RegistrationResultDto = z.object({
  householdId: z.string(),
  people: z.array(z.object({ id: z.string(), registrationId: z.string() })),
});

/** The duplicate check before saving: a candidate person, and why they may be the same. */
export const DuplicateCandidateDto = z.object({
  person: PersonSummaryDto,
  reasons: z.array(z.enum(['document_number', 'name_and_birth_date', 'phone', 'matching_engine'])),
  /** Matching engine probability when it decided; null for the exact rules. */
  probability: z.number().nullable(),
  /** The engine's per-field explanation, when it scored the candidate. */
  explanation: MatchExplanationDto.nullable().optional(),
});
export const DuplicateCheckSchema = z
  .object({
    givenName: z.string().max(100).optional(),
    middleName: z.string().max(100).nullable().optional(),
    familyName: z.string().max(100).nullable().optional(),
    fullNameOriginal: z.string().max(200).nullable().optional(),
    dateOfBirth: z.string().max(10).nullable().optional(),
    documents: z.array(z.object({ number: z.string().max(60) }).passthrough()).max(20).optional(),
    phones: z.array(z.string().max(40)).max(5).optional(),
    nationality: z.string().max(3).nullable().optional(),
    sex: z.string().max(20).nullable().optional(),
  })
  .passthrough();
export const DuplicateCheckResultDto = z.object({
  candidates: z.array(DuplicateCandidateDto),
  /** Possible matches registered in offices the user cannot see: counted, never shown. */
  elsewhere: z.number().int(),
  /** "ready": the matching engine compared the person with everyone registered; "loading": only the exact rules did (the engine's index is still loading). */
  engine: z.enum(['ready', 'loading']).optional(),
});

export const SEARCH_SORTS = ['relevance', 'name', 'registered', '-registered'] as const;
export const PersonSearchQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    officeId: z.string().uuid().optional(),
    populationGroup: z.enum(POPULATION_GROUPS).optional(),
    sex: z.enum(SEXES).optional(),
    ageBand: z.enum(AGE_BANDS).optional(),
    nationality: z.string().regex(/^[A-Z]{3}$/, 'ISO 3166-1 alpha-3 code').optional(),
    need: z.enum(SPECIFIC_NEEDS).optional(),
    sort: z.enum(SEARCH_SORTS).default('relevance'),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type PersonSearchQuery = z.infer<typeof PersonSearchQuery>;
export const PersonSearchResultDto = z.object({
  items: z.array(PersonSummaryDto.extend({ matchedBy: z.enum(['registration_id', 'document', 'phone', 'name', 'filter']) })),
  /** Total matches, counted up to `totalCap`; `totalIsCapped` when there are more. */
  total: z.number().int(),
  totalIsCapped: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type PersonSearchResultDto = z.infer<typeof PersonSearchResultDto>;

/** Population dashboard figures: counts are numbers, or the string "<5" when masked. */
export const MaskedCount = z.union([z.number().int(), z.literal('<5')]);
export const PopulationStatsDto = z.object({
  total: MaskedCount,
  masked: z.boolean(),
  pyramid: z.array(z.object({ band: z.enum(AGE_BANDS), female: MaskedCount, male: MaskedCount, other: MaskedCount, unknown: MaskedCount })),
  byPopulationGroup: z.array(z.object({ key: z.string(), count: MaskedCount })),
  byNationality: z.array(z.object({ key: z.string(), count: MaskedCount })),
  byOffice: z.array(z.object({ key: z.string(), label: z.string(), count: MaskedCount })),
  byMonth: z.array(z.object({ key: z.string(), count: MaskedCount })),
});
export type PopulationStatsDto = z.infer<typeof PopulationStatsDto>;

/** Masks a count below 5 as "<5" (0 stays 0: an empty cell reveals nobody). */
export function maskCount(n: number, mask: boolean): number | '<5' {
  return mask && n > 0 && n < 5 ? '<5' : n;
}
