import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIELD_COUNT, FIELD_NAMES, LEVEL_COUNTS } from './compare.ts';
import { CONTEXTS, Scorer, contextOf, defaultParams, flooredTfAdjustment, paramsFromJSON, paramsToJSON, probabilityOf, termFrequencies, weightOf } from './model.ts';
import { buildBlocking, forEachPair } from './blocking.ts';
import { PatternCounts, expectationMaximisation, trainParams } from './train.ts';
import { prepareRecords } from './prepare.ts';
import { seededRandom } from './strings.ts';
import { generateSynthetic } from './synthetic.ts';

describe('expectation–maximisation', () => {
  it('recovers m and λ from unlabelled comparison vectors drawn from a known model', () => {
    const rand = seededRandom(3);
    const trueM = [0.9, 0.08, 0.02];
    const u = [0.05, 0.15, 0.8];
    const draw = (p: number[]) => {
      let r = rand();
      for (let l = 0; l < p.length; l++) if ((r -= p[l]!) < 0) return l + 1;
      return p.length;
    };
    const patterns = new PatternCounts();
    const levels = new Uint8Array(FIELD_COUNT);
    // Four informative fields on levels 1..3 (three of the fields' levels), λ = 0.2.
    const used = [0, 2, 3, 7];
    for (let k = 0; k < 20_000; k++) {
      const match = rand() < 0.2;
      levels.fill(0);
      for (const f of used) levels[f] = draw(match ? trueM : u);
      patterns.add(levels);
    }
    const uFull = LEVEL_COUNTS.map((n) => Array.from({ length: n }, (_, l) => (l === 0 ? 1 : l <= 3 ? u[l - 1]! : 1e-9)));
    const em = expectationMaximisation(patterns, uFull, FIELD_NAMES.map((_, f) => used.includes(f)), { lambdaInit: 0.5 });
    assert.ok(em.converged);
    assert.ok(Math.abs(em.lambda - 0.2) < 0.02, `λ ${em.lambda}`);
    for (const f of used) assert.ok(Math.abs(em.m[f]![1]! - 0.9) < 0.03, `m ${em.m[f]![1]}`);
  });
});

