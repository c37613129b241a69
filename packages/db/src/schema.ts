import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely's view of the database. One interface per table, snake_case as in SQL. */
export interface Database {
  office: OfficeTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  session: SessionTable;
  audit_event: AuditEventTable;
  audit_link: AuditLinkTable;
  audit_pending: AuditPendingTable;
  data_key: DataKeyTable;
  index_key: IndexKeyTable;
  office_sequence: OfficeSequenceTable;
  household: HouseholdTable;
  person: PersonTable;
  household_membership: HouseholdMembershipTable;
  identity_document: IdentityDocumentTable;
  consent: ConsentTable;
  person_change: PersonChangeTable;
  duplicate_dismissal: DuplicateDismissalTable;
  import_template: ImportTemplateTable;
  import_job: ImportJobTable;
  match_run: MatchRunTable;
  match_pair: MatchPairTable;
  person_merge: PersonMergeTable;
  team_membership: TeamMembershipTable;
  partner: PartnerTable;
  case_file: CaseFileTable;
  case_member: CaseMemberTable;
  case_event: CaseEventTable;
  case_note: CaseNoteTable;
  case_assessment: CaseAssessmentTable;
  case_service: CaseServiceTable;
  case_task: CaseTaskTable;
  case_attachment: CaseAttachmentTable;
  referral: ReferralTable;
  case_transfer: CaseTransferTable;
  break_glass: BreakGlassTable;
  watchlist: WatchlistTable;
  watchlist_entry: WatchlistEntryTable;
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
}

/** The audit chain: one row per linked event, in chain order (`seq`). Append-only. */
export interface AuditLinkTable {
  seq: string;
  event_id: string;
  prev_hash: string;
  hash: string;
}

