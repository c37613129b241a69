import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIELD_NAMES } from './compare.ts';
import { refineWithLabels, type ReviewLabel } from './learn.ts';
import { learningCurve } from './learning-curve.ts';
import { Scorer, defaultParams, probabilityOf, termFrequencies } from './model.ts';
import { prepareRecords } from './prepare.ts';
import { generateSynthetic } from './synthetic.ts';

describe('learning from reviewers', () => {
  it('moves m toward the levels of pairs decided "same", and suggests a threshold between the decisions', () => {
    const records = [
      { id: 'a', givenName: 'Ahmed', familyName: 'Khalil', dateOfBirth: '1990-05-17' },
      { id: 'b', givenName: 'Ahmed', familyName: 'Khalil', dateOfBirth: '1990-01-01' },
      { id: 'c', givenName: 'Olena', familyName: 'Shevchenko', dateOfBirth: '1980-03-03' },
      { id: 'd', givenName: 'Bohdan', familyName: 'Tkachuk', dateOfBirth: '1950-03-03' },
    ];
    const t = prepareRecords(records);
    const params = defaultParams();
    const labels: ReviewLabel[] = [
      ...Array.from({ length: 10 }, () => ({ i: 0, j: 1, decision: 'same' as const })),
      ...Array.from({ length: 10 }, () => ({ i: 2, j: 3, decision: 'different' as const })),
      { i: 0, j: 2, decision: 'unsure' },
    ];
    const r = refineWithLabels(t, params, termFrequencies(t), labels);
    assert.equal(r.same, 10);
    assert.equal(r.different, 10);
    const dob = FIELD_NAMES.indexOf('dob');
    // The "same" pairs all had a year-only date agreement (level 5): its m grows.
    assert.ok(r.params.fields[dob]!.m[5]! > params.fields[dob]!.m[5]!);
    assert.ok(r.suggestedThreshold !== null && r.suggestedThreshold >= 0.5 && r.suggestedThreshold <= 0.99);
    const scorer = new Scorer(t, r.params, termFrequencies(t));
    assert.ok(probabilityOf(scorer.score(0, 1)) >= probabilityOf(new Scorer(t, params, termFrequencies(t)).score(0, 1)));
  });

  it('gives no threshold with too few decisions', () => {
    const t = prepareRecords([{ id: 'a', givenName: 'A' }, { id: 'b', givenName: 'A' }]);
    assert.equal(refineWithLabels(t, defaultParams(), null, [{ i: 0, j: 1, decision: 'same' }]).suggestedThreshold, null);
  });

  it('reports quality with 0, 100 and 1,000 labels', async () => {
    const data = generateSynthetic({ records: 3000, seed: 3 });
    const curve = await learningCurve(data.records, data.entity, { labelCounts: [0, 100, 1000], dedupe: { workers: 0, train: { uPairs: 100_000 } } });
    assert.deepEqual(curve.map((p) => p.labels), [0, 100, 1000]);
    for (const p of curve) assert.ok(p.quality.precision > 0.8 && p.quality.recall > 0.8, JSON.stringify(p));
  });
});
