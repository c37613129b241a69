import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellText, dateText, excelSerialToDate, isDateFormat, numberText } from './xlsx-values.ts';

describe('numberText', () => {
  const cases: [number, string | undefined, string][] = [
    [96170123456789, undefined, '96170123456789'],
    [1e21, undefined, '1000000000000000000000'],
    [-42, undefined, '-42'],
    [0.1 + 0.2, undefined, '0.3'],
    [1.5e-7, undefined, '0.00000015'],
    [-2.5e-10, undefined, '-0.00000000025'],
    [3.14159, '0.00', '3.14159'],
    [42, '000000', '000042'],
    [1234567, '00000', '1234567'],
    [Number.NaN, undefined, ''],
  ];
  for (const [n, fmt, expected] of cases) it(`${n} ${fmt ?? ''} → ${expected}`, () => assert.equal(numberText(n, fmt), expected));
});

describe('dates', () => {
  it('recognises date and time formats, not numbers with text or exponents', () => {
    for (const fmt of ['dd/mm/yyyy', 'mm-dd-yy', 'yyyy-mm-dd hh:mm:ss', 'h:mm AM/PM', '[$-409]mmmm d, yyyy', 'd-mmm']) assert.ok(isDateFormat(fmt), fmt);
    for (const fmt of ['General', '0.00', '0.00E+00', '#,##0 "days"', '[Red]0.0', '@', '00000']) assert.ok(!isDateFormat(fmt), fmt);
  });

  it('writes ISO 8601 with the parts the format shows', () => {
    const d = new Date(Date.UTC(2024, 2, 5, 14, 30, 0));
    assert.equal(dateText(d, 'dd/mm/yyyy'), '2024-03-05');
    assert.equal(dateText(d, 'dd/mm/yyyy hh:mm'), '2024-03-05T14:30:00');
    assert.equal(dateText(d, 'hh:mm'), '14:30:00');
    assert.equal(dateText(d), '2024-03-05T14:30:00');
    assert.equal(dateText(new Date(Date.UTC(2024, 2, 5))), '2024-03-05');
    assert.equal(dateText(new Date(Number.NaN)), '');
  });

  it('converts serial days in both date systems', () => {
    assert.equal(dateText(excelSerialToDate(45356, false)), '2024-03-05');
    assert.equal(dateText(excelSerialToDate(45356 - 1462, true)), '2024-03-05');
    assert.equal(dateText(excelSerialToDate(45356.6041666667, false), 'yyyy-mm-dd hh:mm'), '2024-03-05T14:30:00');
  });
});

describe('cellText', () => {
  const cases: [string, unknown, string | undefined, string][] = [
    ['empty', null, undefined, ''],
    ['text', '  kept as is ', undefined, '  kept as is '],
    ['boolean', true, undefined, 'TRUE'],
    ['rich text', { richText: [{ text: 'Bo', font: { bold: true } }, { text: 'ld' }] }, undefined, 'Bold'],
    ['hyperlink', { text: 'example.org', hyperlink: 'https://example.org' }, undefined, 'example.org'],
    ['formula', { formula: 'A1*2', result: 84 }, undefined, '84'],
    ['formula, text result', { formula: 'A1&"x"', result: 'ax' }, undefined, 'ax'],
    ['formula, date result as a number', { formula: 'A1+1', result: 45356 }, 'yyyy-mm-dd', '2024-03-05'],
    ['formula never calculated', { formula: 'A1' }, undefined, ''],
    ['shared formula', { sharedFormula: 'A1', result: 7 }, undefined, '7'],
    ['error', { error: '#N/A' }, undefined, '#N/A'],
    ['date', new Date(Date.UTC(1990, 4, 17)), 'dd/mm/yyyy', '1990-05-17'],
    ['number', 12345678901234, '0', '12345678901234'],
  ];
  for (const [name, value, fmt, expected] of cases) it(name, () => assert.equal(cellText(value, fmt, false), expected));
});
