import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterPairs } from './cluster.ts';
import { weightOf } from './model.ts';
import { type ScoredPairs } from './score-pairs.ts';

function pairs(list: [number, number, number][]): ScoredPairs {
  return { i: Int32Array.from(list.map((p) => p[0])), j: Int32Array.from(list.map((p) => p[1])), weight: Float64Array.from(list.map((p) => weightOf(p[2]))), scored: list.length };
}
const ids = (n: number) => Array.from({ length: n }, (_, k) => `r${String(k).padStart(2, '0')}`);

describe('clustering', () => {
  it('joins pairs above the threshold into clusters with stable ids (the smallest record id)', () => {
    const r = clusterPairs(['c', 'b', 'a', 'd'], pairs([[0, 1, 0.99], [1, 2, 0.97]]), () => weightOf(0.95));
    assert.deepEqual(r.clusterIds, ['a', 'a', 'a', 'd']);
    assert.equal(r.clusters, 2);
    assert.equal(r.multiRecordClusters, 1);
  });

  it('does not let one weak link chain two strong groups (twins each registered three times)', () => {
    // Group A = 0,1,2 and group B = 3,4,5 are strongly linked inside; 2–3 is a single link above the threshold,
    // and every other pair across the groups says "different".
    const strong: [number, number, number][] = [
      [0, 1, 0.999], [0, 2, 0.999], [1, 2, 0.999],
      [3, 4, 0.999], [3, 5, 0.999], [4, 5, 0.999],
      [2, 3, 0.95],
    ];
    const across = (i: number, j: number) => weightOf(i === 2 && j === 3 ? 0.95 : 0.01);
    const r = clusterPairs(ids(6), pairs(strong), across);
    assert.deepEqual(r.clusterIds, ['r00', 'r00', 'r00', 'r03', 'r03', 'r03']);
    assert.equal(r.refusedJoins, 1);
    assert.ok(r.review.some((p) => p.reason === 'chaining guard' && p.i === 2 && p.j === 3));
    // Without the guard (minLinkage 0) it chains, as plain connected components would.
    assert.equal(new Set(clusterPairs(ids(6), pairs(strong), across, { minLinkage: 0 }).clusterIds).size, 1);
  });

  it('joins groups when the pairs across them agree', () => {
    const r = clusterPairs(ids(4), pairs([[0, 1, 0.99], [2, 3, 0.99], [1, 2, 0.95]]), () => weightOf(0.9));
    assert.equal(new Set(r.clusterIds).size, 1);
    assert.equal(r.checkedJoins, 1);
  });

  it('puts pairs between the thresholds in the review band', () => {
    const r = clusterPairs(ids(5), pairs([[0, 1, 0.97], [2, 3, 0.7], [3, 4, 0.3]]), () => weightOf(0.1), { sameThreshold: 0.9, reviewThreshold: 0.5 });
    assert.deepEqual(r.review.map((p) => [p.i, p.j, p.reason]), [[2, 3, 'review band']]);
    assert.equal(r.clusterIds[2], 'r02');
    assert.equal(r.clusterIds[3], 'r03');
  });

  it('follows reviewers: "same" joins, "different" keeps apart', () => {
    const r = clusterPairs(ids(4), pairs([[0, 1, 0.99], [1, 2, 0.99]]), () => weightOf(0.99), { mustLink: [[2, 3]], cannotLink: [[0, 2]] });
    assert.equal(r.clusterIds[0], r.clusterIds[1]);
    assert.notEqual(r.clusterIds[0], r.clusterIds[2]);
    assert.equal(r.clusterIds[2], r.clusterIds[3]);
  });

  it('is deterministic whatever the order of the pairs', () => {
    const list: [number, number, number][] = [[0, 1, 0.95], [1, 2, 0.95], [2, 3, 0.95], [4, 5, 0.99], [3, 4, 0.92]];
    const a = clusterPairs(ids(6), pairs(list), () => weightOf(0.4));
    const b = clusterPairs(ids(6), pairs([...list].reverse()), () => weightOf(0.4));
    assert.deepEqual(a.clusterIds, b.clusterIds);
  });
});
