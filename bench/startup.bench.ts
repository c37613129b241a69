import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, benchSize, cleanupOnSignal, median, ms, result, say, spread, verdict } from './lib/common.ts';

/**
 * Start-up of the real CLI (`node packages/cli/bin/passage.mjs serve`) on the embedded PostgreSQL:
 *  - first start on an empty data folder (initdb, start, migrate, master key, demo seed, listen);
 *  - restart on the existing folder, N times;
 *  - shutdown on SIGTERM (drain, close pool, stop the embedded server), after each start.
 * Each start is timed from spawn to the "Passage is ready at …" line on stderr; /readyz is then
 * polled to confirm the server really answers. Targets: first start ≤ 60 s, restart ≤ 5 s.
 * Floor measured in the same run: process start of `node -e ""` and `node --import tsx -e ""`,
 * and `passage --help` (the same plus loading the CLI's whole module graph, no database).
 */
const NAME = 'startup';
const size = benchSize();
const RESTARTS = size === 'tiny' ? 1 : 5;
const FLOOR_RUNS = size === 'tiny' ? 1 : 5;
const FIRST_START_TARGET_MS = 60_000;
const RESTART_TARGET_MS = 5_000;
const BIN = path.join(ROOT, 'packages/cli/bin/passage.mjs');

// When running as root the embedded PostgreSQL runs as `postgres`, which must be able to traverse the folder.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-bench-startup-'));
fs.chmodSync(dir, 0o711);
const dataDir = path.join(dir, 'data');
const postmasterPid = path.join(dataDir, 'pg', 'postmaster.pid');

const env: NodeJS.ProcessEnv = { ...process.env, PASSAGE_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PASSAGE_ENV: 'development', PASSAGE_DEMO: 'true' };
// The embedded database, a key of its own in the data folder: nothing from the caller's environment.
for (const key of ['DATABASE_URL', 'PASSAGE_MASTER_KEY', 'NODE_ENV', 'PASSAGE_TEST_DB', 'PASSAGE_TEST_DATABASE_URL']) delete env[key];

let current: ChildProcess | null = null;

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
/** A timer that resolves after `msec` without keeping the process alive (for races against an exit). */
const after = (msec: number) => new Promise<void>((r) => setTimeout(r, msec).unref());

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops what a failed run may have left: the CLI we spawned, then the PostgreSQL it started (by the pid in its pid file). */
async function cleanup(): Promise<void> {
  const child = current;
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const exited = await Promise.race([exitOf(child).then(() => true), after(30_000).then(() => false)]);
    if (!exited) {
      child.kill('SIGKILL');
      await exitOf(child);
    }
  }
  if (fs.existsSync(postmasterPid)) {
    const pid = Number.parseInt(fs.readFileSync(postmasterPid, 'utf8').split('\n')[0] ?? '', 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      console.error(`stopping the embedded PostgreSQL left running (pid ${pid})`);
      process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
      for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
const cleanupOnce = cleanupOnSignal(cleanup);

interface Start {
  /** spawn → ready line on stderr. */
  readyLineMs: number;
  /** spawn → /readyz answered 200. */
  readyzMs: number;
  /** What the process itself reports ("ready in N ms"): from the start of `serve`, after its modules loaded. */
  selfReportedMs: number;
  /** SIGTERM → exit. */
  shutdownMs: number;
}

async function startAndStop(timeoutMs: number): Promise<Start> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  current = child;
  let stderr = '';
  const ready = await new Promise<{ url: string; mode: string; self: number; at: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /Passage is ready at (http:\/\/\S+) \((\w+) database, ready in (\d+) ms\)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!.replace('//localhost', '//127.0.0.1'), mode: m[2]!, self: Number(m[3]), at: performance.now() });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`passage serve exited (${signal ?? code}) before it was ready; stderr:\n${stderr}`));
    });
    child.once('error', reject);
  });
  if (ready.mode !== 'embedded') throw new Error(`expected the embedded database, the CLI reports "${ready.mode}"`);

  let readyzAt: number;
  for (const deadline = Date.now() + 10_000; ; await sleep(20)) {
    const res = await fetch(`${ready.url}/readyz`).catch(() => null);
    if (res?.status === 200) {
      readyzAt = performance.now();
      break;
    }
    if (Date.now() > deadline) throw new Error(`/readyz did not answer 200 within 10 s (last: ${res?.status ?? 'no answer'})`);
  }

  const t1 = performance.now();
  child.kill('SIGTERM');
  const exit = await Promise.race([exitOf(child), after(40_000).then(() => null)]);
  const shutdownMs = performance.now() - t1;
  if (!exit) throw new Error('passage serve did not exit within 40 s of SIGTERM');
  if (exit.code !== 0) throw new Error(`passage serve exited with ${exit.signal ?? exit.code} on SIGTERM; stderr:\n${stderr}`);
  if (fs.existsSync(postmasterPid)) throw new Error('the embedded PostgreSQL is still running (postmaster.pid) after passage serve exited');
  current = null;
  return { readyLineMs: ready.at - t0, readyzMs: readyzAt - t0, selfReportedMs: ready.self, shutdownMs };
}

