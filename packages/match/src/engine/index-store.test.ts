import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedupe } from './dedupe.ts';
import { MatchIndex } from './index-store.ts';
import { defaultParams } from './model.ts';
import { priorParams } from './prior-model.ts';
import { type MatchRecord } from './record.ts';
import { generateSynthetic } from './synthetic.ts';

describe('MatchIndex', () => {
  const data = generateSynthetic({ records: 3000, seed: 5 });

  it('finds, for each probe, the true duplicates that batch dedupe finds (same parameters)', async () => {
    const batch = await dedupe(data.records, { workers: 0 });
    const index = new MatchIndex({ params: batch.params });
    for (const r of data.records) index.add(r);
    assert.equal(index.size, data.records.length);
    // Pairs batch dedupe puts at ≥ 0.9 that are true duplicates, by record.
    const found = new Map<number, Set<number>>();
    for (let k = 0; k < batch.pairs.i.length; k++) {
      const i = batch.pairs.i[k]!;
      const j = batch.pairs.j[k]!;
      if (batch.pairs.weight[k]! < Math.log2(0.9 / 0.1) || data.entity[i] !== data.entity[j]) continue;
      (found.get(i) ?? found.set(i, new Set()).get(i)!).add(j);
      (found.get(j) ?? found.set(j, new Set()).get(j)!).add(i);
    }
    const probes = [...found.keys()].slice(0, 300);
    assert.ok(probes.length >= 100, `${probes.length} probes`);
    let expected = 0;
    let missed = 0;
    for (const i of probes) {
      const res = index.query(data.records[i]!, { limit: 50, minProbability: 0.5 });
      assert.ok(!res.candidates.some((c) => c.id === data.records[i]!.id), 'the probe itself is not a candidate');
      const ids = new Set(res.candidates.map((c) => c.id));
      for (const j of found.get(i)!) {
        expected++;
        if (!ids.has(data.records[j]!.id)) missed++;
      }
      // Best first, with the batch's explanation.
      for (let k = 1; k < res.candidates.length; k++) assert.ok(res.candidates[k - 1]!.probability >= res.candidates[k]!.probability);
      const top = res.candidates[0]!;
      const e = top.explanation;
      const sum = e.prior + e.fields.reduce((a, f) => a + f.weight + f.tfAdjustment, 0) + e.fullNameTfAdjustment;
      assert.ok(Math.abs(sum - top.matchWeight) < 1e-9);
      assert.ok(top.rules.length > 0);
    }
    assert.equal(missed, 0, `${missed} of ${expected} batch duplicates missed`);
  });

  it('scores a pair as the batch does', async () => {
    const sample = data.records.slice(0, 800);
    const batch = await dedupe(sample, { workers: 0 });
    const index = new MatchIndex({ params: batch.params });
    for (const r of sample) index.add(r);
    let compared = 0;
    for (let k = 0; k < Math.min(50, batch.pairs.i.length); k++) {
      const i = batch.pairs.i[k]!;
      const j = batch.pairs.j[k]!;
      const hit = index.query(sample[i]!, { limit: 1000, minProbability: 0 }).candidates.find((c) => c.id === sample[j]!.id);
      assert.ok(hit, 'batch pair found');
      assert.deepEqual(
        hit.explanation.fields.map((f) => f.level),
        batch.explain(i, j).fields.map((f) => f.level),
      );
      // The same m/u weights; term frequencies differ a little: the batch counts records identical in every field
      // once, the index counts every indexed record.
      const e = batch.explain(i, j);
      assert.deepEqual(
        hit.explanation.fields.map((f) => f.weight),
        e.fields.map((f) => f.weight),
      );
      assert.equal(hit.explanation.context, e.context);
      assert.ok(Math.abs(hit.matchWeight - e.matchWeight) < 0.5, `${hit.matchWeight} vs ${e.matchWeight}`);
      compared++;
    }
    assert.ok(compared > 0);
  });

  it('does not take two common names in another order, born 22 years apart, for the same person', () => {
    // Found by the registration browser test: "Ali Al-Hassan" (2012) scored 61 % against "Hassan Said el-Ali"
    // (1990) when the swap was counted twice (the swapped level and the family level) and ignored how common the
    // names are.
    const index = new MatchIndex({ params: priorParams() });
    for (const r of data.records) index.add(r);
    index.add({ id: 'h1', givenName: 'Hassan', middleName: 'Said', familyName: 'el-Ali', nameOriginal: 'حسن سعيد العلي', sex: 'M', dateOfBirth: '1990-05-20', nationality: 'SYR' });
    const probe = { id: 'p', givenName: 'Ali', familyName: 'Al-Hassan', sex: 'M', dateOfBirth: '2012-09-10', nationality: 'SYR' };
    const hit = index.query(probe, { minProbability: 0, limit: 5000 }).candidates.find((c) => c.id === 'h1');
    assert.ok(hit, 'compared');
    assert.equal(hit.explanation.fields[0]!.label, 'names in another order');
    assert.equal(hit.explanation.fields[2]!.label, 'missing', 'the swap is not counted again as a family-name agreement');
    assert.ok(hit.probability < 0.1, `probability ${hit.probability}`);
    // The same names in another order with the same date of birth are still a strong candidate.
    const same = index.query({ ...probe, dateOfBirth: '1990-05-20', middleName: 'Said' }, { minProbability: 0, limit: 5000 }).candidates.find((c) => c.id === 'h1');
    assert.ok(same && same.probability > 0.9, `same date ${same?.probability}`);
  });

  it('keeps add, remove and update consistent', () => {
    const params = defaultParams();
    const index = new MatchIndex({ params });
    const a: MatchRecord = { id: 'a', givenName: 'Mohammed', familyName: 'Al-Hashimi', dateOfBirth: '1990-05-06', nationality: 'SYR', sex: 'M' };
    const b: MatchRecord = { id: 'b', givenName: 'Muhammad', familyName: 'Hashimi', dateOfBirth: '1990-05-06', nationality: 'SYR', sex: 'M' };
    const c: MatchRecord = { id: 'c', givenName: 'Olena', familyName: 'Shevchenko', dateOfBirth: '1985-02-03', nationality: 'UKR', sex: 'F' };
    index.add(a);
    index.add(b);
    index.add(c);
    assert.equal(index.size, 3);
    assert.throws(() => index.add(a), /already indexed/);
    const probe = { ...a, id: 'probe' };
    assert.deepEqual(
      index.query(probe, { minProbability: 0.5 }).candidates.map((x) => x.id),
      ['a', 'b'],
    );
    assert.equal(index.remove('a'), true);
    assert.equal(index.remove('a'), false);
    assert.equal(index.size, 2);
    assert.deepEqual(
      index.query(probe, { minProbability: 0.5 }).candidates.map((x) => x.id),
      ['b'],
    );
    // b becomes someone else: no longer found; c becomes the probe's twin: found.
    index.update({ ...b, givenName: 'Oksana', familyName: 'Koval', dateOfBirth: '1970-01-09' });
    index.update({ ...c, givenName: 'Mohamed', familyName: 'Hashimi', dateOfBirth: '1990-05-06', nationality: 'SYR', sex: 'M' });
    assert.equal(index.size, 2);
    assert.deepEqual(
      index.query(probe, { minProbability: 0.5 }).candidates.map((x) => x.id),
      ['c'],
    );
    // Querying a stored record leaves it out of its own candidates, and a query adds nothing.
    index.add(a);
    assert.deepEqual(
      index.query(a).candidates.map((x) => x.id),
      ['c'],
    );
    assert.equal(index.size, 3);
    // Removing everything and adding again gives the same answers.
    for (const id of ['a', 'b', 'c']) index.remove(id);
    assert.equal(index.size, 0);
    assert.deepEqual(index.query(probe).candidates, []);
    index.add(a);
    assert.deepEqual(
      index.query(probe).candidates.map((x) => x.id),
      ['a'],
    );
  });

  it('gives the same result whatever the history (removals, re-adds) and on repeated queries', () => {
    const records = data.records.slice(0, 1500);
    const params = defaultParams();
    const x = new MatchIndex({ params, termFrequencies: 'none' });
    for (const r of records) x.add(r);
    const y = new MatchIndex({ params, termFrequencies: 'none' });
    for (const r of records) y.add(r);
    for (const r of records.slice(0, 500)) y.remove(r.id);
    for (const r of records.slice(0, 500)) y.add(r);
    for (const r of records.slice(0, 200)) y.update(r);
    const strip = (res: ReturnType<MatchIndex['query']>) => res.candidates.map((c) => [c.id, c.probability.toFixed(12)]);
    for (const probe of records.slice(0, 200)) {
      const a = x.query(probe, { limit: 10, minProbability: 0.3 });
      assert.deepEqual(strip(x.query(probe, { limit: 10, minProbability: 0.3 })), strip(a), 'repeatable');
      assert.deepEqual(strip(y.query(probe, { limit: 10, minProbability: 0.3 })), strip(a), 'independent of history');
    }
  });

  it('does not throw on bad input', () => {
    const index = new MatchIndex({ params: defaultParams() });
    const bad: MatchRecord[] = [
      { id: 'empty', givenName: '', familyName: '', middleName: '' },
      { id: 'nulls', givenName: null, familyName: null, dateOfBirth: null, documentNumber: null },
      { id: 'long', givenName: 'a'.repeat(10_000), familyName: 'Khan '.repeat(2000), dateOfBirth: '9'.repeat(10_000) },
      { id: 'emoji', givenName: '😀🎉', familyName: '👨‍👩‍👧 Ali', dateOfBirth: '1990-02-30' },
      { id: 'rtl', givenName: '\u200fمحمد\u200e', familyName: '\u202bالهاشمي\u202c', nameOriginal: '\u200f' },
      { id: 'odd', givenName: '\u0000\uffff\ud800', familyName: '   ', dateOfBirth: 'yesterday', phone: '+++', documentNumber: '--' },
    ];
    for (const r of bad) index.add(r);
    for (const r of bad) {
      const res = index.query({ ...r, id: `probe-${r.id}` }, { minProbability: 0 });
      assert.ok(Array.isArray(res.candidates));
    }
    const res = index.query({ id: 'p', givenName: 'Mohammed', familyName: 'Hashimi' }, { minProbability: 0 });
    assert.ok(res.candidates.some((c) => c.id === 'rtl'));
    for (const r of bad) assert.equal(index.remove(r.id), true);
    assert.equal(index.size, 0);
  });

  it('caps a block larger than maxBlockScan, reports it, and stays deterministic', () => {
    const index = new MatchIndex({ params: defaultParams(), maxBlockScan: 100, cappedSample: 20 });
    for (let k = 0; k < 1000; k++) index.add({ id: `k${String(k).padStart(4, '0')}`, givenName: 'Mohammed', familyName: 'Khan', dateOfBirth: `19${50 + (k % 50)}-0${1 + (k % 9)}-1${k % 10}` });
    const probe = { id: 'p', givenName: 'Mohammed', familyName: 'Khan', dateOfBirth: '1975-03-12' };
    const res = index.query(probe, { limit: 1000, minProbability: 0 });
    assert.ok(res.capped.length > 0);
    const namePair = res.capped.find((c) => c.rule === 'name-pair')!;
    assert.deepEqual(namePair, { rule: 'name-pair', size: 1000, scanned: 20 });
    assert.ok(res.compared < 1000);
    // The nearest birth dates were taken: the record born on the probe's date is a candidate.
    assert.ok(res.candidates.some((c) => c.id === 'k0025' || c.explanation.fields.find((f) => f.field === 'dob')!.label === 'exact'));
    assert.deepEqual(index.query(probe, { limit: 1000, minProbability: 0 }), res);
    // A small block is scanned whole and nothing is reported.
    const small = new MatchIndex({ params: defaultParams() });
    for (let k = 0; k < 50; k++) small.add({ id: `s${k}`, givenName: 'Mohammed', familyName: 'Khan' });
    assert.deepEqual(small.query(probe).capped, []);
  });
});
