import { sql, type Kysely } from 'kysely';

/**
 * Keys of blind indexes (an HMAC of a sensitive value, so a list can be filtered without decrypting it: specific
 * needs), stored wrapped by the master key like the data keys. They were derived from the master key, so rotating
 * the master key silently changed them and every index written before no longer matched a search. Stored, they
 * are re-wrapped by a rotation and stay the same. A missing key is stored at start with the value it was derived
 * to until now (EncryptionService.open), so indexes already written keep matching.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE index_key (
      purpose text PRIMARY KEY,
      wrapped bytea NOT NULL,
      master_key_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE index_key`.execute(db);
}