/** Median wall time of a short command, run `runs` times (asynchronously: a signal can still interrupt the benchmark). */
async function floor(args: string[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore' });
    current = child;
    const { code } = await exitOf(child);
    times.push(performance.now() - t0);
    current = null;
    if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`);
  }
  return median(times);
}

const describe = (s: Start) =>
  `ready line ${ms(s.readyLineMs)} (process reports ${ms(s.selfReportedMs)} after loading its modules), /readyz 200 at ${ms(s.readyzMs)}, shutdown ${ms(s.shutdownMs)}`;

try {
  say(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, data folder under ${os.tmpdir()}, size ${size}`);
  const nodeMs = await floor(['-e', ''], FLOOR_RUNS);
  const tsxMs = await floor(['--import', 'tsx', '-e', ''], FLOOR_RUNS);
  const helpMs = await floor([BIN, '--help'], FLOOR_RUNS);
  say(`floor (median of ${FLOOR_RUNS}): node -e "" ${ms(nodeMs)}; node --import tsx -e "" ${ms(tsxMs)}; passage --help (tsx + the CLI's modules, no database) ${ms(helpMs)}`);

  const first = await startAndStop(180_000);
  say(`first start (initdb + migrate + demo seed): ${describe(first)}`);
  say(`  target first start ≤ ${FIRST_START_TARGET_MS / 1000} s: ${verdict(first.readyLineMs <= FIRST_START_TARGET_MS)}`);

  const restarts: Start[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    const r = await startAndStop(60_000);
    restarts.push(r);
    say(`restart ${i + 1}/${RESTARTS}: ${describe(r)}`);
  }
  const ready = spread(restarts.map((r) => r.readyLineMs));
  const readyz = spread(restarts.map((r) => r.readyzMs));
  const self = spread(restarts.map((r) => r.selfReportedMs));
  const shutdown = spread([first, ...restarts].map((r) => r.shutdownMs));
  const line = (s: { min: number; median: number; max: number }) => `min ${ms(s.min)} / median ${ms(s.median)} / max ${ms(s.max)}`;
  say(`restart to ready line (${RESTARTS}×): ${line(ready)}`);
  say(`restart to /readyz 200 (${RESTARTS}×): ${line(readyz)}`);
  say(`  of which in-process (after module load): ${line(self)}; module load + process start ≈ ${ms(ready.median - self.median)} (passage --help floor ${ms(helpMs)})`);
  say(`  median restart = ${(ready.median / nodeMs).toFixed(1)}× node -e "", ${(ready.median / tsxMs).toFixed(1)}× node --import tsx -e ""`);
  say(`  target restart ≤ ${RESTART_TARGET_MS / 1000} s (every run): ${verdict(ready.max <= RESTART_TARGET_MS)}`);
  say(`shutdown on SIGTERM (${restarts.length + 1}×): ${line(shutdown)}`);
  result(NAME, {
    size,
    firstStartMs: Math.round(first.readyLineMs),
    firstStartReadyzMs: Math.round(first.readyzMs),
    restartMs: { min: Math.round(ready.min), median: Math.round(ready.median), max: Math.round(ready.max) },
    restartReadyzMedianMs: Math.round(readyz.median),
    restartSelfReportedMedianMs: Math.round(self.median),
    shutdownMs: { min: Math.round(shutdown.min), median: Math.round(shutdown.median), max: Math.round(shutdown.max) },
    floorMs: { node: Math.round(nodeMs), nodeTsx: Math.round(tsxMs), cliHelp: Math.round(helpMs) },
    targets: { firstStartMet: first.readyLineMs <= FIRST_START_TARGET_MS, restartMet: ready.max <= RESTART_TARGET_MS },
  });
} finally {
  await cleanupOnce();
}
