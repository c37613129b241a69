import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { isRegistrationId } from '@passage/domain';
import { createTestDatabase } from '@passage/db/testing';
import { takeRegistrationIds } from './registry.repository.ts';

describe('takeRegistrationIds', () => {
  it('hands out distinct, rising ids to concurrent registrations, reserving the next block before this one runs out', async () => {
    const database = await createTestDatabase();
    try {
      const officeId = '00000000-0000-0000-0000-0000000000b1';
      await sql`INSERT INTO office (id, code, name, kind, country_code) VALUES (${officeId}, 'IDS', 'Id test office', 'country', 'NLD')`.execute(database.db);
      const sequence = async () => Number((await sql<{ n: string }>`SELECT coalesce(max(last_value), 0) AS n FROM office_sequence WHERE office_id = ${officeId}`.execute(database.db)).rows[0]!.n);
      // Households of five, 60 at once: more than two blocks.
      const taken = await Promise.all(Array.from({ length: 60 }, () => takeRegistrationIds(database.db, officeId, 'IDS', 5)));
      const all = taken.flat();
      assert.equal(new Set(all).size, 300, 'no id twice');
      assert.ok(all.every((id) => isRegistrationId(id) && id.startsWith('IDS-')));
      for (const ids of taken) assert.deepEqual([...ids].sort(), ids, 'a household gets its ids in order');
      // Later registrations in this process get higher ids; the background refill has run (or is running) ahead.
      const later = await takeRegistrationIds(database.db, officeId, 'IDS', 1);
      assert.ok(all.every((id) => id < later[0]!), `${later[0]} after ${all.sort().at(-1)}`);
      await new Promise((r) => setTimeout(r, 200));
      const reserved = await sequence();
      assert.ok(reserved >= 301 && reserved <= 301 + 200, `reserved ${reserved}: what was taken, plus at most two blocks ahead`);
    } finally {
      await database.close();
    }
  });
});
