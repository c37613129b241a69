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

/** The canonical form of a name's first token; '' when it has none. */
function firstCanonical(name: string | null | undefined): string {
  const token = typeof name === 'string' ? nameTokens(name)[0] : undefined;
  return token === undefined ? '' : canonicalToken(token);
}

/**
 * The "given family" key of a person: the canonical forms of the given name's first token and of the family
 * name's first token, one space between ("fatima " when there is no family name); null when the given name has
 * no token. Indexed in a b-tree, it answers the most common searches, "Given Family" (this exact key) and
 * "Given" alone (the keys that start with "given "), by reading only as many entries as the page needs —
 * a GIN index must gather every entry of a common name first.
 */
export function namePair(givenName: string | null | undefined, familyName: string | null | undefined): string | null {
  const given = firstCanonical(givenName);
  return given === '' ? null : `${given} ${firstCanonical(familyName)}`;
}
