import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Comparer, FIELD_LEVELS, FIELD_NAMES, F_DOB, F_DOC, F_FAMILY, F_GIVEN, F_MIDDLE, F_NAT, F_PHONE, F_SEX } from './compare.ts';
import { prepareRecords } from './prepare.ts';
import { type MatchRecord } from './record.ts';
import { recordNames } from './table.ts';

/** The levels (as labels) of two records. */
function levels(a: Omit<MatchRecord, 'id'>, b: Omit<MatchRecord, 'id'>): Record<string, string> {
  const t = prepareRecords([
    { id: 'a', ...a },
    { id: 'b', ...b },
  ]);
  const out = new Uint8Array(FIELD_NAMES.length);
  new Comparer(t).compare(0, 1, out);
  return Object.fromEntries(FIELD_NAMES.map((f, k) => [f, FIELD_LEVELS[f][out[k]!]!]));
}

describe('name comparison', () => {
  it('agrees exactly across transliterations and scripts (variant classes)', () => {
    assert.equal(levels({ givenName: 'Mohammed', familyName: 'Al-Hassan' }, { givenName: 'Muhammad', familyName: 'Alhassan' }).given, 'exact');
    assert.equal(levels({ givenName: 'Mohammed', familyName: 'Al-Hassan' }, { givenName: 'Muhammad', familyName: 'Alhassan' }).family, 'exact');
    const arabic = levels({ givenName: 'Mohammed', familyName: 'Al-Hassan' }, { nameOriginal: 'محمد الحسن' });
    assert.equal(arabic.given, 'exact');
    assert.equal(arabic.family, 'exact');
    assert.equal(levels({ givenName: 'Oleksandr' }, { givenName: 'Олександр' }).given, 'exact');
    assert.equal(levels({ givenName: 'Abd al-Rahman' }, { givenName: 'Abdelrahman' }).given, 'exact');
  });
  it('has levels for typing errors and phonetic agreement', () => {
    assert.equal(levels({ givenName: 'Mitchell' }, { givenName: 'Mitchel' }).given, 'jaro-winkler > 0.92');
    assert.equal(levels({ givenName: 'Hasan' }, { givenName: 'Husayn' }).given, 'phonetic');
    assert.equal(levels({ givenName: 'Olena' }, { givenName: 'Bohdan' }).given, 'different');
  });
  it('aligns tokens regardless of order, and treats a missing second name as contained', () => {
    assert.equal(levels({ givenName: 'Maria', familyName: 'Garcia Lopez' }, { givenName: 'Maria', familyName: 'Lopez Garcia' }).family, 'exact');
    assert.equal(levels({ givenName: 'Maria Jose', familyName: 'Garcia Lopez' }, { givenName: 'Maria', familyName: 'Garcia' }).given, 'contained');
    assert.equal(levels({ givenName: 'Maria Jose', familyName: 'Garcia Lopez' }, { givenName: 'Maria', familyName: 'Garcia' }).family, 'contained');
  });
  it('ignores a missing middle name (weight 0), and compares it when both have one', () => {
    assert.equal(levels({ givenName: 'Ali', middleName: 'Hassan', familyName: 'Khan' }, { givenName: 'Ali', familyName: 'Khan' }).middle, 'missing');
    assert.equal(levels({ givenName: 'Ali', middleName: 'Hassan', familyName: 'Khan' }, { givenName: 'Ali', middleName: 'Hasan', familyName: 'Khan' }).middle, 'exact');
  });
  it('recognises given and family names written the other way round', () => {
    const l = levels({ givenName: 'Ahmed', familyName: 'Khalil' }, { givenName: 'Khalil', familyName: 'Ahmed' });
    assert.equal(l.given, 'names in another order');
    // That one level carries the names' evidence: the family and middle levels are not counted a second time.
    assert.equal(l.family, 'missing');
    assert.equal(l.middle, 'missing');
    // With a typing error in one of the swapped names (as the name levels count one: Jaro-Winkler above 0.92).
    assert.equal(levels({ givenName: 'Viktor', familyName: 'Yaremuk' }, { givenName: 'Yaremuk', familyName: 'Viktol' }).given, 'names in another order');
    // Siblings share names in the other fields, but their given names are not among each other's names.
    assert.notEqual(levels({ givenName: 'Waleed', middleName: 'Muhammad', familyName: 'al-Ahmad' }, { givenName: 'Khaled', middleName: 'Muhammad', familyName: 'al-Ahmad' }).given, 'names in another order');
  });
  it('compares name chains that moved between the middle and family fields', () => {
    const l = levels({ givenName: 'Ahmed', middleName: 'Hassan Ali' }, { givenName: 'Ahmed', middleName: 'Hassan', familyName: 'Ali' });
    assert.equal(l.family, 'contained');
    assert.equal(l.middle, 'missing');
  });
  it('splits a whole name written in one field, and fills a missing middle name from the original script', () => {
    const t = prepareRecords([
      { id: '1', givenName: 'Nur Alam Hossain' },
      { id: '2', givenName: 'Artem', familyName: 'Shevchenko', nameOriginal: 'Артем Володимир Шевченко' },
      { id: '3', givenName: 'Nour', familyName: 'Alobaidi' },
    ]);
    assert.deepEqual(recordNames(t, 0), { given: ['nur'], middle: ['alam'], family: ['husayn'] }); // canonical forms
    assert.deepEqual(recordNames(t, 1).middle, ['volodymyr']);
    assert.deepEqual(recordNames(t, 2).family, ['obaidi'], 'an article joined to an unknown name is dropped');
  });
});

