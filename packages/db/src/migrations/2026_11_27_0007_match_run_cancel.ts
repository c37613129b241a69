import { sql, type Kysely } from 'kysely';

/** Deduplication runs can be cancelled: the job notices the request and stops, storing nothing. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE match_run ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE match_run DROP COLUMN cancel_requested`.execute(db);
}
