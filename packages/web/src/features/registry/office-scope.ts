import { useMemo } from 'react';
import { ROLE_PERMISSIONS, type Permission } from '@passage/domain/platform/roles';
import { buildOfficeTree, flattenOfficeTree, useOffices, type OfficeNode } from '../../lib/offices.ts';
import { useUser } from '../../app/session.tsx';

/**
 * The offices where the user holds `permission`: each office of a role carrying it, and the
 * offices below (a role covers its office's subtree). The server decides again; this only keeps
 * pickers to choices that can succeed. `defaultId` is the first office of such a role.
 */
export function useOfficesWith(permission: Permission): { offices: OfficeNode[] | null; defaultId: string; error: unknown } {
  const user = useUser();
  const { offices, error } = useOffices(true);
  return useMemo(() => {
    const granted = user.roles.filter((r) => ROLE_PERMISSIONS[r.role]?.includes(permission)).map((r) => r.officeId);
    if (!offices) return { offices: null, defaultId: granted[0] ?? '', error };
    const all = flattenOfficeTree(buildOfficeTree(offices));
    const byId = new Map(all.map((o) => [o.id, o]));
    const inScope = new Set<string>();
    const add = (o: OfficeNode) => {
      if (inScope.has(o.id)) return;
      inScope.add(o.id);
      o.children.forEach(add);
    };
    for (const id of granted) {
      const o = byId.get(id);
      if (o) add(o);
    }
    return { offices: all.filter((o) => inScope.has(o.id) && o.active), defaultId: granted[0] ?? '', error };
  }, [offices, error, user.roles, permission]);
}
