/**
 * Roles and permissions: the vocabulary of access in Passage.
 *
 * Pure data, shared by the server's policy module (which decides) and the web
 * app (which only hides what the user could not use anyway). A role is always
 * held *at an office*; its permissions apply to that office and its sub-offices.
 */

/** Every role a user may hold at an office. */
export const ROLES = [
  'administrator',
  'registration_officer',
  'caseworker',
  'case_supervisor',
  'health_officer',
  'displacement_tracking_officer',
  'border_officer',
  'programme_manager',
  'data_protection_officer',
  'viewer',
] as const;

/** A role a user may hold at an office. */
export type Role = (typeof ROLES)[number];

/** Every permission the policy module knows. Deny by default: a permission not granted here is refused. */
export const PERMISSIONS = [
  'users.read',
  'users.manage',
  'offices.read',
  'offices.manage',
  'audit.read',
  /** See people in the registry (names, documents, households, consent). */
  'registry.read',
  /** Register people and change their records. */
  'registry.register',
  /** See and record specific needs (encrypted, sensitive). */
  'registry.sensitive',
  /** Bulk-import people from files. */
  'registry.import',
  /** Export lists of people (personal data) to files. */
  'registry.export',
  /** See aggregate population figures (small counts masked unless the user may also read the registry). */
  'registry.stats',
  /** See deduplication runs, the review queue of possible duplicates (both people side by side) and merges. */
  'match.read',
  /** Start deduplication runs and decide pairs in the review queue ("same", "different", "unsure"). */
  'match.review',
  /** Merge two records of one person, and undo a merge. */
  'match.merge',
  /** See cases (further limited case by case: own, team, office for supervisors; restricted types to their team). */
  'cases.read',
  /** Open cases and record on them (assessments, plans, services, notes, tasks, referrals, transfers). */
  'cases.work',
  /** Supervise the office's cases: approve plans and closures, assign, accept transfers, manage teams and partners. */
  'cases.supervise',
  /** Refer someone who has not consented to referral, giving a reason (audited, reported to data protection). */
  'cases.consent_override',
  /** Open a case one may not otherwise see, for a limited time, stating why (audited, reported to data protection). */
  'cases.break_glass',
  /** Case dashboards: aggregate figures (small counts masked unless the user also works cases). */
  'cases.stats',
  /** Oversight of case access: break-glass grants and consent overrides. */
  'cases.oversight',
  /** The anonymised (k-anonymous) counter-trafficking publication for research. */
  'cases.publish',
  /** Screen a name against the watchlists of one's offices. */
  'screening.check',
  /** Upload and replace watchlists. */
  'screening.manage',
] as const;

/** A named capability checked by the policy module. */
export type Permission = (typeof PERMISSIONS)[number];

/** Which permissions each role carries. Only what is listed is allowed. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  // Administrators run the system; they do not see the people in it.
  administrator: ['users.read', 'users.manage', 'offices.read', 'offices.manage', 'audit.read', 'registry.stats', 'screening.manage'],
  // Reviewers of possible duplicates are the people who register (and their supervisors): they know the cases.
  registration_officer: ['offices.read', 'registry.read', 'registry.register', 'registry.sensitive', 'registry.import', 'registry.export', 'registry.stats', 'match.read', 'match.review', 'match.merge'],
  caseworker: ['offices.read', 'registry.read', 'registry.register', 'registry.sensitive', 'registry.stats', 'cases.read', 'cases.work', 'cases.break_glass', 'cases.stats'],
  case_supervisor: [
    'offices.read',
    'registry.read',
    'registry.register',
    'registry.sensitive',
    'registry.export',
    'registry.stats',
    'match.read',
    'match.review',
    'match.merge',
    'cases.read',
    'cases.work',
    'cases.supervise',
    'cases.consent_override',
    'cases.break_glass',
    'cases.stats',
  ],
  health_officer: ['offices.read', 'registry.read', 'registry.stats'],
  displacement_tracking_officer: ['offices.read', 'registry.stats'],
  border_officer: ['offices.read', 'registry.read', 'screening.check'],
  programme_manager: ['offices.read', 'users.read', 'registry.stats', 'cases.stats', 'cases.publish'],
  // Data-protection officers oversee: who saw what (audit), and the records themselves when a complaint needs it.
  data_protection_officer: ['offices.read', 'users.read', 'audit.read', 'registry.read', 'registry.stats', 'match.read', 'cases.oversight', 'cases.publish'],
  viewer: ['offices.read', 'registry.stats'],
};

/** Roles whose holders must use multi-factor authentication. */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['administrator', 'data_protection_officer'];

/** True when the role carries the permission. */
export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
