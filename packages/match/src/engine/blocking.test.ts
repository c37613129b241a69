import { buildBlockingInWorker } from './parallel.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockTasks, blockingGenerates, blockingRecall, buildBlocking, forEachPair } from './blocking.ts';
import { TableBuilder, prepareRecords } from './prepare.ts';
import { generateSynthetic } from './synthetic.ts';

function allPairs(b: ReturnType<typeof buildBlocking>): Set<string> {
  const seen = new Set<string>();
  for (const task of blockTasks(b, 1000)) {
    forEachPair(b, task.rule, task.from, task.to, (i, j) => {
      assert.ok(i < j);
      const key = `${i}-${j}`;
      assert.ok(!seen.has(key), `pair ${key} generated twice`);
      seen.add(key);
    });
  }
  return seen;
}

describe('blocking', () => {
  const data = generateSynthetic({ records: 4000, seed: 5 });
  const table = prepareRecords(data.records);

  it('generates each candidate pair once across the rules, and exactly the pairs some rule generates', () => {
    const b = buildBlocking(table);
    const pairs = allPairs(b);
    assert.ok(pairs.size > 1000);
    for (const key of [...pairs].slice(0, 2000)) {
      const [i, j] = key.split('-').map(Number) as [number, number];
      assert.ok(blockingGenerates(b, i, j));
    }
    const raw = b.report.reduce((a, r) => a + r.pairs, 0);
    assert.ok(pairs.size <= raw);
  });

  it('keeps most true pairs (blocking recall) and reports candidate counts per rule', () => {
    const b = buildBlocking(table);
    const recall = blockingRecall(b, data.entity);
    assert.ok(recall.truePairs > 500);
    assert.ok(recall.recall > 0.95, `recall ${recall.recall}`);
    assert.deepEqual(
      b.report.map((r) => r.name),
      ['family-year', 'given-dob', 'document', 'phone', 'dob', 'name-pair', 'given-father', 'given-year', 'given-day', 'father-family', 'rare-tokens'],
    );
    for (const r of b.report) assert.ok(r.keyed >= 0 && r.pairs >= 0 && r.blocks >= 0);
  });

  it('takes the rules to use as options, and refuses an unknown one', () => {
    const b = buildBlocking(table, { rules: ['document'] });
    assert.equal(b.report.length, 1);
    assert.ok(blockingRecall(b, data.entity).recall < 0.6);
    assert.throws(() => buildBlocking(table, { rules: ['no-such-rule' as 'document'] }), /unknown blocking rule/);
    const custom = buildBlocking(table, { rules: [{ name: 'nationality', key: (t, i) => (t.nat[i]! >= 0 ? t.nat[i]! : null) }], maxBlockSize: 50, window: 3 });
    assert.equal(custom.report[0]!.name, 'nationality');
    assert.ok(custom.report[0]!.cappedBlocks > 0);
  });

  it("caps oversized blocks: 300,000 copies of one record give a bounded number of pairs, and say so", () => {
    const builder = new TableBuilder();
    const n = 300_000;
    for (let k = 0; k < n; k++) builder.add({ id: String(k), givenName: 'Mohammed', familyName: 'Khan', dateOfBirth: '1990-01-01', documentNumber: 'N123456', phone: '0944123456' });
    const t0 = performance.now();
    const b = buildBlocking(builder.build(), { window: 5 });
    const raw = b.report.reduce((a, r) => a + r.pairs, 0);
    assert.ok(raw <= n * 5 * b.report.length, `${raw} pairs`);
    const capped = b.report.filter((r) => r.cappedBlocks > 0);
    assert.ok(capped.length >= 5);
    for (const r of capped) assert.deepEqual(r.largestCapped, [n]);
    assert.ok(performance.now() - t0 < 30_000);
    // The union generates each of them once: the first rule's window covers all the others.
    let visited = 0;
    for (const task of blockTasks(b)) visited += forEachPair(b, task.rule, task.from, task.to, () => undefined);
    assert.ok(visited <= n * 5, `${visited} visited`);
  });

  it('in link mode, only pairs across the two lists', () => {
    const b = buildBlocking(table, { leftCount: 2000 });
    for (const key of allPairs(b)) {
      const [i, j] = key.split('-').map(Number) as [number, number];
      assert.ok(i < 2000 && j >= 2000);
    }
  });
});

describe('blocking in a worker thread', () => {
  it('gives exactly what buildBlocking gives here', async () => {
    const data = generateSynthetic({ records: 2000, seed: 3 });
    const table = prepareRecords(data.records);
    const here = buildBlocking(table, { maxBlockSize: 20 });
    const there = await buildBlockingInWorker(table, { maxBlockSize: 20 });
    assert.deepEqual(there.report, here.report);
    assert.deepEqual([...there.blockOf], [...here.blockOf]);
    assert.deepEqual([...there.rank], [...here.rank]);
    there.rules.forEach((r, k) => {
      assert.deepEqual([...r.order], [...here.rules[k]!.order]);
      assert.deepEqual([...r.blockStart], [...here.rules[k]!.blockStart]);
      assert.deepEqual([...r.capped], [...here.rules[k]!.capped]);
    });
  });
});