describe('other fields', () => {
  it('date of birth levels', () => {
    const dob = (a: string | null, b: string | null) => levels({ givenName: 'A', dateOfBirth: a }, { givenName: 'A', dateOfBirth: b }).dob;
    assert.equal(dob('1990-05-17', '1990-05-17'), 'exact');
    assert.equal(dob('1990-05-07', '1990-07-05'), 'day and month swapped');
    assert.equal(dob('1990-05-17', '1990-05-18'), 'one digit different');
    assert.equal(dob('1990-05-17', '1990-05-27'), 'one digit different');
    assert.equal(dob('1990-05-17', '1990-05-28'), 'same year and month');
    assert.equal(dob('1990-01-01', '1990-05-17'), 'same year (year only known)');
    assert.equal(dob('1990-01-01', '1990-01-01'), 'same year (year only known)');
    assert.equal(dob('1990-01-01', '1991-06-06'), 'year ±1 (year only known)');
    assert.equal(dob('1990-05-17', '1989-02-03'), 'year ±1');
    assert.equal(dob('1990-05-17', '1970-02-03'), 'different');
    assert.equal(dob(null, '1970-02-03'), 'missing');
    assert.equal(dob('1990-02-30', '1990-02-20'), 'one digit different', 'an impossible date still meets its typo');
  });
  it('sex, nationality, document and phone', () => {
    const l = levels({ givenName: 'A', sex: 'M', nationality: 'SYR', documentNumber: 'N0123458', phone: '+963 944 123456' }, { givenName: 'A', sex: 'F', nationality: 'syr', documentNumber: 'NO12 3458', phone: '0944123457' });
    assert.equal(l.sex, 'disagree');
    assert.equal(l.nationality, 'agree');
    assert.equal(l.document, 'exact (OCR-folded)');
    assert.equal(l.phone, 'one edit');
    const m = levels({ givenName: 'A', documentNumber: 'N0123458' }, { givenName: 'A', documentNumber: 'N0123999', sex: 'F' });
    assert.equal(m.document, 'different');
    assert.equal(m.sex, 'missing');
  });
  it('field indices match the field names', () => {
    assert.deepEqual([F_GIVEN, F_MIDDLE, F_FAMILY, F_DOB, F_SEX, F_NAT, F_DOC, F_PHONE].map((k) => FIELD_NAMES[k]), ['given', 'middle', 'family', 'dob', 'sex', 'nationality', 'document', 'phone']);
  });
});

describe('bad input', () => {
  const bad: Omit<MatchRecord, 'id'>[] = [
    { givenName: '', familyName: '   ' },
    { givenName: '12345', familyName: '!!!' },
    { givenName: '—', middleName: '...', familyName: '@@' },
    { givenName: 'x'.repeat(10_000), familyName: 'Ali '.repeat(2_500) },
    { givenName: 'Mоhammed', familyName: 'Алі al-حسن' }, // mixed scripts (a Cyrillic о in a Latin name)
    { givenName: '😀 Ahmed 🎉', familyName: '👨‍👩‍👧' },
    { givenName: '\u200fمحمد\u200e', familyName: 'Al\u200b-Hassan\u200d' }, // RTL marks and zero-width characters
    { givenName: null, dateOfBirth: '2023-02-31', nationality: 'ZZZ', documentNumber: '????', phone: 'none' },
  ];
  it('prepares and compares every kind of bad input, in bounded time', () => {
    const t0 = performance.now();
    const records = bad.map((r, k) => ({ id: String(k), ...r }));
    const t = prepareRecords(records);
    const c = new Comparer(t);
    const out = new Uint8Array(FIELD_NAMES.length);
    for (let i = 0; i < t.n; i++) for (let j = 0; j < t.n; j++) c.compare(i, j, out);
    assert.ok(performance.now() - t0 < 2000, 'bounded time');
    assert.deepEqual(recordNames(t, 0), { given: [], middle: [], family: [] });
    assert.deepEqual(recordNames(t, 1), { given: [], middle: [], family: [] });
    assert.ok(recordNames(t, 3).family.length <= 8, 'tokens per part are capped');
    assert.deepEqual(recordNames(t, 4).given, ['muhammad']);
    assert.deepEqual(recordNames(t, 5).given, ['ahmad']);
    assert.deepEqual(recordNames(t, 6), { given: ['muhammad'], middle: [], family: ['hasan'] });
  });
  it('names without letters compare as missing, never as agreeing', () => {
    const l = levels({ givenName: '12345', familyName: '' }, { givenName: '12345', familyName: '' });
    assert.equal(l.given, 'missing');
    assert.equal(l.family, 'missing');
    assert.equal(levels({ givenName: 'A', dateOfBirth: '2023-02-31' }, { givenName: 'A', dateOfBirth: '2023-02-31' }).dob, 'same year (year only known)');
  });
  it('refuses duplicate record ids', () => {
    assert.throws(() => prepareRecords([{ id: 'x' }, { id: 'x' }]), /duplicate record id "x"/);
  });
});