describe('training and scoring', () => {
  const data = generateSynthetic({ records: 3000, seed: 11 });
  const table = prepareRecords(data.records);
  const { params, report } = trainParams(table, { seed: 1, uPairs: 200_000 });

  it('estimates sensible parameters without labels', () => {
    const given = params.fields[0]!;
    assert.ok(given.m[1]! > 0.5, 'matches mostly agree exactly on the given name');
    assert.ok(given.u[1]! < 0.05, 'random pairs rarely do');
    const dob = params.fields[3]!;
    assert.ok(dob.m[1]! > dob.u[1]! * 100);
    assert.ok(params.lambda > 1e-6 && params.lambda < 1e-2, `λ ${params.lambda}`);
    assert.ok(report.sessions.filter((s) => s.used).length >= 3);
  });

  it('is deterministic for the same input and seed', () => {
    const again = trainParams(prepareRecords(data.records), { seed: 1, uPairs: 200_000 }).params;
    assert.equal(paramsToJSON(again), paramsToJSON(params));
  });

  it('explains a score: prior + field weights + term-frequency adjustments = match weight', () => {
    const scorer = new Scorer(table, params, termFrequencies(table));
    const e = scorer.explain(0, 1);
    const sum = e.prior + e.fields.reduce((a, f) => a + f.weight + f.tfAdjustment, 0) + e.fullNameTfAdjustment;
    assert.ok(Math.abs(sum - e.matchWeight) < 1e-9);
    assert.ok(Math.abs(e.probability - probabilityOf(e.matchWeight)) < 1e-12);
    assert.equal(e.fields.length, FIELD_NAMES.length);
    for (const f of e.fields) if (f.level === 0) assert.equal(f.weight, 0, 'a missing field weighs nothing');
  });

  it('scores every candidate pair that can reach a threshold exactly as score does, and only those (scoreAbove)', () => {
    const blocking = buildBlocking(table);
    const withTf = new Scorer(table, params, termFrequencies(table));
    const withoutTf = new Scorer(table, params, null);
    let pairs = 0;
    let skipped = 0;
    for (const scorer of [withTf, withoutTf]) {
      for (const minWeight of [-10, 0, weightOf(0.5), weightOf(0.9), 12]) {
        blocking.rules.forEach((rule, r) =>
          forEachPair(blocking, r, 0, rule.blockStart.length - 1, (i, j) => {
            pairs++;
            const exact = scorer.score(i, j);
            const above = scorer.scoreAbove(i, j, minWeight);
            if (exact >= minWeight) assert.equal(above, exact, `pair ${i}/${j} at ${minWeight}`);
            else assert.ok(above < minWeight, `pair ${i}/${j} at ${minWeight}`);
            if (above === -Infinity) skipped++;
          }),
        );
      }
    }
    // The bound must also be worth having: many pairs are decided without their names.
    assert.ok(skipped > pairs / 10, `${skipped} of ${pairs} pairs decided early`);
  });

  it('scores a pair the same whatever was scored before it (the comparison memo does not leak order)', () => {
    const blocking = buildBlocking(table);
    const pairs: [number, number][] = [];
    blocking.rules.forEach((rule, r) => forEachPair(blocking, r, 0, rule.blockStart.length - 1, (i, j) => void pairs.push([i, j])));
    const forward = new Scorer(table, params, termFrequencies(table));
    const backward = new Scorer(table, params, termFrequencies(table));
    const first = pairs.map(([i, j]) => forward.score(i, j));
    for (let k = pairs.length - 1; k >= 0; k--) assert.equal(backward.score(pairs[k]![0], pairs[k]![1]), first[k], `pair ${pairs[k]!.join('/')}`);
  });

  it('earns more for agreeing on a rare name than on a common one', () => {
    const records = [
      ...Array.from({ length: 200 }, (_, k) => ({ id: `c${k}`, givenName: 'Mohammed', familyName: `Fam${String.fromCharCode(97 + (k % 26))}${String.fromCharCode(97 + Math.floor(k / 26))}` })),
      { id: 'r1', givenName: 'Zerihun', familyName: 'Tadesse' },
      { id: 'r2', givenName: 'Zerihun', familyName: 'Tadesse' },
    ];
    const t = prepareRecords(records);
    const scorer = new Scorer(t, defaultParams(), termFrequencies(t));
    const common = scorer.explain(0, 1).fields[0]!;
    const rare = scorer.explain(200, 201).fields[0]!;
    assert.equal(common.level, 1);
    assert.equal(rare.level, 1);
    assert.ok(rare.weight + rare.tfAdjustment > common.weight + common.tfAdjustment + 5);
  });

  it('weighs pairs with the same family and father’s name against siblings: a shared birth date counts for less', () => {
    assert.ok(params.fields.every((f) => f.uSiblings && f.uSiblings.length === f.u.length), 'training estimates u among siblings');
    const person = { sex: 'F', dateOfBirth: '1990-04-12', nationality: 'ERI', familyName: 'Gebremariam' };
    const records = [
      { id: 'a', givenName: 'Selam', middleName: 'Tesfay', ...person },
      { id: 'b', givenName: 'Saba', middleName: 'Tesfay', ...person },
      { id: 'c', givenName: 'Selam', ...person },
      { id: 'd', givenName: 'Saba', ...person },
    ];
    const t = prepareRecords(records);
    const scorer = new Scorer(t, params, null);
    const twins = scorer.explain(0, 1);
    assert.equal(twins.context, CONTEXTS[3]);
    assert.equal(contextOf(scorer.levels), 3);
    const relatives = scorer.explain(2, 3);
    assert.equal(relatives.context, 'same family name');
    const dob = (e: typeof twins) => e.fields.find((f) => f.field === 'dob')!;
    assert.equal(dob(twins).label, 'exact');
    assert.ok(dob(twins).weight < dob(relatives).weight, `siblings ${dob(twins).weight} vs relatives ${dob(relatives).weight}`);
  });

  it('applies no family-name frequency to names in another order (the family level then compares whole names)', () => {
    const records = [
      { id: 'a', givenName: 'Tesfay', familyName: 'Solomon' },
      { id: 'b', givenName: 'Solomon', familyName: 'Tesfay' },
    ];
    const t = prepareRecords(records);
    const e = new Scorer(t, params, termFrequencies(t)).explain(0, 1);
    assert.equal(e.fields[0]!.label, 'names in another order');
    assert.equal(e.fields[2]!.tfAdjustment, 0);
    assert.equal(e.fullNameTfAdjustment, 0);
  });

  it('counts name frequencies over the other records: a pair’s own records do not make its name common', () => {
    const others = Array.from({ length: 300 }, (_, k) => ({ id: `o${k}`, givenName: 'Mohammed', familyName: `Fam${String.fromCharCode(97 + (k % 26))}${String.fromCharCode(97 + Math.floor(k / 26))}` }));
    const t = prepareRecords([...others, { id: 'a', givenName: 'Zerihun', familyName: 'Tadesse' }, { id: 'b', givenName: 'Zerihun', familyName: 'Tadesse' }]);
    const withPair = new Scorer(t, params, termFrequencies(t)).explain(300, 301);
    const withoutPair = new Scorer(t, params, termFrequencies(t, 0, 300)).explain(300, 301);
    assert.ok(withPair.fields[0]!.tfAdjustment > 0, 'a rare given name earns a bonus');
    assert.ok(Math.abs(withPair.fields[0]!.tfAdjustment - withoutPair.fields[0]!.tfAdjustment) < 0.05);
    assert.ok(Math.abs(withPair.fields[2]!.tfAdjustment - withoutPair.fields[2]!.tfAdjustment) < 0.05);
  });

  it('serialises parameters to JSON and back, and refuses anything else', () => {
    const back = paramsFromJSON(paramsToJSON(params));
    assert.deepEqual(back, JSON.parse(paramsToJSON(params)));
    assert.throws(() => paramsFromJSON('{"kind":"other"}'), /not Passage matching parameters/);
    const broken = JSON.parse(paramsToJSON(params)) as { fields: { m: number[] }[] };
    broken.fields[0]!.m = [1, 2];
    assert.throws(() => paramsFromJSON(JSON.stringify(broken)), /given\.m must be/);
  });

  it('converts between probability and weight', () => {
    for (const p of [0.01, 0.5, 0.9, 0.999]) assert.ok(Math.abs(probabilityOf(weightOf(p)) - p) < 1e-9);
    assert.equal(probabilityOf(100), 1);
    assert.equal(probabilityOf(-100), 0);
  });
});

describe('term-frequency floor', () => {
  it('never lets exact agreement on a name argue against a match', () => {
    // A common name among relatives: exact weight +1.2, raw adjustment −5.9 → floored at −1.2 (total 0).
    assert.equal(flooredTfAdjustment(1.2, -5.9), -1.2);
    // A rare name's positive adjustment is kept; a mild negative one that leaves the total positive is kept.
    assert.equal(flooredTfAdjustment(3, 2.5), 2.5);
    assert.equal(flooredTfAdjustment(6, -2), -2);
    // Whatever the inputs, the total stays ≥ 0 when the exact weight is.
    for (const w of [0, 0.5, 4, 12]) for (const a of [-20, -3, 0, 3]) assert.ok(w + flooredTfAdjustment(w, a) >= 0);
  });
});
