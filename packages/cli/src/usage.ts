import { ROLES } from '@passage/domain/platform/roles';

/**
 * The command line's help texts and its usage error, with no heavy imports: \`passage --help\` and \`passage X --help\`
 * answer without loading the server, the database driver or the matching engine (main.ts loads those per command).
 */

export const HELP: Record<string, string> = {
  '': `Usage: passage <command> [options]

Commands:
  serve          Start the platform (HTTP on PORT, default 8080)
  migrate        Apply pending database migrations
  seed-demo      Add the demo offices and accounts (when there are no users yet)
  user create    Create an account, e.g. the first administrator
  audit verify   Walk the audit hash chain and report the first broken link
  keys rotate    Re-wrap the data keys under a new master key, and start a new data key
  dedupe         Find duplicate people in a CSV file (no database)
  link           Link two CSV lists of people one to one (no database)
  screen         Screen a CSV file of people against a watchlist (no database)

Run "passage <command> --help" for a command's options.`,
  serve: `Usage: passage serve

Opens the database (embedded in PASSAGE_DATA_DIR, or DATABASE_URL), applies migrations,
seeds demo data on first start (unless PASSAGE_DEMO=false), and serves on HOST:PORT.
SIGINT/SIGTERM drain requests and stop the database.`,
  migrate: `Usage: passage migrate

Applies pending migrations in order. Running it again is a no-op.`,
  'seed-demo': `Usage: passage seed-demo

Seeds the fictitious demo offices and one account per role, if the database has no users.`,
  'user create': `Usage: passage user create --email EMAIL --name "Display Name" --role ROLE --office CODE
  [--password-env VAR]

Creates an account with one role at the office with the given code. The password is read
from the environment variable named by --password-env (default PASSAGE_NEW_PASSWORD), so it
never appears in the shell history or the process list. Roles: ${ROLES.join(', ')}.
With no offices yet, --office creates a global office with that code.`,
  'keys rotate': `Usage: passage keys rotate [--new-key-env VAR]

Starts a new data key for new writes (old values keep opening with their own key). With
--new-key-env, also re-wraps every data key under the new master key read from that
environment variable (32 bytes, base64); afterwards, start Passage with PASSAGE_MASTER_KEY
set to the new key. Field values are never re-encrypted, so rotation takes seconds.`,
  'audit verify': `Usage: passage audit verify

Recomputes every audit event's SHA-256 hash and link. Exits 0 when the chain is intact,
1 with the id of the first broken event otherwise.`,
};

/** The columns read from person files (others are ignored). */
export const PERSON_COLUMNS = ['record_id', 'given_name', 'middle_name', 'family_name', 'name_original_script', 'sex', 'date_of_birth', 'nationality', 'document_number', 'phone'] as const;

const COMMON = `  --map OLD=NEW,...     Rename input columns first (e.g. --map rec_id=record_id,surname=family_name)
  --workers N           Worker threads for scoring (default: one per core; small files use none)`;

export const MATCH_HELP: Record<'dedupe' | 'link' | 'screen', string> = {
  dedupe: `Usage: passage dedupe --input records.csv --output clusters.csv [--threshold P] [--pairs pairs.csv]
  [--review-threshold P] [--map OLD=NEW,...] [--params-in params.json] [--params-out params.json]

Finds the records of one file that are the same person, and writes record_id,cluster_id for every row
(cluster_id is the smallest record_id of the cluster; a record alone is its own cluster).

Columns read (others are ignored; any may be empty except record_id):
  ${PERSON_COLUMNS.join(', ')}
Dates: YYYY-MM-DD (also YYYYMMDD, DD/MM/YYYY, YYYY); 01-01 counts as "year only".

  --threshold P         Probability at or above which two records are the same person (default 0.9)
  --review-threshold P  Pairs between this and --threshold are "review" pairs (default 0.5)
  --pairs FILE          Also write the scored pairs (probability ≥ review threshold) with each field's
                        level and contribution (match weight in bits), the explanation of the score
  --params-in FILE      Use stored parameters instead of estimating them from this file
  --params-out FILE     Save the estimated parameters (JSON) to reuse them
${COMMON}`,
  link: `Usage: passage link --left a.csv --right b.csv --output links.csv [--threshold P] [--map OLD=NEW,...]

Links two lists of people (each without duplicates of its own) one to one, and writes
left_id,right_id,probability for each link at or above the threshold (default 0.9).
Both files use the columns of "passage dedupe" (see its --help); --map applies to both.
${COMMON}`,
  screen: `Usage: passage screen --watchlist list.csv --input people.csv --output hits.csv [--threshold P]
  [--map OLD=NEW,...]

Screens people against a watchlist and writes record_id,entry_id,probability for each hit at or above
the threshold (default 0.85). Watchlist columns: entry_id, name, alias_of, date_of_birth, nationality
(a row with alias_of is another name of that entry; hits are reported under the main entry).
Bands: ≥ 0.95 block, 0.85–0.95 review, 0.70–0.85 enhanced due diligence.
People are read with the columns of "passage dedupe"; --map applies to the people file.
  --workers is accepted and ignored (screening runs in one thread).`,
};

export function fail(message: string): never {
  process.stderr.write(`passage: ${message}\n`);
  process.exit(2);
}
