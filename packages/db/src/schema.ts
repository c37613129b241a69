import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely's view of the database. One interface per table, snake_case as in SQL. */
export interface Database {
  office: OfficeTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  session: SessionTable;
  audit_event: AuditEventTable;
  data_key: DataKeyTable;
}

type Timestamp = Date;

export interface OfficeTable {
  id: Generated<string>;
  parent_id: string | null;
  code: string;
  name: string;
  kind: 'global' | 'country' | 'sub_office';
  country_code: string | null;
  active: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string | null;
  status: Generated<'active' | 'deactivated'>;
  locale: Generated<string>;
  mfa_secret: string | null;
  mfa_enabled: Generated<boolean>;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  mfa_last_step: string | null;
  recovery_codes: Generated<string[]>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  oidc_subject: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface UserRoleTable {
  user_id: string;
  office_id: string;
  role: string;
  granted_at: Generated<Timestamp>;
}

export interface SessionTable {
  /** SHA-256 of the cookie value: a leaked table does not give working sessions. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  /** 'mfa' while the password is checked but the second factor is not; 'enrol' when MFA must be set up first. */
  stage: 'mfa' | 'enrol' | 'full';
  created_at: Generated<Timestamp>;
  last_seen_at: Generated<Timestamp>;
  expires_at: Timestamp;
}

export interface AuditEventTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  office_id: string | null;
  purpose: string | null;
  request_id: string | null;
  outcome: 'success' | 'failure';
  changed_fields: string[];
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface DataKeyTable {
  id: Generated<string>;
  /** The data key wrapped (AES-256-GCM) by the master key: iv | tag | ciphertext. */
  wrapped: Buffer;
  /** Fingerprint of the master key that wrapped it. */
  master_key_id: string;
  active: boolean;
  created_at: Generated<Timestamp>;
}

export type Office = Selectable<OfficeTable>;
export type NewOffice = Insertable<OfficeTable>;
export type AppUser = Selectable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
