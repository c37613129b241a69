/**
 * The translation keys a case type needs: its name, states, actions, fields, options, sections, closure
 * reasons, service types and default tasks. Pure (no React), so a unit test can check that every declared
 * case type is labelled in every language before it ships.
 */
import type { CaseTypeDefinition } from '@passage/domain/cases/case-type';

/** Every key the screens look up for this case type. */
export function caseTypeLabelKeys(def: CaseTypeDefinition): string[] {
  const keys = new Set<string>([`cases.types.${def.id}`]);
  for (const s of def.states) keys.add(`cases.states.${s}`);
  for (const tr of def.transitions) keys.add(`cases.actions.${tr.action}`);
  for (const f of def.fields) {
    keys.add(`cases.fields.${f.name}`);
    keys.add(`cases.sections.${f.section}`);
    for (const o of f.options ?? []) keys.add(`cases.options.${f.name}.${o}`);
  }
  for (const r of def.closureReasons) keys.add(`cases.closureReasons.${r}`);
  for (const s of def.serviceTypes) keys.add(`cases.serviceTypes.${s}`);
  for (const task of def.defaultTasks) keys.add(`cases.tasks.${task.key}`);
  keys.add(`cases.teams.${def.team}`);
  return [...keys];
}

/** The keys of a flattened translation tree ("a.b.c"). */
export function flattenKeys(tree: Record<string, unknown>, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const kk of flattenKeys(v as Record<string, unknown>, key)) out.add(kk);
    else out.add(key);
  }
  return out;
}
