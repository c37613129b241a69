/** Minimum password length (NIST SP 800-63B recommends at least 8; Passage holds data on people at risk). */
export const MIN_PASSWORD_LENGTH = 12;
/** Upper bound so that hashing cost cannot be abused with megabyte passwords. */
export const MAX_PASSWORD_LENGTH = 256;

/** Why a password was refused; `null` when acceptable. */
export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email' | null;

/**
 * Checks a candidate password against the house rules: length, a bundled list of
 * common passwords (compared case-insensitively, also with trailing digits and
 * punctuation removed, so "Password123!" counts as "password"), and the account's e-mail.
 */
export function checkPassword(
  password: string,
  commonPasswords: ReadonlySet<string>,
  email?: string,
): PasswordProblem {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[\d\W_]+$/u, '');
  if (commonPasswords.has(lower) || commonPasswords.has(stripped)) return 'common';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'contains_email';
  return null;
}
