import { sql, type Kysely } from 'kysely';

/** Foundation: offices, users and roles, sessions, the audit hash chain, encryption data keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE office (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      parent_id uuid REFERENCES office(id),
      code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,15}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      kind text NOT NULL CHECK (kind IN ('global', 'country', 'sub_office')),
      country_code text CHECK (country_code ~ '^[A-Z]{3}$'),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      CHECK (parent_id IS DISTINCT FROM id)
    );

    CREATE TABLE app_user (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL,
      display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
      password_hash text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
      locale text NOT NULL DEFAULT 'en',
      mfa_secret text,
      mfa_enabled boolean NOT NULL DEFAULT false,
      mfa_last_step bigint,
      recovery_codes text[] NOT NULL DEFAULT '{}',
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      last_login_at timestamptz,
      oidc_subject text UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );
    CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));

    CREATE TABLE user_role (
      user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      office_id uuid NOT NULL REFERENCES office(id),
      role text NOT NULL,
      granted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, office_id, role)
    );
    CREATE INDEX user_role_office_idx ON user_role (office_id);

    CREATE TABLE session (
      id_hash text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      stage text NOT NULL CHECK (stage IN ('mfa', 'enrol', 'full')),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX session_user_idx ON session (user_id);

    CREATE TABLE audit_event (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_id uuid,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text,
      office_id uuid,
      purpose text,
      request_id text,
      outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
      changed_fields text[] NOT NULL DEFAULT '{}',
      details jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL UNIQUE
    );
    CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, id);
    CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id, id);
    CREATE INDEX audit_event_at_idx ON audit_event (at);

    -- The audit trail is append-only: the database itself refuses changes and deletions.
    CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

    CREATE TABLE data_key (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      wrapped bytea NOT NULL,
      master_key_id text NOT NULL,
      active boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX data_key_one_active ON data_key (active) WHERE active;
  `.execute(db);
}

/** Migrations only move forward in production; `down` exists for development resets. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE data_key, audit_event, session, user_role, app_user, office CASCADE;
    DROP FUNCTION audit_event_append_only();`.execute(db);
}
