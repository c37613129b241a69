import { sql, type Kysely } from 'kysely';
import { namePair } from '@passage/match';

/** People read and keyed per round trip while the column is filled. */
const BATCH = 5_000;

/**
 * The "given family" search key of every person (`namePair` of @passage/match), in a b-tree: the registry's name
 * search reads a common name's first candidates from it without gathering every entry of the name, as the GIN
 * index on `name_keys` must. C collation: a search for a given name alone reads the keys that start with
 * "given " as one range. Filled here for the people registered before it, in batches (the key is computed in
 * TypeScript: canonical forms come from the matching engine's tables, not SQL).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE person ADD COLUMN name_pair text COLLATE "C"`.execute(db);
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: { id: string; given_name: string; family_name: string | null }[] } = await sql<{ id: string; given_name: string; family_name: string | null }>`
      SELECT id, given_name, family_name FROM person ${after === null ? sql`` : sql`WHERE id > ${after}::uuid`} ORDER BY id LIMIT ${BATCH}`.execute(db);
    if (rows.length === 0) break;
    await sql`
      UPDATE person p SET name_pair = v.pair
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => namePair(r.given_name, r.family_name))}::text[]) AS v(id, pair)
      WHERE p.id = v.id`.execute(db);
    after = rows.at(-1)!.id;
  }
  await sql`CREATE INDEX person_name_pair_idx ON person (name_pair)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE person DROP COLUMN name_pair`.execute(db);
}
