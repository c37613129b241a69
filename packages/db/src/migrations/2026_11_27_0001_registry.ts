import { sql, type Kysely } from 'kysely';

/**
 * The registry: people, identity documents, consent, households (with membership history), the
 * per-office registration sequence, each person's change history, and import jobs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE office_sequence (
      office_id uuid NOT NULL REFERENCES office(id),
      name text NOT NULL,
      last_value bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (office_id, name)
    );

    CREATE TABLE household (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id uuid NOT NULL REFERENCES office(id),
      head_person_id uuid,
      -- Why the head is who they are when it needs saying (a child heading the household).
      head_note text CHECK (length(head_note) <= 500),
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX household_office_idx ON household (office_id);

    CREATE TABLE person (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id uuid NOT NULL REFERENCES office(id),
      registration_id text NOT NULL UNIQUE,
      external_id text,
      given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
      middle_name text CHECK (length(middle_name) BETWEEN 1 AND 100),
      family_name text CHECK (length(family_name) BETWEEN 1 AND 100),
      full_name_original text CHECK (length(full_name_original) BETWEEN 1 AND 200),
      aliases text[] NOT NULL DEFAULT '{}',
      sex text NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
      date_of_birth date,
      dob_precision text NOT NULL DEFAULT 'exact' CHECK (dob_precision IN ('exact', 'month', 'year', 'estimated')),
      nationality text CHECK (nationality ~ '^[A-Z]{3}$'),
      country_of_birth text CHECK (country_of_birth ~ '^[A-Z]{3}$'),
      languages text[] NOT NULL DEFAULT '{}',
      phones text[] NOT NULL DEFAULT '{}',
      admin_area_code text,
      population_group text NOT NULL,
      -- Specific needs: an envelope-encrypted JSON document (record id + field name as associated data).
      specific_needs_sealed text,
      -- Blind index of the needs (HMAC of each code under a derived key), so they can be filtered on without decrypting.
      needs_index text[] NOT NULL DEFAULT '{}',
      household_id uuid REFERENCES household(id),
      relationship text,
      -- Search: folded Latin text of every name (trigram index) and name keys (canonical tokens and skeletons).
      search_text text NOT NULL DEFAULT '',
      name_keys text[] NOT NULL DEFAULT '{}',
      registered_by uuid REFERENCES app_user(id),
      -- Set when the person came in through a bulk import (the job holds who, when and from which file).
      import_job_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );
    CREATE UNIQUE INDEX person_external_id_key ON person (office_id, external_id) WHERE external_id IS NOT NULL;
    CREATE INDEX person_office_idx ON person (office_id, created_at);
    CREATE INDEX person_household_idx ON person (household_id);
    CREATE INDEX person_search_trgm_idx ON person USING gin (search_text gin_trgm_ops);
    CREATE INDEX person_name_keys_idx ON person USING gin (name_keys);
    CREATE INDEX person_phones_idx ON person USING gin (phones);
    CREATE INDEX person_dob_idx ON person (date_of_birth);
    ALTER TABLE household ADD CONSTRAINT household_head_fk FOREIGN KEY (head_person_id) REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED;

    CREATE TABLE household_membership (
      id bigserial PRIMARY KEY,
      household_id uuid NOT NULL REFERENCES household(id),
      person_id uuid NOT NULL REFERENCES person(id),
      office_id uuid NOT NULL REFERENCES office(id),
      relationship text NOT NULL,
      joined_at timestamptz NOT NULL DEFAULT now(),
      left_at timestamptz,
      added_by uuid REFERENCES app_user(id),
      removed_by uuid REFERENCES app_user(id)
    );
    CREATE INDEX household_membership_household_idx ON household_membership (household_id);
    CREATE INDEX household_membership_person_idx ON household_membership (person_id);
    CREATE UNIQUE INDEX household_membership_current_key ON household_membership (person_id) WHERE left_at IS NULL;

    CREATE TABLE identity_document (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL REFERENCES person(id),
      office_id uuid NOT NULL REFERENCES office(id),
      type text NOT NULL,
      number text NOT NULL,
      -- The number without spacing and punctuation, upper-cased: what lookups and duplicate checks compare.
      number_key text NOT NULL,
      issuing_country text CHECK (issuing_country ~ '^[A-Z]{3}$'),
      issue_date date,
      expiry_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX identity_document_person_idx ON identity_document (person_id);
    CREATE INDEX identity_document_number_key_idx ON identity_document (number_key);

    CREATE TABLE consent (
      id bigserial PRIMARY KEY,
      person_id uuid NOT NULL REFERENCES person(id),
      office_id uuid NOT NULL REFERENCES office(id),
      purpose text NOT NULL CHECK (purpose IN ('registration', 'assistance', 'referral', 'government_sharing', 'research')),
      granted boolean NOT NULL,
      method text NOT NULL CHECK (method IN ('verbal', 'signed', 'thumbprint')),
      language text NOT NULL,
      recorded_by uuid REFERENCES app_user(id),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      withdrawn_at timestamptz,
      withdrawn_by uuid REFERENCES app_user(id)
    );
    CREATE INDEX consent_person_idx ON consent (person_id, purpose, recorded_at DESC);

    -- A person's own history: who changed which field when (values only of non-sensitive fields).
    CREATE TABLE person_change (
      id bigserial PRIMARY KEY,
      person_id uuid NOT NULL REFERENCES person(id),
      office_id uuid NOT NULL REFERENCES office(id),
      version integer NOT NULL,
      action text NOT NULL,
      changed_by uuid REFERENCES app_user(id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      changes jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX person_change_person_idx ON person_change (person_id, id);

    -- "This is a different person": the officer's reason when registering despite possible duplicates.
    CREATE TABLE duplicate_dismissal (
      id bigserial PRIMARY KEY,
      person_id uuid NOT NULL REFERENCES person(id),
      candidate_ids uuid[] NOT NULL,
      reason text NOT NULL,
      recorded_by uuid REFERENCES app_user(id),
      recorded_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE import_template (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id uuid NOT NULL REFERENCES office(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      mapping jsonb NOT NULL,
      created_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (office_id, name)
    );

    CREATE TABLE import_job (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id uuid NOT NULL REFERENCES office(id),
      created_by uuid REFERENCES app_user(id),
      file_name text NOT NULL,
      file_path text NOT NULL,
      file_bytes bigint NOT NULL,
      mapping jsonb NOT NULL,
      mode text NOT NULL CHECK (mode IN ('dry_run', 'all_or_nothing', 'valid_rows')),
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      cancel_requested boolean NOT NULL DEFAULT false,
      rows_read bigint NOT NULL DEFAULT 0,
      rows_valid bigint NOT NULL DEFAULT 0,
      rows_invalid bigint NOT NULL DEFAULT 0,
      rows_created bigint NOT NULL DEFAULT 0,
      rows_existing bigint NOT NULL DEFAULT 0,
      problems jsonb NOT NULL DEFAULT '[]',
      problem_count bigint NOT NULL DEFAULT 0,
      message text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE INDEX import_job_office_idx ON import_job (office_id, created_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE import_job, import_template, duplicate_dismissal, person_change, consent, identity_document, household_membership;
    ALTER TABLE household DROP CONSTRAINT household_head_fk;
    DROP TABLE person, household, office_sequence;
  `.execute(db);
}
