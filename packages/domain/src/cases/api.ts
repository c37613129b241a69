/**
 * The case engine's API shapes: request bodies (validated on the server, reused by the browser's forms) and
 * responses (the server's response schemas and OpenAPI; the browser's types).
 */
import { z } from 'zod';
import { CountryCodeSchema, DateString, SEXES } from '../registry/model.ts';
import { RISK_LEVELS } from './case-type.ts';
import { CASE_TYPE_IDS } from './types.ts';

const Id = z.string().uuid();
/** Free text as typed: HTML or script in it is text, stored as is and rendered inert. */
const Text = (max: number, min = 0) =>
  z
    .string()
    .max(max, `at most ${max.toLocaleString('en')} characters`)
    .transform((s) => s.trim())
    .pipe(z.string().min(min, min > 1 ? `at least ${min} characters` : 'required'));
const Version = z.number().int().min(1);
const Details = z.record(z.string(), z.unknown());

export const CASE_NOTE_MAX = 20_000;
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'completed', 'withdrawn'] as const;
export const OPEN_REFERRAL_STATUSES = ['sent', 'accepted'] as const;
export const TRANSFER_STATUSES = ['pending', 'accepted', 'rejected', 'cancelled'] as const;
export const PLAN_STATUSES = ['draft', 'submitted', 'approved'] as const;

// ---------------------------------------------------------------------------------------------
// Requests

export const CaseCreateSchema = z
  .object({
    type: z.enum(CASE_TYPE_IDS),
    personId: Id,
    officeId: Id,
    riskLevel: z.enum(RISK_LEVELS).default('medium'),
    /** The caseworker who owns it (default: whoever opens it). */
    ownerId: Id.optional(),
    supervisorId: Id.nullable().optional(),
    details: Details.default({}),
  })
  .strict();
export type CaseCreate = z.infer<typeof CaseCreateSchema>;
export type CaseCreateInput = z.input<typeof CaseCreateSchema>;

/** Changing a case: send the version you read (stale → 409 with the current case). Details merge field by field; null clears. */
export const CaseUpdateSchema = z.object({ version: Version, riskLevel: z.enum(RISK_LEVELS).optional(), details: Details.optional() }).strict();
export type CaseUpdate = z.infer<typeof CaseUpdateSchema>;

export const CaseTransitionSchema = z
  .object({
    version: Version,
    action: z.string().min(1).max(60),
    closureReason: z.string().max(60).optional(),
    comment: Text(2000).optional(),
  })
  .strict();
export type CaseTransition = z.infer<typeof CaseTransitionSchema>;

export const CaseAssignSchema = z
  .object({ version: Version, ownerId: Id.optional(), supervisorId: Id.nullable().optional(), reason: Text(500).optional() })
  .strict()
  .refine((a) => a.ownerId !== undefined || a.supervisorId !== undefined, { message: 'name an owner or a supervisor', path: ['ownerId'] });
export type CaseAssign = z.infer<typeof CaseAssignSchema>;

export const CaseMemberSchema = z.object({ userId: Id }).strict();

export const AssessmentInputSchema = z
  .object({
    assessedOn: DateString,
    summary: Text(10_000, 1),
    riskLevel: z.enum(RISK_LEVELS),
    /** Needs found, by sector or service type of the case type. */
    needs: z.array(z.string().max(40)).max(30).default([]),
  })
  .strict();
export type AssessmentInput = z.infer<typeof AssessmentInputSchema>;

export const PlanInputSchema = z
  .object({
    /** The plan version you read (0 when there is none yet). */
    version: z.number().int().min(0),
    goals: z.array(z.object({ text: Text(1000, 1), targetDate: DateString.nullable().optional(), achieved: z.boolean().default(false) }).strict()).max(30),
    services: z.array(z.object({ type: z.string().max(40), partnerId: Id.nullable().optional(), note: Text(500).optional() }).strict()).max(30).default([]),
  })
  .strict();
export type PlanInput = z.infer<typeof PlanInputSchema>;

