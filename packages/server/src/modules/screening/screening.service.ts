import type { Kysely } from 'kysely';
import type { Database } from '@passage/db';
import { Watchlist, type WatchlistEntry } from '@passage/match';
import { TabularError, openTable, type ByteInput } from '@passage/tabular';
import { PassageError, officeAncestors, type ScreenRequest, type ScreenResultDto, type WatchlistDto } from '@passage/domain';
import { writeAudit, writeAuditNow } from '../../platform/audit.ts';
import type { Actor, RegistryDeps } from '../registry/registry.service.ts';

/**
 * Screening names against watchlists. The lists live in the database; each server process keeps each list it
 * uses as an in-memory `Watchlist` of the matching engine (token index, cached similarities), reloaded when the
 * list's version changes (the active lists and their versions are read at most every 2 s per process). Lists serve the office they were uploaded at and
 * its sub-offices; a check uses every list of the user's offices and the offices above them.
 */

const MAX_ENTRIES = 1_000_000;
const COLUMNS = ['entry_id', 'name', 'alias_of', 'date_of_birth', 'nationality'] as const;

interface Loaded {
  version: number;
  watchlist: Watchlist;
  names: Map<string, string>;
  entries: number;
}

/** One cache per database (per process). */
const caches = new WeakMap<Kysely<Database>, Map<string, Promise<Loaded>>>();

async function loadList(db: Kysely<Database>, id: string, version: number): Promise<Loaded> {
  const rows = await db.selectFrom('watchlist_entry').select(['entry_id', 'name', 'alias_of', 'date_of_birth', 'nationality']).where('watchlist_id', '=', id).orderBy('row_no').execute();
  const entries: WatchlistEntry[] = rows.map((r) => ({ entryId: r.entry_id, name: r.name, aliasOf: r.alias_of, dateOfBirth: r.date_of_birth, nationality: r.nationality }));
  return { version, watchlist: new Watchlist(entries), names: new Map(rows.map((r) => [r.entry_id, r.name])), entries: rows.length };
}

function cached(db: Kysely<Database>, id: string, version: number): Promise<Loaded> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(id);
  const fresh = hit?.then((l) => (l.version === version ? l : null));
  const load = async (): Promise<Loaded> => {
    const existing = fresh ? await fresh : null;
    if (existing) return existing;
    const loading = loadList(db, id, version);
    cache.set(id, loading);
    loading.catch(() => cache.delete(id));
    return loading;
  };
  return load();
}

/** Offices whose lists serve the actor: their offices and every office above them. */
async function listOffices(deps: RegistryDeps, actor: Actor, permission: 'screening.check' | 'screening.manage'): Promise<string[]> {
  const scope = actor.policy.scope(actor.principal, permission);
  const nodes = await deps.offices.nodes();
  return [...new Set([...scope].flatMap((id) => officeAncestors(id, nodes)))];
}

/** Active lists (id, name, version) by office, read at most every LISTS_TTL_MS per process (uploads here clear it). */
const LISTS_TTL_MS = 2000;
const listIndex = new WeakMap<Kysely<Database>, { at: number; rows: Promise<{ id: string; name: string; version: number; office_id: string }[]> }>();

function activeLists(db: Kysely<Database>): Promise<{ id: string; name: string; version: number; office_id: string }[]> {
  const hit = listIndex.get(db);
  if (hit && Date.now() - hit.at < LISTS_TTL_MS) return hit.rows;
  const rows = db.selectFrom('watchlist').select(['id', 'name', 'version', 'office_id']).where('active', '=', true).execute();
  listIndex.set(db, { at: Date.now(), rows });
  rows.catch(() => listIndex.delete(db));
  return rows;
}

export async function screen(deps: RegistryDeps, actor: Actor, input: ScreenRequest): Promise<ScreenResultDto> {
  const offices = new Set(await listOffices(deps, actor, 'screening.check'));
  const lists = (await activeLists(deps.db)).filter((l) => offices.has(l.office_id));
  const hits: ScreenResultDto['hits'] = [];
  let entries = 0;
  let complete = true;
  const report = { capped: false };
  for (const list of lists) {
    const loaded = await cached(deps.db, list.id, list.version);
    entries += loaded.entries;
    const found = loaded.watchlist.screen({ names: input.names, dateOfBirth: input.dateOfBirth ?? null, nationality: input.nationality ?? null }, { threshold: input.threshold, report });
    if (report.capped) complete = false;
    for (const h of found) {
      hits.push({ watchlistId: list.id, watchlistName: list.name, entryId: h.entryId, matchedRowId: h.matchedRowId, matchedName: loaded.names.get(h.matchedRowId) ?? '', score: round(h.score), nameScore: round(h.nameScore), band: h.band });
    }
  }
  hits.sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId));
  // Audited without the names asked about: who checked, how many lists, how many hits and the strongest band.
  await writeAuditNow(deps.db, { actorId: actor.principal.userId, action: 'screening.check', entityType: 'watchlist', requestId: actor.requestId, details: { lists: lists.length, hits: hits.length, band: hits[0]?.band ?? null } });
  // The strongest `limit` hits (100 by default, up to 1,000), and how many there were: a namesake-heavy list can put a
  // true match below many similar names, so the caller is told when hits were left out and may ask for more.
  return { hits: hits.slice(0, input.limit), totalHits: hits.length, complete, listsChecked: lists.length, entriesChecked: entries };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function toDto(r: { id: string; office_id: string; name: string; source: string | null; entries: number; version: number; active: boolean; updated_at: Date }): WatchlistDto {
  return { id: r.id, officeId: r.office_id, name: r.name, source: r.source, entries: r.entries, version: r.version, active: r.active, updatedAt: r.updated_at.toISOString() };
}

