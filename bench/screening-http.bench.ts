import os from 'node:os';
import { Watchlist } from '@passage/match';
import { createTestApp } from '@passage/server/testing';
import { benchSize, cleanupOnSignal, result, say, verdict } from './lib/common.ts';
import { buildScreenData } from './lib/screen-data.ts';

/**
 * Screening over HTTP (POST /api/screening/check), the API the border module will call. Target (issue #4):
 * single-name screening p95 ≤ 10 ms against a 50,000-entry list with aliases.
 *
 * A fresh database (local PostgreSQL), migrated and demo-seeded; the synthetic watchlist of match-screen (50,000
 * entries and their aliases; tiny: 2,000) uploaded as a CSV through POST /api/screening/watchlists; then each
 * query of match-screen screened once through the whole stack with app.inject (session, CSRF, policy, zod
 * validation, the version check of the list, the in-memory Watchlist, the audit event committed before the answer)
 * as the demo border officer, after 100 warm-up requests: sequentially (p50/p95/p99), then from 8 concurrent
 * clients. Peer in the same run: the same queries against the engine's Watchlist in this process, without HTTP,
 * database or audit.
 */
const NAME = 'screening-http';
const size = benchSize();
const tiny = size === 'tiny';
const ENTRIES = tiny ? 2_000 : 50_000;
const QUERIES = tiny ? 200 : 2_000;
const WARMUP = tiny ? 20 : 100;
const CONCURRENCY = 8;
const P95_TARGET_MS = 10;
const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const csvCell = (v: string | null | undefined) => (v == null ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

say(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const data = buildScreenData(ENTRIES, QUERIES);
const queries = [...data.listedQueries, ...data.newQueries];
const t = await createTestApp();
const cleanup = cleanupOnSignal(() => t.close());
try {
  const admin = await t.as('administrator');
  const border = await t.as('border_officer');
  const hq = t.demo.offices.find((o) => o.code === 'DEMO-HQ')!.id;
  const csv = ['entry_id,name,alias_of,date_of_birth,nationality', ...data.entries.map((e) => [e.entryId, e.name, e.aliasOf, e.dateOfBirth, e.nationality].map(csvCell).join(','))].join('\n');
  let s = performance.now();
  const up = await t.app.inject({ method: 'POST', url: `/api/screening/watchlists?officeId=${hq}&name=Synthetic`, headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: csv });
  if (up.statusCode !== 201) throw new Error(`upload failed: ${up.statusCode} ${up.body}`);
  say(`Uploaded ${data.listed} entries with ${data.entries.length - data.listed} aliases (${(csv.length / 1e6).toFixed(1)} MB CSV) in ${((performance.now() - s) / 1000).toFixed(1)} s`);
  const check = (q: (typeof queries)[number]) => t.app.inject({ method: 'POST', url: '/api/screening/check', headers: border.headers, payload: JSON.stringify({ names: q.names.filter((n) => n.trim()), dateOfBirth: q.dateOfBirth, nationality: q.nationality }) });
  s = performance.now();
  const first = await check(queries[0]!);
  say(`First check (loads the list into the process): ${(performance.now() - s).toFixed(0)} ms, status ${first.statusCode}`);
  for (let k = 0; k < WARMUP; k++) await check(queries[k % queries.length]!);

  const times: number[] = [];
  let found = 0;
  for (const [k, q] of queries.entries()) {
    const t0 = performance.now();
    const res = await check(q);
    times.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`check failed: ${res.statusCode} ${res.body}`);
    if (k < data.listedQueries.length && (res.json() as { hits: { entryId: string }[] }).hits.some((h) => h.entryId === data.listedEntity[k])) found++;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const [p50, p95, p99] = [pct(sorted, 50), pct(sorted, 95), pct(sorted, 99)];
  say(`Sequential: ${queries.length} checks, p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; listed person found ${found} of ${data.listedQueries.length}`);

  const ctimes: number[] = [];
  let next = 0;
  s = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < queries.length) {
        const q = queries[next++]!;
        const t0 = performance.now();
        await check(q);
        ctimes.push(performance.now() - t0);
      }
    }),
  );
  const wall = (performance.now() - s) / 1000;
  const csorted = [...ctimes].sort((a, b) => a - b);
  say(`${CONCURRENCY} concurrent clients: ${(queries.length / wall).toFixed(0)} checks/s, p50 ${pct(csorted, 50).toFixed(2)} ms, p95 ${pct(csorted, 95).toFixed(2)} ms, p99 ${pct(csorted, 99).toFixed(2)} ms`);

  // Peer: the engine alone.
  const list = new Watchlist(data.entries);
  for (let k = 0; k < WARMUP; k++) list.screen(queries[k % queries.length]!);
  const etimes = queries.map((q) => {
    const t0 = performance.now();
    list.screen(q, { threshold: 0.85 });
    return performance.now() - t0;
  });
  const esorted = etimes.sort((a, b) => a - b);
  say(`Peer, the engine's Watchlist in-process: p50 ${pct(esorted, 50).toFixed(2)} ms, p95 ${pct(esorted, 95).toFixed(2)} ms; HTTP p95 is ${(p95 / pct(esorted, 95)).toFixed(1)}× the engine's`);
  const met = p95 <= P95_TARGET_MS;
  say(`Target p95 ≤ ${P95_TARGET_MS} ms against ${data.listed} entries (sequential): ${tiny ? '(tiny size: not the target size)' : verdict(met)}`);
  result(NAME, {
    size,
    entries: data.listed,
    rows: data.entries.length,
    sequential: { p50: +p50.toFixed(2), p95: +p95.toFixed(2), p99: +p99.toFixed(2) },
    concurrent: { clients: CONCURRENCY, perSecond: Math.round(queries.length / wall), p50: +pct(csorted, 50).toFixed(2), p95: +pct(csorted, 95).toFixed(2) },
    engine: { p50: +pct(esorted, 50).toFixed(3), p95: +pct(esorted, 95).toFixed(3) },
    listedFound: found,
    listedQueries: data.listedQueries.length,
    p95TargetMet: tiny ? null : met,
  });
} finally {
  await cleanup();
}
