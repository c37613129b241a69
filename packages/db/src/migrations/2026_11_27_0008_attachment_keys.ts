import { sql, type Kysely } from 'kysely';

/** Attachments of restricted cases are stored encrypted: each file's own key, sealed (attachment id as associated data). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE case_attachment ADD COLUMN file_key_sealed text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE case_attachment DROP COLUMN file_key_sealed`.execute(db);
}
