import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The bundled list of common passwords (about 49,000, from zxcvbn-ts), lower-cased.
 * Kept out of the browser bundle: only the server imports this file.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  (dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()),
);
