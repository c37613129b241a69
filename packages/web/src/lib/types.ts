/**
 * Shapes of the Passage HTTP API as the web app sees them.
 *
 * The role, permission and office-kind vocabulary comes from @passage/domain: these files are
 * pure data, safe for the browser, so the server and the app cannot drift apart.
 */
import type { OfficeKind } from '@passage/domain/platform/offices';
import type { Role } from '@passage/domain/platform/roles';

export { ROLES, PERMISSIONS, type Role, type Permission } from '@passage/domain/platform/roles';
export { OFFICE_KINDS, type OfficeKind } from '@passage/domain/platform/offices';

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

/** GET /api/audit/chain: how far the audit linker has come (counts only). */
export interface AuditChainStatus {
  linked: number;
  waiting: number;
  oldestWaitingSeconds: number | null;
  lastLinkedEventAt: string | null;
}
