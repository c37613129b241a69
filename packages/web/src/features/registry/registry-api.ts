/**
 * The registry's HTTP calls and the shapes the web app receives.
 *
 * Response types come from the shared zod schemas in @passage/domain (imported by sub-path so the
 * login page never pulls them in); the import job shapes are described here until the domain
 * package publishes them.
 */
import type { z } from 'zod';
import type {
  DuplicateCheckResultDto,
  HouseholdDto,
  PersonChangeDto,
  PersonDto,
  PersonSearchResultDto,
  PersonSummaryDto,
  PopulationStatsDto,
  RegistrationInput,
  RegistrationResultDto,
} from '@passage/domain/registry/api';
import type { ConsentInput, DocumentInput, DocumentUpdate, PersonUpdate } from '@passage/domain/registry/model';
import { api, buildQuery, type Query } from '../../lib/api.ts';

export type { HouseholdDto, PersonDto, PersonSearchResultDto, PersonSummaryDto, PopulationStatsDto };
export type PersonChange = z.infer<typeof PersonChangeDto>;
export type DuplicateCheckResult = z.infer<typeof DuplicateCheckResultDto>;
export type DuplicateCandidate = DuplicateCheckResult['candidates'][number];
export type RegistrationResult = z.infer<typeof RegistrationResultDto>;
export type HouseholdMember = HouseholdDto['members'][number];
export type SearchItem = PersonSearchResultDto['items'][number];

/** What the duplicate check accepts: the identifying parts of a person being registered. */
export interface DuplicateProbe {
  givenName?: string;
  middleName?: string | null;
  familyName?: string | null;
  fullNameOriginal?: string | null;
  dateOfBirth?: string | null;
  documents?: { number: string }[];
  phones?: string[];
  nationality?: string | null;
  sex?: string | null;
}

/** One access to a record, for data-protection officers. */
export interface PersonView {
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  purpose: string | null;
}

export type ImportMode = 'dry_run' | 'all_or_nothing' | 'valid_rows';
export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What the server learnt from an uploaded file. */
export interface ImportUpload {
  uploadId: string;
  fileName: string;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  columns: string[];
  targets: { key: string; label: string; required: boolean }[];
  suggestedMapping: Record<string, string | null>;
  missingRequired: string[];
}

export interface ImportProblem {
  row: number;
  column: string | null;
  message: string;
}

export interface ImportJob {
  id: string;
  status: ImportStatus;
  mode?: ImportMode;
  rowsRead: number;
  rowsValid: number;
  rowsInvalid: number;
  rowsCreated: number;
  rowsExisting: number;
  problems: ImportProblem[];
  problemCount: number;
  message: string | null;
}

export interface ImportTemplate {
  id: string;
  name: string;
  mapping: Record<string, string | null>;
}

/** The search and export filters (all optional). */
export interface SearchFilters {
  q?: string;
  officeId?: string;
  populationGroup?: string;
  sex?: string;
  ageBand?: string;
  nationality?: string;
  need?: string;
}

const BASE = '/api/registry';
const enc = encodeURIComponent;

/** True when a job will not change any more. */
export function isFinished(status: ImportStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

export const registryApi = {
  duplicateCheck: (probe: DuplicateProbe) => api.post<DuplicateCheckResult>(`${BASE}/duplicate-check`, probe),
  register: (body: RegistrationInput) => api.post<RegistrationResult>(`${BASE}/registrations`, body),
  search: (query: Query, signal?: AbortSignal) => api.get<PersonSearchResultDto>(`${BASE}/people`, query, signal),
  person: (id: string, signal?: AbortSignal) => api.get<PersonDto>(`${BASE}/people/${enc(id)}`, undefined, signal),
  updatePerson: (id: string, body: Partial<PersonUpdate> & { version: number }) => api.patch<PersonDto>(`${BASE}/people/${enc(id)}`, body),
  history: (id: string) => api.get<{ items: PersonChange[] }>(`${BASE}/people/${enc(id)}/history`),
  views: (id: string) => api.get<{ items: PersonView[] }>(`${BASE}/people/${enc(id)}/views`),
  addDocument: (id: string, doc: DocumentInput) => api.post<PersonDto>(`${BASE}/people/${enc(id)}/documents`, doc),
  updateDocument: (id: string, documentId: string, body: Partial<DocumentUpdate> & { version: number }) =>
    api.patch<PersonDto>(`${BASE}/people/${enc(id)}/documents/${enc(documentId)}`, body),
  removeDocument: (id: string, documentId: string) => api.delete<PersonDto>(`${BASE}/people/${enc(id)}/documents/${enc(documentId)}`),
  recordConsent: (id: string, consent: ConsentInput) => api.post<PersonDto>(`${BASE}/people/${enc(id)}/consents`, consent),
  withdrawConsent: (id: string, consentId: string) => api.post<PersonDto>(`${BASE}/people/${enc(id)}/consents/${enc(consentId)}/withdraw`, {}),
  household: (id: string, signal?: AbortSignal) => api.get<HouseholdDto>(`${BASE}/households/${enc(id)}`, undefined, signal),
  updateHousehold: (id: string, body: { headPersonId?: string; headNote?: string | null; version: number }) =>
    api.patch<HouseholdDto>(`${BASE}/households/${enc(id)}`, body),
  addMember: (id: string, personId: string, relationship: string) => api.post<HouseholdDto>(`${BASE}/households/${enc(id)}/members`, { personId, relationship }),
  removeMember: (id: string, personId: string) => api.delete<HouseholdDto>(`${BASE}/households/${enc(id)}/members/${enc(personId)}`),
  stats: (officeId: string | undefined, signal?: AbortSignal) => api.get<PopulationStatsDto>(`${BASE}/stats`, { officeId }, signal),
  upload: (file: File, contentType: string) => api.upload<ImportUpload>(`${BASE}/imports/uploads`, file, contentType, { fileName: file.name }),
  startImport: (body: { uploadId: string; officeId: string; mapping: Record<string, string | null>; mode: ImportMode; saveTemplateAs?: string }) =>
    api.post<ImportJob>(`${BASE}/imports`, body),
  importJob: (id: string) => api.get<ImportJob>(`${BASE}/imports/${enc(id)}`),
  cancelImport: (id: string) => api.post<ImportJob>(`${BASE}/imports/${enc(id)}/cancel`, {}),
  templates: (officeId: string) => api.get<{ items: ImportTemplate[] }>(`${BASE}/import-templates`, { officeId }),
};

/** The registration slip of a person (a PDF the browser opens). */
export function slipUrl(personId: string): string {
  return `${BASE}/people/${enc(personId)}/slip.pdf`;
}

/** A download of the people matching the filters (CSV or Excel). The export takes the filters, not the search text. */
export function exportUrl(format: 'csv' | 'xlsx', filters: SearchFilters): string {
  const { q: _searchText, ...rest } = filters;
  return `${BASE}/export${buildQuery({ format, ...rest })}`;
}

/** The content type to send a chosen file with. */
export function uploadContentType(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || name.endsWith('.txt') || file.type === 'text/csv') return 'text/csv';
  if (name.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return 'application/octet-stream';
}