export const ServiceInputSchema = z
  .object({
    type: z.string().max(40),
    deliveredOn: DateString,
    partnerId: Id.nullable().optional(),
    provider: Text(200).optional(),
    cost: z.number().min(0).max(1_000_000_000).multipleOf(0.01).nullable().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as USD').nullable().optional(),
    funding: Text(100).optional(),
    note: Text(2000).optional(),
  })
  .strict()
  .refine((s) => s.cost == null || !!s.currency, { message: 'required with a cost', path: ['currency'] });
export type ServiceInput = z.infer<typeof ServiceInputSchema>;

export const NoteInputSchema = z.object({ body: Text(CASE_NOTE_MAX, 1), sensitive: z.boolean().default(false) }).strict();
export type NoteInput = z.infer<typeof NoteInputSchema>;

export const TaskInputSchema = z
  .object({ title: Text(200, 1), dueOn: DateString, assigneeId: Id.nullable().optional(), remindOn: DateString.nullable().optional() })
  .strict()
  .refine((t) => !t.remindOn || t.remindOn <= t.dueOn, { message: 'must be on or before the due date', path: ['remindOn'] });
export type TaskInput = z.infer<typeof TaskInputSchema>;

export const TaskUpdateSchema = z
  .object({ version: Version, status: z.enum(TASK_STATUSES).optional(), dueOn: DateString.optional(), assigneeId: Id.nullable().optional(), title: Text(200, 1).optional() })
  .strict();
export type TaskUpdate = z.infer<typeof TaskUpdateSchema>;

export const ReferralCreateSchema = z
  .object({
    partnerId: Id,
    services: z.array(z.string().max(40)).min(1, 'name at least one service').max(20),
    reason: Text(2000, 1),
    urgency: z.enum(['routine', 'urgent']).default('routine'),
    /** Only with the consent-override permission, when the person has not consented to referral: why it cannot wait. */
    consentOverrideReason: Text(1000, 20).optional(),
  })
  .strict();
export type ReferralCreate = z.infer<typeof ReferralCreateSchema>;

export const ReferralUpdateSchema = z.object({ version: Version, status: z.enum(['accepted', 'declined', 'completed', 'withdrawn']), note: Text(2000).optional() }).strict();
export type ReferralUpdate = z.infer<typeof ReferralUpdateSchema>;

/** A partner refers someone to the agency: a case is opened for a registered person. */
export const IncomingReferralSchema = z
  .object({ partnerId: Id, personId: Id, officeId: Id, type: z.enum(CASE_TYPE_IDS), reason: Text(2000, 1), services: z.array(z.string().max(40)).max(20).default([]), riskLevel: z.enum(RISK_LEVELS).default('medium') })
  .strict();
export type IncomingReferral = z.infer<typeof IncomingReferralSchema>;

export const TransferCreateSchema = z.object({ version: Version, toOfficeId: Id, reason: Text(2000, 1) }).strict();
export type TransferCreate = z.infer<typeof TransferCreateSchema>;

export const TransferDecisionSchema = z
  .object({ decision: z.enum(['accept', 'reject']), note: Text(2000).optional(), ownerId: Id.optional() })
  .strict()
  .refine((d) => d.decision === 'accept' || !!d.note, { message: 'say why the transfer is rejected', path: ['note'] });
export type TransferDecision = z.infer<typeof TransferDecisionSchema>;

export const BreakGlassSchema = z.object({ reason: Text(1000, 20) }).strict();
export type BreakGlassInput = z.infer<typeof BreakGlassSchema>;

export const PartnerInputSchema = z
  .object({
    name: Text(200, 2),
    officeId: Id,
    services: z.array(z.string().max(40)).min(1).max(30),
    areas: z.array(CountryCodeSchema).max(50).default([]),
    contactEmail: z.string().email().max(200).nullable().optional(),
    contactPhone: z.string().max(40).nullable().optional(),
    active: z.boolean().default(true),
  })
  .strict();
export type PartnerInput = z.infer<typeof PartnerInputSchema>;

