import { sql, type Kysely } from 'kysely';

/**
 * The case engine: cases (one person, one office, a declared type with its state machine), their timeline,
 * assessments, plan, services, notes, tasks, attachments, referrals to partner organisations, transfers
 * between offices, named workers, teams of offices, and break-glass access grants.
 *
 * Rows of a restricted (sensitive) case type keep their free text sealed (`sealed` = true: the text columns
 * hold envelope-encrypted values, the record id and column name as associated data).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE team_membership (
      office_id uuid NOT NULL REFERENCES office(id),
      team text NOT NULL,
      user_id uuid NOT NULL REFERENCES app_user(id),
      added_by uuid REFERENCES app_user(id),
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (office_id, team, user_id)
    );
    CREATE INDEX team_membership_user_idx ON team_membership (user_id);

    CREATE TABLE partner (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id uuid NOT NULL REFERENCES office(id),
      name text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
      services text[] NOT NULL DEFAULT '{}',
      areas text[] NOT NULL DEFAULT '{}',
      contact_email text,
      contact_phone text,
      active boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX partner_office_idx ON partner (office_id);

    CREATE TABLE case_file (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id uuid NOT NULL REFERENCES office(id),
      case_number text NOT NULL UNIQUE,
      type text NOT NULL,
      sensitivity text NOT NULL CHECK (sensitivity IN ('standard', 'restricted')),
      team text NOT NULL,
      status text NOT NULL,
      person_id uuid NOT NULL REFERENCES person(id),
      owner_id uuid REFERENCES app_user(id),
      supervisor_id uuid REFERENCES app_user(id),
      risk_level text NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
      opened_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      closure_reason text,
      -- The type's fields: plain JSON for standard types, sealed JSON for restricted ones.
      details jsonb NOT NULL DEFAULT '{}',
      details_sealed text,
      awaiting_supervisor boolean NOT NULL DEFAULT false,
      plan jsonb,
      plan_sealed text,
      plan_status text CHECK (plan_status IN ('draft', 'submitted', 'approved')),
      plan_version integer NOT NULL DEFAULT 0,
      plan_goals integer NOT NULL DEFAULT 0,
      plan_updated_by uuid REFERENCES app_user(id),
      plan_updated_at timestamptz,
      plan_approved_by uuid REFERENCES app_user(id),
      plan_approved_at timestamptz,
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX case_file_office_open_idx ON case_file (office_id, opened_at DESC) WHERE closed_at IS NULL;
    CREATE INDEX case_file_office_idx ON case_file (office_id, opened_at DESC);
    CREATE INDEX case_file_owner_idx ON case_file (owner_id) WHERE closed_at IS NULL;
    CREATE INDEX case_file_supervisor_await_idx ON case_file (office_id) WHERE awaiting_supervisor;
    CREATE INDEX case_file_person_idx ON case_file (person_id);

    CREATE TABLE case_member (
      case_id uuid NOT NULL REFERENCES case_file(id),
      user_id uuid NOT NULL REFERENCES app_user(id),
      added_by uuid REFERENCES app_user(id),
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, user_id)
    );
    CREATE INDEX case_member_user_idx ON case_member (user_id);

    -- The timeline: everything that happened to a case, in order. No personal data in data (ids, codes, field names).
    CREATE TABLE case_event (
      id bigserial PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES case_file(id),
      office_id uuid NOT NULL REFERENCES office(id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid REFERENCES app_user(id),
      kind text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX case_event_case_idx ON case_event (case_id, id DESC);

    CREATE TABLE case_note (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES case_file(id),
      office_id uuid NOT NULL REFERENCES office(id),
      body text NOT NULL,
      sensitive boolean NOT NULL DEFAULT false,
      sealed boolean NOT NULL DEFAULT false,
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX case_note_case_idx ON case_note (case_id, created_at DESC);

    CREATE TABLE case_assessment (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES case_file(id),
      office_id uuid NOT NULL REFERENCES office(id),
      number integer NOT NULL,
      assessed_on date NOT NULL,
      summary text NOT NULL,
      risk_level text NOT NULL,
      needs text[] NOT NULL DEFAULT '{}',
      sealed boolean NOT NULL DEFAULT false,
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (case_id, number)
    );

    CREATE TABLE case_service (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES case_file(id),
      office_id uuid NOT NULL REFERENCES office(id),
      type text NOT NULL,
      delivered_on date NOT NULL,
      partner_id uuid REFERENCES partner(id),
      provider text,
      cost numeric(14, 2),
      currency text CHECK (currency ~ '^[A-Z]{3}$'),
      funding text,
      note text,
      sealed boolean NOT NULL DEFAULT false,
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX case_service_case_idx ON case_service (case_id);
    CREATE INDEX case_service_office_idx ON case_service (office_id, delivered_on);

    CREATE TABLE case_task (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES case_file(id),
      office_id uuid NOT NULL REFERENCES office(id),
      key text,
      title text NOT NULL,
      due_on date NOT NULL,
      remind_on date,
      assignee_id uuid REFERENCES app_user(id),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
      completed_at timestamptz,
      completed_by uuid REFERENCES app_user(id),
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX case_task_case_idx ON case_task (case_id);
    CREATE INDEX case_task_assignee_open_idx ON case_task (assignee_id, due_on) WHERE status = 'open';
    CREATE INDEX case_task_office_open_idx ON case_task (office_id, due_on) WHERE status = 'open';

    CREATE TABLE case_attachment (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES case_file(id),
      office_id uuid NOT NULL REFERENCES office(id),
      file_name text NOT NULL,
      media_type text NOT NULL,
      bytes bigint NOT NULL,
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      scan text NOT NULL,
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX case_attachment_case_idx ON case_attachment (case_id);

    CREATE TABLE referral (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES case_file(id),
      office_id uuid NOT NULL REFERENCES office(id),
      direction text NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
      partner_id uuid NOT NULL REFERENCES partner(id),
      services text[] NOT NULL DEFAULT '{}',
      reason text NOT NULL,
      urgency text NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine', 'urgent')),
      status text NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'completed', 'withdrawn')),
      sealed boolean NOT NULL DEFAULT false,
      -- The consent that allowed it, or the override (a reason, who, audited) when there was none.
      consent_id bigint REFERENCES consent(id),
      consent_override_reason text,
      consent_override_by uuid REFERENCES app_user(id),
      -- Seen by the case's workers (an incoming referral is "new" until then).
      acknowledged boolean NOT NULL DEFAULT false,
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      CHECK (direction = 'incoming' OR consent_id IS NOT NULL OR consent_override_reason IS NOT NULL)
    );
    CREATE INDEX referral_case_idx ON referral (case_id);
    CREATE INDEX referral_office_status_idx ON referral (office_id, status);
    CREATE INDEX referral_override_idx ON referral (office_id, created_at DESC) WHERE consent_override_reason IS NOT NULL;

    CREATE TABLE case_transfer (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES case_file(id),
      from_office_id uuid NOT NULL REFERENCES office(id),
      to_office_id uuid NOT NULL REFERENCES office(id),
      reason text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'cancelled')),
      requested_by uuid REFERENCES app_user(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid REFERENCES app_user(id),
      decided_at timestamptz,
      note text,
      sealed boolean NOT NULL DEFAULT false
    );
    CREATE UNIQUE INDEX case_transfer_pending_key ON case_transfer (case_id) WHERE status = 'pending';
    CREATE INDEX case_transfer_to_idx ON case_transfer (to_office_id) WHERE status = 'pending';

    CREATE TABLE break_glass (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES case_file(id),
      office_id uuid NOT NULL REFERENCES office(id),
      user_id uuid NOT NULL REFERENCES app_user(id),
      reason text NOT NULL,
      granted_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX break_glass_user_idx ON break_glass (user_id, case_id, expires_at DESC);
    CREATE INDEX break_glass_office_idx ON break_glass (office_id, granted_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE break_glass, case_transfer, referral, case_attachment, case_task, case_service, case_assessment, case_note, case_event, case_member, case_file, partner, team_membership`.execute(db);
}
