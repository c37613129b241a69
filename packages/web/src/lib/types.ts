/**
 * Shapes of the Passage HTTP API as the web app sees them.
 *
 * The role and permission vocabulary mirrors packages/domain/src/platform/roles.ts;
 * it is repeated here (rather than imported) so the browser bundle never pulls in
 * server-side modules. Keep the two lists in step.
 */

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
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['users.read', 'users.manage', 'offices.read', 'offices.manage', 'audit.read'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const OFFICE_KINDS = ['global', 'country', 'sub_office'] as const;
export type OfficeKind = (typeof OFFICE_KINDS)[number];

export type Stage = 'full' | 'mfa' | 'enrol';

export interface RoleGrant {
  officeId: string;
  officeCode: string;
  officeName: string;
  role: Role;
}

/** A role grant as sent to the server. */
export interface RoleGrantInput {
  officeId: string;
  role: Role;
}

export interface UserSelf {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  mfaEnabled: boolean;
  roles: RoleGrant[];
  permissions: string[];
}

export interface Session {
  stage: Stage;
  csrfToken: string;
  user: UserSelf;
}

export interface SystemInfo {
  demo: boolean;
  version: string;
  oidcEnabled: boolean;
  languages: string[];
}

export interface StageResponse {
  stage: Stage;
  csrfToken: string;
}

export interface MfaEnrolment {
  otpauthUri: string;
  qrSvg: string;
  secret: string;
}

export interface MfaConfirmation extends StageResponse {
  recoveryCodes: string[];
}

export interface Office {
  id: string;
  parentId: string | null;
  code: string;
  name: string;
  kind: OfficeKind;
  countryCode: string | null;
  active: boolean;
  version: number;
}

export type UserStatus = 'active' | 'deactivated';

export interface UserSummary {
  id: string;
  email: string;
  displayName: string;
  status: UserStatus;
  mfaEnabled: boolean;
  roles: RoleGrant[];
  lastLoginAt: string | null;
  version: number;
}

export interface UserPage {
  items: UserSummary[];
  total: number;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  officeId: string | null;
  purpose: string | null;
  requestId: string | null;
  outcome: 'success' | 'failure';
  changedFields: string[];
}

export interface AuditPage {
  items: AuditEvent[];
  nextBefore: string | null;
}
