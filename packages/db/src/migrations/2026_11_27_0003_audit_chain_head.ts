import { sql, type Kysely } from 'kysely';

/**
 * The audit writer's first step in one round trip: take the chain's advisory lock, then read the last hash.
 * A VOLATILE PL/pgSQL function runs each statement with a fresh snapshot (READ COMMITTED), so the hash is read
 * after the lock is granted and sees the previous holder's committed event — which one statement of the form
 * `SELECT pg_advisory_xact_lock(…), (SELECT hash …)` would not (its snapshot predates the wait). The lock is held
 * from here to the COMMIT, so this is one round trip less inside the chain's critical section.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION audit_chain_head(lock_key bigint) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(lock_key);
      RETURN (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1);
    END $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION audit_chain_head(bigint);`.execute(db);
}
