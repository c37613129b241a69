// The case engine's statements as the server runs them: kinds (for the database time per request, by statement),
// and the peers built from them: the same SELECTs replayed straight through pg, and their plans.
import type pg from 'pg';
import type { CapturedQuery } from './registry-db-timing.ts';
import { registryQueryKind } from './registry-db-timing.ts';

/** Statement kinds of the case engine's reads (audit, session and transaction statements as the registry names them). */
export function casesQueryKind(text: string): string {
  const q = text.replace(/\s+/g, ' ').trim().toLowerCase();
  if (/from session s\b/.test(q)) return 'session load (once per 5 s per session)';
  if (q.startsWith('update "session"')) return 'session: last seen';
  if (q.includes('from "case_event"')) return 'timeline events';
  if (q.includes('from "case_note"')) return 'notes';
  if (q.includes('from "team_membership"')) return 'teams of the user';
  if (q.includes('from "case_member"')) return 'case members';
  if (q.includes('from "break_glass"')) return 'break-glass grant';
  if (q.includes('from "consent"')) return 'consent to referral';
  if (q.includes('from "case_assessment"')) return q.includes('count(') ? 'assessments: count' : 'assessments: latest';
  if (q.includes('from "case_transfer"')) return q.includes('"t"."to_office_id" in') ? 'inbox: incoming transfers' : 'pending transfer';
  if (q.includes('from "referral"')) return q.includes('inner join "partner"') ? 'inbox: new incoming referrals' : 'open referrals: count';
  if (q.includes('from "case_task" as "t"')) return 'inbox: my tasks';
  if (q.includes('from "case_task"')) return 'dashboard: overdue tasks';
  if (/from "?case_service"?/.test(q)) return 'dashboard: services by day';
  if (q.includes('"c"."awaiting_supervisor"')) return 'inbox: awaiting my approval';
  if (q.includes('grouping sets')) return 'dashboard: open by type / status / risk / age';
  if (q.includes('from person p where p.id in')) return 'dashboard: people served by band';
  if (q.includes('"c"."details_sealed"') && q.includes('"c"."type" =')) return 'publication: page of CT cases';
  if (q.includes('from "case_file" as "c" inner join "office"')) return 'case row (+ office code)';
  if (q.startsWith('select') && q.includes('from "person"')) return 'person';
  if (q.includes('from "app_user"')) return 'user names';
  return registryQueryKind(text);
}

/** A statement that only reads (safe to replay): no transaction control, no audit, no write. */
export function isReplayable(q: CapturedQuery): boolean {
  const t = q.text.trim().toLowerCase();
  return t.startsWith('select') && !t.includes('pg_advisory') && !t.includes('audit_chain_head') && !t.includes('for update');
}

/** Runs statements one after the other on one connection; returns the wall time (round trips included). */
export async function replaySequential(client: pg.PoolClient, queries: readonly CapturedQuery[]): Promise<number> {
  const t0 = performance.now();
  for (const q of queries) await client.query(q.text, q.values);
  return performance.now() - t0;
}

/** Runs statements all at once on a pool (as the server's Promise.all does); returns the wall time. */
export async function replayParallel(pool: pg.Pool, queries: readonly CapturedQuery[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(queries.map((q) => pool.query(q.text, q.values)));
  return performance.now() - t0;
}

/** EXPLAIN (ANALYZE, BUFFERS) of a statement: its plan lines. */
export async function explain(pool: pg.Pool, q: CapturedQuery): Promise<string[]> {
  return (await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values)).rows.map((r) => r['QUERY PLAN']);
}

/** Exact percentile (nearest rank) of unsorted values. */
export function pct(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** p50 / p95 / p99 / max of unsorted values. */
export function summary(values: readonly number[]): { count: number; p50: number; p95: number; p99: number; max: number } {
  return { count: values.length, p50: pct(values, 50), p95: pct(values, 95), p99: pct(values, 99), max: Math.max(...values) };
}

/**
 * The indexes of migration 2026_11_27_0009_case_read_indexes (what this benchmark proposed in bench/RESULTS.md §6,
 * now in the schema): the benchmark checks they exist, so that its figures are those of the schema as shipped.
 */
export const CASE_READ_INDEXES: { name: string; for: string }[] = [
  { name: 'case_file_await_updated_idx', for: 'inbox, awaiting approval by office, oldest first' },
  { name: 'case_file_await_supervisor_idx', for: 'inbox, awaiting approval naming the user as supervisor' },
  { name: 'referral_incoming_new_idx', for: 'inbox, new incoming referrals' },
  { name: 'case_file_office_open_idx', for: 'dashboard, open cases (INCLUDE type, status, risk_level, person_id)' },
  { name: 'case_service_office_idx', for: 'dashboard, services (INCLUDE type)' },
  { name: 'case_file_type_idx', for: 'publication, keyset pages of one type' },
];
