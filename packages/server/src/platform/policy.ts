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

/** A user's membership of an office's team (teams work case types: `protection`, `counter_trafficking`). */
export interface TeamGrant {
  officeId: string;
  team: string;
}

/** What the policy needs to know about a case to decide who sees it. */
export interface CaseFacts {
  officeId: string;
  sensitivity: 'standard' | 'restricted';
  team: string;
  ownerId: string | null;
  supervisorId: string | null;
  memberIds: readonly string[];
  /** Until when the principal holds break-glass access to this case (null: none in force). */
  breakGlassUntil: Date | null;
}

/** How a principal stands to one case. */
export interface CaseAccess {
  /** May open it (and is audited doing so). */
  see: boolean;
  via: 'worker' | 'supervisor' | 'team' | 'break_glass' | null;
  /** May record on it (assessments, notes, services, tasks, referrals, the worker's transitions). */
  canWork: boolean;
  /** May take a supervisor's steps (approvals, assignment, transfers). */
  canSupervise: boolean;
  /** Lists show it with the person's name masked: the principal may count it but not open it. */
  countOnly: boolean;
  /** May ask for break-glass access (stating why) when it cannot see the case. */
  mayBreakGlass: boolean;
}

/** The cases a principal may list, in a form a query can use (the same rules as `caseAccess`). */
export interface CaseScope {
  userId: string;
  /** Offices where the principal may read cases at all (nothing outside them, whatever else holds). */
  readOffices: string[];
  /** Offices whose standard cases the principal supervises (restricted ones there: masked in lists). */
  superviseOffices: string[];
  /** Offices where the principal is in a team, by team. */
  teams: { team: string; offices: string[] }[];
}

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

  /** Offices covered by the principal's memberships of a team (a membership covers sub-offices). */
  private teamOffices(teams: readonly TeamGrant[], team: string): Set<string> {
    const offices = new Set<string>();
    for (const t of teams) if (t.team === team) for (const id of officeSubtree(t.officeId, this.offices)) offices.add(id);
    return offices;
  }

  /**
   * Who sees a case. Deny by default; nothing outside the offices where the principal may read cases.
   * - Its workers (owner and named specialists) and its supervisor: always (within those offices).
   * - The office's team for the case type: standard and restricted types alike.
   * - Supervisors of the office: standard types; restricted types only as a count (masked in lists).
   * - Anyone else with break-glass permission there: only through a break-glass grant in force (read only).
   */
  caseAccess(principal: Principal, teams: readonly TeamGrant[], c: CaseFacts, now: Date = new Date()): CaseAccess {
    const none: CaseAccess = { see: false, via: null, canWork: false, canSupervise: false, countOnly: false, mayBreakGlass: false };
    if (!this.canAt(principal, 'cases.read', c.officeId)) return none;
    const me = principal.userId;
    const work = this.canAt(principal, 'cases.work', c.officeId);
    const officeSupervisor = this.canAt(principal, 'cases.supervise', c.officeId);
    const inTeam = this.teamOffices(teams, c.team).has(c.officeId);
    const isWorker = c.ownerId === me || c.memberIds.includes(me);
    const isSupervisor = c.supervisorId === me;
    const restricted = c.sensitivity === 'restricted';
    // Supervising a restricted case takes being its supervisor, or a supervisor within its team.
    const canSupervise = officeSupervisor && (isSupervisor || !restricted || inTeam);
    if (isWorker) return { see: true, via: 'worker', canWork: work, canSupervise, countOnly: false, mayBreakGlass: false };
    if (isSupervisor) return { see: true, via: 'supervisor', canWork: work, canSupervise, countOnly: false, mayBreakGlass: false };
    if (inTeam) return { see: true, via: 'team', canWork: work, canSupervise, countOnly: false, mayBreakGlass: false };
    if (officeSupervisor && !restricted) return { see: true, via: 'supervisor', canWork: work, canSupervise, countOnly: false, mayBreakGlass: false };
    const mayBreakGlass = this.canAt(principal, 'cases.break_glass', c.officeId);
    if (mayBreakGlass && c.breakGlassUntil && c.breakGlassUntil > now) return { see: true, via: 'break_glass', canWork: false, canSupervise: false, countOnly: false, mayBreakGlass };
    return { ...none, countOnly: restricted && officeSupervisor, mayBreakGlass };
  }

  /** May read cases at the office and is in the team there: what a restricted case type asks of its workers. */
  inCaseTeam(principal: Principal, teams: readonly TeamGrant[], team: string, officeId: string): boolean {
    return this.canAt(principal, 'cases.read', officeId) && this.teamOffices(teams, team).has(officeId);
  }

  /** The same rules as `caseAccess`, for a list query (break-glass grants are not listed: they open one case). */
  caseScope(principal: Principal, teams: readonly TeamGrant[]): CaseScope {
    const read = this.scope(principal, 'cases.read');
    const byTeam = new Map<string, string[]>();
    for (const t of new Set(teams.map((x) => x.team))) byTeam.set(t, [...this.teamOffices(teams, t)].filter((o) => read.has(o)));
    return {
      userId: principal.userId,
      readOffices: [...read],
      superviseOffices: [...this.scope(principal, 'cases.supervise')].filter((o) => read.has(o)),
      teams: [...byTeam].map(([team, offices]) => ({ team, offices })),
    };
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
