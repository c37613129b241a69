/**
 * Form visibility rules as data ("show 'other reason' when reason = other"), evaluated by the same code in the
 * browser (to show or hide a field) and on the server (to clear values of fields that are hidden, so a value
 * the user cannot see is never kept). Rules are plain JSON, so case types declare them as data.
 *
 * A rule reads the form's own values by field name, and context values (the person the case is about) by
 * `person.<name>`: `person.age`, `person.sex`, `person.needs`.
 */

/** One condition on a value. */
export type Condition =
  | { field: string; eq: string | number | boolean }
  | { field: string; in: readonly (string | number)[] }
  /** The value (a list) contains this item. */
  | { field: string; includes: string }
  /** The value is present: not null, not '', not an empty list. */
  | { field: string; present: true }
  | { field: string; lt: number }
  | { field: string; gte: number };

/** A rule: a condition, or all / any / not of rules. */
export type Rule = Condition | { all: readonly Rule[] } | { any: readonly Rule[] } | { not: Rule };

/** What a rule can read: the form's values and, under `person`, facts about the person. */
export interface RuleContext {
  values: Readonly<Record<string, unknown>>;
  person?: Readonly<Record<string, unknown>> | undefined;
}

function read(field: string, ctx: RuleContext): unknown {
  if (field.startsWith('person.')) return ctx.person?.[field.slice('person.'.length)];
  return ctx.values[field];
}

const isPresent = (v: unknown): boolean => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

/** True when the rule holds. A missing value satisfies no comparison (so "age < 18" is false when age is unknown). */
export function evaluateRule(rule: Rule, ctx: RuleContext): boolean {
  if ('all' in rule) return rule.all.every((r) => evaluateRule(r, ctx));
  if ('any' in rule) return rule.any.some((r) => evaluateRule(r, ctx));
  if ('not' in rule) return !evaluateRule(rule.not, ctx);
  const v = read(rule.field, ctx);
  if ('eq' in rule) return v === rule.eq;
  if ('in' in rule) return (typeof v === 'string' || typeof v === 'number') && rule.in.includes(v);
  if ('includes' in rule) return Array.isArray(v) && v.includes(rule.includes);
  if ('present' in rule) return isPresent(v);
  if ('lt' in rule) return typeof v === 'number' && v < rule.lt;
  return typeof v === 'number' && v >= rule.gte;
}

/** Field names a rule reads (for checking declarations: a rule must only name fields that exist). */
export function ruleFields(rule: Rule): string[] {
  if ('all' in rule) return rule.all.flatMap(ruleFields);
  if ('any' in rule) return rule.any.flatMap(ruleFields);
  if ('not' in rule) return ruleFields(rule.not);
  return [rule.field];
}

export { isPresent };
