import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { RegistrationSchema, isoDay, type RegistrationInput } from '@passage/domain';
import { demoHouseholds } from '@passage/server/seed/people';
import { startPassage, type RunningPassage } from '@passage/server/server';
import { createSession } from '@passage/server/platform/sessions';
import { testConfig } from '@passage/server/testing';
import { benchSize, cleanupOnSignal, result, say, verdict } from './lib/common.ts';
import { demoIds, importChild, importDemoPeople, vacuumRegistry } from './lib/registry-data.ts';
import { describeKinds, perRequest, registryQueryKind, timeQueries } from './lib/registry-db-timing.ts';
import { describeLoad, loadChild, runLoad, type LoadResult } from './lib/registry-http.ts';

/**
 * Saving a registration over HTTP: target p95 ≤ 50 ms for POST /api/registry/registrations, for one person
 * and for a household of five (separately), with its audit events, sequentially and at 10 concurrent clients,
 * with ~100,000 people already registered (imported into DEMO-NL through the real import, then VACUUM (ANALYZE)).
 *
 * The server runs in this process (startPassage, default configuration: pool of 2 × cores + 1, at least 5, demo data); the load runs
 * in a separate process (bench/lib/registry-load.ts: autocannon, every latency recorded). The client is the
 * demo registration officer (one session, its CSRF token). Bodies are fictitious households from
 * demoHouseholds (names, dates of birth, phones, documents, consents, some specific needs), a different one
 * per request: the head alone for "one person", the first five members for "household of 5".
 * Per request the server writes the household, the people, their documents, consents, memberships, change
 * history and one audit event per person plus one for the household, in one transaction.
 * No peer: the figures come with the server's own database time per request, by statement.
 */
const NAME = 'registration';
const size = benchSize();
const PEOPLE = size === 'tiny' ? 2_000 : 100_000;
const SECONDS = size === 'tiny' ? 1 : 20;
const WARMUP_SECONDS = size === 'tiny' ? 0 : 2;
const CONCURRENT = size === 'tiny' ? 3 : 10;
const BODIES = size === 'tiny' ? 300 : 3000;
const P95_TARGET_MS = 50;

