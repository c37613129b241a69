// Runs bench/lib/cases-load.ts in a child process and measures this process (the server) and the machine meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './common.ts';
import { busyPercent, machineTicks } from './registry-data.ts';

const LOAD = path.join(ROOT, 'bench', 'lib', 'cases-load.ts');

export interface Stats {
  count: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export interface Scenario {
  label: string;
  headers: Record<string, string>;
  paths: string[];
}

export interface CasesLoadResult {
  durationSec: number;
  /** Scenarios completed (each all 2xx). */
  total: number;
  scenariosPerSec: number;
  errors: number;
  non2xx: number;
  bytes: number;
  statusCodes: Record<string, number>;
  latencyMs: Stats;
  byLabel: Record<string, Stats>;
  /** Each GET of a scenario, by "label #n". */
  bySteps: Record<string, Stats>;
  loadCpuPercent: number;
  /** This process's CPU over the run, in % of one core (the server runs here). */
  serverCpuPercent: number;
  /** The machine, in % of all its cores busy, or null. */
  machineBusyPercent: number | null;
}

/** The load process while it runs (so that a SIGTERM can stop it). */
export let casesLoadChild: ChildProcess | null = null;

/** Runs scenarios against the server: `iterations` in all, or for `durationSec`, from `concurrency` clients. */
export function runScenarios(options: { url: string; concurrency: number; iterations?: number; durationSec?: number; scenarios: Scenario[] }, dir: string): Promise<CasesLoadResult> {
  const file = path.join(dir, `cases-load-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(options.scenarios), { mode: 0o600 });
  const env = { url: options.url, concurrency: options.concurrency, iterations: options.iterations ?? null, durationSec: options.durationSec ?? null, scenariosFile: file };
  const cpu0 = process.cpuUsage();
  const ticks0 = machineTicks();
  const t0 = performance.now();
  return new Promise<Omit<CasesLoadResult, 'serverCpuPercent' | 'machineBusyPercent'>>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD], { cwd: ROOT, env: { ...process.env, BENCH_CASES_LOAD: JSON.stringify(env) }, stdio: ['ignore', 'pipe', 'pipe'] });
    casesLoadChild = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      casesLoadChild = null;
      fs.rmSync(file, { force: true });
      if (code !== 0) return reject(new Error(`load exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out) as CasesLoadResult);
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

const f = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(1));

/** "p50 … p95 … p99 … max …" of one Stats. */
export function describeStats(s: Stats): string {
  return `n ${s.count}, p50 ${f(s.p50)}, p90 ${f(s.p90)}, p95 ${f(s.p95)}, p99 ${f(s.p99)}, max ${f(s.max)} ms`;
}

/** One line: throughput, latency, errors, CPU. */
export function describeRun(r: CasesLoadResult): string {
  return (
    `${r.scenariosPerSec.toFixed(1)}/s, ${describeStats(r.latencyMs)}; errors ${r.errors}, non-2xx ${r.non2xx}; ` +
    `CPU: server ${r.serverCpuPercent.toFixed(0)}%, load ${r.loadCpuPercent.toFixed(0)}% of a core` +
    (r.machineBusyPercent === null ? '' : `, machine ${r.machineBusyPercent.toFixed(0)}% of ${os.cpus().length} cores busy`)
  );
}
