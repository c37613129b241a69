/**
 * The matching engine's HTTP calls: batch runs, the review queue, decisions and reversible merges.
 * Shapes come from the fixed contract in @passage/domain (imported by sub-path, like the registry).
 */
import type {
  MatchExplanationDto,
  MatchPairDto,
  MatchPairListDto,
  MatchPersonDto,
  MatchRunDto,
  MergeDto,
  MergeInput,
  PairDecision,
  PairStatus,
  StartMatchRun,
} from '@passage/domain/match/api';
import { api, type Query } from '../../lib/api.ts';

export type { MatchExplanationDto, MatchPairDto, MatchPairListDto, MatchPersonDto, MatchRunDto, MergeDto, MergeInput, PairDecision, PairStatus };
export type MatchRunStatus = MatchRunDto['status'];
export type ReviewDecision = PairDecision['decision'];

/** The queue's filters as the server takes them (all optional; the server defaults status to "open"). */
export interface PairFilters {
  status?: PairStatus;
  officeId?: string;
  minProbability?: number;
  maxProbability?: number;
  page?: number;
  pageSize?: number;
}

const BASE = '/api/match';
const enc = encodeURIComponent;

export const matchApi = {
  startRun: (body: StartMatchRun) => api.post<MatchRunDto>(`${BASE}/runs`, body),
  cancelRun: (id: string) => api.post<MatchRunDto>(`${BASE}/runs/${enc(id)}/cancel`, {}),
  run: (id: string, signal?: AbortSignal) => api.get<MatchRunDto>(`${BASE}/runs/${enc(id)}`, undefined, signal),
  /** The latest runs, newest first (the server wraps them in `items`; a bare list is accepted too). */
  runs: async (signal?: AbortSignal): Promise<MatchRunDto[]> => {
    const res = await api.get<MatchRunDto[] | { items: MatchRunDto[] }>(`${BASE}/runs`, undefined, signal);
    return Array.isArray(res) ? res : res.items;
  },
  pairs: (filters: PairFilters, signal?: AbortSignal) => api.get<MatchPairListDto>(`${BASE}/pairs`, filters as Query, signal),
  pair: (id: string, signal?: AbortSignal) => api.get<MatchPairDto>(`${BASE}/pairs/${enc(id)}`, undefined, signal),
  decide: (id: string, body: PairDecision) => api.post<MatchPairDto>(`${BASE}/pairs/${enc(id)}/decision`, body),
  merge: (body: MergeInput) => api.post<MergeDto>(`${BASE}/merges`, body),
  merges: (personId: string, signal?: AbortSignal) => api.get<MergeDto[]>(`${BASE}/merges`, { personId }, signal),
  unmerge: (id: string) => api.post<MergeDto>(`${BASE}/merges/${enc(id)}/unmerge`, {}),
};
