// Shared set-up of the registry benchmarks: a demo bulk-import file, an import job, and the import
// itself run by bench/lib/registry-import-worker.ts in a child process (so its peak RSS is its own).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@passage/db';
import { isoDay } from '@passage/domain';
import { DEMO_IMPORT_COLUMNS, demoImportRows } from '@passage/server/seed/people';
import { ROOT } from './common.ts';

/** The demo registration officer: registers and imports at DEMO-NL (and its sub-office). */
export const OFFICER_EMAIL = 'registration.officer@demo.passage.invalid';
/** The application_name of the import worker's connections (to find them in pg_stat_activity). */
export const IMPORT_APP_NAME = 'passage-bench-import';
const WORKER = path.join(ROOT, 'bench', 'lib', 'registry-import-worker.ts');

/** The identity column mapping: every column of the demo file maps to the import target of the same name. */
export const IMPORT_MAPPING: Record<string, string> = Object.fromEntries(DEMO_IMPORT_COLUMNS.map((c) => [c, c]));

/** One CSV field (RFC 4180): quoted only when it must be. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes `rows` demo people (demoImportRows) as a UTF-8 CSV file with a header line; returns its size and the time taken. */
export async function writeDemoCsv(file: string, rows: number, seed: number): Promise<{ bytes: number; ms: number }> {
  const t0 = performance.now();
  const out = fs.createWriteStream(file, { mode: 0o600 });
  const closed = once(out, 'close');
  let chunk = `${DEMO_IMPORT_COLUMNS.join(',')}\n`;
  let n = 0;
  for (const row of demoImportRows({ seed, rows, today: isoDay(new Date()) })) {
    chunk += `${DEMO_IMPORT_COLUMNS.map((c) => csvField(row[c] ?? '')).join(',')}\n`;
    if (++n % 2000 === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await closed;
  return { bytes: fs.statSync(file).size, ms: performance.now() - t0 };
}

/** The demo office and officer ids. */
export async function demoIds(db: Kysely<Database>): Promise<{ officeId: string; officerId: string }> {
  const office = await db.selectFrom('office').select('id').where('code', '=', 'DEMO-NL').executeTakeFirstOrThrow();
  const officer = await db.selectFrom('app_user').select('id').where('email', '=', OFFICER_EMAIL).executeTakeFirstOrThrow();
  return { officeId: office.id, officerId: officer.id };
}

/** Inserts a queued import job for a file, as POST /api/registry/imports does (identity mapping). */
export async function insertImportJob(db: Kysely<Database>, options: { officeId: string; userId: string; file: string; mode?: 'dry_run' | 'all_or_nothing' | 'valid_rows' }): Promise<string> {
  const row = await db
    .insertInto('import_job')
    .values({
      office_id: options.officeId,
      created_by: options.userId,
      file_name: path.basename(options.file),
      file_path: options.file,
      file_bytes: fs.statSync(options.file).size,
      mapping: IMPORT_MAPPING,
      mode: options.mode ?? 'valid_rows',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What the import worker reports. */
export interface WorkerResult {
  /** Wall time of runImportJob, in the worker. */
  ms: number;
  /** process.resourceUsage().maxRSS, in bytes. */
  maxRssBytes: number;
  /** Largest heapUsed seen (sampled every 250 ms). */
  peakHeapBytes: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Pool connections still checked out when runImportJob returned (a leak when > 0). */
  leakedConnections: number;
}

/** The import worker of a benchmark (set while it runs, so that a SIGTERM can stop it). */
export let importChild: ChildProcess | null = null;

/** Runs runImportJob(deps, jobId) in a child process; resolves with its figures. */
export function runImportWorker(options: { databaseUrl: string; masterKey: Buffer; jobId: string }): Promise<WorkerResult> {
  return new Promise<WorkerResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      cwd: ROOT,
      env: { ...process.env, BENCH_IMPORT: JSON.stringify({ databaseUrl: options.databaseUrl, masterKey: options.masterKey.toString('hex'), jobId: options.jobId, appName: IMPORT_APP_NAME }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    importChild = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      importChild = null;
      if (code !== 0) return reject(new Error(`import worker exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out) as WorkerResult);
      } catch {
        reject(new Error(`import worker printed no result: ${out}${err}`));
      }
    });
  });
}

/** The import job row's outcome. */
export async function jobOutcome(db: Kysely<Database>, jobId: string) {
  const job = await db
    .selectFrom('import_job')
    .select(['status', 'rows_read', 'rows_valid', 'rows_invalid', 'rows_created', 'rows_existing', 'problem_count', 'message', 'problems'])
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow();
  return { ...job, rows_read: Number(job.rows_read), rows_valid: Number(job.rows_valid), rows_invalid: Number(job.rows_invalid), rows_created: Number(job.rows_created), rows_existing: Number(job.rows_existing), problem_count: Number(job.problem_count) };
}

/**
 * Imports `rows` demo people into DEMO-NL through the real import (a CSV file, an import job, runImportJob
 * in a child process); throws unless every row was created. For benchmarks that need a populated registry.
 */
export async function importDemoPeople(db: Kysely<Database>, options: { databaseUrl: string; masterKey: Buffer; dir: string; rows: number; seed: number }): Promise<{ csvMs: number; importMs: number; bytes: number }> {
  const file = path.join(options.dir, `people-${options.seed}.csv`);
  const { bytes, ms: csvMs } = await writeDemoCsv(file, options.rows, options.seed);
  const { officeId, officerId } = await demoIds(db);
  const jobId = await insertImportJob(db, { officeId, userId: officerId, file });
  const worker = await runImportWorker({ databaseUrl: options.databaseUrl, masterKey: options.masterKey, jobId });
  const job = await jobOutcome(db, jobId);
  if (job.status !== 'succeeded' || job.rows_created !== options.rows) throw new Error(`the import did not create ${options.rows} people: ${job.status}, ${job.rows_created} created, ${job.message}`);
  return { csvMs, importMs: worker.ms, bytes };
}

/** VACUUM (ANALYZE) of the registry's tables after a bulk load, as autovacuum would do soon after: statistics, visibility map, GIN pending lists. */
export async function vacuumRegistry(db: Kysely<Database>): Promise<number> {
  const t0 = performance.now();
  for (const table of ['person', 'identity_document', 'household', 'household_membership', 'audit_event']) await sql`VACUUM (ANALYZE) ${sql.table(table)}`.execute(db);
  return performance.now() - t0;
}

/** Busy and total jiffies of the whole machine, from /proc/stat (Linux); null elsewhere. */
export function machineTicks(): { busy: number; total: number } | null {
  if (!fs.existsSync('/proc/stat')) return null;
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** % of the machine's cores busy between two readings, or null. */
export function busyPercent(t0: ReturnType<typeof machineTicks>, t1: ReturnType<typeof machineTicks>): number | null {
  return t0 && t1 ? ((t1.busy - t0.busy) / Math.max(1, t1.total - t0.total)) * 100 : null;
}

/** Exact percentile (nearest rank) of a list of numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Milliseconds with one decimal. */
export const ms1 = (v: number): string => `${v.toFixed(1)} ms`;

/** MiB, one decimal. */
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
