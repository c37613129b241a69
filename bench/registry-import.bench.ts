import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { DEMO_IMPORT_COLUMNS } from '@passage/server/seed/people';
import { seedDemo } from '@passage/server/seed/demo';
import { EncryptionService } from '@passage/server/platform/encryption';
import { benchSize, cleanupOnSignal, result, say, verdict } from './lib/common.ts';
import { byKind, watchImport } from './lib/registry-activity.ts';
import {
  IMPORT_APP_NAME,
  busyPercent,
  demoIds,
  importChild,
  insertImportJob,
  jobOutcome,
  machineTicks,
  mib,
  runImportWorker,
  writeDemoCsv,
} from './lib/registry-data.ts';

/**
 * Bulk import of people: target import time ≤ 3× PostgreSQL's own COPY of the same file, and peak RSS of
 * the importing process ≤ 1 GB, for a 1,000,000-row CSV.
 *
 * The file: demoImportRows (packages/server/src/seed/people.ts), written as CSV to a temporary folder.
 * Peer, same run, same file: `COPY bare_table FROM STDIN (FORMAT csv, HEADER true)` into a table of 18
 * text columns without indexes, streamed from the file with pg-copy-streams.
 * The import: an import_job row as POST /api/registry/imports inserts it (identity column mapping, mode
 * valid_rows, office DEMO-NL), then `runImportJob(deps, jobId)` in a child process
 * (bench/lib/registry-import-worker.ts) whose process.resourceUsage().maxRSS is the peak RSS.
 * From outside, pg_stat_activity (polled every 100 ms) splits the import's time by statement: the COPY into
 * the staging table lasts while the file is read and validated; the INSERT … SELECT statements follow.
 * A CHECKPOINT runs before the peer and before the import, so neither starts with the other's dirty pages.
 */
const NAME = 'registry-import';
const size = benchSize();
const ROWS = size === 'tiny' ? 2_000 : 1_000_000;
const SEED = 1;
const TIME_RATIO_TARGET = 3;
const RSS_TARGET_BYTES = 1_000_000_000;

