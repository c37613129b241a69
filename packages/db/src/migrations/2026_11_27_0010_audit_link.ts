import { sql, type Kysely } from 'kysely';

/**
 * The audit chain is linked after commit, by one linker at a time, instead of inside every writing transaction.
 *
 * Before: every writer took the chain's advisory lock, read the last hash and held the lock through its COMMIT's
 * WAL flush, so all writes in the system (and all read-audit groups) committed one after another (bench/RESULTS.md
 * §4.4: 36–71 ms of lock wait per registration at 10 clients).
 *
 * Now: a writer only INSERTs its events (same transaction as its change, so both commit or neither); a statement
 * trigger queues their ids in `audit_pending`. The linker (`linkPendingAudit` in the server's audit module) takes
 * the advisory lock, reads the chain's head, hashes the queued events in id order, appends one `audit_link` row per
 * event (its position `seq`, `prev_hash`, `hash`) and removes them from the queue, all in one transaction. The chain
 * order is `seq`: the order events were linked, which is id order among the events committed by then.
 *
 * The links move to their own append-only table so that `audit_event` stays append-only too (no UPDATE to fill the
 * hash in). Existing events keep their links: they become the first `seq`s, in id order, with their stored hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_link (
      seq bigint PRIMARY KEY,
      event_id bigint NOT NULL UNIQUE,
      prev_hash text NOT NULL,
      hash text NOT NULL UNIQUE
    );
    INSERT INTO audit_link (seq, event_id, prev_hash, hash)
      SELECT row_number() OVER (ORDER BY id), id, prev_hash, hash FROM audit_event;
    ALTER TABLE audit_event DROP COLUMN prev_hash, DROP COLUMN hash;

    CREATE TRIGGER audit_link_no_update BEFORE UPDATE OR DELETE ON audit_link
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    CREATE TRIGGER audit_link_no_truncate BEFORE TRUNCATE ON audit_link
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

    -- Events committed but not linked yet. A work queue: the linker deletes what it has linked.
    CREATE TABLE audit_pending (event_id bigint PRIMARY KEY);
    CREATE FUNCTION audit_event_queue_link() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO audit_pending (event_id) SELECT id FROM new_events;
      RETURN NULL;
    END $$;
    CREATE TRIGGER audit_event_queue_link AFTER INSERT ON audit_event
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION audit_event_queue_link();

    DROP FUNCTION audit_chain_head(bigint);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Back to links in the event rows: only possible when every event is linked.
  await sql`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM audit_pending) THEN
        RAISE EXCEPTION 'audit events are waiting to be linked: start Passage once (or run passage audit verify) first';
      END IF;
      -- The old chain is walked in id order: refuse when events were linked in another order.
      IF EXISTS (SELECT 1 FROM (SELECT event_id, lag(event_id) OVER (ORDER BY seq) AS before FROM audit_link) x WHERE x.before > x.event_id) THEN
        RAISE EXCEPTION 'audit events were linked out of id order: the chain cannot move back into the event rows';
      END IF;
    END $$;
    DROP TRIGGER audit_event_queue_link ON audit_event;
    DROP FUNCTION audit_event_queue_link();
    DROP TABLE audit_pending;
    ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update;
    ALTER TABLE audit_event ADD COLUMN prev_hash text, ADD COLUMN hash text;
    UPDATE audit_event e SET prev_hash = l.prev_hash, hash = l.hash FROM audit_link l WHERE l.event_id = e.id;
    ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update;
    ALTER TABLE audit_event ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL, ADD UNIQUE (hash);
    DROP TABLE audit_link;
    CREATE FUNCTION audit_chain_head(lock_key bigint) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(lock_key);
      RETURN (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1);
    END $$;
  `.execute(db);
}
