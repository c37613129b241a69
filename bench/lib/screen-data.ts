import { generateSynthetic, type ScreenQuery, type WatchlistEntry } from '@passage/match';

/**
 * A synthetic watchlist and queries for the screening benchmarks (synthetic.ts, seed 11, fictitious people). Each
 * listed person becomes one entry: the first record's Latin name is the main name; the person's other spellings
 * (other records' Latin names, and the original-script name) are aliases. Queries: half a held-out spelling of a
 * listed person (a record not used for the list), half people not on the list, with the record's date of birth and
 * nationality.
 */
export interface ScreenData {
  entries: WatchlistEntry[];
  listed: number;
  listedQueries: ScreenQuery[];
  /** The entry each listed query should find. */
  listedEntity: string[];
  newQueries: ScreenQuery[];
}

const latin = (r: { givenName?: string | null; middleName?: string | null; familyName?: string | null }) => [r.givenName, r.middleName, r.familyName].filter((x) => x).join(' ');

export function buildScreenData(entriesWanted: number, queries: number): ScreenData {
  // Enough records for the listed people plus queries / 2 people left off the list.
  const data = generateSynthetic({ records: Math.round((entriesWanted + queries) * 1.6), seed: 11 });
  const byEntity = new Map<string, number[]>();
  data.entity.forEach((e, i) => (byEntity.get(e) ?? byEntity.set(e, []).get(e)!).push(i));
  const out: ScreenData = { entries: [], listed: 0, listedQueries: [], listedEntity: [], newQueries: [] };
  for (const recs of byEntity.values()) {
    const first = data.records[recs[0]!]!;
    if (out.listed < entriesWanted) {
      const entryId = `W${String(out.listed).padStart(6, '0')}`;
      out.listed++;
      // Hold out the last record of a person with three or more, as a query.
      const held = recs.length >= 3 && out.listedQueries.length < queries / 2 ? recs[recs.length - 1]! : -1;
      const names = new Set<string>();
      for (const i of recs) {
        if (i === held) continue;
        const r = data.records[i]!;
        const l = latin(r);
        if (l) names.add(l);
        if (r.nameOriginal) names.add(r.nameOriginal);
      }
      const [main, ...aliases] = [...names];
      out.entries.push({ entryId, name: main ?? '', dateOfBirth: first.dateOfBirth ?? null, nationality: first.nationality ?? null });
      aliases.forEach((name, k) => out.entries.push({ entryId: `${entryId}-a${k + 1}`, name, aliasOf: entryId }));
      if (held >= 0) {
        const r = data.records[held]!;
        out.listedQueries.push({ names: [latin(r) || r.nameOriginal || ''], dateOfBirth: r.dateOfBirth ?? null, nationality: r.nationality ?? null });
        out.listedEntity.push(entryId);
      }
    } else if (out.newQueries.length < queries / 2) {
      out.newQueries.push({ names: [latin(first) || first.nameOriginal || ''], dateOfBirth: first.dateOfBirth ?? null, nationality: first.nationality ?? null });
    }
  }
  return out;
}
