/**
 * The case engine's vocabulary: a case type is declared as data — its fields (which become a zod schema on
 * the server and a form in the browser), its state machine (states, transitions, who may take each, what
 * must be recorded before entering a state), its default tasks and its sensitivity. Adding a case type means
 * writing one declaration (see `migrant-assistance.ts`), its labels and its demo data: nothing here changes.
 */
import { z } from 'zod';
import { CountryCodeSchema, DateString, tidySpaces } from '../registry/model.ts';
import { evaluateRule, ruleFields, type Rule, type RuleContext } from './rules.ts';

/** How a field is entered. `events` is a dated list of places (recruitment, transit, exploitation …). */
export type FieldKind = 'text' | 'textarea' | 'select' | 'multiselect' | 'date' | 'number' | 'boolean' | 'country' | 'events';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  /** Codes of a select or multiselect (labels come from the translations: `cases.options.<field>.<code>`). */
  options?: readonly string[];
  /** Maximum length of a text, or maximum of a number. */
  max?: number;
  min?: number;
  /** Shown (and kept) only when the rule holds. */
  visibleWhen?: Rule;
  /** The form section it belongs to. */
  section: string;
}

/** Who may take a transition: the case's workers (owner, team, named specialists) or a supervisor. */
export type TransitionActor = 'worker' | 'supervisor';

/** What must be recorded before a transition may be taken. */
export interface TransitionRequirements {
  /** Detail fields that must have a value (and be visible). */
  fields?: readonly string[];
  /** At least one assessment. */
  assessment?: boolean;
  /** A case plan (with at least one goal) that is not yet approved. */
  plan?: boolean;
  /** The transition request carries a closure reason. */
  closureReason?: boolean;
}

export interface TransitionSpec {
  action: string;
  from: readonly string[];
  to: string;
  by: TransitionActor;
  requires?: TransitionRequirements;
  /** Marks the approval of a submitted plan (the plan becomes approved). */
  approvesPlan?: boolean;
  /** Marks the return of a submitted plan (the plan goes back to draft). */
  returnsPlan?: boolean;
}

export interface DefaultTaskSpec {
  key: string;
  /** Due this many days after the task is created. */
  dueInDays: number;
  /** Created when the case enters this state (the initial state: when it is opened). */
  onEnter: string;
  /** Created only when the rule holds (read against the details and the person). */
  when?: Rule;
}

export interface CaseTypeDefinition {
  id: string;
  /** The team of an office that works these cases. */
  team: string;
  /**
   * `standard`: the team, supervisors of the office. `restricted`: only the assigned workers, their supervisor,
   * named specialists and the team; details are encrypted at rest and every view is audited.
   */
  sensitivity: 'standard' | 'restricted';
  /** Who the case is about. */
  subject: 'person';
  fields: readonly FieldSpec[];
  states: readonly string[];
  initial: string;
  /** Terminal states: a case here is closed (closed_at set). */
  closed: readonly string[];
  transitions: readonly TransitionSpec[];
  defaultTasks: readonly DefaultTaskSpec[];
  closureReasons: readonly string[];
  /** Kinds of services delivered and planned. */
  serviceTypes: readonly string[];
}

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const EVENT_KINDS = ['recruitment', 'transit', 'exploitation'] as const;

/** One dated place in an `events` field. */
export const PlaceEventSchema = z
  .object({
    kind: z.enum(EVENT_KINDS),
    country: CountryCodeSchema,
    place: z.string().max(200).transform(tidySpaces).nullable().optional(),
    from: DateString.nullable().optional(),
    to: DateString.nullable().optional(),
  })
  .strict()
  .refine((e) => !e.from || !e.to || e.from <= e.to, { message: 'ends before it starts', path: ['to'] });
export type PlaceEvent = z.infer<typeof PlaceEventSchema>;

