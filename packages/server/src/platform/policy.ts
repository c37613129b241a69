import { officeSubtree, roleHasPermission, type OfficeNode, type Permission, type Role } from '@passage/domain';

/**
 * The one policy module: every access decision in Passage is made here.
 * Deny by default: anything not granted by a role at an office is refused.
 */

/** A role held at an office. */
export interface Grant {
  officeId: string;
  role: Role;
}

/** Who is asking. */
export interface Principal {
  userId: string;
  grants: readonly Grant[];
}

/** How a route is protected; every /api route must declare one. */
export type RoutePolicy =
  | { access: 'public' }
  /** A session mid-login (password checked, second factor pending or being enrolled). */
  | { access: 'partial-session' }
  /** Any fully signed-in user. */
  | { access: 'session' }
  /** A fully signed-in user holding the permission at some office. */
  | { access: 'permission'; permission: Permission };

/** The decisions, given the office hierarchy. */
export class Policy {
  constructor(private readonly offices: readonly OfficeNode[]) {}

  /** True when the principal holds the permission at any office. */
  can(principal: Principal, permission: Permission): boolean {
    return principal.grants.some((g) => roleHasPermission(g.role, permission));
  }

  /** Every office where the principal holds the permission (grants cover sub-offices). */
  scope(principal: Principal, permission: Permission): Set<string> {
    const scope = new Set<string>();
    for (const g of principal.grants) {
      if (!roleHasPermission(g.role, permission)) continue;
      for (const id of officeSubtree(g.officeId, this.offices)) scope.add(id);
    }
    return scope;
  }

  /** True when the principal holds the permission at this office (directly or above it). */
  canAt(principal: Principal, permission: Permission, officeId: string): boolean {
    return this.scope(principal, permission).has(officeId);
  }

  /** True when the principal's permission covers a whole-system office (a root of the tree). */
  canGlobally(principal: Principal, permission: Permission): boolean {
    const scope = this.scope(principal, permission);
    return this.offices.some((o) => o.parentId === null && scope.has(o.id));
  }

  /**
   * May the principal see a user account with these grants? Yes when one of the account's
   * offices is in scope; an account with no grants only by someone with system-wide scope.
   */
  canSeeAccount(principal: Principal, permission: Permission, accountOfficeIds: readonly string[]): boolean {
    if (accountOfficeIds.length === 0) return this.canGlobally(principal, permission);
    const scope = this.scope(principal, permission);
    return accountOfficeIds.some((id) => scope.has(id));
  }

  /** Decides a route policy for a request (authentication stage already known). */
  allowsRoute(policy: RoutePolicy, principal: Principal | null, stage: 'mfa' | 'enrol' | 'full' | null): boolean {
    switch (policy.access) {
      case 'public':
        return true;
      case 'partial-session':
        return principal !== null && stage !== null;
      case 'session':
        return principal !== null && stage === 'full';
      case 'permission':
        return principal !== null && stage === 'full' && this.can(principal, policy.permission);
    }
  }
}
