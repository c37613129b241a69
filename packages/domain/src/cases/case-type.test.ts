import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awaitsSupervisor, definitionProblems, detailsSchema, keepVisible, tasksOnEnter, transitionProblems, transitionsFrom, visibleFields, type TransitionFacts } from './case-type.ts';
import { evaluateRule } from './rules.ts';
import { CASE_TYPES } from './types.ts';
import { migrantAssistance } from './migrant-assistance.ts';
import { counterTrafficking } from './counter-trafficking.ts';

const facts = (over: Partial<TransitionFacts> = {}): TransitionFacts => ({ details: {}, person: { age: 30, sex: 'female', needs: [] }, assessments: 0, plan: 'none', planGoals: 0, closureReason: null, openReferrals: 0, pendingTransfer: false, ...over });
const action = (id: string) => migrantAssistance.transitions.find((t) => t.action === id)!;

describe('case type declarations', () => {
  for (const def of Object.values(CASE_TYPES)) {
    it(`${def.id} is a consistent declaration`, () => assert.deepEqual(definitionProblems(def), []));
  }
  it('finds a broken declaration', () => {
    const broken = { ...migrantAssistance, transitions: [...migrantAssistance.transitions, { action: 'x', from: ['nowhere'], to: 'limbo', by: 'worker' as const }] };
    assert.deepEqual(definitionProblems(broken), ['x: target limbo is not a state', 'x: source nowhere is not a state']);
  });
});

describe('visibility rules', () => {
  it('shows "other" only when other is chosen, in the browser and on the server alike', () => {
    assert.equal(visibleFields(migrantAssistance, { circumstance: 'stranded' }, null).has('circumstanceOther'), false);
    assert.equal(visibleFields(migrantAssistance, { circumstance: 'other' }, null).has('circumstanceOther'), true);
  });
  it('drops the values of fields that are hidden, repeatedly (a hidden field hides its dependants)', () => {
    const r = keepVisible(counterTrafficking, { exploitationTypes: ['forced_begging'], forcedLabourIndustry: ['construction'], identifiedBy: 'ngo', identifiedByOther: 'x', exploitationMonths: null }, null);
    assert.deepEqual(r.cleared, ['forcedLabourIndustry', 'identifiedByOther']);
    assert.deepEqual(r.values, { exploitationTypes: ['forced_begging'], identifiedBy: 'ngo' });
  });
  it('best-interests fields appear for a child, by age or by circumstance; unknown age is not a child', () => {
    assert.equal(visibleFields(migrantAssistance, {}, { age: 15, sex: 'male', needs: [] }).has('biaOutcome'), true);
    assert.equal(visibleFields(migrantAssistance, {}, { age: 30, sex: 'male', needs: [] }).has('biaOutcome'), false);
    assert.equal(visibleFields(migrantAssistance, {}, { age: null, sex: 'male', needs: [] }).has('biaOutcome'), false);
    assert.equal(visibleFields(migrantAssistance, { circumstance: 'unaccompanied_child' }, { age: null, sex: 'male', needs: [] }).has('biaOutcome'), true);
  });
  it('evaluates all / any / not', () => {
    const ctx = { values: { a: 'x', b: ['p'] } };
    assert.equal(evaluateRule({ all: [{ field: 'a', eq: 'x' }, { field: 'b', includes: 'p' }] }, ctx), true);
    assert.equal(evaluateRule({ not: { any: [{ field: 'a', in: ['y'] }, { field: 'c', present: true }] } }, ctx), true);
    assert.equal(evaluateRule({ field: 'n', gte: 3 }, ctx), false);
  });
});

describe('details schema', () => {
  it('accepts known fields and refuses unknown ones, bad codes and bad dates, naming the field', () => {
    const schema = detailsSchema(counterTrafficking);
    assert.equal(schema.safeParse({ traffickingStatus: 'actual', identificationDate: '2026-02-01', events: [{ kind: 'recruitment', country: 'NGA', from: '2025-01-01', to: '2025-02-01' }] }).success, true);
    const bad = schema.safeParse({ traffickingStatus: 'maybe', identificationDate: '2026-02-30', surprise: 1, events: [{ kind: 'transit', country: 'XXX' }] });
    assert.equal(bad.success, false);
    const paths = bad.error!.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, ['', 'events.0.country', 'identificationDate', 'traffickingStatus']);
  });
  it('keeps HTML as text', () => {
    const r = detailsSchema(migrantAssistance).parse({ circumstance: 'other', circumstanceOther: '<script>alert(1)</script>' });
    assert.equal(r.circumstanceOther, '<script>alert(1)</script>');
  });
});

describe('state machine', () => {
  it('lists the ways out of a state and knows when a supervisor is awaited', () => {
    assert.deepEqual(transitionsFrom(migrantAssistance, 'intake').map((t) => t.action), ['start_assessment', 'request_closure']);
    assert.equal(awaitsSupervisor(migrantAssistance, 'plan_review'), true);
    assert.equal(awaitsSupervisor(migrantAssistance, 'closure_review'), true);
    assert.equal(awaitsSupervisor(migrantAssistance, 'in_progress'), false);
    assert.equal(awaitsSupervisor(migrantAssistance, 'closed'), false);
  });
  it('names what is missing before a step', () => {
    assert.deepEqual(transitionProblems(migrantAssistance, action('start_assessment'), facts()), [{ field: 'details.circumstance', message: 'required before this step' }]);
    assert.deepEqual(transitionProblems(migrantAssistance, action('complete_assessment'), facts({ details: { needsSectors: ['food'] } })).map((p) => p.field), ['assessment']);
    // For a child, the best-interests outcome is required too (it is visible); for an adult it is not.
    assert.deepEqual(transitionProblems(migrantAssistance, action('complete_assessment'), facts({ assessments: 1, details: { needsSectors: ['food'] }, person: { age: 12, sex: 'male', needs: [] } })).map((p) => p.field), ['details.biaOutcome']);
    assert.deepEqual(transitionProblems(migrantAssistance, action('submit_plan'), facts({ plan: 'draft', planGoals: 0 })).map((p) => p.field), ['plan']);
    assert.deepEqual(transitionProblems(migrantAssistance, action('submit_plan'), facts({ plan: 'draft', planGoals: 2 })), []);
  });
  it('refuses closing with open referrals or a pending transfer, and asks for a known reason', () => {
    const p = transitionProblems(migrantAssistance, action('request_closure'), facts({ closureReason: 'because', openReferrals: 2, pendingTransfer: true }));
    assert.deepEqual(p.map((x) => x.field), ['closureReason', 'referrals', 'transfer']);
    assert.match(p[1]!.message, /2 referral\(s\) still open/);
    assert.deepEqual(transitionProblems(migrantAssistance, action('approve_closure'), facts({ openReferrals: 1 })).map((x) => x.field), ['referrals']);
    assert.deepEqual(transitionProblems(migrantAssistance, action('request_closure'), facts({ closureReason: 'needs_met' })), []);
  });
  it('creates default tasks on entering a state, conditionally', () => {
    assert.deepEqual(tasksOnEnter(migrantAssistance, 'intake', {}, null).map((t) => t.key), ['vulnerability_screening', 'initial_assessment']);
    assert.deepEqual(tasksOnEnter(migrantAssistance, 'assessment', {}, { age: 40, sex: 'female', needs: [] }), []);
    assert.deepEqual(tasksOnEnter(migrantAssistance, 'assessment', {}, { age: 9, sex: 'female', needs: [] }).map((t) => t.key), ['best_interests_assessment']);
  });
});