export async function listWatchlists(deps: RegistryDeps, actor: Actor): Promise<WatchlistDto[]> {
  const offices = [...new Set([...(await listOffices(deps, actor, 'screening.check')), ...(await listOffices(deps, actor, 'screening.manage'))])];
  if (offices.length === 0) return [];
  return (await deps.db.selectFrom('watchlist').selectAll().where('office_id', 'in', offices).orderBy('name').execute()).map(toDto);
}

/**
 * Uploads a list (CSV or XLSX: entry_id, name, alias_of, date_of_birth, nationality). A list of the same name at
 * the office is replaced, in one transaction: a bad file changes nothing.
 */
export async function uploadWatchlist(deps: RegistryDeps, actor: Actor, input: { officeId: string; name: string; source: string | null; fileName: string }, body: ByteInput): Promise<WatchlistDto & { danglingAliases: number }> {
  if (!actor.policy.canAt(actor.principal, 'screening.manage', input.officeId)) throw new PassageError('forbidden', 'You may upload watchlists only for your offices', { errors: [{ field: 'officeId', message: 'not an office where you manage watchlists' }] });
  const bad = (row: number | null, message: string) => new PassageError('validation_failed', row === null ? message : `Row ${row}: ${message}`, { errors: [{ field: 'file', message: row === null ? message : `row ${row}: ${message}` }] });
  const rows: { entry_id: string; name: string; alias_of: string | null; date_of_birth: string | null; nationality: string | null }[] = [];
  try {
    const table = await openTable(body, { fileName: input.fileName });
    try {
      const cols = table.header.columns.map((c) => c.trim().toLowerCase());
      for (const c of ['entry_id', 'name']) if (!cols.includes(c)) throw bad(null, `the file has no ${c} column (expected ${COLUMNS.join(', ')})`);
      const seen = new Set<string>();
      for await (const { row, values } of table.rows) {
        const v = (c: string) => {
          const k = table.header.columns[cols.indexOf(c)];
          const x = k === undefined ? '' : (values[k] ?? '').trim();
          return x === '' ? null : x;
        };
        const entryId = v('entry_id');
        const name = v('name');
        if (!entryId) throw bad(row, 'entry_id is empty');
        if (entryId.length > 100) throw bad(row, 'entry_id is longer than 100 characters');
        if (seen.has(entryId)) throw bad(row, `entry_id ${entryId.slice(0, 40)} appears twice`);
        seen.add(entryId);
        if (!name) throw bad(row, 'name is empty');
        rows.push({ entry_id: entryId, name: name.slice(0, 500), alias_of: v('alias_of'), date_of_birth: v('date_of_birth')?.slice(0, 10) ?? null, nationality: v('nationality')?.slice(0, 3).toUpperCase() ?? null });
        if (rows.length > MAX_ENTRIES) throw bad(null, `more than ${MAX_ENTRIES.toLocaleString('en')} rows`);
      }
    } finally {
      await table.close();
    }
  } catch (error) {
    if (error instanceof TabularError) throw new PassageError('validation_failed', error.message, { errors: [{ field: 'file', message: error.message }] });
    throw error;
  }
  if (rows.length === 0) throw bad(null, 'the file has no entries');
  const dangling = new Watchlist(rows.map((r) => ({ entryId: r.entry_id, name: r.name, aliasOf: r.alias_of }))).danglingAliases.length;
  const saved = await deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('watchlist').select(['id', 'version']).where('office_id', '=', input.officeId).where('name', '=', input.name).forUpdate().executeTakeFirst();
    const list = existing
      ? await trx.updateTable('watchlist').set({ entries: rows.length, source: input.source, uploaded_by: actor.principal.userId, updated_at: new Date(), version: existing.version + 1, active: true }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
      : await trx.insertInto('watchlist').values({ office_id: input.officeId, name: input.name, source: input.source, entries: rows.length, uploaded_by: actor.principal.userId }).returningAll().executeTakeFirstOrThrow();
    if (existing) await trx.deleteFrom('watchlist_entry').where('watchlist_id', '=', list.id).execute();
    for (let i = 0; i < rows.length; i += 2000) {
      await trx.insertInto('watchlist_entry').values(rows.slice(i, i + 2000).map((r, k) => ({ watchlist_id: list.id, row_no: i + k + 1, ...r }))).execute();
    }
    await writeAudit(trx, { actorId: actor.principal.userId, action: existing ? 'watchlist.replace' : 'watchlist.upload', entityType: 'watchlist', entityId: list.id, officeId: input.officeId, requestId: actor.requestId, details: { entries: rows.length, version: list.version } });
    return list;
  });
  listIndex.delete(deps.db);
  return { ...toDto(saved), danglingAliases: dangling };
}
