/** Every case type Passage knows. Adding one: declare it beside these, list it here, add its labels and demo data. */
import type { CaseTypeDefinition } from './case-type.ts';
import { counterTrafficking } from './counter-trafficking.ts';
import { migrantAssistance } from './migrant-assistance.ts';

export const CASE_TYPE_IDS = ['migrant_assistance', 'counter_trafficking'] as const;
export type CaseTypeId = (typeof CASE_TYPE_IDS)[number];

export const CASE_TYPES: Readonly<Record<CaseTypeId, CaseTypeDefinition>> = {
  migrant_assistance: migrantAssistance,
  counter_trafficking: counterTrafficking,
};

export const isCaseTypeId = (s: string): s is CaseTypeId => (CASE_TYPE_IDS as readonly string[]).includes(s);

/** Every team some case type is worked by. */
export const CASE_TEAMS = [...new Set(Object.values(CASE_TYPES).map((t) => t.team))];
