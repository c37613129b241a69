import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { startPassage, type RunningPassage } from '@passage/server/server';
import { createSession } from '@passage/server/platform/sessions';
import { testConfig } from '@passage/server/testing';
import { ROOT, benchSize, cleanupOnSignal, result, say, verdict } from './lib/common.ts';

/**
 * An authenticated small GET under load, on PostgreSQL: target p99 ≤ 20 ms at 50 concurrent connections.
 * The server runs in this process (default configuration: pool of 2 × cores + 1, at least 5, demo data, no logger);
 * autocannon runs in a separate process (bench/lib/load.mjs) so that it does not share the
 * server's event loop. On this 2-core machine, server, load generator and PostgreSQL still share
 * two cores: the CPU split is printed with each run.
 * Peer in the same run, same server, same load: GET /healthz (no session, no database).
 *
 * The server keeps a loaded session in memory for a few seconds (sessions.ts), so one cookie
 * measures the warm path: PostgreSQL is barely touched. The "cold session" run rotates through
 * more sessions than that cache holds, so every request loads its session from PostgreSQL.
 * Each run also counts the pool checkouts (≈ database round trips) per request.
 */
const NAME = 'http-get';
const size = benchSize();
const CONNECTIONS = size === 'tiny' ? 5 : 50;
const SECONDS = size === 'tiny' ? 2 : 20;
// Even at the smoke size, a warm-up: on a busy CI machine the load generator's first second may connect nothing
// (seen once: 0 requests to /healthz in 1 s at load ~2.9, which made the run invalid).
const WARMUP_SECONDS = size === 'tiny' ? 1 : 2;
const P99_TARGET_MS = 20;
const LOAD_SCRIPT = path.join(ROOT, 'bench', 'lib', 'load.mjs');
/** Distinct sessions for the cold run: more than the server's session cache keeps (10 000), so none is reused from it. */
const COLD_SESSIONS = size === 'tiny' ? 1_000 : 15_000;

interface Load {
  requestsPerSec: number;
  total: number;
  durationSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, { count: number }>;
  loadCpuPercent: number;
}
interface Run extends Load {
  /** CPU of this process (the server) over the run, in % of one core. */
  serverCpuPercent: number;
  /** Whole machine busy over the run, in % of all cores (Linux /proc/stat), or null. */
  machineBusyPercent: number | null;
  /** Connections checked out of the server's pool per request: ≈ database round trips per request. */
  dbCheckoutsPerRequest: number;
}

/** Pool checkouts of the server so far (one per query outside a transaction). */
let dbCheckouts = 0;

let loadChild: ChildProcess | null = null;

/** Busy and total jiffies of the whole machine, from /proc/stat (Linux); null elsewhere. */
function machineTicks(): { busy: number; total: number } | null {
  if (!fs.existsSync('/proc/stat')) return null;
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Runs autocannon in a child process; asynchronous, since the server answers from this process's event loop. */
function load(url: string, headers: Record<string, string>, duration: number, cookiesFile?: string): Promise<Run> {
  const checkouts0 = dbCheckouts;
  const cpu0 = process.cpuUsage();
  const ticks0 = machineTicks();
  const t0 = performance.now();
  return new Promise<Load>((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD_SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, BENCH_LOAD: JSON.stringify({ url, connections: CONNECTIONS, duration, headers, cookiesFile }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    loadChild = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      loadChild = null;
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out) as Load);
      } catch {
        reject(new Error(`autocannon printed no result: ${out}${err}`));
      }
    });
  }).then((r) => {
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const ticks1 = machineTicks();
    const machineBusyPercent = ticks0 && ticks1 ? ((ticks1.busy - ticks0.busy) / Math.max(1, ticks1.total - ticks0.total)) * 100 : null;
    return { ...r, serverCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, machineBusyPercent, dbCheckoutsPerRequest: (dbCheckouts - checkouts0) / Math.max(1, r.total) };
  });
}

