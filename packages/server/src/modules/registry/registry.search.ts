import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '@passage/db';
import {
  AGE_BANDS,
  documentKey,
  isRegistrationId,
  isoDay,
  maskCount,
  officeSubtree,
  toE164,
  type AgeBand,
  type PersonSearchQuery,
  type PersonSearchResultDto,
  type PopulationStatsDto,
  type SpecificNeed,
  isCalendarDate,
} from '@passage/domain';
import { canonicalToken, nameTokens, searchText, skeleton, type MatchQueryResult, type MatchRecord } from '@passage/match';
import { toExplanationDto } from '../match/match.repository.ts';
import { writeAuditNow } from '../../platform/audit.ts';
import { SUMMARY_COLUMNS, needsIndex, summaryQuery, toSummary, type PersonSummaryRow } from './registry.repository.ts';
import type { Actor, RegistryDeps } from './registry.service.ts';

/** Totals are counted up to this many rows; beyond it the total shows as "1,000+". */
export const TOTAL_CAP = 1000;
/**
 * Name searches rank a bounded set of candidates (a very common name does not rank the whole registry): the best
 * this many of (up to KEYED_SCAN times as many) people whose name keys meet every token, and — when those cannot
 * fill the page — the nearest this many by word similarity. More when a later page is asked for, never more than
 * TOTAL_CAP + 1.
 */
export const NAME_CANDIDATES = 100;
/** How many name-key matches are looked at to choose the best NAME_CANDIDATES of them. */
const KEYED_SCAN = 4;

/** The offices a query may cover: those in the actor's scope, narrowed to an office's subtree when one is asked for. */
async function officesFor(deps: RegistryDeps, actor: Actor, permission: 'registry.read' | 'registry.stats' | 'registry.export', officeId?: string): Promise<string[]> {
  const scope = actor.policy.scope(actor.principal, permission);
  if (!officeId) return [...scope];
  const subtree = officeSubtree(officeId, await deps.offices.nodes());
  return [...subtree].filter((id) => scope.has(id));
}

/** The date-of-birth range of an age band on a day: born after `from` (exclusive) and on or before `to`. */
export function birthRange(band: AgeBand, day: string): { after: string | null; onOrBefore: string | null } {
  const shift = (years: number) => `${String(Number(day.slice(0, 4)) - years).padStart(4, '0')}${day.slice(4)}`;
  const [lo, hi] = { '0-4': [0, 4], '5-11': [5, 11], '12-17': [12, 17], '18-59': [18, 59], '60+': [60, null] }[band] as [number, number | null];
  return { onOrBefore: lo === 0 ? null : shift(lo), after: hi === null ? null : shift(hi + 1) };
}

/** Per query token, the keys a name must hold one of: its canonical form and its consonant skeleton. */
export function tokenKeys(q: string): string[][] {
  return nameTokens(q)
    .map((t) => [...new Set([canonicalToken(t), skeleton(canonicalToken(t)), skeleton(t)].filter((k) => k.length > 0))])
    .filter((k) => k.length > 0);
}

type Filters = Omit<PersonSearchQuery, 'q' | 'sort' | 'page' | 'pageSize'>;

