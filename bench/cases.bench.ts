import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { isoDay } from '@passage/domain';
import { buildCtdcExport, toCsv } from '@passage/domain/cases/ctdc/index';
import { ctPublicationInput } from '@passage/server/modules/cases/case-views.service';
import type { CasesDeps } from '@passage/server/modules/cases/cases.service';
import { EncryptionService } from '@passage/server/platform/encryption';
import { OfficeDirectory } from '@passage/server/platform/offices-directory';
import { createSession } from '@passage/server/platform/sessions';
import { startPassage, type RunningPassage } from '@passage/server/server';
import { testConfig } from '@passage/server/testing';
import { benchSize, cleanupOnSignal, median, result, say, verdict } from './lib/common.ts';
import { CASES_SCALES, demoIds, generateCases } from './lib/cases-data.ts';
import { casesLoadChild, describeRun, describeStats, runScenarios, type CasesLoadResult, type Scenario } from './lib/cases-http.ts';
import { CASE_READ_INDEXES, casesQueryKind, explain, isReplayable, replayParallel, replaySequential, summary } from './lib/cases-sql.ts';
import { describeKinds, perRequest, timeQueries } from './lib/registry-db-timing.ts';

/**
 * The case engine at scale, over HTTP. Targets (issue): with 200,000 cases and 2,000,000 timeline events on
 * PostgreSQL, opening a case with its timeline p95 ≤ 100 ms; the caseworker inbox p95 ≤ 100 ms; the office
 * dashboard ≤ 500 ms; the anonymised counter-trafficking export of 50,000 cases ≤ 10 s.
 *
 * Data: a fresh database (createTestDatabase), migrated and demo-seeded by startPassage (accounts, offices, teams,
 * partners, demo people and cases); then bench/lib/cases-data.ts generates in bulk 150,000 people, 200 caseworkers
 * and 10 supervisors (roles, teams), 200,000 cases (75 % migrant assistance, 25 % counter-trafficking with their
 * details and plans sealed by the real EncryptionService), ~70 % closed, the rest over the state machines, owned
 * by the office's caseworkers (the demo caseworker ~600, ~50 open tasks), ~2,000,000 timeline events (1 % of cases
 * with 100–299), notes, tasks, services, assessments, referrals, then VACUUM (ANALYZE). Tiny: 1,000 cases.
 *
 * Server: startPassage in this process (default configuration: pool of 2 × cores + 1, at least 5); the load in a child process
 * (bench/lib/cases-load.ts, keep-alive, every latency recorded). Sessions from createSession (one per user, warm
 * in the server's 5 s session cache). Measured:
 *   (a) the case page: GET /api/cases/:id then GET /api/cases/:id/timeline (the timeline panel loads after the
 *       case), on random cases the user may see: the demo caseworker (half their own cases, half other cases of
 *       their team and offices) and the office supervisor (standard cases of DEMO-NL and its sub-office);
 *   (b) GET /api/cases/inbox as the demo caseworker and as the supervisor;
 *   (c) GET /api/cases/dashboard?officeId=<DEMO-NL> as the supervisor, and for all offices as the programme manager;
 *   (d) GET /api/cases/publication/counter-trafficking as the data-protection officer (every CT case), with its
 *       parts timed apart in this process: the SQL pages alone, loading + decrypting + mapping
 *       (ctPublicationInput), the anonymisation (buildCtdcExport) and the CSV (toCsv).
 * Each read sequentially (one client), then (a) and (b) with several concurrent clients.
 * Peers: the timeline's SQL straight through pg; every SELECT the server ran for a request, captured and replayed
 * through one pg connection (the database floor of that request); the inbox's task query alone; the dashboard's
 * statements in parallel (as the server runs them).
 * The schema is the migrations' own: the indexes of 2026_11_27_0009_case_read_indexes (CASE_READ_INDEXES) are checked
 * to exist, and no index is added here. The dashboard's figures are checked against counts taken straight from the
 * tables (open cases, people served, services).
 */
