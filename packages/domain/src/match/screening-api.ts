/** Watchlist screening over HTTP: one person's names against the watchlists of the user's offices. */
import { z } from 'zod';
import { CountryCodeSchema } from '../registry/model.ts';

export const ScreenRequestSchema = z
  .object({
    /** The person's names (e.g. in Latin script and in the original script); the best match counts. */
    names: z.array(z.string().trim().min(1, 'required').max(200, 'at most 200 characters')).min(1, 'give at least one name').max(5),
    /** A full date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY). */
    dateOfBirth: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'YYYY, YYYY-MM or YYYY-MM-DD').nullable().optional(),
    nationality: CountryCodeSchema.nullable().optional(),
    /** Hits at or above this score (default 0.85: review and block bands). */
    threshold: z.number().min(0.5).max(1).default(0.85),
    /** At most this many hits, strongest first (`totalHits` says how many there were). */
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type ScreenRequest = z.infer<typeof ScreenRequestSchema>;

export const ScreenHitDto = z.object({
  watchlistId: z.string(),
  watchlistName: z.string(),
  entryId: z.string(),
  /** The row whose name matched best: the entry itself or one of its aliases. */
  matchedRowId: z.string(),
  matchedName: z.string(),
  score: z.number(),
  nameScore: z.number(),
  band: z.enum(['block', 'review', 'enhanced due diligence', 'below']),
});
export type ScreenHitDto = z.infer<typeof ScreenHitDto>;

export const ScreenResultDto = z.object({
  /** The hits at or above the threshold, strongest first (at most `limit`). */
  hits: z.array(ScreenHitDto),
  /** How many hits there were (more than `hits.length` when the limit cut the list: ask again with a higher limit). */
  totalHits: z.number().int(),
  /**
   * False when a very common name met more similar names on a list than are scored per check: the hits are then the
   * strongest found and `totalHits` is a lower bound (the namesakes left out share fewer name keys with the query).
   */
  complete: z.boolean(),
  listsChecked: z.number().int(),
  entriesChecked: z.number().int(),
});
export type ScreenResultDto = z.infer<typeof ScreenResultDto>;

export const WatchlistDto = z.object({
  id: z.string(),
  officeId: z.string(),
  name: z.string(),
  source: z.string().nullable(),
  entries: z.number().int(),
  version: z.number().int(),
  active: z.boolean(),
  updatedAt: z.string(),
});
export type WatchlistDto = z.infer<typeof WatchlistDto>;
