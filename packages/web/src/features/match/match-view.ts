/**
 * Pure helpers of the reviewer's screens: the side-by-side rows and their part in the score,
 * the queue's filters in the address, the default survivor of a merge, and what differs between
 * two records. No React, no I/O: unit-tested in match-view.test.ts.
 */
import { MERGEABLE_FIELDS, PAIR_STATUSES, type FieldContributionDto, type MatchField, type MergeableField, type PairStatus } from '@passage/domain/match/api';
import type { MatchRunStatus, MergeDto, PairFilters } from './match-api.ts';

/** A row of the side-by-side view, in display order. */
export const COMPARISON_ROWS = [
  'givenName',
  'middleName',
  'familyName',
  'fullNameOriginal',
  'sex',
  'dateOfBirth',
  'nationality',
  'documents',
  'phones',
  'office',
  'registrationId',
] as const;
export type ComparisonRowKey = (typeof COMPARISON_ROWS)[number];

/** Which engine field scores each row; rows without one are shown for context only. */
export const ROW_FIELD: Readonly<Record<ComparisonRowKey, MatchField | null>> = {
  givenName: 'given',
  middleName: 'middle',
  familyName: 'family',
  fullNameOriginal: null,
  sex: 'sex',
  dateOfBirth: 'dob',
  nationality: 'nationality',
  documents: 'document',
  phones: 'phone',
  office: null,
  registrationId: null,
};

export type Agreement = FieldContributionDto['agreement'];

export interface ComparisonRow {
  key: ComparisonRowKey;
  field: MatchField | null;
  /** The engine's explanation of this row, or null when the row is not compared (or the field was left out). */
  contribution: FieldContributionDto | null;
}

/** The rows of the side-by-side view with each row's contribution from the explanation. */
export function comparisonRows(fields: readonly FieldContributionDto[]): ComparisonRow[] {
  const byField = new Map<MatchField, FieldContributionDto>();
  for (const f of fields) if (!byField.has(f.field)) byField.set(f.field, f);
  return COMPARISON_ROWS.map((key) => {
    const field = ROW_FIELD[key];
    return { key, field, contribution: field ? (byField.get(field) ?? null) : null };
  });
}

/** Contributions of fields the view has no row for (none today): listed after the rows so nothing is hidden. */
export function unplacedContributions(fields: readonly FieldContributionDto[]): FieldContributionDto[] {
  const placed = new Set<MatchField>(Object.values(ROW_FIELD).filter((f): f is MatchField => f !== null));
  return fields.filter((f) => !placed.has(f.field));
}

/** The largest absolute weight (at least 1), so the bars of one pair share a scale. */
export function weightScale(fields: readonly { weight: number }[]): number {
  let max = 1;
  for (const f of fields) if (Number.isFinite(f.weight)) max = Math.max(max, Math.abs(f.weight));
  return max;
}

/** A bar's length as a percentage of its half of the axis (0..100). */
export function barPercent(weight: number, scale: number): number {
  if (!Number.isFinite(weight) || scale <= 0) return 0;
  return Math.round(Math.min(1, Math.abs(weight) / scale) * 1000) / 10;
}

/** Which way a weight argues. */
export function weightDirection(weight: number): 'same' | 'different' | 'neutral' {
  if (weight > 0.005) return 'same';
  if (weight < -0.005) return 'different';
  return 'neutral';
}

/** i18n keys (match.level.*) of the engine's comparison-level labels; an unknown label is shown as sent. */
const LEVEL_KEYS: Readonly<Record<string, string>> = {
  missing: 'missing',
  exact: 'exact',
  contained: 'contained',
  'jaro-winkler > 0.92': 'similar92',
  phonetic: 'phonetic',
  'jaro-winkler > 0.88': 'similar88',
  'jaro-winkler > 0.70': 'similar70',
  different: 'different',
  'names in another order': 'reordered',
  'day and month swapped': 'dayMonthSwapped',
  'one digit different': 'oneDigit',
  'same year and month': 'sameYearMonth',
  'same year (year only known)': 'sameYearOnly',
  'year ±1 (year only known)': 'yearPlusMinusOneOnly',
  'year ±1': 'yearPlusMinusOne',
  agree: 'agree',
  disagree: 'disagree',
  'exact (OCR-folded)': 'exactOcr',
  'one edit': 'oneEdit',
};

