import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duplicateId, packPart, packRecords, packStrings, prepareInWorkers, preparePacked, preparePart, unpackPart, unpackStrings, type TablePart } from './prepare-parallel.ts';
import { prepareRecords, TableBuilder } from './prepare.ts';
import { type MatchRecord } from './record.ts';
import { generateSynthetic } from './synthetic.ts';

/** Parts absorbed in order into one builder, with their ids. */
function mergeParts(parts: readonly TablePart[], ids: readonly string[]) {
  const builder = new TableBuilder();
  let at = 0;
  for (const part of parts) {
    builder.absorb(part, ids.slice(at, at + part.table.n));
    at += part.table.n;
  }
  return builder.build();
}

describe('preparing in parts', () => {
  const data = generateSynthetic({ records: 3000, seed: 5 });
  const records: MatchRecord[] = [
    ...data.records,
    // Values that must cross a thread boundary unchanged: a NUL inside a name, an empty string and a missing value
    // (not the same to the engine's "name written in one field" rules), a number where a string belongs.
    { id: 'nul', givenName: 'Ali\0Hassan', familyName: '' },
    { id: 'empty', givenName: '', middleName: null, familyName: 'Kovalenko', nameOriginal: 'Олександр Коваленко' },
    { id: 'odd', givenName: 'Maria', dateOfBirth: 19900101 as unknown as string, phone: undefined },
  ];
  const ids = records.map((r) => r.id);

  it('merges parts prepared apart into exactly the table prepared in one go', () => {
    const whole = prepareRecords(records);
    for (const cuts of [[0, records.length], [0, 1000, records.length], [0, 1, 1500, 1501, records.length]]) {
      const parts = cuts.slice(1).map((to, k) => preparePart(records.slice(cuts[k], to)));
      assert.deepStrictEqual(mergeParts(parts, ids), whole, `cuts ${cuts.join(',')}`);
    }
  });

  it('packs records and parts for a worker without changing them', () => {
    const direct = preparePart(records.slice(2990));
    const packed = preparePacked(structuredClone(packRecords(records, 2990, records.length)));
    const { message } = packPart(direct);
    const back = unpackPart(structuredClone(message));
    assert.deepStrictEqual({ ...packed.table, ids: [] }, { ...direct.table, ids: [] });
    assert.deepStrictEqual(back.table, { ...direct.table, ids: [] });
    assert.deepStrictEqual([back.keys, back.values, back.valueParts, back.nats], [direct.keys, direct.values, direct.valueParts, direct.nats]);
    for (const a of [[], [''], ['a', ''], ['x\0y', 'z']]) assert.deepStrictEqual(unpackStrings(structuredClone(packStrings(a))), a);
  });

  it('finds the first repeated id, as preparing one record at a time would', () => {
    assert.equal(duplicateId([]), null);
    assert.equal(duplicateId(ids), null);
    assert.equal(duplicateId(['a', 'b', 'c', 'b', 'a']), 'b');
    assert.equal(duplicateId(['a', 'b', 'c', 'd', 'a', 'b']), 'a');
    const many = Array.from({ length: 100_000 }, (_, k) => `R${k}`);
    assert.equal(duplicateId(many), null);
    many.push('R77777', 'R5');
    assert.equal(duplicateId(many), 'R77777');
  });

  it('prepares in worker threads the same table as in this thread, and refuses a repeated id', async () => {
    const inWorkers = await prepareInWorkers(records, { workers: 2, minChunk: 1000 });
    assert.deepStrictEqual(inWorkers, prepareRecords(records));
    const repeated = [...records, { ...records[10]! }];
    await assert.rejects(prepareInWorkers(repeated, { workers: 2, minChunk: 1000 }), /duplicate record id "R00000011"/);
    const aborted = new AbortController();
    aborted.abort(new Error('stopped'));
    await assert.rejects(prepareInWorkers(records, { workers: 2, minChunk: 1000, signal: aborted.signal }), /stopped/);
  });
});
