import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TabularError } from './errors.ts';
import { sniffFormat } from './sniff.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof TabularError ? err.code : String(err);
  }
};

describe('sniffFormat', () => {
  it('a ZIP is XLSX whatever its name; text is CSV', () => {
    assert.equal(sniffFormat(bytes(0x50, 0x4b, 0x03, 0x04, 0x14)), 'xlsx');
    assert.equal(sniffFormat(bytes(0x50, 0x4b, 0x03, 0x04), 'export.csv'), 'xlsx');
    assert.equal(sniffFormat(Buffer.from('name,age\n')), 'csv');
    assert.equal(sniffFormat(Buffer.from('name,age\n'), 'people.txt'), 'csv');
    assert.equal(sniffFormat(new Uint8Array(0)), 'csv');
  });

  it('a file named .xlsx that is not a ZIP is still XLSX, so it fails as xlsx_invalid', () => {
    assert.equal(sniffFormat(Buffer.from('name,age\n'), 'People.XLSX'), 'xlsx');
  });

  it('unknown_format for legacy .xls, encrypted workbooks, PDF and images', () => {
    assert.equal(code(() => sniffFormat(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))), 'unknown_format');
    assert.equal(code(() => sniffFormat(Buffer.from('%PDF-1.7'))), 'unknown_format');
    assert.equal(code(() => sniffFormat(bytes(0xff, 0xd8, 0xff, 0xe0))), 'unknown_format');
    assert.equal(code(() => sniffFormat(Buffer.from('a,b'), 'old.xls')), 'unknown_format');
  });
});
