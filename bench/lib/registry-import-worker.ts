// Runs one registry import job in a process of its own, so that its peak memory (maxRSS) is the import's.
// Options come as JSON in BENCH_IMPORT: { databaseUrl, masterKey (hex), jobId, appName }.
// Prints one JSON line: wall time of runImportJob, maxRSS, peak heap, CPU time.
// Diagnosis: PASSAGE_BENCH_IMPORT_PG_OPTIONS is passed as the connections' startup options, e.g.
//   '-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=1000 -c auto_explain.log_analyze=on
//    -c auto_explain.log_buffers=on -c auto_explain.log_triggers=on'
// puts EXPLAIN (ANALYZE, BUFFERS) of the import's slow statements, foreign-key triggers included, in the server log.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '@passage/db';
import { EncryptionService } from '@passage/server/platform/encryption';
import { runImportJob } from '@passage/server/modules/registry/import.job';

const opts = JSON.parse(process.env.BENCH_IMPORT ?? '{}') as { databaseUrl: string; masterKey: string; jobId: string; appName: string };
// The server's pool settings (connect.ts), with a name to be found by in pg_stat_activity.
const pgOptions = process.env.PASSAGE_BENCH_IMPORT_PG_OPTIONS;
const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 3, idleTimeoutMillis: 30_000, application_name: opts.appName, ...(pgOptions ? { options: pgOptions } : {}) });
pool.on('error', () => undefined);
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 250);
let stop = false;
/** Closes the pool, but not for ever: a connection the import failed to release would keep pool.end() waiting. */
const close = () => Promise.race([db.destroy(), new Promise((r) => setTimeout(r, 2000).unref())]);
process.once('SIGTERM', () => {
  stop = true;
  void close().finally(() => process.exit(130));
});
try {
  const encryption = await EncryptionService.open(db, Buffer.from(opts.masterKey, 'hex'));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runImportJob({ db, pool, encryption }, opts.jobId);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  // Connections runImportJob left checked out of the pool (should be 0).
  const leakedConnections = pool.totalCount - pool.idleCount;
  if (!stop) {
    process.stdout.write(
      `${JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes: peakHeap, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, leakedConnections })}\n`,
    );
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await close();
}
// A connection left checked out would keep the process alive.
process.exit(process.exitCode ?? 0);
