import type { Kysely } from 'kysely';
import type { Database } from '@passage/db';
import type { OfficeNode } from '@passage/domain';
import { Policy } from './policy.ts';

/**
 * The office tree, cached: the policy consults it on every request. Writes in this
 * process invalidate it; a short time-to-live bounds staleness when several servers run.
 */
export class OfficeDirectory {
  private cache: { at: number; nodes: OfficeNode[] } | null = null;

  constructor(private readonly db: Kysely<Database>, private readonly ttlMs = 5000) {}

  /** The current tree. */
  async nodes(): Promise<OfficeNode[]> {
    if (this.cache && Date.now() - this.cache.at < this.ttlMs) return this.cache.nodes;
    const rows = await this.db.selectFrom('office').select(['id', 'parent_id']).execute();
    const nodes = rows.map((r) => ({ id: r.id, parentId: r.parent_id }));
    this.cache = { at: Date.now(), nodes };
    return nodes;
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