/** Events committed and waiting for the linker (filled by a trigger on `audit_event`). */
export interface AuditPendingTable {
  event_id: string;
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

/** A blind-index key (specific needs), wrapped by the master key: iv | tag | ciphertext, the purpose as associated data. */
export interface IndexKeyTable {
  purpose: string;
  wrapped: Buffer;
  master_key_id: string;
  created_at: Generated<Timestamp>;
}

export type Office = Selectable<OfficeTable>;
export type NewOffice = Insertable<OfficeTable>;
export type AppUser = Selectable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
export type AuditEventRow = Selectable<AuditEventTable>;

// ---------------------------------------------------------------------------------------------
// Registry

/** A calendar date as PostgreSQL writes it: YYYY-MM-DD (never a JavaScript Date). */
type CalendarDate = string;

export interface OfficeSequenceTable {
  office_id: string;
  name: string;
  /** bigint: pg returns it as a string. */
  last_value: Generated<string>;
}

export interface HouseholdTable {
  id: Generated<string>;
  office_id: string;
  head_person_id: string | null;
  head_note: string | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface PersonTable {
  id: Generated<string>;
  office_id: string;
  registration_id: string;
  external_id: string | null;
  given_name: string;
  middle_name: string | null;
  family_name: string | null;
  full_name_original: string | null;
  aliases: Generated<string[]>;
  sex: 'female' | 'male' | 'other' | 'unknown';
  date_of_birth: CalendarDate | null;
  dob_precision: Generated<'exact' | 'month' | 'year' | 'estimated'>;
  nationality: string | null;
  country_of_birth: string | null;
  languages: Generated<string[]>;
  phones: Generated<string[]>;
  admin_area_code: string | null;
  population_group: string;
  specific_needs_sealed: string | null;
  needs_index: Generated<string[]>;
  household_id: string | null;
  relationship: string | null;
  search_text: Generated<string>;
  name_keys: Generated<string[]>;
  /** "given family" search key (namePair of @passage/match); null when the given name has no token. */
  name_pair: Generated<string | null>;
  registered_by: string | null;
  import_job_id: Generated<string | null>;
  /** Set when this record was merged into another: the survivor's id. */
  merged_into: Generated<string | null>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface HouseholdMembershipTable {
  id: Generated<string>;
  household_id: string;
  person_id: string;
  office_id: string;
  relationship: string;
  joined_at: Generated<Timestamp>;
  left_at: Timestamp | null;
  added_by: string | null;
  removed_by: string | null;
}

export interface IdentityDocumentTable {
  id: Generated<string>;
  person_id: string;
  office_id: string;
  type: string;
  number: string;
  number_key: string;
  issuing_country: string | null;
  issue_date: CalendarDate | null;
  expiry_date: CalendarDate | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface ConsentTable {
  id: Generated<string>;
  person_id: string;
  office_id: string;
  purpose: string;
  granted: boolean;
  method: string;
  language: string;
  recorded_by: string | null;
  recorded_at: Generated<Timestamp>;
  withdrawn_at: Timestamp | null;
  withdrawn_by: string | null;
}

export interface PersonChangeTable {
  id: Generated<string>;
  person_id: string;
  office_id: string;
  version: number;
  action: string;
  changed_by: string | null;
  changed_at: Generated<Timestamp>;
  changes: Record<string, unknown>;
}

export interface DuplicateDismissalTable {
  id: Generated<string>;
  person_id: string;
  candidate_ids: string[];
  reason: string;
  recorded_by: string | null;
  recorded_at: Generated<Timestamp>;
}

export interface ImportTemplateTable {
  id: Generated<string>;
  office_id: string;
  name: string;
  mapping: Record<string, string | null>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface ImportJobTable {
  id: Generated<string>;
  office_id: string;
  created_by: string | null;
  file_name: string;
  file_path: string;
  /** bigint columns come back from pg as strings. */
  file_bytes: number | string;
  mapping: Record<string, string | null>;
  mode: 'dry_run' | 'all_or_nothing' | 'valid_rows';
  status: Generated<'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'>;
  cancel_requested: Generated<boolean>;
  rows_read: Generated<string>;
  rows_valid: Generated<string>;
  rows_invalid: Generated<string>;
  rows_created: Generated<string>;
  rows_existing: Generated<string>;
  problems: Generated<unknown[]>;
  problem_count: Generated<string>;
  message: string | null;
  created_at: Generated<Timestamp>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

// ---------------------------------------------------------------------------------------------
// Matching: deduplication runs, the review queue, merges

export interface MatchRunTable {
  id: Generated<string>;
  office_id: string | null;
  scope_office_ids: string[];
  status: Generated<'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'>;
  stage: string | null;
  progress: Generated<number>;
  records: Generated<number>;
  /** bigint: pg returns it as a string. */
  pairs_scored: Generated<string>;
  pairs_for_review: Generated<number>;
  clusters: Generated<number>;
  message: string | null;
  params: unknown;
  started_by: string;
  created_at: Generated<Timestamp>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  cancel_requested: Generated<boolean>;
}

export interface MatchPairTable {
  id: Generated<string>;
  run_id: string | null;
  office_id: string;
  /** person_a < person_b */
  person_a: string;
  person_b: string;
  probability: number;
  cluster_id: string | null;
  reason: string | null;
  explanation: unknown;
  status: Generated<'open' | 'same' | 'different' | 'unsure' | 'merged'>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  note: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface PersonMergeTable {
  id: Generated<string>;
  office_id: string;
  survivor_id: string;
  merged_id: string;
  pair_id: string | null;
  moved: unknown;
  taken_fields: Generated<string[]>;
  reason: string;
  merged_by: string;
  merged_at: Generated<Timestamp>;
  unmerged_by: string | null;
  unmerged_at: Timestamp | null;
}

export type PersonRow = Selectable<PersonTable>;
export type HouseholdRow = Selectable<HouseholdTable>;
export type IdentityDocumentRow = Selectable<IdentityDocumentTable>;
export type ImportJobRow = Selectable<ImportJobTable>;
export type MatchRunRow = Selectable<MatchRunTable>;
export type MatchPairRow = Selectable<MatchPairTable>;
export type PersonMergeRow = Selectable<PersonMergeTable>;

// ---------------------------------------------------------------------------------------------
// Cases (migration 2026_11_27_0005_cases)

export interface TeamMembershipTable {
  office_id: string;
  team: string;
  user_id: string;
  added_by: string | null;
  added_at: Generated<Timestamp>;
}

export interface PartnerTable {
  id: Generated<string>;
  office_id: string;
  name: string;
  services: string[];
  areas: string[];
  contact_email: string | null;
  contact_phone: string | null;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface CaseFileTable {
  id: Generated<string>;
  office_id: string;
  case_number: string;
  type: string;
  sensitivity: 'standard' | 'restricted';
  team: string;
  status: string;
  person_id: string;
  owner_id: string | null;
  supervisor_id: string | null;
  risk_level: 'low' | 'medium' | 'high' | 'critical';
  opened_at: Generated<Timestamp>;
  closed_at: Timestamp | null;
  closure_reason: string | null;
  details: Generated<Record<string, unknown>>;
  details_sealed: string | null;
  awaiting_supervisor: Generated<boolean>;
  plan: unknown | null;
  plan_sealed: string | null;
  plan_status: 'draft' | 'submitted' | 'approved' | null;
  plan_version: Generated<number>;
  plan_goals: Generated<number>;
  plan_updated_by: string | null;
  plan_updated_at: Timestamp | null;
  plan_approved_by: string | null;
  plan_approved_at: Timestamp | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}
export type CaseFileRow = Selectable<CaseFileTable>;

export interface CaseMemberTable {
  case_id: string;
  user_id: string;
  added_by: string | null;
  added_at: Generated<Timestamp>;
}

export interface CaseEventTable {
  id: Generated<string>;
  case_id: string;
  office_id: string;
  at: Generated<Timestamp>;
  actor_id: string | null;
  kind: string;
  data: Generated<Record<string, unknown>>;
}

export interface CaseNoteTable {
  id: Generated<string>;
  case_id: string;
  office_id: string;
  body: string;
  sensitive: Generated<boolean>;
  sealed: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface CaseAssessmentTable {
  id: Generated<string>;
  case_id: string;
  office_id: string;
  number: number;
  assessed_on: string;
  summary: string;
  risk_level: string;
  needs: string[];
  sealed: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface CaseServiceTable {
  id: Generated<string>;
  case_id: string;
  office_id: string;
  type: string;
  delivered_on: string;
  partner_id: string | null;
  provider: string | null;
  cost: string | null;
  currency: string | null;
  funding: string | null;
  note: string | null;
  sealed: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface CaseTaskTable {
  id: Generated<string>;
  case_id: string;
  office_id: string;
  key: string | null;
  title: string;
  due_on: string;
  remind_on: string | null;
  assignee_id: string | null;
  status: Generated<'open' | 'done' | 'cancelled'>;
  completed_at: Timestamp | null;
  completed_by: string | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface CaseAttachmentTable {
  id: Generated<string>;
  case_id: string;
  office_id: string;
  file_name: string;
  media_type: string;
  bytes: string | number;
  sha256: string;
  storage_key: string;
  scan: string;
  /** Restricted cases: the file is encrypted under this key (sealed); null: stored as is. */
  file_key_sealed?: string | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface ReferralTable {
  id: Generated<string>;
  case_id: string;
  office_id: string;
  direction: 'outgoing' | 'incoming';
  partner_id: string;
  services: string[];
  reason: string;
  urgency: Generated<'routine' | 'urgent'>;
  status: 'sent' | 'accepted' | 'declined' | 'completed' | 'withdrawn';
  sealed: Generated<boolean>;
  consent_id: string | null;
  consent_override_reason: string | null;
  consent_override_by: string | null;
  acknowledged: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface CaseTransferTable {
  id: Generated<string>;
  case_id: string;
  from_office_id: string;
  to_office_id: string;
  reason: string;
  status: Generated<'pending' | 'accepted' | 'rejected' | 'cancelled'>;
  requested_by: string | null;
  requested_at: Generated<Timestamp>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  note: string | null;
  sealed: Generated<boolean>;
}

export interface BreakGlassTable {
  id: Generated<string>;
  case_id: string;
  office_id: string;
  user_id: string;
  reason: string;
  granted_at: Generated<Timestamp>;
  expires_at: Timestamp;
}

// ---------------------------------------------------------------------------------------------
// Screening (migration 2026_11_27_0006_screening)

export interface WatchlistTable {
  id: Generated<string>;
  office_id: string;
  name: string;
  source: string | null;
  entries: Generated<number>;
  active: Generated<boolean>;
  uploaded_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface WatchlistEntryTable {
  watchlist_id: string;
  row_no: number;
  entry_id: string;
  name: string;
  alias_of: string | null;
  date_of_birth: string | null;
  nationality: string | null;
}
