// Watches an import from outside: polls pg_stat_activity for the import worker's connections and the
// import_job row's progress, and turns what it saw into a per-statement timeline.
import { sql, type Kysely } from 'kysely';
import type { Database } from '@passage/db';

/** A statement of the import, as seen in pg_stat_activity. */
export interface SeenStatement {
  pid: number;
  kind: string;
  start: number;
  /** When it was seen ending (state_change of the next non-active state), else the next statement's start, else last seen active. */
  end: number;
  endKnown: boolean;
}

/** The kind of an import statement, from its text. */
export function statementKind(query: string): string {
  const q = query.replace(/\s+/g, ' ').trim();
  if (/^COPY import_stage/i.test(q)) return 'COPY into staging (read + validate + stage)';
  if (/^CREATE TEMP TABLE import_stage/i.test(q)) return 'CREATE TEMP TABLE';
  if (/^UPDATE import_stage/i.test(q)) return 'UPDATE staging (existing external ids)';
  if (/^INSERT INTO household_membership/i.test(q)) return 'INSERT household_membership';
  if (/^INSERT INTO household /i.test(q)) return 'INSERT household';
  if (/^INSERT INTO person /i.test(q)) return 'INSERT person';
  if (/^INSERT INTO identity_document/i.test(q)) return 'INSERT identity_document';
  if (/^(COMMIT|BEGIN|ROLLBACK)/i.test(q)) return q.slice(0, 8).toUpperCase().trim();
  if (/office_sequence/i.test(q)) return 'registration id blocks';
  if (/^update "import_job"/i.test(q)) return 'progress updates';
  if (/pg_advisory_xact_lock|audit_event/i.test(q)) return 'audit event';
  return 'other';
}

interface ActivityRow {
  pid: number;
  state: string | null;
  query_start: Date | null;
  state_change: Date | null;
  now: Date;
  query: string;
}

/** Polls every `everyMs` until stopped; `stop()` returns the statements seen and the progress samples. */
export function watchImport(db: Kysely<Database>, options: { appName: string; jobId: string; everyMs?: number }) {
  const statements = new Map<string, SeenStatement>();
  const progress: { at: number; rowsRead: number }[] = [];
  let running = true;
  let polls = 0;
  const loop = (async () => {
    while (running) {
      const polled = await Promise.all([
        sql<ActivityRow>`SELECT pid, state, query_start, state_change, now() AS now, left(query, 200) AS query
                         FROM pg_stat_activity WHERE application_name = ${options.appName} AND datname = current_database()`.execute(db),
        db.selectFrom('import_job').select(['rows_read', sql<Date>`now()`.as('now')]).where('id', '=', options.jobId).executeTakeFirst(),
      ]).catch((error: unknown) => {
        if (running) throw error;
        return null; // stopped while polling (the database is closing)
      });
      if (!polled) break;
      const [activity, job] = polled;
      polls++;
      if (job) progress.push({ at: job.now.getTime(), rowsRead: Number(job.rows_read) });
      for (const a of activity.rows) {
        if (!a.query_start) continue;
        const key = `${a.pid}:${a.query_start.getTime()}`;
        const active = a.state === 'active';
        let s = statements.get(key);
        if (!s) {
          s = { pid: a.pid, kind: statementKind(a.query), start: a.query_start.getTime(), end: a.now.getTime(), endKnown: false };
          statements.set(key, s);
        }
        if (active) s.end = Math.max(s.end, a.now.getTime());
        else if (a.state_change) {
          s.end = a.state_change.getTime();
          s.endKnown = true;
        }
      }
      await new Promise((r) => setTimeout(r, options.everyMs ?? 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      // A statement last seen running ended no later than the next one on its connection started.
      const list = [...statements.values()].sort((a, b) => a.start - b.start);
      for (const s of list) {
        if (s.endKnown) continue;
        const next = list.find((n) => n.pid === s.pid && n.start > s.start);
        if (next) s.end = Math.min(Math.max(s.end, s.start), next.start);
      }
      return { statements: list, progress, polls };
    },
  };
}

/** Total time per statement kind (ms), largest first. */
export function byKind(statements: readonly SeenStatement[]): { kind: string; ms: number; count: number }[] {
  const m = new Map<string, { ms: number; count: number }>();
  for (const s of statements) {
    const e = m.get(s.kind) ?? { ms: 0, count: 0 };
    e.ms += Math.max(0, s.end - s.start);
    e.count++;
    m.set(s.kind, e);
  }
  return [...m.entries()].map(([kind, v]) => ({ kind, ...v })).sort((a, b) => b.ms - a.ms);
}
