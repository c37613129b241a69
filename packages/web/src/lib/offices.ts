import { useCallback, useEffect, useState } from 'react';
import { api } from './api.ts';
import type { Office } from './types.ts';

export interface OfficeNode extends Office {
  depth: number;
  children: OfficeNode[];
}

/** Builds the office hierarchy (roots first, children sorted by name). Orphans become roots. */
export function buildOfficeTree(offices: readonly Office[]): OfficeNode[] {
  const nodes = new Map<string, OfficeNode>();
  for (const o of offices) nodes.set(o.id, { ...o, depth: 0, children: [] });
  const roots: OfficeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const byName = (a: OfficeNode, b: OfficeNode) => a.name.localeCompare(b.name);
  const seen = new Set<string>();
  const setDepth = (list: OfficeNode[], depth: number) => {
    list.sort(byName);
    for (const n of list) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      n.depth = depth;
      setDepth(n.children, depth + 1);
    }
  };
  setDepth(roots, 0);
  return roots;
}

/** The tree flattened in display order (parents before children). */
export function flattenOfficeTree(roots: readonly OfficeNode[]): OfficeNode[] {
  const out: OfficeNode[] = [];
  const seen = new Set<string>();
  const walk = (list: readonly OfficeNode[]) => {
    for (const n of list) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push(n);
      walk(n.children);
    }
  };
  walk(roots);
  return out;
}

/** Indented label for an office in a <select>. */
export function officeOptionLabel(o: OfficeNode): string {
  return `${'\u00A0\u00A0\u00A0'.repeat(o.depth)}${o.name} (${o.code})`;
}

interface OfficesState {
  offices: Office[] | null;
  error: unknown;
  reload: () => Promise<void>;
}

/** Loads GET /api/offices once; `reload()` fetches again. */
export function useOffices(enabled = true): OfficesState {
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    setError(null);
    try {
      const res = await api.get<{ items: Office[] }>('/api/offices');
      setOffices(res.items);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);
  return { offices, error, reload };
}
