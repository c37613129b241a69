import { sql, type Kysely } from 'kysely';

/**
 * The matching engine in the platform: deduplication runs, the review queue of candidate pairs with
 * reviewers' decisions, and reversible merges (`person.merged_into` points a merged record at its survivor).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE person ADD COLUMN merged_into uuid REFERENCES person(id);
    CREATE INDEX person_merged_into_idx ON person (merged_into) WHERE merged_into IS NOT NULL;

    CREATE TABLE match_run (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- The office asked for (its subtree), or null: every office the starter may review.
      office_id uuid REFERENCES office(id),
      -- The offices whose people the run compares (fixed when the run is started).
      scope_office_ids uuid[] NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      stage text,
      progress double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
      records integer NOT NULL DEFAULT 0,
      pairs_scored bigint NOT NULL DEFAULT 0,
      pairs_for_review integer NOT NULL DEFAULT 0,
      clusters integer NOT NULL DEFAULT 0,
      message text,
      -- The trained model (packages/match paramsToJSON) and the thresholds used.
      params jsonb,
      started_by uuid NOT NULL REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE INDEX match_run_created_idx ON match_run (created_at DESC);

    CREATE TABLE match_pair (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      run_id uuid REFERENCES match_run(id),
      -- The office of person_a (pairs may cross offices; access is decided on both people).
      office_id uuid NOT NULL REFERENCES office(id),
      person_a uuid NOT NULL REFERENCES person(id),
      person_b uuid NOT NULL REFERENCES person(id),
      probability double precision NOT NULL CHECK (probability BETWEEN 0 AND 1),
      cluster_id text,
      reason text,
      -- Field levels and weights (no values of personal data).
      explanation jsonb NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'same', 'different', 'unsure', 'merged')),
      decided_by uuid REFERENCES app_user(id),
      decided_at timestamptz,
      note text CHECK (length(note) <= 2000),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      CHECK (person_a < person_b)
    );
    CREATE UNIQUE INDEX match_pair_open_key ON match_pair (person_a, person_b) WHERE status = 'open';
    CREATE INDEX match_pair_people_idx ON match_pair (person_a, person_b);
    CREATE INDEX match_pair_b_idx ON match_pair (person_b);
    CREATE INDEX match_pair_queue_idx ON match_pair (status, probability DESC);

    CREATE TABLE person_merge (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- The survivor's office.
      office_id uuid NOT NULL REFERENCES office(id),
      survivor_id uuid NOT NULL REFERENCES person(id),
      merged_id uuid NOT NULL REFERENCES person(id),
      pair_id uuid REFERENCES match_pair(id),
      -- Exactly what the merge changed: row ids moved per table, the survivor's previous field values,
      -- household membership changes and the pair's previous state, so an unmerge restores both records.
      moved jsonb NOT NULL,
      taken_fields text[] NOT NULL DEFAULT '{}',
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
      merged_by uuid NOT NULL REFERENCES app_user(id),
      merged_at timestamptz NOT NULL DEFAULT now(),
      unmerged_by uuid REFERENCES app_user(id),
      unmerged_at timestamptz,
      CHECK (survivor_id <> merged_id)
    );
    CREATE INDEX person_merge_survivor_idx ON person_merge (survivor_id, merged_at DESC);
    CREATE INDEX person_merge_merged_idx ON person_merge (merged_id, merged_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE person_merge, match_pair, match_run;
    ALTER TABLE person DROP COLUMN merged_into;
  `.execute(db);
}
