import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoDay } from '@passage/domain';
import { namePair, nameKeys, searchText } from '@passage/match';
import { demoHouseholds } from '../../seed/people.ts';
import { orderedUuids } from './import.job.ts';
import { searchColumns } from './registry.repository.ts';

describe('searchColumns', () => {
  it('gives exactly what searchText, nameKeys and namePair of @passage/match give, from one normalisation per name', () => {
    const people = [
      { givenName: 'Mohammed', familyName: 'Al-Hassan', fullNameOriginal: 'محمد الحسن', aliases: ['Abu Ali'] },
      { givenName: 'Олександр', middleName: 'Іванович', familyName: 'Коваленко' },
      { givenName: 'ሰላም', familyName: 'ተስፋይ' },
      { givenName: 'José María', familyName: 'García-López', aliases: ['Pepe', 'JOSÉ'] },
      { givenName: '.-,!?', familyName: null },
      ...[...demoHouseholds({ seed: 7, households: 200, officeIds: ['00000000-0000-0000-0000-000000000001'], today: isoDay(new Date()) })].flatMap((h) => h.members),
    ];
    // Twice: the second time the names come from the memo.
    for (let round = 0; round < 2; round++) {
      for (const p of people) {
        const names = [p.givenName, p.middleName, p.familyName, p.fullNameOriginal, ...(p.aliases ?? [])];
        assert.deepEqual(searchColumns(p), { search_text: searchText(...names), name_keys: nameKeys(...names), name_pair: namePair(p.givenName, p.familyName) }, JSON.stringify(p));
      }
    }
  });
});

describe('orderedUuids', () => {
  it('makes version 7 UUIDs, distinct, in time order', async () => {
    const next = orderedUuids();
    const first = Array.from({ length: 5000 }, next);
    await new Promise((r) => setTimeout(r, 5));
    const later = next();
    assert.equal(new Set(first).size, first.length);
    for (const id of [...first, later]) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(first.every((id) => id.slice(0, 13) <= later.slice(0, 13)), 'the time prefix only grows');
    assert.ok(Math.abs(parseInt(later.replace(/-/g, '').slice(0, 12), 16) - Date.now()) < 5000, 'the prefix is the time in milliseconds');
  });
});