let database: TestDatabase | null = null;
let watching: ReturnType<typeof watchImport> | null = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-bench-import-'));
const cleanup = cleanupOnSignal(async () => {
  importChild?.kill('SIGTERM');
  try {
    await watching?.stop();
    await database?.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let failed = false;
try {
  database = await createTestDatabase();
  const db = database.db;
  const masterKey = crypto.randomBytes(32);
  const encryption = await EncryptionService.open(db, masterKey);
  await seedDemo(db, encryption, { onlyIfEmpty: false });
  const { officeId, officerId } = await demoIds(db);
  const pgVersion = (await sql<{ version: string }>`SELECT version() AS version`.execute(db)).rows[0]!.version;
  const settings = (await sql<{ name: string; setting: string }>`SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', 'synchronous_commit', 'fsync', 'gin_pending_list_limit')`.execute(db)).rows;
  say(pgVersion);
  say(`PostgreSQL settings: ${settings.map((s) => `${s.name}=${s.setting}`).join(', ')}`);
  say(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const file = path.join(tmp, 'people.csv');
  const csv = await writeDemoCsv(file, ROWS, SEED);
  say(`CSV of ${ROWS.toLocaleString('en')} demo people written in ${sec(csv.ms)}: ${mib(csv.bytes)} (${DEMO_IMPORT_COLUMNS.length} columns)`);

  // Peer: PostgreSQL's own COPY of the same file into a bare table.
  await sql`CREATE TABLE bench_bare_people (${sql.raw(DEMO_IMPORT_COLUMNS.map((c) => `${c} text`).join(', '))})`.execute(db);
  await sql`CHECKPOINT`.execute(db);
  const client = await database.pool.connect();
  let copyMs: number;
  try {
    const t0 = performance.now();
    await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY bench_bare_people (${DEMO_IMPORT_COLUMNS.join(', ')}) FROM STDIN (FORMAT csv, HEADER true)`)));
    copyMs = performance.now() - t0;
  } finally {
    client.release();
  }
  const copied = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM bench_bare_people`.execute(db)).rows[0]!.n);
  if (copied !== ROWS) throw new Error(`COPY loaded ${copied} rows, not ${ROWS}`);
  await sql`DROP TABLE bench_bare_people`.execute(db);
  say(`Peer: COPY … FROM STDIN (FORMAT csv) into a bare 18-text-column table: ${sec(copyMs)}, ${rate(ROWS, copyMs)}`);

  // The import, in a child process, watched from here. (runImportJob deletes the file when done.)
  await sql`CHECKPOINT`.execute(db);
  const jobId = await insertImportJob(db, { officeId, userId: officerId, file });
  const watch = (watching = watchImport(db, { appName: IMPORT_APP_NAME, jobId }));
  const ticks0 = machineTicks();
  const t0 = performance.now();
  const worker = await runImportWorker({ databaseUrl: database.url, masterKey, jobId });
  const wallMs = performance.now() - t0;
  const machineBusy = busyPercent(ticks0, machineTicks());
  const seen = await watch.stop();
  watching = null;
  const job = await jobOutcome(db, jobId);
  const people = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM person WHERE import_job_id = ${jobId}`.execute(db)).rows[0]!.n);
  const documents = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM identity_document d JOIN person p ON p.id = d.person_id WHERE p.import_job_id = ${jobId}`.execute(db)).rows[0]!.n);
  const households = Number((await sql<{ n: string }>`SELECT count(DISTINCT household_id) AS n FROM person WHERE import_job_id = ${jobId}`.execute(db)).rows[0]!.n);
  if (worker.leakedConnections > 0) {
    failed = true;
    console.error(`runImportJob left ${worker.leakedConnections} pool connection(s) checked out`);
  }
  if (job.status !== 'succeeded' || people !== ROWS) {
    failed = true;
    console.error(`the import did not create ${ROWS} people: status ${job.status}, ${people} people, message ${job.message}, problems ${JSON.stringify(job.problems).slice(0, 500)}`);
  }

  const kinds = byKind(seen.statements);
  const copyPhase = kinds.find((k) => k.kind.startsWith('COPY'))?.ms ?? null;
  const finalKinds = kinds.filter((k) => /^(UPDATE staging|INSERT|COMMIT)/.test(k.kind));
  const finalMs = finalKinds.reduce((a, k) => a + k.ms, 0);
  const timeRatio = worker.ms / copyMs;
  const timeOk = timeRatio <= TIME_RATIO_TARGET;
  const rssOk = worker.maxRssBytes <= RSS_TARGET_BYTES;

  say(`Import (runImportJob in a child process): ${sec(worker.ms)} (child process wall time ${sec(wallMs)}), ${rate(ROWS, worker.ms)}; status ${job.status}: ${job.message}`);
  say(`  ${people.toLocaleString('en')} people, ${households.toLocaleString('en')} households, ${documents.toLocaleString('en')} identity documents; rows read ${job.rows_read}, valid ${job.rows_valid}, invalid ${job.rows_invalid}`);
  say(`  pool connections left checked out by runImportJob: ${worker.leakedConnections}`);
  say(`  peak RSS of the importing process ${mib(worker.maxRssBytes)}, peak heap used ${mib(worker.peakHeapBytes)}; its CPU: user ${sec(worker.cpuUserMs)}, system ${sec(worker.cpuSystemMs)}; machine ${machineBusy === null ? 'n/a' : `${machineBusy.toFixed(0)}%`} of ${os.cpus().length} cores busy`);
  say(`  where the time went (pg_stat_activity, ${seen.polls} polls at ~100 ms):`);
  for (const k of kinds) say(`    ${k.kind.padEnd(46)} ${sec(k.ms).padStart(8)}  (${k.count} seen)`);
  if (copyPhase !== null) say(`  split: reading + validating + staging ${sec(copyPhase)} (${rate(ROWS, copyPhase)}); final INSERT … SELECT statements + COMMIT ${sec(finalMs)}; the rest (start, id blocks, audit, job row) ${sec(Math.max(0, worker.ms - copyPhase - finalMs))}`);
  say(`Import vs COPY: ${timeRatio.toFixed(1)}× the time; target ≤ ${TIME_RATIO_TARGET}×: ${verdict(timeOk)}`);
  say(`Peak RSS ${mib(worker.maxRssBytes)}; target ≤ 1 GB (10^9 bytes): ${verdict(rssOk)}`);

  result(NAME, {
    size,
    rows: ROWS,
    csvBytes: csv.bytes,
    csvWriteMs: Math.round(csv.ms),
    postgres: pgVersion,
    node: process.version,
    copy: { ms: Math.round(copyMs), rowsPerSec: Math.round(ROWS / (copyMs / 1000)) },
    import: {
      ms: Math.round(worker.ms),
      childWallMs: Math.round(wallMs),
      rowsPerSec: Math.round(ROWS / (worker.ms / 1000)),
      maxRssBytes: worker.maxRssBytes,
      peakHeapBytes: worker.peakHeapBytes,
      cpuUserMs: Math.round(worker.cpuUserMs),
      cpuSystemMs: Math.round(worker.cpuSystemMs),
      machineBusyPercent: machineBusy === null ? null : Math.round(machineBusy),
      status: job.status,
      people,
      households,
      documents,
      rowsInvalid: job.rows_invalid,
      leakedConnections: worker.leakedConnections,
      readPhaseMs: copyPhase === null ? null : Math.round(copyPhase),
      finalStatementsMs: Math.round(finalMs),
      byStatement: kinds.map((k) => ({ kind: k.kind, ms: Math.round(k.ms), seen: k.count })),
    },
    timeRatio: Number(timeRatio.toFixed(2)),
    targets: { timeRatioMax: TIME_RATIO_TARGET, rssMaxBytes: RSS_TARGET_BYTES },
    targetsMet: { time: timeOk, rss: rssOk },
    valid: !failed,
  });
} finally {
  await cleanup();
}
if (failed) process.exitCode = 1;
