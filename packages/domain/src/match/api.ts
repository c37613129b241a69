/**
 * The matching engine's API shapes in the platform: batch deduplication runs, the review queue of
 * candidate pairs, reviewer decisions, and reversible merges. Shared by the server (request and
 * response schemas, OpenAPI) and the web app (types of what it sends and receives).
 */
import { z } from 'zod';
import { DocumentDto, PersonSummaryDto } from '../registry/api.ts';
import { MatchExplanationDto } from './explanation.ts';

export * from './explanation.ts';

// ---------------------------------------------------------------------------------------------
// Batch deduplication runs (a pg-boss job over the people of one office or of every office the user sees)

export const MATCH_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const StartMatchRunSchema = z
  .object({
    /** Limit the run to one office (and its sub-offices); omitted: every office the user may review. */
    officeId: z.string().uuid().optional(),
  })
  .strict();
export type StartMatchRun = z.infer<typeof StartMatchRunSchema>;

export const MatchRunDto = z.object({
  id: z.string(),
  officeId: z.string().nullable(),
  status: z.enum(MATCH_RUN_STATUSES),
  /** prepare, train, block, score, cluster, save */
  stage: z.string().nullable(),
  /** 0..1 */
  progress: z.number(),
  records: z.number().int(),
  pairsScored: z.number().int(),
  pairsForReview: z.number().int(),
  clusters: z.number().int(),
  message: z.string().nullable(),
  startedBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** A cancellation was asked for and the job has not stopped yet. */
  cancelRequested: z.boolean(),
});
export type MatchRunDto = z.infer<typeof MatchRunDto>;

// ---------------------------------------------------------------------------------------------
// The review queue

export const PAIR_STATUSES = ['open', 'same', 'different', 'unsure', 'merged'] as const;
export type PairStatus = (typeof PAIR_STATUSES)[number];
export const REVIEW_DECISIONS = ['same', 'different', 'unsure'] as const;

/** A person as the side-by-side view shows them: both scripts, documents and phones. */
export const MatchPersonDto = PersonSummaryDto.extend({
  documents: z.array(DocumentDto),
  phones: z.array(z.string()),
  /** Set when this person was merged into another: the survivor's id. */
  mergedInto: z.string().nullable(),
});
export type MatchPersonDto = z.infer<typeof MatchPersonDto>;

export const MatchPairDto = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  probability: z.number(),
  status: z.enum(PAIR_STATUSES),
  /** The engine's cluster for this pair (stable id: the smallest person id of the cluster). */
  clusterId: z.string().nullable(),
  /** Why the pair is in the queue: between the thresholds, or refused by the chaining guard. */
  reason: z.string().nullable(),
  a: MatchPersonDto,
  b: MatchPersonDto,
  explanation: MatchExplanationDto,
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
  version: z.number().int(),
});
export type MatchPairDto = z.infer<typeof MatchPairDto>;

export const MatchPairQuery = z
  .object({
    status: z.enum(PAIR_STATUSES).default('open'),
    officeId: z.string().uuid().optional(),
    minProbability: z.coerce.number().min(0).max(1).optional(),
    maxProbability: z.coerce.number().min(0).max(1).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type MatchPairQuery = z.infer<typeof MatchPairQuery>;

export const MatchPairListDto = z.object({
  items: z.array(MatchPairDto),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type MatchPairListDto = z.infer<typeof MatchPairListDto>;

export const PairDecisionSchema = z
  .object({
    decision: z.enum(REVIEW_DECISIONS),
    note: z.string().trim().max(2000).optional(),
    /** The pair's version as read: a stale decision gets 409 with the current pair. */
    version: z.number().int(),
  })
  .strict();
export type PairDecision = z.infer<typeof PairDecisionSchema>;

// ---------------------------------------------------------------------------------------------
// Merges: reversible. A merge records everything it moved; unmerge restores both records exactly.

/** Person fields a reviewer may take from the merged record instead of the survivor's. */
export const MERGEABLE_FIELDS = ['givenName', 'middleName', 'familyName', 'fullNameOriginal', 'sex', 'dateOfBirth', 'nationality', 'countryOfBirth', 'phones', 'aliases'] as const;
export type MergeableField = (typeof MERGEABLE_FIELDS)[number];

export const MergeSchema = z
  .object({
    survivorId: z.string().uuid(),
    mergedId: z.string().uuid(),
    /** The reviewed pair this merge resolves, if any (marked "merged"). */
    pairId: z.string().uuid().optional(),
    /** Fields to take from the merged record; every other field keeps the survivor's value. */
    takeFromMerged: z.array(z.enum(MERGEABLE_FIELDS)).max(MERGEABLE_FIELDS.length).default([]),
    /** Both records' versions as read: a stale merge gets 409. */
    survivorVersion: z.number().int(),
    mergedVersion: z.number().int(),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();
export type MergeInput = z.input<typeof MergeSchema>;

export const MergeDto = z.object({
  id: z.string(),
  survivorId: z.string(),
  mergedId: z.string(),
  pairId: z.string().nullable(),
  /** What the merge moved, by kind: e.g. { documents: 2, consents: 1, householdMemberships: 1 }. */
  moved: z.record(z.string(), z.number().int()),
  takenFromMerged: z.array(z.enum(MERGEABLE_FIELDS)),
  reason: z.string(),
  mergedBy: z.string(),
  mergedAt: z.string(),
  unmergedBy: z.string().nullable(),
  unmergedAt: z.string().nullable(),
});
export type MergeDto = z.infer<typeof MergeDto>;

export const MergeListQuery = z.object({ personId: z.string().uuid() }).strict();
