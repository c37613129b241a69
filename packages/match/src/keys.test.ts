import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namePair, nameKeys, searchText } from './keys.ts';

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

describe('namePair', () => {
  it('is the canonical first token of the given name and of the family name', () => {
    assert.equal(namePair('Mohammed Ali', 'Al-Hasan'), 'muhammad hasan');
    assert.equal(namePair('Maria José', 'García López'), 'maria garcia');
    assert.equal(namePair('Олександр', 'Коваленко'), 'oleksandr kovalenko');
  });

  it('gives a query in another script or spelling the same key as the record', () => {
    assert.equal(namePair('محمد', 'الحسن'), namePair('Mohamad', 'Alhasan'));
    assert.equal(namePair('Mohamed', 'Hassan'), namePair('Muhammad', 'Hasan'));
  });

  it('keeps the space when there is no family name, and is null without a given name', () => {
    assert.equal(namePair('Fatima', null), 'fatima ');
    assert.equal(namePair('Fatima', '...'), 'fatima ');
    assert.equal(namePair('...', 'Hasan'), null);
    assert.equal(namePair(null, 'Hasan'), null);
  });
});
