import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { PREPARE } from './connect.ts';
import { createTestDatabase } from './testing.ts';

describe('statements marked PREPARE', () => {
  it('are prepared once per connection and shape; others are not; results and errors are the same', async () => {
    const database = await createTestDatabase();
    try {
      // One connection, so every statement meets the same session.
      await database.db.connection().execute(async (db) => {
        const prepared = async () => (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);
        for (let i = 0; i < 3; i++) {
          const r = await sql<{ n: number }>`${sql.raw(PREPARE)} SELECT ${i}::int + 1 AS n`.execute(db);
          assert.equal(r.rows[0]!.n, i + 1);
        }
        await sql<{ n: number }>`SELECT ${5}::int AS n`.execute(db);
        const statements = await prepared();
        assert.equal(statements.length, 1, JSON.stringify(statements));
        assert.ok(statements[0]!.startsWith(PREPARE));
        // A failing statement fails as it would unprepared, and the connection goes on.
        await assert.rejects(sql`${sql.raw(PREPARE)} SELECT 1 / ${0}::int`.execute(db), /division by zero/);
        await assert.rejects(sql`${sql.raw(PREPARE)} SELEC ${1}`.execute(db), /syntax error/);
        assert.equal((await sql<{ n: number }>`${sql.raw(PREPARE)} SELECT ${41}::int + 1 AS n`.execute(db)).rows[0]!.n, 42);
        // Past the bound (64 shapes sent, the one that failed to parse among them), new shapes run unprepared.
        for (let i = 0; i < 80; i++) assert.equal((await sql<Record<string, number>>`${sql.raw(PREPARE)} SELECT ${i}::int AS ${sql.raw(`c${i}`)}`.execute(db)).rows[0]![`c${i}`], i);
        assert.equal((await prepared()).length, 63);
      });
    } finally {
      await database.close();
    }
  });
});
