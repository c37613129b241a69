import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDateOfBirth } from './record.ts';
import { generateSynthetic } from './synthetic.ts';

describe('synthetic registrations', () => {
  const data = generateSynthetic({ records: 5000, seed: 1 });

  it('is deterministic and gives exactly the records asked for, with unique ids', () => {
    assert.deepEqual(generateSynthetic({ records: 5000, seed: 1 }), data);
    assert.notDeepEqual(generateSynthetic({ records: 100, seed: 2 }).records, data.records.slice(0, 100));
    assert.equal(data.records.length, 5000);
    assert.equal(new Set(data.records.map((r) => r.id)).size, 5000);
    assert.equal(data.entity.length, 5000);
  });

  it('has duplicates, and the variation real registrations have', () => {
    const sizes = new Map<string, number>();
    for (const e of data.entity) sizes.set(e, (sizes.get(e) ?? 0) + 1);
    const duplicated = [...sizes.values()].filter((s) => s > 1).length;
    assert.ok(duplicated > 0.2 * sizes.size && duplicated < 0.5 * sizes.size);
    const dates = data.records.map((r) => parseDateOfBirth(r.dateOfBirth));
    assert.ok(dates.filter((d) => d?.yearOnly).length > 500, '01-01 placeholders');
    assert.ok(dates.filter((d) => d === null).length > 50, 'missing dates');
    assert.ok(data.records.some((r) => /[\u0600-\u06ff]/.test(r.nameOriginal ?? '')), 'Arabic script');
    assert.ok(data.records.some((r) => /[\u0400-\u04ff]/.test(r.nameOriginal ?? '')), 'Cyrillic');
    assert.ok(data.records.some((r) => /[\u1200-\u137f]/.test(r.nameOriginal ?? '')), "Ge'ez");
    assert.ok(data.records.some((r) => !r.givenName && r.nameOriginal), 'names only in the original script');
    assert.ok(data.records.some((r) => /[OISB]/.test((r.documentNumber ?? '').slice(1))), 'OCR errors in documents');
  });

  it('has hard non-matches: siblings with the same family and father names, and twins', () => {
    const byFamilyFather = new Map<string, Set<string>>();
    data.records.forEach((r, k) => {
      if (!r.familyName || !r.middleName) return;
      const key = `${r.familyName.toLowerCase()}|${r.middleName.toLowerCase()}`;
      (byFamilyFather.get(key) ?? byFamilyFather.set(key, new Set()).get(key)!).add(data.entity[k]!);
    });
    assert.ok([...byFamilyFather.values()].some((s) => s.size >= 3));
  });
});
