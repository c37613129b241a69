/** How the matching engine explains a score to people: shared by the review queue and the registration duplicate check. */
import { z } from 'zod';

/** The fields the engine compares (packages/match FIELD_NAMES), in display order. */
export const MATCH_FIELDS = ['given', 'middle', 'family', 'dob', 'sex', 'nationality', 'document', 'phone'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

/** One field's part in a pair's score: the explanation shown to reviewers and registration officers. */
export const FieldContributionDto = z.object({
  field: z.enum(MATCH_FIELDS),
  /** The comparison level's label, e.g. "exact", "day and month swapped", "missing". */
  label: z.string(),
  /** log2(m/u) for the level plus any term-frequency adjustment: > 0 argues "same", < 0 "different", 0 missing. */
  weight: z.number(),
  agreement: z.enum(['agree', 'partial', 'disagree', 'missing']),
});
export type FieldContributionDto = z.infer<typeof FieldContributionDto>;

export const MatchExplanationDto = z.object({
  probability: z.number(),
  matchWeight: z.number(),
  prior: z.number(),
  /** "any", "same family name", "same name chain" or "same family and father's name": which population the weights compare against. */
  context: z.string(),
  fields: z.array(FieldContributionDto),
});
export type MatchExplanationDto = z.infer<typeof MatchExplanationDto>;
