/**
 * Words for the case engine's codes, in the interface language: case types, states, actions, fields,
 * options … (keys listed by `label-keys.ts`). An unknown code shows as itself rather than as a key.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_TYPES, isCaseTypeId } from '@passage/domain/cases/types';
import type { CaseTypeDefinition } from '@passage/domain/cases/case-type';

export interface CaseLabels {
  type: (id: string) => string;
  state: (s: string) => string;
  action: (a: string) => string;
  field: (f: string) => string;
  option: (field: string, code: string) => string;
  section: (s: string) => string;
  closureReason: (r: string) => string;
  serviceType: (s: string) => string;
  risk: (r: string) => string;
  /** A task's title: the translated default task when it has a key, else the title typed. */
  task: (task: { key: string | null; title: string }) => string;
}

export function useCaseLabels(): CaseLabels {
  const { t } = useTranslation();
  return useMemo(() => {
    const tr = (prefix: string) => (code: string) => t(`cases.${prefix}.${code}`, { defaultValue: code });
    return {
      type: tr('types'),
      state: tr('states'),
      action: tr('actions'),
      field: tr('fields'),
      option: (field, code) => t(`cases.options.${field}.${code}`, { defaultValue: code }),
      section: tr('sections'),
      closureReason: tr('closureReasons'),
      serviceType: tr('serviceTypes'),
      risk: tr('risk'),
      task: (task) => (task.key ? t(`cases.tasks.${task.key}`, { defaultValue: task.title }) : task.title),
    };
  }, [t]);
}

/** The declaration of a case's type (null for a type this build does not know). */
export function caseTypeOf(type: string): CaseTypeDefinition | null {
  return isCaseTypeId(type) ? CASE_TYPES[type] : null;
}

/** The badge tone of a risk level. */
export function riskTone(risk: string): 'neutral' | 'info' | 'warning' | 'danger' {
  return risk === 'critical' || risk === 'high' ? 'danger' : risk === 'medium' ? 'warning' : 'info';
}

/** A code (case number, office code) kept left-to-right inside translated text, so Arabic does not reorder its parts. */
export function ltr(code: string): string {
  return `\u2066${code}\u2069`;
}

/** Today in the user's time zone, as YYYY-MM-DD (the default of date fields). */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
