import type { Kysely } from 'kysely';
import type { Database, Office } from '@passage/db';
import type { OfficeNode } from '@passage/domain';
import { Policy } from './policy.ts';

/**
 * The office tree, cached: the policy consults it on every request. Writes in this
 * process invalidate it; a short time-to-live bounds staleness when several servers run.
 */
export class OfficeDirectory {
  private cache: { at: number; rows: Office[]; nodes: OfficeNode[] } | null = null;

  constructor(private readonly db: Kysely<Database>, private readonly ttlMs = 5000) {}

  private async load(): Promise<{ rows: Office[]; nodes: OfficeNode[] }> {
    if (this.cache && Date.now() - this.cache.at < this.ttlMs) return this.cache;
    const rows = await this.db.selectFrom('office').selectAll().orderBy('code').execute();
    this.cache = { at: Date.now(), rows, nodes: rows.map((r) => ({ id: r.id, parentId: r.parent_id })) };
    return this.cache;
  }

  /** The current tree. */
  async nodes(): Promise<OfficeNode[]> {
    return (await this.load()).nodes;
  }

  /** Offices with these ids, by code. Offices are few and read on every request: they come from the cache. */
  async list(ids: ReadonlySet<string>): Promise<Office[]> {
    return (await this.load()).rows.filter((r) => ids.has(r.id));
  }

  /** A policy over the current tree. */
  async policy(): Promise<Policy> {
    return new Policy(await this.nodes());
  }

  /** Call after any change to offices. */
  invalidate(): void {
    this.cache = null;
  }
}
