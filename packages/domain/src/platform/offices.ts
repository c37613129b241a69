/** Kinds of office, from the root of the hierarchy down. */
export const OFFICE_KINDS = ['global', 'country', 'sub_office'] as const;
/** The kind of an office in the hierarchy. */
export type OfficeKind = (typeof OFFICE_KINDS)[number];

/** The minimum of an office the scope rules need. */
export interface OfficeNode {
  id: string;
  parentId: string | null;
}

/**
 * All offices covered by a role held at `officeId`: the office itself and every
 * office below it. Cycles in bad data cannot loop forever: each id is visited once.
 */
export function officeSubtree(officeId: string, offices: readonly OfficeNode[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const o of offices) {
    if (o.parentId === null) continue;
    const list = children.get(o.parentId) ?? [];
    list.push(o.id);
    children.set(o.parentId, list);
  }
  const seen = new Set<string>();
  const stack = [officeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const c of children.get(id) ?? []) stack.push(c);
  }
  return seen;
}

/** The office and every office above it, nearest first. Cycles in bad data cannot loop forever. */
export function officeAncestors(officeId: string, offices: readonly OfficeNode[]): string[] {
  const parentOf = new Map(offices.map((o) => [o.id, o.parentId]));
  const out: string[] = [];
  for (let id: string | null | undefined = officeId; id && parentOf.has(id) && !out.includes(id); id = parentOf.get(id)) out.push(id);
  return out;
}
