// Counts and times, from the server's side, every query the server's pool runs, by kind of statement:
// how many database round trips a request makes and where its database time goes (lock waits included).
// It wraps `query` of each pool client once, in the benchmark's process; the server's code is unchanged.
// Times are from the call to the result as the server's event loop sees it (under load, that includes
// waiting for the event loop). Queries can also be captured, to EXPLAIN them afterwards.
import type pg from 'pg';

export interface QueryTotals {
  /** Pool checkouts. */
  checkouts: number;
  byKind: Map<string, { count: number; ms: number }>;
}

export interface CapturedQuery {
  text: string;
  values: unknown[];
  ms: number;
}

const WRAPPED = Symbol('bench.wrapped');

/** Attaches to a pool; `snapshot()` reads the totals so far, `capture(fn)` records the queries made while fn runs. */
export function timeQueries(pool: pg.Pool, classify: (text: string) => string) {
  const totals: QueryTotals = { checkouts: 0, byKind: new Map() };
  let captured: CapturedQuery[] | null = null;
  pool.on('acquire', (client: pg.PoolClient & { [WRAPPED]?: true }) => {
    totals.checkouts++;
    if (client[WRAPPED]) return;
    client[WRAPPED] = true;
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const t0 = performance.now();
      const r = original(...args);
      const text = args[0];
      if (typeof text === 'string' && r && typeof (r as Promise<unknown>).then === 'function') {
        const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : [];
        (r as Promise<unknown>).then(
          () => {
            const ms = performance.now() - t0;
            const kind = classify(text);
            const e = totals.byKind.get(kind) ?? { count: 0, ms: 0 };
            e.count++;
            e.ms += ms;
            totals.byKind.set(kind, e);
            captured?.push({ text, values, ms });
          },
          () => undefined,
        );
      }
      return r;
    };
  });
  return {
    snapshot(): QueryTotals {
      return { checkouts: totals.checkouts, byKind: new Map([...totals.byKind].map(([k, v]) => [k, { ...v }])) };
    },
    async capture<T>(fn: () => Promise<T>): Promise<{ value: T; queries: CapturedQuery[] }> {
      captured = [];
      try {
        const value = await fn();
        await new Promise((r) => setImmediate(r)); // let the last result callbacks run
        return { value, queries: captured };
      } finally {
        captured = null;
      }
    },
  };
}

/** Per request, between two snapshots: round trips, checkouts, and database time by kind (largest first). */
export function perRequest(before: QueryTotals, after: QueryTotals, requests: number) {
  const n = Math.max(1, requests);
  const kinds = [...after.byKind].map(([kind, v]) => {
    const b = before.byKind.get(kind) ?? { count: 0, ms: 0 };
    return { kind, perRequest: (v.count - b.count) / n, msPerRequest: (v.ms - b.ms) / n, msPerQuery: (v.ms - b.ms) / Math.max(1, v.count - b.count) };
  });
  const queries = kinds.reduce((a, k) => a + k.perRequest, 0);
  return {
    checkoutsPerRequest: (after.checkouts - before.checkouts) / n,
    queriesPerRequest: queries,
    dbMsPerRequest: kinds.reduce((a, k) => a + k.msPerRequest, 0),
    byKind: kinds.filter((k) => k.perRequest > 0).sort((a, b) => b.msPerRequest - a.msPerRequest),
  };
}

/** One line per kind: "kind: 1.00/req, 2.3 ms/req (2.3 ms each)". */
export function describeKinds(p: ReturnType<typeof perRequest>): string[] {
  return p.byKind.map((k) => `${k.kind}: ${k.perRequest.toFixed(2)}/req, ${k.msPerRequest.toFixed(2)} ms/req (${k.msPerQuery.toFixed(2)} ms each)`);
}

/** Statement kinds of the registry's requests. */
export function registryQueryKind(text: string): string {
  const q = text.replace(/^\/\* passage:prepare \*\/\s*/, '').replace(/\s+/g, ' ').trim().toLowerCase();
  if (q.includes('audit_pending') || q.includes('audit_link') || q.includes('pg_try_advisory_xact_lock')) return 'audit linker (after commit, every 200 ms)';
  if (q.startsWith('with w1 as (insert into')) return 'registration: one statement (household, people, documents, consents, memberships, history, audit events)';
  if (q.includes('pg_advisory_xact_lock')) return 'audit: advisory lock (wait + take)';
  if (q.includes('audit_chain_head(')) return 'audit: advisory lock (wait + take) + last hash';
  if (q.startsWith('set local synchronous_commit')) return 'SET LOCAL synchronous_commit = off (registration ids, audit linker)';
  if (q.startsWith('select "hash" from "audit_event"')) return 'audit: last hash';
  if (q.startsWith('insert into "audit_event"')) return 'audit: insert event';
  if (q === 'begin') return 'BEGIN';
  if (q === 'commit') return 'COMMIT';
  if (q === 'rollback') return 'ROLLBACK';
  if (q.includes('from "session"')) return 'session load';
  if (q.startsWith('with paired as materialized')) return q.includes('<% p.search_text') ? 'search: name, pair + keys + similarity (candidates, total, page)' : 'search: name, pair + keys (candidates, total, page)';
  if (q.includes('count(*) over ()') && q.includes('"person" as "p"')) return 'search: lookup (person rows + their count)';
  if (q.includes('count(*)') && q.includes('"person"')) return 'search: count (≤ 1001)';
  if (q.startsWith('select "p".*') || (q.startsWith('select') && q.includes('from "person" as "p"'))) return 'search/read: person rows';
  if (q.includes('office_sequence')) return 'registration ids (office_sequence)';
  if (q.startsWith('insert into "household_membership"')) return 'insert household_membership';
  if (q.startsWith('insert into "household"')) return 'insert household';
  if (q.startsWith('update "household"')) return 'update household head';
  if (q.startsWith('insert into "person_change"')) return 'insert person_change';
  if (q.startsWith('insert into "person"')) return 'insert person';
  if (q.startsWith('insert into "identity_document"')) return 'insert identity_document';
  if (q.startsWith('insert into "consent"')) return 'insert consent';
  if (q.includes('"office"')) return 'offices';
  return 'other';
}