let database: TestDatabase | null = null;
let passage: RunningPassage | null = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-bench-http-'));
const cleanup = cleanupOnSignal(async () => {
  loadChild?.kill('SIGTERM');
  try {
    await passage?.stop();
    await database?.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

const pct = (v: number) => `${v.toFixed(0)}%`;
const describe = (r: Run) =>
  `${r.requestsPerSec.toFixed(0)} req/s (${r.total} requests), latency p50 ${r.latencyMs.p50} ms, p90 ${r.latencyMs.p90} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms; ` +
  `errors ${r.errors} (timeouts ${r.timeouts}), non-2xx ${r.non2xx}; DB round trips/request ${r.dbCheckoutsPerRequest.toFixed(2)}; CPU: server ${pct(r.serverCpuPercent)}, autocannon ${pct(r.loadCpuPercent)} of a core` +
  (r.machineBusyPercent === null ? '' : `, machine ${pct(r.machineBusyPercent)} of ${os.cpus().length} cores busy`);

let failed = false;
try {
  database = await createTestDatabase({ migrate: false }); // startPassage migrates
  const config = testConfig({ databaseUrl: database.url, port: 0, host: '127.0.0.1', demo: true });
  passage = await startPassage(config, { logger: false, webRoot: null, log: () => {} });
  const db = passage.database.db;
  passage.database.pool.on('acquire', () => dbCheckouts++);
  const pgVersion = (await sql<{ version: string }>`SELECT version() AS version`.execute(db)).rows[0]!.version;
  const user = await db.selectFrom('app_user').select('id').where('email', '=', 'caseworker@demo.passage.invalid').executeTakeFirstOrThrow();
  const { token } = await createSession(db, user.id, 'full');
  const auth = { cookie: `passage_session=${token}` };
  const cookiesFile = path.join(tmp, 'cookies.txt');
  /**
   * The cold run's sessions, created through the same function, 10 at a time, on the test database's
   * own pool, just before that run: sessions idle for over a minute get their last_seen_at written on
   * the next request, and that write would be measured too.
   */
  const makeColdSessions = async () => {
    const cookies: string[] = [];
    for (let i = 0; i < COLD_SESSIONS; i += 10) {
      const batch = await Promise.all(Array.from({ length: Math.min(10, COLD_SESSIONS - i) }, () => createSession(database!.db, user.id, 'full')));
      for (const created of batch) cookies.push(`passage_session=${created.token}`);
    }
    fs.writeFileSync(cookiesFile, `${cookies.join('\n')}\n`, { mode: 0o600 });
  };

  const targets: { key: string; path: string; label: string; headers: Record<string, string>; cookiesFile?: string }[] = [
    { key: 'healthz', path: '/healthz', label: 'GET /healthz (peer: no session, no database)', headers: {} },
    { key: 'session', path: '/api/auth/session', label: 'GET /api/auth/session, one session (warm: session from the in-process cache)', headers: auth },
    { key: 'offices', path: '/api/offices', label: 'GET /api/offices, one session (session + policy + offices)', headers: auth },
    { key: 'sessionCold', path: '/api/auth/session', label: `GET /api/auth/session, ${COLD_SESSIONS} sessions round-robin (cold: every session loaded from PostgreSQL)`, headers: {}, cookiesFile },
  ];
  // The cookie must really authenticate: a 401 answered fast would be a flattering benchmark.
  for (const t of targets) {
    const res = await fetch(`${passage.url}${t.path}`, { headers: t.cookiesFile ? auth : t.headers });
    if (res.status !== 200) throw new Error(`${t.path} answered ${res.status} before the load: ${await res.text()}`);
  }

  say(`${pgVersion}`);
  say(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, DB pool ${config.dbPoolSize}`);
  say(`autocannon in a separate process, ${CONNECTIONS} connections, ${WARMUP_SECONDS ? `${WARMUP_SECONDS} s warm-up (not counted) then ` : ''}${SECONDS} s measured, per endpoint`);

  const runs: Record<string, Run> = {};
  for (const t of targets) {
    // No warm-up for the cold run: it would only warm the cache that run is meant to miss (the server is warm by then).
    if (WARMUP_SECONDS && !t.cookiesFile) await load(`${passage.url}${t.path}`, t.headers, WARMUP_SECONDS);
    if (t.cookiesFile) {
      const t0 = performance.now();
      await makeColdSessions();
      say(`(${COLD_SESSIONS} sessions for the cold run created in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const r = await load(`${passage.url}${t.path}`, t.headers, SECONDS, t.cookiesFile);
    runs[t.key] = r;
    say(`${t.label}:`);
    say(`  ${describe(r)}`);
  }

  const peer = runs.healthz!;
  const targetsMet: Record<string, boolean> = {};
  for (const p of ['session', 'offices', 'sessionCold']) {
    const r = runs[p]!;
    targetsMet[p] = r.latencyMs.p99 <= P99_TARGET_MS;
    say(
      `${p} vs healthz: throughput ${(r.requestsPerSec / peer.requestsPerSec).toFixed(2)}× the peer's, p99 ${(r.latencyMs.p99 / Math.max(1, peer.latencyMs.p99)).toFixed(1)}× the peer's; ` +
        `target p99 ≤ ${P99_TARGET_MS} ms at ${CONNECTIONS} connections: ${verdict(targetsMet[p])}`,
    );
  }
  for (const [p, r] of Object.entries(runs)) {
    if (r.total === 0 || r.errors > 0 || r.non2xx > 0) {
      failed = true;
      console.error(`${p}: ${r.total} requests, ${r.errors} errors, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)}): the measurement is not valid`);
    }
  }
  result(NAME, {
    size,
    connections: CONNECTIONS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    loadGenerator: 'autocannon, separate process',
    postgres: pgVersion,
    node: process.version,
    dbPool: config.dbPoolSize,
    runs,
    p99TargetMs: P99_TARGET_MS,
    targetsMet,
    valid: !failed,
  });
} finally {
  await cleanup();
}
if (failed) process.exitCode = 1;
