import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectScript } from './script.ts';

describe('detectScript', () => {
  it('names the dominant script', () => {
    const cases: [string, ReturnType<typeof detectScript>][] = [
      ['Mohammed Ali', 'latin'],
      ['José María', 'latin'],
      ['محمد علي', 'arabic'],
      ['پرویز', 'arabic'],
      ['Олександр', 'cyrillic'],
      ['ፍሬወይኒ ተስፋይ', 'ethiopic'],
      ['中文', 'other'],
      ['Γιώργος', 'other'],
      ['Mаria', 'latin'], // one Cyrillic look-alike in a Latin word
      ['Ali محمد محمد', 'arabic'],
    ];
    for (const [s, expected] of cases) assert.equal(detectScript(s), expected, s);
  });

  it('is "other" without letters', () => {
    for (const s of ['', '   ', '...!!', '1234', '🙂']) assert.equal(detectScript(s), 'other', JSON.stringify(s));
  });

  it('reads presentation forms after NFKC', () => {
    assert.equal(detectScript('\ufeeb\ufef4'), 'arabic');
  });
});
