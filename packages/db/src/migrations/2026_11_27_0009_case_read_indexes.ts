import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the case reads measured at 200,000 cases (bench/RESULTS.md §6): the inbox's "waiting for my approval"
 * (newest first, by office or by named supervisor) and "new incoming referrals" no longer depend on the backlog's
 * size; the dashboard counts open cases from the index alone (INCLUDE columns); the counter-trafficking export
 * walks its type only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX case_file_await_updated_idx ON case_file (updated_at) WHERE awaiting_supervisor;
    CREATE INDEX case_file_await_supervisor_idx ON case_file (supervisor_id, updated_at) WHERE awaiting_supervisor;
    CREATE INDEX referral_incoming_new_idx ON referral (created_at) WHERE direction = 'incoming' AND NOT acknowledged;
    DROP INDEX case_file_office_open_idx;
    CREATE INDEX case_file_office_open_idx ON case_file (office_id, opened_at DESC) INCLUDE (type, status, risk_level, person_id) WHERE closed_at IS NULL;
    DROP INDEX case_service_office_idx;
    CREATE INDEX case_service_office_idx ON case_service (office_id, delivered_on) INCLUDE (type);
    CREATE INDEX case_file_type_idx ON case_file (type, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX case_file_await_updated_idx, case_file_await_supervisor_idx, referral_incoming_new_idx, case_file_type_idx;
    DROP INDEX case_file_office_open_idx;
    CREATE INDEX case_file_office_open_idx ON case_file (office_id, opened_at DESC) WHERE closed_at IS NULL;
    DROP INDEX case_service_office_idx;
    CREATE INDEX case_service_office_idx ON case_service (office_id, delivered_on);
  `.execute(db);
}