export const CaseListQuery = z
  .object({
    officeId: Id.optional(),
    type: z.enum(CASE_TYPE_IDS).optional(),
    status: z.string().max(40).optional(),
    open: z.enum(['true', 'false']).optional(),
    mine: z.enum(['true', 'false']).optional(),
    personId: Id.optional(),
    q: z.string().max(60).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type CaseListQuery = z.infer<typeof CaseListQuery>;

// ---------------------------------------------------------------------------------------------
// Responses

export const UserRefDto = z.object({ id: z.string(), name: z.string() });

export const CaseSummaryDto = z.object({
  id: z.string(),
  caseNumber: z.string(),
  type: z.enum(CASE_TYPE_IDS),
  status: z.string(),
  officeId: z.string(),
  officeCode: z.string(),
  personId: z.string().nullable(),
  /** Null when the list only lets the user count this (sensitive) case: `masked` is then true. */
  personName: z.string().nullable(),
  masked: z.boolean(),
  owner: UserRefDto.nullable(),
  riskLevel: z.enum(RISK_LEVELS),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  awaitingSupervisor: z.boolean(),
});
export type CaseSummaryDto = z.infer<typeof CaseSummaryDto>;

export const CaseListDto = z.object({ items: z.array(CaseSummaryDto), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type CaseListDto = z.infer<typeof CaseListDto>;

export const ActionDto = z.object({ action: z.string(), to: z.string(), by: z.enum(['worker', 'supervisor']), allowed: z.boolean(), problems: z.array(z.object({ field: z.string(), message: z.string() })) });
export type ActionDto = z.infer<typeof ActionDto>;

export const AssessmentDto = z.object({ id: z.string(), number: z.number().int(), assessedOn: z.string(), summary: z.string(), riskLevel: z.enum(RISK_LEVELS), needs: z.array(z.string()), createdBy: UserRefDto.nullable(), createdAt: z.string() });
export type AssessmentDto = z.infer<typeof AssessmentDto>;

export const PlanDto = z.object({
  status: z.enum(PLAN_STATUSES),
  version: z.number().int(),
  goals: z.array(z.object({ text: z.string(), targetDate: z.string().nullable().optional(), achieved: z.boolean() })),
  services: z.array(z.object({ type: z.string(), partnerId: z.string().nullable().optional(), note: z.string().optional() })),
  updatedBy: UserRefDto.nullable(),
  updatedAt: z.string(),
  approvedBy: UserRefDto.nullable(),
  approvedAt: z.string().nullable(),
});
export type PlanDto = z.infer<typeof PlanDto>;

export const CaseDto = CaseSummaryDto.extend({
  team: z.string(),
  supervisor: UserRefDto.nullable(),
  closureReason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  person: z.object({
    id: z.string(),
    registrationId: z.string(),
    name: z.string(),
    fullNameOriginal: z.string().nullable(),
    sex: z.enum(SEXES),
    age: z.number().int().nullable(),
    nationality: z.string().nullable(),
    /** The registry's specific needs, for users who may see them (else null). */
    specificNeeds: z.array(z.string()).nullable(),
    consentToReferral: z.boolean(),
  }),
  members: z.array(UserRefDto),
  /** How the user sees this case: as one of its workers, as a supervisor, or through break-glass access until a time. */
  access: z.object({ via: z.enum(['worker', 'supervisor', 'team', 'break_glass']), until: z.string().nullable(), canWork: z.boolean(), canSupervise: z.boolean() }),
  actions: z.array(ActionDto),
  latestAssessment: AssessmentDto.nullable(),
  assessments: z.number().int(),
  plan: PlanDto.nullable(),
  openReferrals: z.number().int(),
  pendingTransfer: z.object({ id: z.string(), toOfficeId: z.string(), toOfficeCode: z.string(), requestedAt: z.string() }).nullable(),
});
export type CaseDto = z.infer<typeof CaseDto>;

export const TimelineEventDto = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  actor: UserRefDto.nullable(),
  /** What happened, without personal data beyond what the case already shows (note bodies come with the note). */
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEventDto = z.infer<typeof TimelineEventDto>;

export const NoteDto = z.object({ id: z.string(), body: z.string().nullable(), sensitive: z.boolean(), hidden: z.boolean(), createdBy: UserRefDto.nullable(), createdAt: z.string() });
export type NoteDto = z.infer<typeof NoteDto>;

export const ServiceDto = z.object({
  id: z.string(),
  type: z.string(),
  deliveredOn: z.string(),
  partnerId: z.string().nullable(),
  provider: z.string().nullable(),
  cost: z.number().nullable(),
  currency: z.string().nullable(),
  funding: z.string().nullable(),
  note: z.string().nullable(),
  createdBy: UserRefDto.nullable(),
  createdAt: z.string(),
});
export type ServiceDto = z.infer<typeof ServiceDto>;

export const TaskDto = z.object({
  id: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  key: z.string().nullable(),
  dueOn: z.string(),
  remindOn: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  assignee: UserRefDto.nullable(),
  completedAt: z.string().nullable(),
  version: z.number().int(),
});
export type TaskDto = z.infer<typeof TaskDto>;

export const ReferralDto = z.object({
  id: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  direction: z.enum(['outgoing', 'incoming']),
  partner: z.object({ id: z.string(), name: z.string() }),
  services: z.array(z.string()),
  reason: z.string(),
  urgency: z.enum(['routine', 'urgent']),
  status: z.enum(REFERRAL_STATUSES),
  consent: z.enum(['given', 'overridden']),
  consentOverrideReason: z.string().nullable(),
  createdBy: UserRefDto.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ReferralDto = z.infer<typeof ReferralDto>;

export const TransferDto = z.object({
  id: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  /** The case's type: who may own it at the receiving office depends on it. */
  type: z.enum(CASE_TYPE_IDS),
  fromOfficeId: z.string(),
  fromOfficeCode: z.string(),
  toOfficeId: z.string(),
  toOfficeCode: z.string(),
  reason: z.string(),
  status: z.enum(TRANSFER_STATUSES),
  requestedBy: UserRefDto.nullable(),
  requestedAt: z.string(),
  decidedBy: UserRefDto.nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type TransferDto = z.infer<typeof TransferDto>;

export const AttachmentDto = z.object({ id: z.string(), fileName: z.string(), mediaType: z.string(), bytes: z.number().int(), sha256: z.string(), scan: z.string(), createdBy: UserRefDto.nullable(), createdAt: z.string() });
export type AttachmentDto = z.infer<typeof AttachmentDto>;

export const PartnerDto = z.object({
  id: z.string(),
  name: z.string(),
  officeId: z.string(),
  services: z.array(z.string()),
  areas: z.array(z.string()),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
});
export type PartnerDto = z.infer<typeof PartnerDto>;

export const BreakGlassDto = z.object({ id: z.string(), caseId: z.string(), caseNumber: z.string(), user: UserRefDto, reason: z.string(), grantedAt: z.string(), expiresAt: z.string() });
export type BreakGlassDto = z.infer<typeof BreakGlassDto>;

export const InboxDto = z.object({
  overdue: z.array(TaskDto),
  dueSoon: z.array(TaskDto),
  newReferrals: z.array(ReferralDto),
  awaitingApproval: z.array(CaseSummaryDto),
  incomingTransfers: z.array(TransferDto),
});
export type InboxDto = z.infer<typeof InboxDto>;

/** A count that may be masked: `null` with `masked` when below 5 for users who may only see aggregates. */
export const CountCell = z.object({ key: z.string(), count: z.number().int().nullable(), masked: z.boolean() });
export type CountCell = z.infer<typeof CountCell>;

export const CaseDashboardDto = z.object({
  officeIds: z.array(z.string()),
  open: z.number().int(),
  openByType: z.array(CountCell),
  openByStatus: z.array(CountCell),
  openByRisk: z.array(CountCell),
  /** Open cases by days since opened: 0-30, 31-90, 91-180, 181+. */
  openByAge: z.array(CountCell),
  overdueTasks: z.number().int(),
  /** People with an open case, by sex and age band. */
  peopleServed: z.array(z.object({ sex: z.string(), band: z.string(), count: z.number().int().nullable(), masked: z.boolean() })),
  /** Services delivered by type and month (YYYY-MM), the last 12 months. */
  servicesByMonth: z.array(z.object({ month: z.string(), type: z.string(), count: z.number().int().nullable(), masked: z.boolean() })),
});
export type CaseDashboardDto = z.infer<typeof CaseDashboardDto>;

export const CaseTypeDto = z.object({
  id: z.enum(CASE_TYPE_IDS),
  team: z.string(),
  sensitivity: z.enum(['standard', 'restricted']),
  fields: z.array(z.record(z.string(), z.unknown())),
  states: z.array(z.string()),
  closureReasons: z.array(z.string()),
  serviceTypes: z.array(z.string()),
});


