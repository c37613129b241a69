// Load for the registry benchmarks, in a process of its own (so that it does not share the server's event loop).
// Options come as JSON in BENCH_REGISTRY_LOAD (not argv: it holds a session cookie):
//   { mode: 'http', url, connections, duration, method, headers, requestsFile }
//       autocannon; requestsFile is JSON [{ path, label, body? }]: each request takes the next one, round-robin.
//   { mode: 'pg', databaseUrl, connections, duration, sql, paramsFile }
//       the peer: `connections` clients of a pg pool, each running `sql` in a loop; paramsFile is JSON
//       [{ label, values }], taken round-robin.
// Every latency is recorded (autocannon's 'response' event, or around each query), so percentiles are exact,
// p95 included, in fractions of a millisecond. Prints one JSON line.
import fs from 'node:fs';
import pg from 'pg';
// @ts-expect-error autocannon ships no types; only its programmatic run() is used here.
import autocannon from 'autocannon';

interface HttpOptions {
  mode: 'http';
  url: string;
  connections: number;
  duration: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  requestsFile: string;
}
interface PgOptions {
  mode: 'pg';
  databaseUrl: string;
  connections: number;
  duration: number;
  sql: string;
  paramsFile: string;
}

/** Latencies of one run, by label. */
class Recorder {
  readonly all: number[] = [];
  readonly byLabel = new Map<string, number[]>();
  readonly statuses = new Map<string, number>();
  errors = 0;
  record(label: string, ms: number, status: string): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    this.all.push(ms);
    let l = this.byLabel.get(label);
    if (!l) this.byLabel.set(label, (l = []));
    l.push(ms);
  }
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length === 0 ? null : Number(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!.toFixed(2)));
  return { count: s.length, p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: s.length ? Number(s[s.length - 1]!.toFixed(2)) : null, mean: s.length ? Number((s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)) : null };
}

async function runHttp(o: HttpOptions, rec: Recorder) {
  const list = JSON.parse(fs.readFileSync(o.requestsFile, 'utf8')) as { path: string; label: string; body?: unknown }[];
  let next = 0;
  const requests = [
    {
      method: o.method,
      setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
        const r = list[next++ % list.length]!;
        context.label = r.label;
        return { ...req, method: o.method, path: r.path, headers: { ...o.headers }, ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }) };
      },
    },
  ];
  const instance = autocannon({ url: o.url, connections: o.connections, duration: o.duration, headers: o.headers, requests });
  instance.on('response', (client: { requestIterator: { context: { label?: string } } }, statusCode: number, _bytes: number, responseTime: number) => {
    rec.record(client.requestIterator.context.label ?? '?', responseTime, String(statusCode));
  });
  const r = (await instance) as { duration: number; errors: number; timeouts: number; non2xx: number };
  return { durationSec: r.duration, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx };
}

async function runPg(o: PgOptions, rec: Recorder) {
  const params = JSON.parse(fs.readFileSync(o.paramsFile, 'utf8')) as { label: string; values: unknown[] }[];
  const pool = new pg.Pool({ connectionString: o.databaseUrl, max: o.connections, application_name: 'passage-bench-peer' });
  pool.on('error', () => undefined);
  // Open every connection first, so that connecting is not measured.
  const clients = await Promise.all(Array.from({ length: o.connections }, () => pool.connect()));
  for (const c of clients) c.release();
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + o.duration * 1000;
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      while (performance.now() < end) {
        const p = params[next++ % params.length]!;
        const q0 = performance.now();
        try {
          await pool.query(o.sql, p.values);
          rec.record(p.label, performance.now() - q0, 'ok');
        } catch {
          errors++;
        }
      }
    }),
  );
  const durationSec = (performance.now() - t0) / 1000;
  await pool.end();
  return { durationSec, errors, timeouts: 0, non2xx: 0 };
}

const opts = JSON.parse(process.env.BENCH_REGISTRY_LOAD ?? '{}') as HttpOptions | PgOptions;
const rec = new Recorder();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const run = opts.mode === 'http' ? await runHttp(opts, rec) : await runPg(opts, rec);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({
    ...run,
    total: rec.all.length,
    requestsPerSec: rec.all.length / run.durationSec,
    latencyMs: stats(rec.all),
    byLabel: Object.fromEntries([...rec.byLabel.entries()].map(([label, values]) => [label, stats(values)])),
    statusCodes: Object.fromEntries(rec.statuses),
    loadCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
  })}\n`,
);