/** The i18n key of a comparison level label, or null when the engine sent one this screen does not know. */
export function levelKey(label: string): string | null {
  const k = LEVEL_KEYS[label.trim().toLowerCase()] ?? LEVEL_KEYS[label.trim()];
  return k ? `match.level.${k}` : null;
}

const CONTEXT_KEYS: Readonly<Record<string, string>> = {
  any: 'any',
  'same family name': 'sameFamily',
  'same name chain': 'sameChain',
  "same family and father's name": 'sameFather',
};

/** The i18n key of the score context ("any", "same family name", "same name chain", "same family and father's name"), or null. */
export function contextKey(context: string): string | null {
  const k = CONTEXT_KEYS[context.trim().toLowerCase()];
  return k ? `match.context.${k}` : null;
}

/** True while a run may still change. */
export function isRunActive(status: MatchRunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** The queue filters as kept in the address (probabilities as whole percentages, 0..100). */
export interface QueueParams {
  status: PairStatus;
  officeId: string;
  minPercent: string;
  maxPercent: string;
  page: number;
}

function percentParam(value: string | null): string {
  if (value === null || value.trim() === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  return String(Math.min(100, Math.max(0, Math.round(n))));
}

/** Reads the queue filters from the address, ignoring what is not valid. */
export function readQueueParams(params: URLSearchParams): QueueParams {
  const s = params.get('status') ?? '';
  const status: PairStatus = (PAIR_STATUSES as readonly string[]).includes(s) ? (s as PairStatus) : 'open';
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    status,
    officeId: params.get('officeId') ?? '',
    minPercent: percentParam(params.get('min')),
    maxPercent: percentParam(params.get('max')),
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, 10_000) : 1,
  };
}

/** The server query for the queue filters (probabilities 0..1; a reversed range is put in order). */
export function pairFilters(q: QueueParams, pageSize: number): PairFilters {
  let min = q.minPercent === '' ? undefined : Number(q.minPercent) / 100;
  let max = q.maxPercent === '' ? undefined : Number(q.maxPercent) / 100;
  if (min !== undefined && max !== undefined && min > max) [min, max] = [max, min];
  const out: PairFilters = { status: q.status, page: q.page, pageSize };
  if (q.officeId) out.officeId = q.officeId;
  if (min !== undefined) out.minProbability = min;
  if (max !== undefined) out.maxProbability = max;
  return out;
}

/** The people of a pair as the merge needs them. */
export interface MergeCandidate {
  id: string;
  registrationId: string;
  createdAt: string;
}

/** The record to keep by default: the older registration (then the smaller registration id). */
export function defaultSurvivor<T extends MergeCandidate>(a: T, b: T): T {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta < tb ? a : b;
  return a.registrationId.localeCompare(b.registrationId) <= 0 ? a : b;
}

/** A record's mergeable values (the registry's PersonDto has them all). */
export type MergeableValues = { [F in MergeableField]: unknown };

function normalised(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return JSON.stringify(value.map((v) => (typeof v === 'string' ? v.trim() : v)));
  return typeof value === 'string' ? value.trim() : JSON.stringify(value);
}

/** True when the value is empty (null, blank or an empty list). */
export function isEmptyValue(value: unknown): boolean {
  return normalised(value) === '' || normalised(value) === '[]';
}

/** The mergeable fields whose values differ between the records, in MERGEABLE_FIELDS order. */
export function differingFields(survivor: MergeableValues, merged: MergeableValues): MergeableField[] {
  return MERGEABLE_FIELDS.filter((f) => normalised(survivor[f]) !== normalised(merged[f]));
}

/** Fields worth offering to take: they differ and the merged record has a value (an empty value would erase). */
export function offerableFields(survivor: MergeableValues, merged: MergeableValues): MergeableField[] {
  return differingFields(survivor, merged).filter((f) => !isEmptyValue(merged[f]));
}

/** What a merge moved, largest first, without empty kinds. */
export function movedEntries(moved: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(moved)
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
}

/** The survivor a person was merged into, from the merges involving them (only merges still in force). */
export function mergedIntoFrom(merges: readonly MergeDto[], personId: string): string | null {
  const m = merges.find((x) => x.mergedId === personId && !x.unmergedAt);
  return m ? m.survivorId : null;
}

