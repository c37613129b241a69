import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentKey, parseDateOfBirth, parseNationality, parseSex, phoneKey } from './record.ts';

describe('parseDateOfBirth', () => {
  it('reads ISO dates and other common forms', () => {
    assert.deepEqual(parseDateOfBirth('1990-05-17'), { year: 1990, month: 5, day: 17, digits: 19900517, yearOnly: false });
    assert.deepEqual(parseDateOfBirth('19900517'), { year: 1990, month: 5, day: 17, digits: 19900517, yearOnly: false });
    assert.deepEqual(parseDateOfBirth('17/05/1990'), { year: 1990, month: 5, day: 17, digits: 19900517, yearOnly: false });
    assert.deepEqual(parseDateOfBirth(' 1990-05-17T00:00:00Z '), { year: 1990, month: 5, day: 17, digits: 19900517, yearOnly: false });
    assert.equal(parseDateOfBirth('١٩٩٠-٠٥-١٧')?.day, 17, 'Arabic-Indic digits');
  });
  it('treats 01-01, a year alone and a year-month as year only', () => {
    assert.deepEqual(parseDateOfBirth('1990-01-01'), { year: 1990, month: 0, day: 0, digits: 0, yearOnly: true });
    assert.equal(parseDateOfBirth('1990')?.yearOnly, true);
    assert.equal(parseDateOfBirth('1990-07')?.yearOnly, true);
  });
  it('keeps the year (and the digits) of impossible dates, as year only', () => {
    assert.deepEqual(parseDateOfBirth('1990-02-30'), { year: 1990, month: 2, day: 0, digits: 19900230, yearOnly: true });
    assert.deepEqual(parseDateOfBirth('19561309'), { year: 1956, month: 0, day: 0, digits: 19561309, yearOnly: true });
    assert.equal(parseDateOfBirth('2000-02-29')?.yearOnly, false, 'a leap day is real');
    assert.equal(parseDateOfBirth('1900-02-29')?.yearOnly, true, '1900 was not a leap year');
  });
  it('gives null for missing, unreadable or implausible values', () => {
    for (const v of [null, undefined, '', '   ', 'unknown', '0000-00-00', '3020-01-05', '1200-05-05', '12/13', '😀', 'x'.repeat(10_000)]) assert.equal(parseDateOfBirth(v), null, String(v).slice(0, 20));
  });
});

describe('other fields', () => {
  it('reads sex in several languages; unknown is missing', () => {
    assert.equal(parseSex('M'), 'M');
    assert.equal(parseSex('female'), 'F');
    assert.equal(parseSex('Femme'), 'F');
    assert.equal(parseSex('ذكر'), 'M');
    assert.equal(parseSex('x'), 'X');
    assert.equal(parseSex('unknown'), null);
    assert.equal(parseSex(''), null);
  });
  it('keeps unknown nationality codes as values', () => {
    assert.equal(parseNationality(' syr '), 'SYR');
    assert.equal(parseNationality('XYZ'), 'XYZ');
    assert.equal(parseNationality('???'), null);
    assert.equal(parseNationality(null), null);
    assert.equal(parseNationality('Q'.repeat(500))?.length, 40);
  });
  it('folds document numbers against OCR confusions and formatting', () => {
    assert.equal(documentKey('N 012-3458'), documentKey('NO123458'));
    assert.equal(documentKey('AB1234'), documentKey('a8 1234'));
    assert.equal(documentKey('S5I1O0B8'), '55110088');
    assert.equal(documentKey('--'), null);
    assert.equal(documentKey('12'), null);
    assert.equal(documentKey('9'.repeat(1000))?.length, 32);
  });
  it('keys phones by their last nine digits', () => {
    assert.equal(phoneKey('+963 944 123 456'), phoneKey('0944123456'));
    assert.equal(phoneKey('12345'), null);
    assert.equal(phoneKey('☎'), null);
  });
});
