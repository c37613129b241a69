import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { officeAncestors, officeSubtree } from './offices.ts';

describe('office tree', () => {
  const offices = [
    { id: 'hq', parentId: null },
    { id: 'nl', parentId: 'hq' },
    { id: 'port', parentId: 'nl' },
    { id: 'sl', parentId: 'hq' },
  ];
  it('walks up from an office, nearest first; an unknown office has none; a cycle ends', () => {
    assert.deepEqual(officeAncestors('port', offices), ['port', 'nl', 'hq']);
    assert.deepEqual(officeAncestors('nowhere', offices), []);
    assert.deepEqual(officeAncestors('a', [{ id: 'a', parentId: 'b' }, { id: 'b', parentId: 'a' }]), ['a', 'b']);
  });
  it('walks down to the subtree', () => {
    assert.deepEqual([...officeSubtree('nl', offices)].sort(), ['nl', 'port']);
  });
});
