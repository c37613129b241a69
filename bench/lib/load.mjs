// Runs autocannon in a process of its own, so that the server under test keeps its own core.
// Options come as JSON in BENCH_LOAD (not argv: it can hold a session cookie):
//   { url, connections, duration, headers?, cookiesFile? }
// cookiesFile: one cookie per line; each request takes the next one, round-robin.
// Prints one JSON line: autocannon's figures plus this process's CPU time.
import fs from 'node:fs';
import autocannon from 'autocannon';

const opts = JSON.parse(process.env.BENCH_LOAD ?? '{}');
const headers = opts.headers ?? {};
let requests;
if (opts.cookiesFile) {
  const cookies = fs.readFileSync(opts.cookiesFile, 'utf8').split('\n').filter(Boolean);
  let next = 0;
  requests = [
    {
      method: 'GET',
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...headers, cookie: cookies[next++ % cookies.length] } }),
    },
  ];
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await autocannon({ url: opts.url, connections: opts.connections, duration: opts.duration, headers, ...(requests ? { requests } : {}) });
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({
    requestsPerSec: r.requests.average,
    total: r.requests.total,
    durationSec: r.duration,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes: r.statusCodeStats,
    loadCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
  })}\n`,
);
