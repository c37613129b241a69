// Runs bench/lib/registry-load.ts in a child process and measures this process (the server) meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './common.ts';
import { busyPercent, machineTicks } from './registry-data.ts';

const LOAD = path.join(ROOT, 'bench', 'lib', 'registry-load.ts');

export interface LatencyStats {
  count: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export interface LoadResult {
  durationSec: number;
  total: number;
  requestsPerSec: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  latencyMs: LatencyStats;
  byLabel: Record<string, LatencyStats>;
  loadCpuPercent: number;
  /** This process's CPU over the run, in % of one core (the server, when it runs here). */
  serverCpuPercent: number;
  /** The machine, in % of all its cores busy, or null. */
  machineBusyPercent: number | null;
}

/** The load process of a benchmark, while it runs (so that a SIGTERM can stop it). */
export let loadChild: ChildProcess | null = null;

export type LoadOptions =
  | { mode: 'http'; url: string; connections: number; duration: number; method: 'GET' | 'POST'; headers: Record<string, string>; requests: { path: string; label: string; body?: unknown }[] }
  | { mode: 'pg'; databaseUrl: string; connections: number; duration: number; sql: string; params: { label: string; values: unknown[] }[] };

/** Runs one load in a child process; asynchronous, since the server may answer from this process's event loop. */
export function runLoad(options: LoadOptions, dir: string): Promise<LoadResult> {
  const file = path.join(dir, `load-${process.pid}-${Date.now()}.json`);
  const { requests, params, ...rest } = options as LoadOptions & { requests?: unknown; params?: unknown };
  fs.writeFileSync(file, JSON.stringify(requests ?? params), { mode: 0o600 });
  const env = { ...rest, ...(options.mode === 'http' ? { requestsFile: file } : { paramsFile: file }) };
  const cpu0 = process.cpuUsage();
  const ticks0 = machineTicks();
  const t0 = performance.now();
  return new Promise<Omit<LoadResult, 'serverCpuPercent' | 'machineBusyPercent'>>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD], { cwd: ROOT, env: { ...process.env, BENCH_REGISTRY_LOAD: JSON.stringify(env) }, stdio: ['ignore', 'pipe', 'pipe'] });
    loadChild = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      loadChild = null;
      fs.rmSync(file, { force: true });
      if (code !== 0) return reject(new Error(`load exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`load printed no result: ${out}${err}`));
      }
    });
  }).then((r) => {
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { ...r, serverCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, machineBusyPercent: busyPercent(ticks0, machineTicks()) };
  });
}

const f = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}`);

/** One line: throughput, latency percentiles, errors, CPU. */
export function describeLoad(r: LoadResult, serverLabel = 'server'): string {
  const l = r.latencyMs;
  return (
    `${r.requestsPerSec.toFixed(0)} req/s (${r.total}), latency ms p50 ${f(l.p50)}, p90 ${f(l.p90)}, p95 ${f(l.p95)}, p99 ${f(l.p99)}, max ${f(l.max)}; ` +
    `errors ${r.errors} (timeouts ${r.timeouts}), non-2xx ${r.non2xx}; CPU: ${serverLabel} ${r.serverCpuPercent.toFixed(0)}%, load ${r.loadCpuPercent.toFixed(0)}% of a core` +
    (r.machineBusyPercent === null ? '' : `, machine ${r.machineBusyPercent.toFixed(0)}% of ${os.cpus().length} cores busy`)
  );
}

/** One line per label: count, p50, p95, p99, max. */
export function describeLabels(r: LoadResult): string[] {
  return Object.entries(r.byLabel)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, l]) => `${label}: ${l.count} requests, p50 ${f(l.p50)} ms, p95 ${f(l.p95)} ms, p99 ${f(l.p99)} ms, max ${f(l.max)} ms`);
}