let database: TestDatabase | null = null;
let passage: RunningPassage | null = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-bench-registration-'));
const cleanup = cleanupOnSignal(async () => {
  loadChild?.kill('SIGTERM');
  importChild?.kill('SIGTERM');
  try {
    await passage?.stop();
    await database?.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Registration bodies: `singles` of the head alone, `fives` of the first five members of households of five or more. */
function bodies(officeId: string): { singles: RegistrationInput[]; fives: RegistrationInput[] } {
  const singles: RegistrationInput[] = [];
  const fives: RegistrationInput[] = [];
  for (const r of demoHouseholds({ seed: 4242, households: BODIES * 6, officeIds: [officeId], today: isoDay(new Date()) })) {
    if (r.members[0]?.relationship !== 'head') throw new Error('demoHouseholds put the head first');
    const base = { officeId, ...(r.headNote ? { headNote: r.headNote } : {}) };
    if (singles.length < BODIES) singles.push({ ...base, members: [r.members[0]] });
    if (fives.length < BODIES && r.members.length >= 5) fives.push({ ...base, members: r.members.slice(0, 5) });
    if (singles.length >= BODIES && fives.length >= BODIES) break;
  }
  if (fives.length < BODIES) throw new Error(`only ${fives.length} households of five or more`);
  // The server would answer 400 to a body its schema refuses: check them here.
  for (const b of [...singles, ...fives]) RegistrationSchema.parse(b);
  return { singles, fives };
}

let failed = false;
try {
  database = await createTestDatabase({ migrate: false }); // startPassage migrates
  const config = testConfig({ databaseUrl: database.url, port: 0, host: '127.0.0.1', demo: true });
  passage = await startPassage(config, { logger: false, webRoot: null, log: () => {} });
  const db = passage.database.db;
  const timing = timeQueries(passage.database.pool, registryQueryKind);
  const pgVersion = (await sql<{ version: string }>`SELECT version() AS version`.execute(db)).rows[0]!.version;
  say(pgVersion);
  say(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, server DB pool ${config.dbPoolSize}`);

  const imported = await importDemoPeople(db, { databaseUrl: database.url, masterKey: config.masterKey!, dir: tmp, rows: PEOPLE, seed: 3 });
  const vacuumMs = await vacuumRegistry(db);
  const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM person`.execute(db)).rows[0]!.n);
  const peopleBefore = await count();
  say(`Registry: ${peopleBefore.toLocaleString('en')} people before the runs (CSV ${sec(imported.csvMs)}, import ${sec(imported.importMs)}, VACUUM (ANALYZE) ${sec(vacuumMs)})`);

  const { officerId, officeId } = await demoIds(db);
  const { token, csrfToken } = await createSession(db, officerId, 'full');
  const headers = { cookie: `passage_session=${token}`, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  const { singles, fives } = bodies(officeId);
  // Each body must really register (a fast 4xx would flatter).
  for (const b of [singles.at(-1)!, fives.at(-1)!]) {
    const res = await fetch(`${passage.url}/api/registry/registrations`, { method: 'POST', headers, body: JSON.stringify(b) });
    if (res.status !== 201) throw new Error(`POST /api/registry/registrations answered ${res.status}: ${await res.text()}`);
  }
  const auditBefore = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_event`.execute(db)).rows[0]!.n);

  say(`Load: POST /api/registry/registrations, ${WARMUP_SECONDS ? `${WARMUP_SECONDS} s warm-up (not counted), then ` : ''}${SECONDS} s measured per run; latencies in ms, exact percentiles`);
  let next = 0;
  const runs: Record<string, LoadResult & { db: ReturnType<typeof perRequest> }> = {};
  const measure = async (key: string, label: string, list: RegistrationInput[], connections: number) => {
    // A different body per request, across runs (the warm-up takes its own).
    const take = (n: number) => Array.from({ length: n }, () => list[next++ % list.length]!);
    const go = (duration: number) => runLoad({ mode: 'http', url: passage!.url, connections, duration, method: 'POST', headers, requests: take(Math.min(list.length, 1000)).map((body) => ({ path: '/api/registry/registrations', label: key, body })) }, tmp);
    if (WARMUP_SECONDS) await go(WARMUP_SECONDS);
    const before = timing.snapshot();
    const r = await go(SECONDS);
    const dbTime = perRequest(before, timing.snapshot(), r.total);
    runs[key] = { ...r, db: dbTime };
    say(`${label}:`);
    say(`  ${describeLoad(r)}`);
    say(`  server's database work per request: ${dbTime.queriesPerRequest.toFixed(1)} queries, ${dbTime.dbMsPerRequest.toFixed(1)} ms (top 6):`);
    for (const line of describeKinds(dbTime).slice(0, 6)) say(`    ${line}`);
  };
  await measure('singleSequential', 'One person, sequential (1 client)', singles, 1);
  await measure('singleConcurrent', `One person, ${CONCURRENT} concurrent clients`, singles, CONCURRENT);
  await measure('householdSequential', 'Household of 5, sequential (1 client)', fives, 1);
  await measure('householdConcurrent', `Household of 5, ${CONCURRENT} concurrent clients`, fives, CONCURRENT);

  // Every 201 registered its people, with one audit event per person and one per household.
  const created = Object.entries(runs).reduce((a, [k, r]) => a + (r.statusCodes['201'] ?? 0) * (k.startsWith('single') ? 1 : 5), 0);
  const requests201 = Object.values(runs).reduce((a, r) => a + (r.statusCodes['201'] ?? 0), 0);
  const peopleAfter = await count();
  const auditAfter = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_event`.execute(db)).rows[0]!.n);
  say(`People: ${peopleBefore.toLocaleString('en')} → ${peopleAfter.toLocaleString('en')} (measured runs: ${requests201} registrations of ${created} people; the rest: warm-ups, the two checks, requests in flight when a run ended); audit events +${(auditAfter - auditBefore).toLocaleString('en')}`);

  // The peer of a concurrent run is the sequential run of the same bodies (no outside peer: this is the server's own write path).
  for (const [what, seq, conc] of [['One person', 'singleSequential', 'singleConcurrent'], ['Household of 5', 'householdSequential', 'householdConcurrent']] as const) {
    const a = runs[seq]!;
    const b = runs[conc]!;
    say(`${what}, ${CONCURRENT} clients vs 1 client: throughput ${(b.requestsPerSec / a.requestsPerSec).toFixed(2)}×, p95 ${((b.latencyMs.p95 ?? NaN) / (a.latencyMs.p95 ?? NaN)).toFixed(1)}×`);
  }
  const targetsMet: Record<string, boolean> = {};
  for (const [key, r] of Object.entries(runs)) {
    targetsMet[key] = (r.latencyMs.p95 ?? Infinity) <= P95_TARGET_MS;
    say(`${key}: p95 ${r.latencyMs.p95?.toFixed(1)} ms, target p95 ≤ ${P95_TARGET_MS} ms: ${verdict(targetsMet[key])}`);
    if (r.total === 0 || r.errors > 0 || r.non2xx > 0) {
      failed = true;
      console.error(`${key}: ${r.total} requests, ${r.errors} errors, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)}): the measurement is not valid`);
    }
  }
  result(NAME, {
    size,
    peopleBefore,
    peopleAfter,
    concurrent: CONCURRENT,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    loadGenerator: 'autocannon, separate process, every latency recorded',
    postgres: pgVersion,
    node: process.version,
    dbPool: config.dbPoolSize,
    setup: { csvMs: Math.round(imported.csvMs), importMs: Math.round(imported.importMs), vacuumMs: Math.round(vacuumMs) },
    runs,
    p95TargetMs: P95_TARGET_MS,
    targetsMet,
    valid: !failed,
  });
} finally {
  await cleanup();
}
if (failed) process.exitCode = 1;