/** The WHERE conditions of a filtered list (shared by search and export). */
export async function filterConditions(deps: RegistryDeps, actor: Actor, filters: Filters, permission: 'registry.read' | 'registry.export'): Promise<Expression<SqlBool>> {
  const offices = await officesFor(deps, actor, permission, filters.officeId);
  // Records merged into another (packages/server/src/modules/match) are found through their survivor.
  const conditions: ReturnType<typeof sql<SqlBool>>[] = [sql<SqlBool>`p.office_id = ANY(${offices}::uuid[])`, sql<SqlBool>`p.merged_into IS NULL`];
  if (filters.populationGroup) conditions.push(sql<SqlBool>`p.population_group = ${filters.populationGroup}`);
  if (filters.sex) conditions.push(sql<SqlBool>`p.sex = ${filters.sex}`);
  if (filters.nationality) conditions.push(sql<SqlBool>`p.nationality = ${filters.nationality}`);
  if (filters.ageBand) {
    const r = birthRange(filters.ageBand, isoDay(new Date()));
    if (r.after) conditions.push(sql<SqlBool>`p.date_of_birth > ${r.after}::date`);
    if (r.onOrBefore) conditions.push(sql<SqlBool>`p.date_of_birth <= ${r.onOrBefore}::date`);
  }
  if (filters.need) {
    // Filtering on a specific need reveals it: only for those who may read specific needs, and only in those offices.
    const sensitive = actor.policy.scope(actor.principal, 'registry.sensitive');
    conditions.push(sql<SqlBool>`p.office_id = ANY(${[...sensitive]}::uuid[])`);
    conditions.push(sql<SqlBool>`p.needs_index @> ${needsIndex(deps.encryption, [filters.need as SpecificNeed])}::text[]`);
  }
  return sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`;
}

/** Searches people: registration id, document number, phone, or name in any script and common spelling; with filters and paging. */
export async function searchPeople(deps: RegistryDeps, actor: Actor, query: PersonSearchQuery): Promise<PersonSearchResultDto> {
  // The audit event is written while the search runs; the answer waits for both (audited before answered).
  const [result] = await Promise.all([findPeople(deps, actor, query), audit(deps, actor, query)]);
  return result;
}

async function findPeople(deps: RegistryDeps, actor: Actor, query: PersonSearchQuery): Promise<PersonSearchResultDto> {
  const where = await filterConditions(deps, actor, query, 'registry.read');
  const q = query.q?.trim() ?? '';
  const day = isoDay(new Date());
  const offset = (query.page - 1) * query.pageSize;
  const page = async (matchedBy: PersonSearchResultDto['items'][number]['matchedBy'], cond: Expression<SqlBool>, orderBy: ReturnType<typeof sql>) => {
    // A lookup (registration id, document, phone) matches a handful of people: its total comes with the rows
    // (a window count, one statement). A filtered list may match the whole registry: counted apart, up to the cap.
    const lookup = matchedBy !== 'filter';
    const rows = await summaryQuery(deps.db)
      .$if(lookup, (qb) => qb.select(sql<string>`count(*) OVER ()`.as('matches')))
      .where(where)
      .where(cond)
      .orderBy(orderBy)
      .orderBy('p.id')
      .limit(query.pageSize)
      .offset(offset)
      .execute();
    let n: number;
    if (lookup && (rows.length > 0 || offset === 0)) n = Number((rows[0] as { matches?: string } | undefined)?.matches ?? 0);
    else {
      const counted = await deps.db
        .selectFrom(deps.db.selectFrom('person as p').where(where).where(cond).select(sql.lit(1).as('one')).limit(TOTAL_CAP + 1).as('c'))
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      n = Number(counted.n);
    }
    return { items: rows.map((r) => ({ ...toSummary(r, day), matchedBy })), total: Math.min(n, TOTAL_CAP), totalIsCapped: n > TOTAL_CAP, page: query.page, pageSize: query.pageSize };
  };
  const sortOrder = {
    relevance: sql`p.created_at DESC`,
    name: sql`p.family_name ASC NULLS LAST, p.given_name ASC`,
    registered: sql`p.created_at ASC`,
    '-registered': sql`p.created_at DESC`,
  }[query.sort];
  if (q === '') return page('filter', sql<SqlBool>`true`, sortOrder);

  // A registration id or a document number names one record: exact lookups first.
  if (isRegistrationId(q)) return page('registration_id', sql<SqlBool>`p.registration_id = ${q.toUpperCase()}`, sortOrder);
  if (/\d/.test(q) && /^[\p{L}\p{N} ./-]{3,60}$/u.test(q)) {
    const key = documentKey(q);
    const byDoc = await page('document', sql<SqlBool>`p.id IN (SELECT d.person_id FROM identity_document d WHERE d.number_key = ${key})`, sortOrder);
    if (byDoc.items.length > 0 || !/^[+\d\s().-]+$/.test(q)) return byDoc;
  }
  if (/^[+\d\s().-]{6,40}$/.test(q)) {
    const countries = new Set((await deps.offices.list(actor.policy.scope(actor.principal, 'registry.read'))).map((o) => o.country_code));
    const numbers = [...new Set([...countries, null].map((c) => toE164(q, c)).filter((n): n is string => n !== null))];
    if (numbers.length > 0) return page('phone', sql<SqlBool>`p.phones && ${numbers}::text[]`, sortOrder);
    return page('phone', sql<SqlBool>`false`, sortOrder);
  }

  // A name: every token must meet one of the person's name keys (canonical form or consonant skeleton), or the
  // folded text must be trigram-similar (typos the keys do not absorb). Ranked by word similarity.
  const keys = tokenKeys(q);
  const text = searchText(q);
  if (keys.length === 0 || text === '') return page('name', sql<SqlBool>`false`, sortOrder);
  return nameSearch(deps, where, q, keys, text, query, sortOrder, day);
}

const SUMMARY_COLUMNS_SQL = sql.raw(SUMMARY_COLUMNS.map((c) => `p.${c}`).join(', '));

/**
 * The "given family" keys (`person.name_pair`, see namePair of @passage/match) a query's tokens may stand for: one
 * token is a given name (every key starting "given "); two or more are the given name first and the family name
 * last (or second: "Maria Garcia Lopez"). Null when the query has no token.
 */
export function pairCondition(q: string): { prefix: string } | { pairs: string[] } | null {
  const tokens = nameTokens(q).map(canonicalToken).filter((t) => t.length > 0);
  if (tokens.length === 0) return null;
  if (tokens.length === 1) return { prefix: `${tokens[0]} ` };
  return { pairs: [...new Set([`${tokens[0]} ${tokens.at(-1)}`, `${tokens[0]} ${tokens[1]}`])] };
}

/**
 * A name search: the candidates, counted, ranked and one page of them, in one statement (two for a rare name).
 * - `paired`: people whose "given family" key is the query's (b-tree on name_pair, read in key order and only as
 *   far as needed: a common name costs what a rare one does); of the first `want × KEYED_SCAN`, the `want` with
 *   the fewest other names (shortest folded text). They rank first. When they alone fill the page asked for
 *   (`want` of them), nothing else can reach the page and the other branches do not run.
 * - `scanned`/`keyed`: otherwise, people whose name keys meet every token (GIN on name_keys): of the first
 *   `want × KEYED_SCAN` found, the `want` most word-similar (after the paired ones).
 * - `nearest`: only when those cannot fill the page asked for (rare names, typos the keys do not absorb), in a
 *   second run of the statement: people whose folded text is word-similar (`<%`, GIN trigram), the `want` nearest.
 *   Otherwise every person on the page meets the keys and ranks above anyone found only by similarity, so leaving
 *   this branch out changes no page; the total is then "at least".
 * Ranked by "given family" match, then "meets the keys", then word similarity, then newest. The total is exact
 * when no branch was cut short, else a lower bound (totalIsCapped); no second query repeats the search to count it.
 * Sorted by registration date, the candidates are the newest (or oldest) of every name-key match instead.
 */
async function nameSearch(deps: RegistryDeps, where: Expression<SqlBool>, q: string, keys: string[][], text: string, query: PersonSearchQuery, sortOrder: ReturnType<typeof sql>, day: string): Promise<PersonSearchResultDto> {
  const offset = (query.page - 1) * query.pageSize;
  const want = Math.min(TOTAL_CAP + 1, Math.max(NAME_CANDIDATES, offset + query.pageSize + 1));
  const keyCond = sql.join(keys.map((k) => sql`p.name_keys && ${k}::text[]`), sql` AND `);
  // Sorted by registration date, the candidates are the newest (or oldest) matches, not the most similar of an
  // arbitrary first few hundred: otherwise "newest first" on a common name could miss the newest.
  const byDate = query.sort === 'registered' || query.sort === '-registered';
  const direction = sql.raw(query.sort === 'registered' ? 'ASC' : 'DESC');
  const pair = byDate ? null : pairCondition(q);
  // One token: the keys that start with "given " (name_pair sorts in C collation: ' ' < '!'). Meeting the pair of
  // one or two tokens means meeting their keys (a person's keys hold the canonical form of every token of their
  // names); a third token must still meet its keys.
  const pairCond = pair === null ? sql<SqlBool>`false`
    : 'prefix' in pair ? sql<SqlBool>`(p.name_pair >= ${pair.prefix} AND p.name_pair < ${`${pair.prefix.slice(0, -1)}!`})`
    : keys.length <= 2 ? sql<SqlBool>`(p.name_pair = ANY(${pair.pairs}::text[]))`
    : sql<SqlBool>`(p.name_pair = ANY(${pair.pairs}::text[]) AND ${keyCond})`;
  const order = query.sort === 'relevance'
    ? sql`(${pairCond}) DESC, (${keyCond}) DESC, word_similarity(${text}, p.search_text) DESC, p.created_at DESC, p.id`
    : sql`${sortOrder}, p.id`;
  const run = (withNearest: boolean) => sql<PersonSummaryRow & { n: string; more: boolean }>`
    WITH paired AS MATERIALIZED (
      SELECT p.id, length(p.search_text) AS len, p.created_at FROM person p
      WHERE ${pair === null ? sql`false` : sql`${where} AND ${pairCond}`}
      ORDER BY p.name_pair DESC LIMIT ${want * KEYED_SCAN}),
    scanned AS MATERIALIZED (
      SELECT p.id, p.search_text, p.created_at FROM person p
      WHERE (SELECT count(*) FROM paired) < ${want} AND ${where} AND ${keyCond} AND p.id NOT IN (SELECT id FROM paired)
      ${byDate ? sql`ORDER BY p.created_at ${direction}, p.id` : sql``} LIMIT ${want * KEYED_SCAN}),
    keyed AS MATERIALIZED (
      SELECT id FROM (SELECT id, created_at, 1 AS tier, len::real AS o FROM paired UNION ALL SELECT id, created_at, 2, search_text <->> ${text} FROM scanned) s
      ORDER BY ${byDate ? sql`created_at ${direction}, id` : sql`tier, o, id`} LIMIT ${want}),
    nearest AS MATERIALIZED (
      SELECT p.id FROM person p
      WHERE ${withNearest ? sql`${where} AND ${text} <% p.search_text` : sql`false`}
      ORDER BY p.search_text <->> ${text}, p.id LIMIT ${want}),
    candidate AS (SELECT id FROM keyed UNION SELECT id FROM nearest),
    counted AS (SELECT (SELECT count(*) FROM candidate) AS n,
      (SELECT count(*) FROM keyed) >= ${want} OR (SELECT count(*) FROM nearest) >= ${want} AS more)
    SELECT r.*, c.n, c.more FROM counted c LEFT JOIN LATERAL (
      SELECT ${SUMMARY_COLUMNS_SQL}, o.code AS office_code, row_number() OVER (ORDER BY ${order}) AS rank
      FROM candidate x JOIN person p ON p.id = x.id JOIN office o ON o.id = p.office_id
      WHERE ${where}
      ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${offset}) r ON true
    ORDER BY r.rank`.execute(deps.db);
  // The name keys first; the similarity branch only when they cannot fill the page asked for (two statements
  // then). When they can, the page is the same either way, and the total counts the name-key matches only: a
  // lower bound, so it is marked as capped unless it is exact.
  let { rows } = await run(false);
  const keyed = Number(rows[0]?.n ?? 0);
  const similarityRun = keyed < offset + query.pageSize;
  if (similarityRun) ({ rows } = await run(true));
  const n = Number(rows[0]?.n ?? 0);
  const capped = n > TOTAL_CAP || rows[0]?.more === true || (!similarityRun && keyed > 0);
  return {
    items: rows.filter((r) => r.id !== null).map((r) => ({ ...toSummary(r, day), matchedBy: 'name' as const })),
    total: Math.min(n, TOTAL_CAP),
    totalIsCapped: capped,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** Searches are audited by what was filtered on, never by the words searched for (they are personal data). */
async function audit(deps: RegistryDeps, actor: Actor, query: PersonSearchQuery): Promise<void> {
  const filters = Object.entries(query)
    .filter(([k, v]) => v !== undefined && !['q', 'sort', 'page', 'pageSize'].includes(k))
    .map(([k]) => k);
  await writeAuditNow(deps.db, {
    actorId: actor.principal.userId,
    action: 'person.search',
    entityType: 'person',
    officeId: query.officeId ?? null,
    requestId: actor.requestId,
    details: { filters, hasQuery: Boolean(query.q), page: query.page },
  });
}

// ---------------------------------------------------------------------------------------------
// Duplicate check before registering (exact rules until the matching engine plugs in)

export interface DuplicateProbe {
  givenName?: string | undefined;
  middleName?: string | null | undefined;
  familyName?: string | null | undefined;
  fullNameOriginal?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  documents?: { number: string }[] | undefined;
  phones?: string[] | undefined;
  nationality?: string | null | undefined;
  sex?: string | null | undefined;
}

/** The matching engine's one-vs-all index (modules/match/person-index.ts), as the duplicate check uses it. */
export interface DuplicateFinder {
  query(probe: MatchRecord, options: { limit?: number; minProbability?: number }): Promise<MatchQueryResult | null>;
}

/** Candidates the engine finds at or above this probability are shown (the review band's lower bound). */
const ENGINE_MIN_PROBABILITY = 0.5;
const ENGINE_LIMIT = 20;

export async function duplicateCheck(deps: RegistryDeps & { matchIndex?: DuplicateFinder | undefined }, actor: Actor, probe: DuplicateProbe) {
  const docKeys = [...new Set((probe.documents ?? []).map((d) => documentKey(d.number)).filter((k) => k.length >= 3))];
  const phones = [...new Set((probe.phones ?? []).map((p) => toE164(p, probe.nationality ?? null)).filter((p): p is string => p !== null))];
  // Name and birth date: same date of birth, and the given and family names each meet a name key.
  const given = tokenKeys(probe.givenName ?? '')[0];
  const family = tokenKeys(probe.familyName ?? '').at(-1);
  const nameDob = probe.dateOfBirth && isCalendarDate(probe.dateOfBirth) && given && family ? { dob: probe.dateOfBirth, given, family } : null;
  // The matching engine: everyone registered, across scripts and spellings, with an explanation.
  const engine = deps.matchIndex && (probe.givenName || probe.familyName || probe.fullNameOriginal || docKeys.length > 0)
    ? await deps.matchIndex.query(
        {
          id: '\u0000probe',
          givenName: probe.givenName ?? null,
          middleName: probe.middleName ?? null,
          familyName: probe.familyName ?? null,
          nameOriginal: probe.fullNameOriginal ?? null,
          sex: probe.sex ?? null,
          dateOfBirth: probe.dateOfBirth ?? null,
          nationality: probe.nationality ?? null,
          documentNumber: probe.documents?.[0]?.number ?? null,
          phone: phones[0] ?? null,
        },
        { limit: ENGINE_LIMIT, minProbability: ENGINE_MIN_PROBABILITY },
      )
    : null;
  const engineState = deps.matchIndex ? (engine ? ('ready' as const) : ('loading' as const)) : undefined;
  const scored = new Map((engine?.candidates ?? []).map((c) => [c.id, c]));
  if (docKeys.length === 0 && phones.length === 0 && !nameDob && scored.size === 0) return { candidates: [], elsewhere: 0, engine: engineState };
  const engineIds = [...scored.keys()];
  const rows = await summaryQuery(deps.db)
    .select([
      sql<boolean>`p.id IN (SELECT d.person_id FROM identity_document d WHERE d.number_key = ANY(${docKeys}::text[]))`.as('by_document'),
      sql<boolean>`p.phones && ${phones}::text[]`.as('by_phone'),
      (nameDob ? sql<boolean>`(p.date_of_birth = ${nameDob.dob}::date AND p.name_keys && ${nameDob.given}::text[] AND p.name_keys && ${nameDob.family}::text[])` : sql<boolean>`false`).as('by_name_dob'),
    ])
    .where((eb) =>
      eb.or([
        docKeys.length > 0 ? eb('p.id', 'in', eb.selectFrom('identity_document').select('person_id').where('number_key', 'in', docKeys)) : sql<SqlBool>`false`,
        sql<SqlBool>`p.phones && ${phones}::text[]`,
        nameDob ? sql<SqlBool>`(p.date_of_birth = ${nameDob.dob}::date AND p.name_keys && ${nameDob.given}::text[] AND p.name_keys && ${nameDob.family}::text[])` : sql<SqlBool>`false`,
        engineIds.length > 0 ? eb('p.id', 'in', engineIds) : sql<SqlBool>`false`,
      ]),
    )
    .where('p.merged_into', 'is', null)
    .limit(50 + ENGINE_LIMIT)
    .execute();
  const scope = actor.policy.scope(actor.principal, 'registry.read');
  const day = isoDay(new Date());
  const visible = rows.filter((r) => scope.has(r.office_id));
  const candidates = visible.map((r) => {
    const hit = scored.get(r.id);
    return {
      person: toSummary(r, day),
      reasons: [
        ...(r.by_document ? (['document_number'] as const) : []),
        ...(r.by_name_dob ? (['name_and_birth_date'] as const) : []),
        ...(r.by_phone ? (['phone'] as const) : []),
        ...(hit ? (['matching_engine'] as const) : []),
      ],
      probability: hit ? hit.probability : null,
      explanation: hit ? toExplanationDto(hit.explanation) : null,
    };
  });
  // Exact rules first (a shared document is decisive), then the engine's by probability.
  const exact = (c: (typeof candidates)[number]) => c.reasons.some((x) => x !== 'matching_engine');
  candidates.sort((a, b) => Number(exact(b)) - Number(exact(a)) || (b.probability ?? 1) - (a.probability ?? 1));
  return { candidates, elsewhere: rows.length - visible.length, engine: engineState };
}

// ---------------------------------------------------------------------------------------------
// Population dashboard

export async function populationStats(deps: RegistryDeps, actor: Actor, officeId?: string): Promise<PopulationStatsDto> {
  const offices = await officesFor(deps, actor, 'registry.stats', officeId);
  // Small counts are masked for anyone who could not read the records themselves in every office counted.
  const readable = actor.policy.scope(actor.principal, 'registry.read');
  const mask = offices.some((id) => !readable.has(id));
  const m = (n: number | string) => maskCount(Number(n), mask);
  const day = isoDay(new Date());
  // A person merged into another is counted once, as the record kept.
  const inScope = sql<SqlBool>`p.office_id = ANY(${offices}::uuid[]) AND p.merged_into IS NULL`;
  const band = sql<string>`CASE
      WHEN p.date_of_birth IS NULL THEN NULL
      WHEN p.date_of_birth > (${day}::date - interval '5 years') THEN '0-4'
      WHEN p.date_of_birth > (${day}::date - interval '12 years') THEN '5-11'
      WHEN p.date_of_birth > (${day}::date - interval '18 years') THEN '12-17'
      WHEN p.date_of_birth > (${day}::date - interval '60 years') THEN '18-59'
      ELSE '60+' END`;
  const db: Kysely<Database> = deps.db;
  const [total, pyramid, groups, nats, byOffice, months] = await Promise.all([
    db.selectFrom('person as p').where(inScope).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('person as p').where(inScope).select([band.as('band'), 'p.sex', (eb) => eb.fn.countAll<string>().as('n')]).groupBy(['band', 'p.sex']).execute(),
    db.selectFrom('person as p').where(inScope).select(['p.population_group as key', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('p.population_group').orderBy('n', 'desc').execute(),
    db.selectFrom('person as p').where(inScope).select([sql<string>`coalesce(p.nationality, 'unknown')`.as('key'), (eb) => eb.fn.countAll<string>().as('n')]).groupBy('key').orderBy('n', 'desc').limit(20).execute(),
    db.selectFrom('person as p').innerJoin('office as o', 'o.id', 'p.office_id').where(inScope).select(['o.id as key', 'o.code as label', (eb) => eb.fn.countAll<string>().as('n')]).groupBy(['o.id', 'o.code']).orderBy('o.code').execute(),
    db.selectFrom('person as p').where(inScope).select([sql<string>`to_char(p.created_at, 'YYYY-MM')`.as('key'), (eb) => eb.fn.countAll<string>().as('n')]).groupBy('key').orderBy('key').execute(),
  ]);
  const cell = (b: string, sex: string) => Number(pyramid.find((r) => r.band === b && r.sex === sex)?.n ?? 0);
  return {
    total: m(total.n),
    masked: mask,
    pyramid: AGE_BANDS.map((b) => ({ band: b, female: m(cell(b, 'female')), male: m(cell(b, 'male')), other: m(cell(b, 'other')), unknown: m(cell(b, 'unknown')) })),
    byPopulationGroup: groups.map((g) => ({ key: g.key, count: m(g.n) })),
    byNationality: nats.map((g) => ({ key: g.key, count: m(g.n) })),
    byOffice: byOffice.map((g) => ({ key: g.key, label: g.label, count: m(g.n) })),
    byMonth: months.map((g) => ({ key: g.key, count: m(g.n) })),
  };
}
