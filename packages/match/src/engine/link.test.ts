import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkQuality } from './evaluate.ts';
import { febrlAvailable, readFebrl } from './febrl.ts';
import { linkLists } from './link.ts';
import { defaultParams } from './model.ts';

describe('linkLists', () => {
  it('links two lists one to one', async () => {
    const left = [
      { id: 'L1', givenName: 'Mohammed', familyName: 'Al-Hassan', dateOfBirth: '1990-05-17' },
      { id: 'L2', givenName: 'Olena', familyName: 'Shevchenko', dateOfBirth: '1985-02-02' },
      { id: 'L3', givenName: 'Tesfay', middleName: 'Habte', dateOfBirth: '1970-01-01' },
    ];
    const right = [
      { id: 'R1', givenName: 'Muhammad', familyName: 'Alhassan', dateOfBirth: '1990-05-17' },
      { id: 'R2', givenName: 'Mohamed', familyName: 'al-Hasan', dateOfBirth: '1990-05-17' },
      { id: 'R3', givenName: 'Олена', familyName: 'Шевченко', dateOfBirth: '1985-02-02' },
    ];
    const r = await linkLists(left, right, { threshold: 0.5, workers: 0, params: defaultParams() });
    const byLeft = new Map(r.links.map((l) => [l.leftId, l.rightId]));
    assert.equal(byLeft.get('L2'), 'R3');
    assert.ok(['R1', 'R2'].includes(byLeft.get('L1')!));
    assert.equal(new Set(r.links.map((l) => l.rightId)).size, r.links.length, 'one to one');
    assert.equal(byLeft.has('L3'), false);
  });

  it('refuses duplicate ids within a list', async () => {
    await assert.rejects(linkLists([{ id: 'x' }, { id: 'x' }], []), /duplicate record id "x" in the left list/);
  });

  it('FEBRL dataset 4 (5,000 + 5,000 records, 5,000 true links)', { skip: !febrlAvailable() && 'FEBRL files not present' }, async () => {
    const a = readFebrl('dataset4a.csv');
    const b = readFebrl('dataset4b.csv');
    const r = await linkLists(a.records, b.records, { workers: 0 });
    const q = linkQuality(r.links.map((l) => ({ i: l.left, j: a.records.length + l.right })), [...a.entity, ...b.entity], a.records.length);
    assert.equal(q.truePairs, 5000);
    assert.ok(q.precision > 0.99 && q.recall > 0.95, JSON.stringify(q));
  });
});
