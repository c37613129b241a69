import { sql, type Kysely } from 'kysely';

/**
 * Watchlists for screening (names with aliases, dates of birth, nationalities), uploaded as files. A list
 * serves its office and the offices below it. Uploading a list again replaces its entries in one transaction
 * and bumps its version, which tells every server process to reload it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE watchlist (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id uuid NOT NULL REFERENCES office(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      source text CHECK (length(source) <= 500),
      entries integer NOT NULL DEFAULT 0,
      active boolean NOT NULL DEFAULT true,
      uploaded_by uuid REFERENCES app_user(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      UNIQUE (office_id, name)
    );
    CREATE TABLE watchlist_entry (
      watchlist_id uuid NOT NULL REFERENCES watchlist(id) ON DELETE CASCADE,
      row_no integer NOT NULL,
      entry_id text NOT NULL,
      name text NOT NULL,
      alias_of text,
      date_of_birth text,
      nationality text,
      PRIMARY KEY (watchlist_id, row_no)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE watchlist_entry, watchlist`.execute(db);
}
