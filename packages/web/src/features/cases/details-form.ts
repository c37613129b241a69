/**
 * The details form's state, kept apart from React so it can be tested: what changed, what to send, and how
 * to put the user's own changes back on top of a newer version of the case.
 */
import type { CaseTypeDefinition, PersonFacts } from '@passage/domain/cases/case-type';

export type Details = Record<string, unknown>;

/** Nothing entered: null, undefined, blank text, an empty list. */
export function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

/** A value as it is sent: blanks of an event become null, an empty value becomes null. */
export function normalise(v: unknown): unknown {
  if (isEmpty(v)) return null;
  if (Array.isArray(v))
    return v.map((x: unknown) =>
      x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, val]) => [k, isEmpty(val) ? null : val])) : x,
    );
  return v;
}

const same = (a: unknown, b: unknown) => JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));

/** The names of the declared fields whose values differ. */
export function changedFields(def: CaseTypeDefinition, a: Details, b: Details): string[] {
  return def.fields.map((f) => f.name).filter((name) => !same(a[name], b[name]));
}

/** What to send: each changed field with its new value (null clears it). */
export function detailChanges(def: CaseTypeDefinition, base: Details, draft: Details): Details {
  return Object.fromEntries(changedFields(def, base, draft).map((name) => [name, normalise(draft[name])]));
}

/** The latest details with the user's own changes (against the version they started from) on top. */
export function rebaseDetails(def: CaseTypeDefinition, startedFrom: Details, mine: Details, latest: Details): Details {
  const out: Details = { ...latest };
  for (const name of changedFields(def, startedFrom, mine)) out[name] = mine[name];
  return out;
}

/** What the visibility rules may read about the person a case is about. */
export function personFactsOf(person: { age: number | null; sex: string; specificNeeds: readonly string[] | null }): PersonFacts {
  return { age: person.age, sex: person.sex, needs: person.specificNeeds ?? [] };
}

/** The fields of a type grouped by section, in declaration order. */
export function sectionsOf(def: CaseTypeDefinition): { section: string; fields: CaseTypeDefinition['fields'][number][] }[] {
  const out: { section: string; fields: CaseTypeDefinition['fields'][number][] }[] = [];
  for (const f of def.fields) {
    let group = out.find((g) => g.section === f.section);
    if (!group) {
      group = { section: f.section, fields: [] };
      out.push(group);
    }
    group.fields.push(f);
  }
  return out;
}
