import { canonicalToken } from './canonical.ts';
import { nameTokens } from './normalise.ts';
import { skeleton } from './skeleton.ts';

/**
 * Keys to index a person's names under, and to look a query up with (a GIN array index in PostgreSQL): for each
 * token of every name given, its canonical token, the canonical token's skeleton and, when it differs, the
 * token's own skeleton (a spelling outside any class still meets its class's other spellings that way).
 * Deduplicated and sorted.
 */
export function nameKeys(...names: (string | null | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string') continue;
    for (const token of nameTokens(name)) {
      const canonical = canonicalToken(token);
      keys.add(canonical);
      keys.add(skeleton(canonical));
      keys.add(skeleton(token));
    }
  }
  keys.delete('');
  return [...keys].sort();
}

/** One folded Latin string of all the names, for trigram search: tokens canonicalised, deduplicated, in order. */
export function searchText(...names: (string | null | undefined)[]): string {
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string') continue;
    for (const token of nameTokens(name)) seen.add(canonicalToken(token));
  }
  return [...seen].join(' ');
}