/** A text is stored as typed (tidied); HTML in it is text, never markup. */
const text = (max: number) => z.string().max(max, `at most ${max} characters`).transform((s) => s.trim());

function fieldSchema(f: FieldSpec): z.ZodType {
  switch (f.kind) {
    case 'text':
      return text(f.max ?? 200);
    case 'textarea':
      return text(f.max ?? 10_000);
    case 'select':
      return z.enum(f.options as [string, ...string[]]);
    case 'multiselect':
      return z.array(z.enum(f.options as [string, ...string[]])).max(f.options!.length).refine((a) => new Set(a).size === a.length, 'each choice once');
    case 'date':
      return DateString;
    case 'number':
      return z.number().int().min(f.min ?? 0).max(f.max ?? 1_000_000);
    case 'boolean':
      return z.boolean();
    case 'country':
      return CountryCodeSchema;
    case 'events':
      return z.array(PlaceEventSchema).max(50);
  }
}

/** The zod schema of a case type's details: every field optional (null clears it), unknown fields refused. */
export function detailsSchema(def: CaseTypeDefinition): z.ZodType<Record<string, unknown>> {
  return z.object(Object.fromEntries(def.fields.map((f) => [f.name, fieldSchema(f).nullable().optional()]))).strict() as unknown as z.ZodType<Record<string, unknown>>;
}

/** Facts about the person a case is about that rules may read (`person.age`, `person.sex`, `person.needs`). */
export interface PersonFacts {
  age: number | null;
  sex: string;
  needs: readonly string[];
}

const ruleContext = (values: Readonly<Record<string, unknown>>, person: PersonFacts | null): RuleContext => ({ values, person: person ? { age: person.age, sex: person.sex, needs: person.needs } : undefined });

/** Names of the fields shown for these values. */
export function visibleFields(def: CaseTypeDefinition, values: Readonly<Record<string, unknown>>, person: PersonFacts | null): Set<string> {
  const ctx = ruleContext(values, person);
  return new Set(def.fields.filter((f) => !f.visibleWhen || evaluateRule(f.visibleWhen, ctx)).map((f) => f.name));
}

/**
 * The values with hidden fields (and nulls) dropped, and the names of the hidden fields that had a value. A
 * field hidden by another's answer is not kept: the user no longer sees it, so it must not linger.
 */
export function keepVisible(def: CaseTypeDefinition, values: Readonly<Record<string, unknown>>, person: PersonFacts | null): { values: Record<string, unknown>; cleared: string[] } {
  // Hiding one field may hide another that depends on it: repeat until nothing changes.
  let current: Record<string, unknown> = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
  const cleared: string[] = [];
  for (;;) {
    const visible = visibleFields(def, current, person);
    const hidden = Object.keys(current).filter((k) => !visible.has(k));
    if (hidden.length === 0) return { values: current, cleared: cleared.sort() };
    cleared.push(...hidden);
    current = Object.fromEntries(Object.entries(current).filter(([k]) => visible.has(k)));
  }
}

/** The transitions that may leave a state (whoever takes them). */
export function transitionsFrom(def: CaseTypeDefinition, state: string): TransitionSpec[] {
  return def.transitions.filter((t) => t.from.includes(state));
}

/** True when the case waits for a supervisor: every way out of its state is a supervisor's. */
export function awaitsSupervisor(def: CaseTypeDefinition, state: string): boolean {
  const out = transitionsFrom(def, state);
  return !def.closed.includes(state) && out.length > 0 && out.every((t) => t.by === 'supervisor');
}

/** What the engine knows about a case when checking a transition. */
export interface TransitionFacts {
  details: Readonly<Record<string, unknown>>;
  person: PersonFacts | null;
  assessments: number;
  plan: 'none' | 'draft' | 'submitted' | 'approved';
  planGoals: number;
  closureReason: string | null | undefined;
  openReferrals: number;
  pendingTransfer: boolean;
}

const present = (v: unknown): boolean => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

