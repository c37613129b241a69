import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { migrateTo, migrateToLatest } from '@passage/db';
import { createTestDatabase } from '@passage/db/testing';
import { namePair } from '@passage/match';

describe('migration 2026_11_28_0001_name_pair', () => {
  it('fills the "given family" key of the people registered before it, in batches, and indexes it', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      await migrateTo(fresh.db, '2026_11_27_0011_index_keys');
      await sql`INSERT INTO office (id, code, name, kind, country_code) VALUES ('00000000-0000-0000-0000-0000000000a1', 'MIG', 'Migration test office', 'country', 'NLD')`.execute(fresh.db);
      const names: [string, string | null][] = [['Mohammed', 'Al-Hassan'], ['Олександр', 'Коваленко'], ['Fatima', null], ['.-,!?', 'Hasan'], ['ሰላም', 'ተስፋይ']];
      // More people than one batch of the backfill reads.
      const count = 12_000;
      await sql`
        INSERT INTO person (office_id, registration_id, given_name, family_name, sex, dob_precision, population_group)
        SELECT '00000000-0000-0000-0000-0000000000a1', 'MIG-' || i, (${names.map((n) => n[0])}::text[])[1 + i % 5], (${names.map((n) => n[1])}::text[])[1 + i % 5], 'female', 'exact', 'refugee'
        FROM generate_series(0, ${count - 1}) AS i`.execute(fresh.db);
      await migrateToLatest(fresh.db);
      const rows = (await sql<{ given_name: string; family_name: string | null; name_pair: string | null; n: string }>`
        SELECT given_name, family_name, name_pair, count(*) AS n FROM person GROUP BY 1, 2, 3 ORDER BY 1`.execute(fresh.db)).rows;
      assert.equal(rows.length, names.length, 'one key per name, on every row');
      for (const r of rows) {
        assert.equal(r.name_pair, namePair(r.given_name, r.family_name), r.given_name);
        assert.equal(Number(r.n), count / names.length);
      }
      assert.ok(rows.some((r) => r.name_pair === null), 'a given name without letters has no key');
      const index = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE indexname = 'person_name_pair_idx'`.execute(fresh.db);
      assert.match(index.rows[0]!.indexdef, /btree \(name_pair\)/);
      const collation = await sql<{ collation_name: string }>`SELECT collation_name FROM information_schema.columns WHERE table_name = 'person' AND column_name = 'name_pair'`.execute(fresh.db);
      assert.equal(collation.rows[0]!.collation_name, 'C');
    } finally {
      await fresh.close();
    }
  });
});
