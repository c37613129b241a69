import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedupe, sampleIndices } from './dedupe.ts';
import { clusterQuality } from './evaluate.ts';
import { febrlAvailable, readFebrl } from './febrl.ts';
import { paramsToJSON } from './model.ts';
import { generateSynthetic } from './synthetic.ts';

describe('dedupe', () => {
  const data = generateSynthetic({ records: 6000, seed: 21 });

  it('finds the duplicates of synthetic registrations', async () => {
    const r = await dedupe(data.records, { workers: 0 });
    const q = clusterQuality(r.clusters.clusterOf, data.entity);
    assert.ok(q.precision > 0.93 && q.recall > 0.88, JSON.stringify(q));
    assert.equal(r.clusters.clusterIds.length, data.records.length);
    assert.ok(r.stats.pairsScored > 0);
    for (const k of Object.keys(r.stats.timings)) assert.ok(r.stats.timings[k as keyof typeof r.stats.timings] >= 0);
    // Every kept pair has an explanation whose weights add up.
    const e = r.explain(r.pairs.i[0]!, r.pairs.j[0]!);
    assert.ok(Math.abs(e.matchWeight - r.pairs.weight[0]!) < 1e-9);
  });

  it('gives the same result when preparing, blocking and estimating u on worker threads', async () => {
    const [a, b] = [await dedupe(data.records, { workers: 0 }), await dedupe(data.records, { workers: 2, parallelFrom: 1000 })];
    assert.equal(paramsToJSON(b.params), paramsToJSON(a.params));
    assert.deepStrictEqual(b.table, a.table);
    assert.deepEqual(b.clusters.clusterIds, a.clusters.clusterIds);
    assert.deepEqual([...b.pairs.weight], [...a.pairs.weight]);
    await assert.rejects(dedupe([...data.records, { ...data.records[5]! }], { workers: 2, parallelFrom: 1000 }), /duplicate record id/);
  });

  it('gives the same result with two worker threads as in one thread (deterministic)', async () => {
    const progress: string[] = [];
    const [a, b] = [await dedupe(data.records, { workers: 0 }), await dedupe(data.records, { workers: 2, onProgress: (p) => progress.push(p.stage) })];
    assert.equal(b.stats.workers, 2);
    assert.deepEqual(b.clusters.clusterIds, a.clusters.clusterIds);
    assert.deepEqual([...b.pairs.i], [...a.pairs.i]);
    assert.deepEqual([...b.pairs.weight], [...a.pairs.weight]);
    assert.equal(paramsToJSON(b.params), paramsToJSON(a.params));
    assert.deepEqual([...new Set(progress)], ['prepare', 'train', 'block', 'score', 'cluster']);
  });

  it('reuses stored parameters', async () => {
    const first = await dedupe(data.records.slice(0, 3000), { workers: 0 });
    const again = await dedupe(data.records.slice(0, 3000), { workers: 0, params: first.params });
    assert.equal(again.training, null);
    assert.deepEqual(again.clusters.clusterIds, first.clusters.clusterIds);
  });

  it('stops when aborted: before it starts, and between scoring tasks on worker threads', async () => {
    await assert.rejects(dedupe(data.records, { signal: AbortSignal.abort() }), { name: 'AbortError' });
    const c = new AbortController();
    let scoredTasks = 0;
    await assert.rejects(
      dedupe(data.records, {
        workers: 2,
        signal: c.signal,
        onProgress: (p) => {
          if (p.stage === 'score' && p.done > 0) {
            scoredTasks = p.done;
            c.abort();
          }
        },
      }),
      { name: 'AbortError' },
    );
    assert.ok(scoredTasks >= 1);
  });

  it('handles empty input and a single record', async () => {
    assert.equal((await dedupe([], { workers: 0 })).clusters.clusters, 0);
    assert.deepEqual((await dedupe([{ id: 'only', givenName: 'A' }], { workers: 0 })).clusters.clusterIds, ['only']);
  });

  it('matches records identical in every field once: 200,000 copies of one record are one cluster', async () => {
    const t0 = performance.now();
    const copies = Array.from({ length: 200_000 }, (_, k) => ({ id: `c${k}`, givenName: 'Mohammed', familyName: 'Khan', dateOfBirth: '1990-05-05', documentNumber: 'N123456' }));
    const r = await dedupe([...copies, { id: 'other', givenName: 'Olena', familyName: 'Shevchenko', dateOfBirth: '1980-01-02' }]);
    assert.equal(r.stats.exactDuplicates, 199_999);
    assert.equal(r.clusters.clusters, 2);
    assert.equal(r.clusters.clusterIds[0], 'c0');
    assert.equal(r.clusters.clusterIds[199_999], 'c0');
    assert.equal(r.clusters.clusterIds[200_000], 'other');
    assert.ok(performance.now() - t0 < 30_000);
  });

  it('keeps a file of one bare name repeated 100,000 times bounded: capped blocks, reported', async () => {
    const copies = Array.from({ length: 100_000 }, (_, k) => ({ id: `n${k}`, givenName: 'Mohammed', familyName: 'Khan' }));
    const r = await dedupe(copies, { workers: 0 });
    assert.equal(r.stats.exactDuplicates, 0, 'too little information to call them one person');
    assert.ok(r.stats.pairsScored <= 100_000 * 12 * 2, `${r.stats.pairsScored} pairs`);
    assert.ok(r.blocking.some((b) => b.cappedBlocks === 1 && b.largestCapped[0] === 100_000));
  });

  it('FEBRL dataset 3 (5,000 records, 6,538 true pairs)', { skip: !febrlAvailable() && 'FEBRL files not present' }, async () => {
    const febrl = readFebrl('dataset3.csv');
    const r = await dedupe(febrl.records, { workers: 0 });
    const q = clusterQuality(r.clusters.clusterOf, febrl.entity);
    assert.equal(q.truePairs, 6538);
    assert.ok(q.precision > 0.99 && q.recall > 0.93, JSON.stringify(q));
  });
});

describe('training sample', () => {
  it('is a seeded, sorted sample of distinct indices (the whole range when small)', () => {
    const a = sampleIndices(1_000, 100, 7);
    assert.equal(a.length, 100);
    assert.equal(new Set(a).size, 100);
    for (let k = 1; k < a.length; k++) assert.ok(a[k - 1]! < a[k]!);
    assert.ok(a[0]! >= 0 && a[99]! < 1_000);
    assert.deepEqual([...sampleIndices(1_000, 100, 7)], [...a], 'deterministic');
    assert.notDeepEqual([...sampleIndices(1_000, 100, 8)], [...a]);
    assert.deepEqual([...sampleIndices(5, 10, 1)], [0, 1, 2, 3, 4]);
  });
});
