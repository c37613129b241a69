import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameKeys, searchText } from './keys.ts';

describe('nameKeys', () => {
  it('gives canonical tokens and skeletons, deduplicated and sorted', () => {
    assert.deepEqual(nameKeys('Mohammed Abdul Rahman', 'Al-Hashimi'), ['abdlrhmn', 'abdulrahman', 'hashimi', 'hshm', 'mhmd', 'muhammad']);
    const keys = nameKeys('Mohamed', 'Mohammed', 'محمد');
    assert.deepEqual(keys, ['mhmd', 'muhammad']);
    assert.deepEqual([...keys].sort(), keys);
  });

  it('keys a spelling outside its class under its own skeleton too', () => {
    assert.deepEqual(nameKeys('Olexandr'), ['alksndr', 'alxndr', 'oleksandr']);
  });

  it('lets a query in another script find the record', () => {
    const record = new Set(nameKeys('Mohammed Yusuf', 'Abdulrahman'));
    for (const q of ['محمد', 'Мухаммед', 'يوسف', 'Youssef', 'عبد الرحمن', 'Abd al-Rahman']) {
      assert.ok(nameKeys(q).some((k) => record.has(k)), q);
    }
  });

  it('skips missing names and names without letters', () => {
    assert.deepEqual(nameKeys(), []);
    assert.deepEqual(nameKeys(null, undefined, '', '...'), []);
    assert.deepEqual(nameKeys(null, 'Ali'), ['al', 'ali']);
  });
});

describe('searchText', () => {
  it('joins canonical tokens of all names, deduplicated, in order', () => {
    assert.equal(searchText('Mohammed Abdul Rahman', 'Mohamed', 'Al-Hashimi'), 'muhammad abdulrahman hashimi');
    assert.equal(searchText('José María García López'), 'jose maria garcia lopez');
    assert.equal(searchText('عبد الرحمن بن علي'), 'abdulrahman ali');
    assert.equal(searchText(null, undefined), '');
  });
});
