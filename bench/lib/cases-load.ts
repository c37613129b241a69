// Load for the case-engine benchmark, in a process of its own (so it does not share the server's event loop).
// Options come as JSON in BENCH_CASES_LOAD (not argv: it holds session cookies):
//   { url, concurrency, iterations, durationSec, scenariosFile }
// scenariosFile is JSON [{ label, headers, paths }]: a scenario is what one screen does when it opens, its GETs one
// after the other (the case page: the case, then its timeline). `concurrency` clients each take the next scenario
// (round-robin) until `iterations` scenarios have started, or until `durationSec` has passed. Every scenario's
// latency is recorded (from its first request sent to its last response's end), and each step's, so percentiles
// are exact. Keep-alive connections (one per client). Prints one JSON line.
import fs from 'node:fs';
import http from 'node:http';

interface Options {
  url: string;
  concurrency: number;
  iterations: number | null;
  durationSec: number | null;
  scenariosFile: string;
}
interface Scenario {
  label: string;
  headers: Record<string, string>;
  paths: string[];
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length === 0 ? null : Number(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!.toFixed(2)));
  return { count: s.length, p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: s.length ? Number(s[s.length - 1]!.toFixed(2)) : null, mean: s.length ? Number((s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)) : null };
}

const opts = JSON.parse(process.env.BENCH_CASES_LOAD ?? '{}') as Options;
const scenarios = JSON.parse(fs.readFileSync(opts.scenariosFile, 'utf8')) as Scenario[];
const target = new URL(opts.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });

function get(path: string, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: target.hostname, port: target.port, path, method: 'GET', headers }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const all: number[] = [];
const byLabel = new Map<string, number[]>();
const bySteps = new Map<string, number[]>();
const statuses = new Map<string, number>();
let errors = 0;
let non2xx = 0;
let bytes = 0;
let started = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const end = opts.durationSec ? t0 + opts.durationSec * 1000 : Infinity;
const push = (m: Map<string, number[]>, key: string, v: number) => {
  let l = m.get(key);
  if (!l) m.set(key, (l = []));
  l.push(v);
};

await Promise.all(
  Array.from({ length: opts.concurrency }, async () => {
    for (;;) {
      if (performance.now() >= end) return;
      if (opts.iterations !== null && started >= opts.iterations) return;
      const s = scenarios[started++ % scenarios.length]!;
      const s0 = performance.now();
      let ok = true;
      for (const [i, path] of s.paths.entries()) {
        const q0 = performance.now();
        try {
          const r = await get(path, s.headers);
          bytes += r.bytes;
          statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
          if (r.status < 200 || r.status > 299) {
            non2xx++;
            ok = false;
          }
          push(bySteps, `${s.label} #${i + 1}`, performance.now() - q0);
        } catch {
          errors++;
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const ms = performance.now() - s0;
      all.push(ms);
      push(byLabel, s.label, ms);
    }
  }),
);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
agent.destroy();
process.stdout.write(
  `${JSON.stringify({
    durationSec: wallMs / 1000,
    total: all.length,
    scenariosPerSec: all.length / (wallMs / 1000),
    errors,
    non2xx,
    bytes,
    statusCodes: Object.fromEntries(statuses),
    latencyMs: stats(all),
    byLabel: Object.fromEntries([...byLabel].map(([k, v]) => [k, stats(v)])),
    bySteps: Object.fromEntries([...bySteps].map(([k, v]) => [k, stats(v)])),
    loadCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
  })}\n`,
);
