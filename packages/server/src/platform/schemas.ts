import { z } from 'zod';

/** A UUID path or body parameter. A malformed id is a 400 naming the field, never a database error. */
export const Uuid = z.string().uuid();

/** An e-mail address, trimmed and lower-cased. */
export const Email = z.string().trim().toLowerCase().max(254).email();

/** True for PostgreSQL's unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
