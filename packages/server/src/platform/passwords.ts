import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { PassageError, checkPassword } from '@passage/domain';
import { COMMON_PASSWORDS } from '@passage/domain/platform/common-passwords';

// OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
// Algorithm is a const enum that cannot be imported under isolatedModules: 2 is Argon2id.
const ARGON2 = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** True when the password matches the stored hash; false for a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A real argon2id hash of a random string: verifying against it costs what a real check costs,
// so a login for an unknown e-mail takes as long as one for a known e-mail.
let dummyHash: Promise<string> | null = null;
/** Spends the time of one password check, for unknown accounts. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  await verifyPassword(await dummyHash, password);
}

const MESSAGES = {
  too_short: 'Password must be at least 12 characters',
  too_long: 'Password must be at most 256 characters',
  common: 'Password is too common; choose another',
  contains_email: 'Password must not contain the e-mail address',
} as const;

/** Throws a 400 naming `field` when the password breaks the house rules. */
export function assertAcceptablePassword(password: string, email: string, field = 'password'): void {
  const problem = checkPassword(password, COMMON_PASSWORDS, email);
  if (problem) {
    throw new PassageError('validation_failed', MESSAGES[problem], { errors: [{ field, message: MESSAGES[problem] }] });
  }
}
