/**
 * The case engine's HTTP calls. Shapes come from the shared zod schemas in @passage/domain (imported by
 * sub-path, like the registry's, so the login page never pulls them in).
 */
import type {
  IncomingReferral,
  ActionDto,
  AssessmentDto,
  AssessmentInput,
  AttachmentDto,
  BreakGlassDto,
  CaseAssign,
  CaseCreateInput,
  CaseDashboardDto,
  CaseDto,
  CaseListDto,
  CaseSummaryDto,
  CaseTransition,
  CaseUpdate,
  CountCell,
  InboxDto,
  NoteDto,
  NoteInput,
  PartnerDto,
  PlanDto,
  PlanInput,
  ReferralCreate,
  ReferralDto,
  ReferralUpdate,
  ServiceDto,
  ServiceInput,
  TaskDto,
  TaskInput,
  TaskUpdate,
  TimelineEventDto,
  TransferCreate,
  TransferDecision,
  TransferDto,
} from '@passage/domain/cases/api';
import type { Office } from '../../lib/types.ts';
import { api, buildQuery, type Query } from '../../lib/api.ts';

export type {
  ActionDto,
  AssessmentDto,
  AttachmentDto,
  BreakGlassDto,
  CaseDashboardDto,
  CaseDto,
  CaseListDto,
  CaseSummaryDto,
  CountCell,
  InboxDto,
  NoteDto,
  PartnerDto,
  PlanDto,
  PlanInput,
  ReferralDto,
  ServiceDto,
  TaskDto,
  TimelineEventDto,
  TransferDto,
};

/** Someone a case can be given to. */
export interface UserRef {
  id: string;
  name: string;
}

/** The list filters as the server takes them (all optional). */
export interface CaseFilters {
  officeId?: string;
  type?: string;
  open?: 'true' | 'false';
  mine?: 'true';
  personId?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface TimelinePage {
  items: TimelineEventDto[];
  next: string | null;
}

export interface Oversight {
  breakGlass: BreakGlassDto[];
  consentOverrides: ReferralDto[];
}

const BASE = '/api/cases';
const enc = encodeURIComponent;

/** A list answer, wrapped in `items` or bare. */
async function items<T>(p: Promise<T[] | { items: T[] }>): Promise<T[]> {
  const res = await p;
  return Array.isArray(res) ? res : res.items;
}

export const casesApi = {
  list: (filters: CaseFilters, signal?: AbortSignal) => api.get<CaseListDto>(BASE, filters as Query, signal),
  open: (body: CaseCreateInput) => api.post<{ id: string; caseNumber: string }>(BASE, body),
  get: (id: string, signal?: AbortSignal) => api.get<CaseDto>(`${BASE}/${enc(id)}`, undefined, signal),
  update: (id: string, body: CaseUpdate) => api.patch<CaseDto>(`${BASE}/${enc(id)}`, body),
  transition: (id: string, body: CaseTransition) => api.post<CaseDto>(`${BASE}/${enc(id)}/transitions`, body),
  assign: (id: string, body: CaseAssign) => api.post<CaseDto>(`${BASE}/${enc(id)}/assignment`, body),
  assignees: (officeId: string, type: string) => items(api.get<UserRef[] | { items: UserRef[] }>(`${BASE}/assignees`, { officeId, type })),

  assessments: (id: string) => items(api.get<AssessmentDto[] | { items: AssessmentDto[] }>(`${BASE}/${enc(id)}/assessments`)),
  addAssessment: (id: string, body: AssessmentInput) => api.post<AssessmentDto>(`${BASE}/${enc(id)}/assessments`, body),
  savePlan: (id: string, body: PlanInput) => api.put<CaseDto>(`${BASE}/${enc(id)}/plan`, body),
  services: (id: string) => items(api.get<ServiceDto[] | { items: ServiceDto[] }>(`${BASE}/${enc(id)}/services`)),
  addService: (id: string, body: ServiceInput) => api.post<ServiceDto>(`${BASE}/${enc(id)}/services`, body),
  notes: (id: string) => items(api.get<NoteDto[] | { items: NoteDto[] }>(`${BASE}/${enc(id)}/notes`)),
  addNote: (id: string, body: NoteInput) => api.post<NoteDto>(`${BASE}/${enc(id)}/notes`, body),
  tasks: (id: string) => items(api.get<TaskDto[] | { items: TaskDto[] }>(`${BASE}/${enc(id)}/tasks`)),
  addTask: (id: string, body: TaskInput) => api.post<TaskDto>(`${BASE}/${enc(id)}/tasks`, body),
  updateTask: (taskId: string, body: TaskUpdate) => api.patch<TaskDto>(`/api/tasks/${enc(taskId)}`, body),
  attachments: (id: string) => items(api.get<AttachmentDto[] | { items: AttachmentDto[] }>(`${BASE}/${enc(id)}/attachments`)),
  upload: (id: string, file: File) => api.upload<AttachmentDto>(`${BASE}/${enc(id)}/attachments`, file, 'application/octet-stream', { fileName: file.name }),
  partners: (officeId: string) => items(api.get<PartnerDto[] | { items: PartnerDto[] }>('/api/partners', { officeId })),
  referrals: (id: string) => items(api.get<ReferralDto[] | { items: ReferralDto[] }>(`${BASE}/${enc(id)}/referrals`)),
  /** Marks the case's incoming referrals as seen (they leave the inbox). */
  acknowledgeReferrals: (id: string) => api.post<void>(`${BASE}/${enc(id)}/referrals/acknowledge`, {}),
  /** A partner refers a registered person: opens a case with the incoming referral on it. */
  receiveReferral: (body: IncomingReferral) => api.post<{ caseId: string; caseNumber: string; referralId: string }>('/api/referrals/incoming', body),
  refer: (id: string, body: ReferralCreate) => api.post<ReferralDto>(`${BASE}/${enc(id)}/referrals`, body),
  updateReferral: (referralId: string, body: ReferralUpdate) => api.patch<ReferralDto>(`/api/referrals/${enc(referralId)}`, body),
  transfer: (id: string, body: TransferCreate) => api.post<TransferDto>(`${BASE}/${enc(id)}/transfers`, body),
  transferOffices: () => api.get<{ items: Office[] }>(`${BASE}/transfer-offices`),
  decideTransfer: (transferId: string, body: TransferDecision) => api.post<TransferDto>(`/api/transfers/${enc(transferId)}/decision`, body),
  timeline: (id: string, before?: string) => api.get<TimelinePage>(`${BASE}/${enc(id)}/timeline`, { before }),

  inbox: (signal?: AbortSignal) => api.get<InboxDto>(`${BASE}/inbox`, undefined, signal),
  breakGlass: (caseNumber: string, reason: string) => api.post<{ caseId: string; expiresAt: string }>(`${BASE}/break-glass`, { caseNumber, reason }),
  dashboard: (officeId: string | undefined, signal?: AbortSignal) => api.get<CaseDashboardDto>(`${BASE}/dashboard`, { officeId }, signal),
  oversight: (signal?: AbortSignal) => api.get<Oversight>(`${BASE}/oversight`, undefined, signal),
};

/** Where an attachment is downloaded from. */
export function attachmentUrl(attachmentId: string): string {
  return `/api/attachments/${enc(attachmentId)}/content`;
}

/** The dashboard's figures as a spreadsheet. */
export function dashboardXlsxUrl(officeId: string | undefined): string {
  return `${BASE}/dashboard.xlsx${buildQuery({ officeId })}`;
}
