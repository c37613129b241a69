import { sql, type Kysely } from 'kysely';

/**
 * The matching index's catch-up reads the people changed since its last look by `updated_at`. Rows a bulk import
 * wrote and nobody has changed since (version 1, with an import job) are left out of this index, so imports do
 * not pay for it: the catch-up loads a finished import's people by its job instead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX person_changed_idx ON person (updated_at) WHERE import_job_id IS NULL OR version > 1;`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX person_changed_idx;`.execute(db);
}