const NAME = 'cases';
const size = benchSize();
const scale = CASES_SCALES[size];
const SEQ = size === 'tiny' ? 20 : 200;
const HEAVY = size === 'tiny' ? 5 : 50;
const DASH = size === 'tiny' ? 5 : 100;
const CT_RUNS = size === 'tiny' ? 1 : 3;
const CONCURRENCY = size === 'tiny' ? 2 : 6;
const CONCURRENT_SECONDS = size === 'tiny' ? 1 : 15;
const WARMUP = size === 'tiny' ? 3 : 20;
const CAPTURE = size === 'tiny' ? 5 : 50;
const TARGETS = { casePageP95Ms: 100, inboxP95Ms: 100, dashboardMs: 500, ctExportMs: 10_000 };

let database: TestDatabase | null = null;
let passage: RunningPassage | null = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-bench-cases-'));
const keep = process.env.BENCH_CASES_KEEP_DB === '1';
const cleanup = cleanupOnSignal(async () => {
  casesLoadChild?.kill('SIGTERM');
  try {
    await passage?.stop();
    if (keep && database) {
      say(`(BENCH_CASES_KEEP_DB=1: the database is kept: ${database.url}; drop it when done)`);
      await database.pool.end();
    } else await database?.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const shuffle = <T>(a: T[]): T[] => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};

let failed = false;
try {
  database = await createTestDatabase({ migrate: false }); // startPassage migrates
  const config = testConfig({ databaseUrl: database.url, port: 0, host: '127.0.0.1', demo: true });
  const tStart = performance.now();
  passage = await startPassage(config, { logger: false, webRoot: null, log: () => {} });
  const startMs = performance.now() - tStart;
  const timing = timeQueries(passage.database.pool, casesQueryKind);
  const pool = database.pool;
  const pgVersion = (await sql<{ version: string }>`SELECT version() AS version`.execute(database.db)).rows[0]!.version;
  const settings = (await pool.query<{ name: string; setting: string }>(`SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit')`)).rows;
  say(pgVersion);
  say(`PostgreSQL settings: ${settings.map((s) => `${s.name} ${s.setting}`).join(', ')}`);
  say(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, server DB pool ${config.dbPoolSize}`);
  say(`Start + migrations + demo seed (accounts, offices, teams, partners, demo people and cases): ${sec(startMs)}`);

  // ---- Data
  const encryption = await EncryptionService.open(database.db, config.masterKey!);
  const ids = await demoIds(pool);
  say(`Generating (${size}):`);
  const tLoad = performance.now();
  const counts = await generateCases(pool, encryption, ids, scale, say);
  const loadMs = performance.now() - tLoad;
  const dbSize = (await pool.query<{ s: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`)).rows[0]!.s;
  say(`Load time ${sec(loadMs)}; database ${dbSize}`);
  say(
    `Data: ${counts.cases.toLocaleString('en')} cases (${counts.ctCases.toLocaleString('en')} counter-trafficking), ${counts.events.toLocaleString('en')} timeline events ` +
      `(max ${counts.maxEventsPerCase} per case; ${counts.casesWith100Events.toLocaleString('en')} cases with 100+), ${counts.persons.toLocaleString('en')} people, ${counts.users} bench accounts, ` +
      `${counts.notes.toLocaleString('en')} notes, ${counts.tasks.toLocaleString('en')} tasks, ${counts.services.toLocaleString('en')} services, ${counts.assessments.toLocaleString('en')} assessments, ` +
      `${counts.referrals.toLocaleString('en')} referrals, ${counts.members.toLocaleString('en')} named specialists, ${counts.transfers} pending transfers; ${counts.seals.toLocaleString('en')} values sealed`,
  );
  const indexes = (await pool.query<{ name: string; size: string }>(`SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size FROM pg_class c WHERE c.relkind = 'i' AND c.relname = ANY($1)`, [CASE_READ_INDEXES.map((i) => i.name)])).rows;
  const missing = CASE_READ_INDEXES.filter((i) => !indexes.some((x) => x.name === i.name));
  if (missing.length > 0) throw new Error(`the indexes of migration 2026_11_27_0009 are missing: ${missing.map((i) => i.name).join(', ')}`);
  say(`Indexes of migration 2026_11_27_0009 (present): ${CASE_READ_INDEXES.map((i) => `${i.name} ${indexes.find((x) => x.name === i.name)!.size}`).join(', ')}`);
  say(`Demo caseworker: owns ${counts.demoCaseworkerCases} cases (${counts.demoCaseworkerOpenCases} open), ${counts.demoCaseworkerOpenTasks} open tasks (${counts.demoCaseworkerOverdueTasks} overdue)`);

  // ---- Sessions and samples
  const U = ids.users;
  const O = ids.offices;
  const cookie = async (userId: string) => ({ cookie: `passage_session=${(await createSession(database!.db, userId, 'full')).token}` });
  const headers = { caseworker: await cookie(U.caseworker), supervisor: await cookie(U.supervisor), manager: await cookie(U.programmeManager), dpo: await cookie(U.dpo) };
  const column = async (q: string, params: unknown[]) => (await pool.query<{ id: string }>(q, params)).rows.map((r) => r.id);
  const half = Math.ceil((SEQ + WARMUP) / 2);
  const cwCases = shuffle([
    ...(await column(`SELECT id FROM case_file WHERE owner_id = $1 ORDER BY random() LIMIT $2`, [U.caseworker, half])),
    ...(await column(`SELECT id FROM case_file WHERE type = 'migrant_assistance' AND office_id IN ($1, $2) AND owner_id <> $3 ORDER BY random() LIMIT $4`, [O.NL, O.PORT, U.caseworker, half])),
  ]);
  const supCases = await column(`SELECT id FROM case_file WHERE sensitivity = 'standard' AND office_id IN ($1, $2) ORDER BY random() LIMIT $3`, [O.NL, O.PORT, SEQ + WARMUP]);
  const heavyCases = await column(
    `SELECT c.id FROM case_file c WHERE c.type = 'migrant_assistance' AND c.office_id IN ($1, $2) AND (SELECT count(*) FROM case_event e WHERE e.case_id = c.id) >= 100 ORDER BY random() LIMIT $3`,
    [O.NL, O.PORT, HEAVY],
  );
  const pagePaths = (id: string) => [`/api/cases/${id}`, `/api/cases/${id}/timeline`];
  const pages = (label: string, h: Record<string, string>, list: string[]): Scenario[] => list.map((id) => ({ label, headers: h, paths: pagePaths(id) }));
  const cwPages = pages('caseworker', headers.caseworker, cwCases);
  const supPages = pages('supervisor', headers.supervisor, supCases);
  const inbox = (label: string, h: Record<string, string>): Scenario => ({ label, headers: h, paths: ['/api/cases/inbox'] });
  const dashNl = { label: 'supervisor, DEMO-NL', headers: headers.supervisor, paths: [`/api/cases/dashboard?officeId=${O.NL}`] };
  const dashAll = { label: 'programme manager, all offices', headers: headers.manager, paths: ['/api/cases/dashboard'] };
  const publication = { label: 'data-protection officer', headers: headers.dpo, paths: ['/api/cases/publication/counter-trafficking'] };

  // Every read must really answer 200 with what it should (a fast 404 would flatter).
  const getJson = async (p: string, h: Record<string, string>) => {
    const res = await fetch(`${passage!.url}${p}`, { headers: h });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${text.slice(0, 300)}`);
    return { res, text };
  };
  const inboxCw = JSON.parse((await getJson('/api/cases/inbox', headers.caseworker)).text) as { overdue: unknown[]; dueSoon: unknown[]; newReferrals: unknown[]; awaitingApproval: unknown[]; incomingTransfers: unknown[] };
  const inboxSup = JSON.parse((await getJson('/api/cases/inbox', headers.supervisor)).text) as typeof inboxCw;
  const sizes = (i: typeof inboxCw) => `${i.overdue.length} overdue, ${i.dueSoon.length} due soon, ${i.newReferrals.length} new referrals, ${i.awaitingApproval.length} awaiting approval, ${i.incomingTransfers.length} transfers`;
  say(`Inbox, caseworker: ${sizes(inboxCw)}; supervisor: ${sizes(inboxSup)}`);
  const dNl = JSON.parse((await getJson(dashNl.paths[0]!, dashNl.headers)).text) as { open: number; officeIds: string[] };
  const dAll = JSON.parse((await getJson(dashAll.paths[0]!, dashAll.headers)).text) as { open: number; officeIds: string[] };
  say(`Dashboard: DEMO-NL ${dNl.open.toLocaleString('en')} open cases (${dNl.officeIds.length} offices); all offices ${dAll.open.toLocaleString('en')} open (${dAll.officeIds.length} offices)`);
  if (dAll.open < counts.cases * (1 - scale.closedShare) * 0.9) throw new Error(`the dashboard counts ${dAll.open} open cases: fewer than generated`);
  // The dashboard's figures against counts taken straight from the tables (its SQL is the server's own now).
  for (const [who, d] of [['supervisor, DEMO-NL', dashNl], ['programme manager, all', dashAll]] as const) {
    const shown = JSON.parse((await getJson(d.paths[0]!, d.headers)).text) as DashboardShown;
    const today = isoDay(new Date());
    const since = `${new Date(Date.parse(`${today}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 7)}-01`;
    const want = (await pool.query<{ open: string; people: string; services: string }>(
      `SELECT (SELECT count(*) FROM case_file WHERE office_id = ANY($1::uuid[]) AND closed_at IS NULL) AS open,
              (SELECT count(DISTINCT person_id) FROM case_file WHERE office_id = ANY($1::uuid[]) AND closed_at IS NULL) AS people,
              (SELECT count(*) FROM case_service WHERE office_id = ANY($1::uuid[]) AND delivered_on >= $2::date) AS services`,
      [shown.officeIds, since],
    )).rows[0]!;
    const sum = (cells: { count: number | null }[]) => (cells.some((c) => c.count === null) ? null : cells.reduce((a, c) => a + c.count!, 0));
    const got = { open: shown.open, byStatus: sum(shown.openByStatus), byRisk: sum(shown.openByRisk), byAge: sum(shown.openByAge), people: sum(shown.peopleServed), services: sum(shown.servicesByMonth) };
    const problems = [
      ...(['open', 'byStatus', 'byRisk', 'byAge'] as const).filter((k) => got[k] !== null && got[k] !== Number(want.open)).map((k) => `${k} ${got[k]} vs ${want.open} open`),
      ...(got.people !== null && got.people !== Number(want.people) ? [`people served ${got.people} vs ${want.people}`] : []),
      ...(got.services !== null && got.services !== Number(want.services) ? [`services ${got.services} vs ${want.services}`] : []),
    ];
    if (problems.length > 0) throw new Error(`the dashboard (${who}) disagrees with the tables: ${problems.join('; ')}`);
    say(`  dashboard (${who}) agrees with the tables: ${Number(want.open).toLocaleString('en')} open, ${Number(want.people).toLocaleString('en')} people served, ${Number(want.services).toLocaleString('en')} services since ${since}${Object.values(got).includes(null) ? ' (masked cells not compared)' : ''}`);
  }

  // ---- Measurements
  const runs: Record<string, CasesLoadResult & { db?: ReturnType<typeof perRequest> }> = {};
  const measure = async (key: string, title: string, options: { scenarios: Scenario[]; concurrency?: number; iterations?: number; durationSec?: number }, perScenarioRequests = 1) => {
    const before = timing.snapshot();
    const r = await runScenarios({ url: passage!.url, concurrency: options.concurrency ?? 1, scenarios: options.scenarios, ...(options.iterations ? { iterations: options.iterations } : {}), ...(options.durationSec ? { durationSec: options.durationSec } : {}) }, tmp);
    const db = perRequest(before, timing.snapshot(), r.total);
    runs[key] = { ...r, db };
    say(`${title}:`);
    say(`  ${describeRun(r)}`);
    if (Object.keys(r.byLabel).length > 1) for (const [label, s] of Object.entries(r.byLabel)) say(`    ${label}: ${describeStats(s)}`);
    if (perScenarioRequests > 1) for (const [step, s] of Object.entries(r.bySteps)) say(`    ${step}: ${describeStats(s)}`);
    say(`  server's database work per ${perScenarioRequests > 1 ? 'page' : 'request'}: ${db.queriesPerRequest.toFixed(1)} statements in ${db.checkoutsPerRequest.toFixed(1)} pool checkouts, ${db.dbMsPerRequest.toFixed(1)} ms (sum, incl. statements run in parallel):`);
    for (const line of describeKinds(db).slice(0, size === 'full' ? 12 : 5)) say(`    ${line}`);
    if (r.total === 0 || r.errors > 0 || r.non2xx > 0) {
      failed = true;
      console.error(`${key}: ${r.total} completed, ${r.errors} errors, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)}): the measurement is not valid`);
    }
    return r;
  };

  say(`(a) Case page = GET /api/cases/:id then GET /api/cases/:id/timeline, latency of the pair; ${SEQ} different cases per user, one client (after ${WARMUP} pairs of warm-up)`);
  await runScenarios({ url: passage.url, concurrency: 1, iterations: WARMUP * 2, scenarios: [...cwPages.slice(SEQ), ...supPages.slice(SEQ)] }, tmp);
  await measure('pageCaseworker', 'Case page as the demo caseworker (half own cases, half the team\'s)', { scenarios: cwPages.slice(0, SEQ), iterations: SEQ }, 2);
  await measure('pageSupervisor', 'Case page as the office supervisor (standard cases of DEMO-NL and DEMO-NL-PORT)', { scenarios: supPages.slice(0, SEQ), iterations: SEQ }, 2);
  if (heavyCases.length > 0) await measure('pageHeavy', `Case page as the caseworker, cases with 100+ events (${heavyCases.length})`, { scenarios: pages('caseworker, heavy', headers.caseworker, heavyCases), iterations: heavyCases.length }, 2);
  const mixedPages = cwPages.slice(0, SEQ).flatMap((s, i) => [s, supPages[i % supPages.length]!]);
  await measure('pageConcurrent', `Case page, ${CONCURRENCY} concurrent clients (caseworker and supervisor alternating), ${CONCURRENT_SECONDS} s`, { scenarios: mixedPages, concurrency: CONCURRENCY, durationSec: CONCURRENT_SECONDS }, 2);

  say(`(b) GET /api/cases/inbox, ${SEQ} requests per user, one client`);
  await runScenarios({ url: passage.url, concurrency: 1, iterations: WARMUP, scenarios: [inbox('caseworker', headers.caseworker), inbox('supervisor', headers.supervisor)] }, tmp);
  await measure('inboxCaseworker', 'Inbox as the demo caseworker', { scenarios: [inbox('caseworker', headers.caseworker)], iterations: SEQ });
  await measure('inboxSupervisor', 'Inbox as the office supervisor', { scenarios: [inbox('supervisor', headers.supervisor)], iterations: SEQ });
  await measure('inboxConcurrent', `Inbox, ${CONCURRENCY} concurrent clients (caseworker and supervisor alternating), ${CONCURRENT_SECONDS} s`, { scenarios: [inbox('caseworker', headers.caseworker), inbox('supervisor', headers.supervisor)], concurrency: CONCURRENCY, durationSec: CONCURRENT_SECONDS });

  say(`(c) GET /api/cases/dashboard, ${DASH} requests each, one client`);
  await runScenarios({ url: passage.url, concurrency: 1, iterations: Math.min(WARMUP, 6), scenarios: [dashNl, dashAll] }, tmp);
  await measure('dashboardNl', `Dashboard of DEMO-NL (${dNl.open.toLocaleString('en')} open cases) as the office supervisor`, { scenarios: [dashNl], iterations: DASH });
  await measure('dashboardAll', `Dashboard of all offices (${dAll.open.toLocaleString('en')} open cases) as the programme manager`, { scenarios: [dashAll], iterations: DASH });

  // (d) The publication: one request checked and captured (its statements), then CT_RUNS measured.
  say(`(d) GET /api/cases/publication/counter-trafficking as the data-protection officer (every office: ${counts.ctCases.toLocaleString('en')} CT cases)`);
  const { value: first, queries: pubQueries } = await timing.capture(async () => {
    const t0 = performance.now();
    const { res, text } = await getJson(publication.paths[0]!, publication.headers);
    return { ms: performance.now() - t0, published: Number(res.headers.get('x-passage-published')), suppressed: Number(res.headers.get('x-passage-suppressed')), generalisation: res.headers.get('x-passage-generalisation'), bytes: text.length };
  });
  say(`  first request ${sec(first.ms)}: ${first.published.toLocaleString('en')} published, ${first.suppressed.toLocaleString('en')} suppressed (${first.generalisation}), CSV ${(first.bytes / 1024 / 1024).toFixed(1)} MB`);
  if (first.published + first.suppressed !== counts.ctCases) throw new Error(`the publication covered ${first.published + first.suppressed} cases, not ${counts.ctCases}`);
  const ct = await measure('ctExport', `Publication, ${CT_RUNS} runs`, { scenarios: [publication], iterations: CT_RUNS });

  // Its parts, in this process (the server idle): SQL alone, loading (SQL + decrypt + mapping), anonymisation, CSV.
  const pages0 = pubQueries.filter((q) => casesQueryKind(q.text) === 'publication: page of CT cases');
  const client = await pool.connect();
  const parts: { sqlMs: number[]; decryptMs: number[]; inputMs: number[]; buildMs: number[]; csvMs: number[] } = { sqlMs: [], decryptMs: [], inputMs: [], buildMs: [], csvMs: [] };
  try {
    const deps: CasesDeps = { db: database.db, encryption, offices: new OfficeDirectory(database.db), config: { breakGlassMinutes: 240 } };
    const offices = Object.values(O);
    for (let run = 0; run < CT_RUNS; run++) {
      let t0 = performance.now();
      const rows: { id: string; details_sealed: string | null }[] = [];
      for (const q of pages0) rows.push(...(await client.query<{ id: string; details_sealed: string | null }>(q.text, q.values)).rows);
      parts.sqlMs.push(performance.now() - t0);
      t0 = performance.now();
      for (const r of rows) if (r.details_sealed) JSON.parse(encryption.open(r.details_sealed, r.id, 'details'));
      parts.decryptMs.push(performance.now() - t0);
      t0 = performance.now();
      const input = await ctPublicationInput(deps, offices);
      parts.inputMs.push(performance.now() - t0);
      t0 = performance.now();
      const built = buildCtdcExport(input);
      parts.buildMs.push(performance.now() - t0);
      t0 = performance.now();
      toCsv(built.rows);
      parts.csvMs.push(performance.now() - t0);
    }
  } finally {
    client.release();
  }
  const m = (a: number[]) => median(a);
  const ctTotal = ct.latencyMs.p50 ?? NaN;
  say(`  Parts (median of ${CT_RUNS}, in this process): the ${pages0.length} SQL pages alone ${sec(m(parts.sqlMs))}; decrypt + JSON.parse of the details ${sec(m(parts.decryptMs))}; ` +
    `ctPublicationInput (SQL + decrypt + mapping) ${sec(m(parts.inputMs))}; buildCtdcExport ${sec(m(parts.buildMs))}; toCsv ${sec(m(parts.csvMs))}`);
  const partsSum = m(parts.inputMs) + m(parts.buildMs) + m(parts.csvMs);
  say(`  Shares of the parts' sum (${sec(partsSum)}; the HTTP median ${sec(ctTotal)} adds the audit event and sending the CSV): SQL ${((m(parts.sqlMs) / partsSum) * 100).toFixed(0)} %, ` +
    `decrypt + mapping ${(((m(parts.inputMs) - m(parts.sqlMs)) / partsSum) * 100).toFixed(0)} % (of which decrypt ${((m(parts.decryptMs) / partsSum) * 100).toFixed(0)} %), anonymisation ${((m(parts.buildMs) / partsSum) * 100).toFixed(0)} %, CSV ${((m(parts.csvMs) / partsSum) * 100).toFixed(0)} %`);

  // ---- Peers
  say('Peers (straight through pg, the server idle):');
  const peerClient = await pool.connect();
  const peers: Record<string, ReturnType<typeof summary>> = {};
  const explained: { what: string; kind: string; ms: number; plan: string[] }[] = [];
  try {
    // The timeline's SQL, on the caseworker's cases.
    const tl: number[] = [];
    for (const id of cwCases.slice(0, SEQ)) {
      const t0 = performance.now();
      await peerClient.query('SELECT id, at, kind, actor_id, data FROM case_event WHERE case_id = $1 ORDER BY id DESC LIMIT 51', [id]);
      tl.push(performance.now() - t0);
    }
    peers.timelineSql = summary(tl);
    say(`  timeline SQL (SELECT … FROM case_event WHERE case_id = $1 ORDER BY id DESC LIMIT 51): ${fmt(peers.timelineSql)}`);

    // Every SELECT the server ran for a case page, replayed on one connection.
    const pageStatements: { n: number; ms: number }[] = [];
    for (const id of cwCases.slice(0, CAPTURE)) {
      const { queries } = await timing.capture(async () => {
        for (const p of pagePaths(id)) await getJson(p, headers.caseworker);
      });
      const reads = queries.filter(isReplayable);
      pageStatements.push({ n: queries.length, ms: await replaySequential(peerClient, reads) });
    }
    peers.pageReplay = summary(pageStatements.map((s) => s.ms));
    say(`  case page: the server's ${median(pageStatements.map((s) => s.n))} statements per pair (median; the SELECTs replayed one after the other, ${CAPTURE} pages): ${fmt(peers.pageReplay)}`);

    // The inbox: every SELECT, and the overdue-task query alone.
    const inboxCapture = async (h: Record<string, string>) => (await timing.capture(() => getJson('/api/cases/inbox', h))).queries;
    for (const [who, h] of [['caseworker', headers.caseworker], ['supervisor', headers.supervisor]] as const) {
      const qs = await inboxCapture(h);
      const reads = qs.filter(isReplayable);
      const all: number[] = [];
      for (let i = 0; i < SEQ; i++) all.push(await replaySequential(peerClient, reads));
      peers[`inboxReplay_${who}`] = summary(all);
      const tasks = qs.find((q) => casesQueryKind(q.text) === 'inbox: my tasks');
      if (tasks) {
        const t: number[] = [];
        for (let i = 0; i < SEQ; i++) t.push(await replaySequential(peerClient, [tasks]));
        peers[`inboxTasks_${who}`] = summary(t);
      }
      say(`  inbox as ${who}: its ${reads.length} SELECTs one after the other ${fmt(peers[`inboxReplay_${who}`]!)}; the task query alone ${peers[`inboxTasks_${who}`] ? fmt(peers[`inboxTasks_${who}`]!) : 'n/a'}`);
      for (const q of reads) {
        const plan = await explain(pool, q);
        explained.push({ what: `inbox (${who})`, kind: casesQueryKind(q.text), ms: q.ms, plan });
      }
    }

    // The dashboard: its statements in parallel on a pool (as the server runs them), and their plans.
    for (const [who, d] of [['supervisor, DEMO-NL', dashNl], ['programme manager, all', dashAll]] as const) {
      const { queries } = await timing.capture(() => getJson(d.paths[0]!, d.headers));
      const reads = queries.filter(isReplayable);
      const par: number[] = [];
      for (let i = 0; i < Math.min(DASH, 30); i++) par.push(await replayParallel(pool, reads));
      peers[`dashboard_${who}`] = summary(par);
      say(`  dashboard (${who}): its ${reads.length} SELECTs in parallel on a pool of ${config.dbPoolSize} ${fmt(peers[`dashboard_${who}`]!)}`);
      for (const q of reads) explained.push({ what: `dashboard (${who})`, kind: casesQueryKind(q.text), ms: q.ms, plan: await explain(pool, q) });
    }
    if (pages0[0]) explained.push({ what: 'publication', kind: 'publication: page of CT cases (first)', ms: pages0[0].ms, plan: await explain(pool, pages0[0]) });
    // The case page's statements, once (the slowest few).
    const { queries: pageQs } = await timing.capture(async () => {
      for (const p of pagePaths(cwCases[0]!)) await getJson(p, headers.caseworker);
    });
    for (const q of pageQs.filter(isReplayable).sort((a, b) => b.ms - a.ms).slice(0, 3)) explained.push({ what: 'case page', kind: casesQueryKind(q.text), ms: q.ms, plan: await explain(pool, q) });
  } finally {
    peerClient.release();
  }
  const execution = (plan: string[]) => plan.find((l) => l.startsWith('Execution Time')) ?? '';
  say('EXPLAIN (ANALYZE, BUFFERS) of the statements (execution time; the server\'s time in brackets):');
  for (const e of explained) say(`  ${e.what}: ${e.kind} — ${execution(e.plan)} (${e.ms.toFixed(1)} ms as the server saw it)`);
  if (size === 'full') {
    for (const e of explained.filter((x) => Number(/Execution Time: ([\d.]+)/.exec(execution(x.plan))?.[1] ?? 0) >= 10)) {
      say(`  -- ${e.what}: ${e.kind}`);
      for (const line of e.plan) say(`  ${line}`);
    }
  }

  // ---- Verdicts
  const p95 = (k: string) => runs[k]?.latencyMs.p95 ?? Infinity;
  const worst = (...keys: string[]) => Math.max(...keys.map(p95));
  const ctMax = ct.latencyMs.max ?? Infinity;
  const targetsMet = {
    casePage: worst('pageCaseworker', 'pageSupervisor') <= TARGETS.casePageP95Ms,
    inbox: worst('inboxCaseworker', 'inboxSupervisor') <= TARGETS.inboxP95Ms,
    dashboard: worst('dashboardNl', 'dashboardAll') <= TARGETS.dashboardMs,
    ctExport: ctMax <= TARGETS.ctExportMs,
  };
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  say('Targets (one client; the concurrent runs are above):');
  say(`  Case page p95 ≤ ${TARGETS.casePageP95Ms} ms: caseworker ${p95('pageCaseworker').toFixed(1)} ms, supervisor ${p95('pageSupervisor').toFixed(1)} ms: ${verdict(targetsMet.casePage)} ` +
    `(${ratio(p95('pageCaseworker'), peers.pageReplay!.p95)} its SELECTs replayed, ${ratio(p95('pageCaseworker'), peers.timelineSql!.p95)} the timeline SQL alone)`);
  say(`  Inbox p95 ≤ ${TARGETS.inboxP95Ms} ms: caseworker ${p95('inboxCaseworker').toFixed(1)} ms, supervisor ${p95('inboxSupervisor').toFixed(1)} ms: ${verdict(targetsMet.inbox)} ` +
    `(caseworker ${ratio(p95('inboxCaseworker'), peers.inboxReplay_caseworker!.p95)} its SELECTs replayed${peers.inboxTasks_caseworker ? `, ${ratio(p95('inboxCaseworker'), peers.inboxTasks_caseworker.p95)} the task query alone` : ''})`);
  say(`  Dashboard ≤ ${TARGETS.dashboardMs} ms (p95): DEMO-NL ${p95('dashboardNl').toFixed(1)} ms, all offices ${p95('dashboardAll').toFixed(1)} ms: ${verdict(targetsMet.dashboard)} ` +
    `(${ratio(p95('dashboardNl'), peers['dashboard_supervisor, DEMO-NL']!.p95)} / ${ratio(p95('dashboardAll'), peers['dashboard_programme manager, all']!.p95)} its SELECTs in parallel)`);
  say(`  CT export of ${counts.ctCases.toLocaleString('en')} cases ≤ ${sec(TARGETS.ctExportMs)}: max ${sec(ctMax)} (median ${sec(ctTotal)}): ${verdict(targetsMet.ctExport)}`);

  say(`Load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  result(NAME, {
    size,
    postgres: pgVersion,
    node: process.version,
    dbPool: config.dbPoolSize,
    setup: { startMs: Math.round(startMs), loadMs: Math.round(loadMs), databaseSize: dbSize },
    data: counts,
    iterations: { sequential: SEQ, dashboard: DASH, ctRuns: CT_RUNS, concurrency: CONCURRENCY, concurrentSeconds: CONCURRENT_SECONDS },
    runs,
    ctParts: parts,
    peers,
    explain: explained.map((e) => ({ what: e.what, kind: e.kind, ms: Number(e.ms.toFixed(1)), execution: execution(e.plan) })),
    targets: TARGETS,
    targetsMet,
    indexes: Object.fromEntries(indexes.map((i) => [i.name, i.size])),
    valid: !failed,
  });
} finally {
  await cleanup();
}
if (failed) process.exitCode = 1;

function fmt(s: { p50: number; p95: number; p99: number; max: number; count: number }): string {
  return `n ${s.count}, p50 ${s.p50.toFixed(2)}, p95 ${s.p95.toFixed(2)}, p99 ${s.p99.toFixed(2)}, max ${s.max.toFixed(2)} ms`;
}

interface DashboardShown {
  officeIds: string[];
  open: number;
  openByStatus: { count: number | null }[];
  openByRisk: { count: number | null }[];
  openByAge: { count: number | null }[];
  peopleServed: { count: number | null }[];
  servicesByMonth: { count: number | null }[];
}