/**
 * What is missing before a transition may be taken, as field problems (empty when it may be taken). Closing
 * (entering a closed state, or asking for closure) always needs the referrals answered and no transfer pending.
 */
export function transitionProblems(def: CaseTypeDefinition, t: TransitionSpec, facts: TransitionFacts): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const req = t.requires ?? {};
  const visible = visibleFields(def, facts.details, facts.person);
  for (const f of req.fields ?? []) if (visible.has(f) && !present(facts.details[f])) problems.push({ field: `details.${f}`, message: 'required before this step' });
  if (req.assessment && facts.assessments === 0) problems.push({ field: 'assessment', message: 'record an assessment first' });
  if (req.plan && (facts.plan === 'none' || facts.plan === 'approved' || facts.planGoals === 0)) problems.push({ field: 'plan', message: 'write a case plan with at least one goal first' });
  if (req.closureReason) {
    if (!facts.closureReason) problems.push({ field: 'closureReason', message: 'required to close a case' });
    else if (!def.closureReasons.includes(facts.closureReason)) problems.push({ field: 'closureReason', message: `one of: ${def.closureReasons.join(', ')}` });
  }
  const closing = def.closed.includes(t.to) || req.closureReason === true;
  if (closing && facts.openReferrals > 0) problems.push({ field: 'referrals', message: `${facts.openReferrals} referral(s) still open: record their outcome (completed or declined) or withdraw them first` });
  if (closing && facts.pendingTransfer) problems.push({ field: 'transfer', message: 'a transfer to another office is pending' });
  return problems;
}

/** Checks a declaration; returns what is wrong (the engine's tests run it over every case type). */
export function definitionProblems(def: CaseTypeDefinition): string[] {
  const problems: string[] = [];
  const states = new Set(def.states);
  const fields = new Set(def.fields.map((f) => f.name));
  if (!states.has(def.initial)) problems.push(`initial state ${def.initial} is not a state`);
  for (const s of def.closed) if (!states.has(s)) problems.push(`closed state ${s} is not a state`);
  const actions = new Set<string>();
  for (const t of def.transitions) {
    if (actions.has(t.action)) problems.push(`action ${t.action} declared twice`);
    actions.add(t.action);
    if (!states.has(t.to)) problems.push(`${t.action}: target ${t.to} is not a state`);
    for (const s of t.from) if (!states.has(s)) problems.push(`${t.action}: source ${s} is not a state`);
    for (const f of t.requires?.fields ?? []) if (!fields.has(f)) problems.push(`${t.action}: requires unknown field ${f}`);
  }
  for (const f of def.fields) {
    if ((f.kind === 'select' || f.kind === 'multiselect') && !f.options?.length) problems.push(`field ${f.name} has no options`);
    for (const r of f.visibleWhen ? ruleFields(f.visibleWhen) : []) if (!r.startsWith('person.') && !fields.has(r)) problems.push(`field ${f.name}: rule reads unknown field ${r}`);
  }
  for (const task of def.defaultTasks) if (!states.has(task.onEnter)) problems.push(`task ${task.key}: state ${task.onEnter} unknown`);
  // Every state but the closed ones has a way out, and every state can be reached.
  for (const s of def.states) {
    if (!def.closed.includes(s) && transitionsFrom(def, s).length === 0) problems.push(`state ${s} is a dead end`);
    if (s !== def.initial && !def.transitions.some((t) => t.to === s)) problems.push(`state ${s} cannot be reached`);
  }
  return problems;
}

/** The default tasks to create when a case enters a state. */
export function tasksOnEnter(def: CaseTypeDefinition, state: string, details: Readonly<Record<string, unknown>>, person: PersonFacts | null): DefaultTaskSpec[] {
  const ctx = ruleContext(details, person);
  return def.defaultTasks.filter((t) => t.onEnter === state && (!t.when || evaluateRule(t.when, ctx)));
}
