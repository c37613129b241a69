import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CASE_TYPES } from '@passage/domain/cases/types';
import { visibleFields } from '@passage/domain/cases/case-type';
import { changedFields, detailChanges, isEmpty, personFactsOf, rebaseDetails, sectionsOf } from './details-form.ts';

const ma = CASE_TYPES.migrant_assistance;
const ct = CASE_TYPES.counter_trafficking;

describe('details form', () => {
  it('sends only what changed, clearing emptied fields with null', () => {
    const base = { circumstance: 'stranded', screeningNote: 'old', needsSectors: ['food'] };
    const draft = { circumstance: 'other', circumstanceOther: 'Boat <b>engine</b> failed', screeningNote: '  ', needsSectors: ['food'] };
    assert.deepEqual(detailChanges(ma, base, draft), { circumstance: 'other', circumstanceOther: 'Boat <b>engine</b> failed', screeningNote: null });
  });

  it('treats blank event parts as empty', () => {
    const base = { events: [{ kind: 'transit', country: 'LBY', place: null, from: null, to: null }] };
    const draft = { events: [{ kind: 'transit', country: 'LBY', place: '', from: '', to: '' }] };
    assert.deepEqual(changedFields(ct, base, draft), []);
    assert.deepEqual(detailChanges(ct, {}, draft), { events: [{ kind: 'transit', country: 'LBY', place: null, from: null, to: null }] });
  });

  it('keeps my changes on top of a newer version', () => {
    const startedFrom = { circumstance: 'stranded', screeningNote: 'a' };
    const mine = { circumstance: 'stranded', screeningNote: 'mine' };
    const latest = { circumstance: 'detained', placeOfDetention: 'Centre 4', screeningNote: 'theirs' };
    assert.deepEqual(rebaseDetails(ma, startedFrom, mine, latest), { circumstance: 'detained', placeOfDetention: 'Centre 4', screeningNote: 'mine' });
  });

  it('evaluates visibility with the domain rules: "other" appears with other, best interests for a child', () => {
    const adult = personFactsOf({ age: 30, sex: 'male', specificNeeds: null });
    assert.ok(!visibleFields(ma, { circumstance: 'stranded' }, adult).has('circumstanceOther'));
    assert.ok(visibleFields(ma, { circumstance: 'other' }, adult).has('circumstanceOther'));
    assert.ok(!visibleFields(ma, {}, adult).has('biaOutcome'));
    assert.ok(visibleFields(ma, {}, personFactsOf({ age: 15, sex: 'female', specificNeeds: [] })).has('biaOutcome'));
  });

  it('groups fields by section in declaration order', () => {
    assert.deepEqual(
      sectionsOf(ma).map((s) => s.section),
      ['situation', 'screening', 'needs', 'best_interests'],
    );
    assert.ok(isEmpty([]) && isEmpty(' ') && !isEmpty(0) && !isEmpty(false));
  });
});
