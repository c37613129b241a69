import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skeleton } from './skeleton.ts';

describe('skeleton', () => {
  it('gives the keys of the standards file', () => {
    for (const s of ['محمد', 'Мухаммед', 'Muhammad', 'mohammed', 'mohamed', 'muhammad', 'mohammad']) assert.equal(skeleton(s), 'mhmd', s);
    for (const s of ['يوسف', 'Youssef', 'yusuf', 'yousef', 'Юсуф']) assert.equal(skeleton(s), 'ysf', s);
  });

  it('applies the digraph rules, drops vowels and w/y after the first letter, squeezes doubles', () => {
    const cases: [string, string][] = [
      ['khalid', 'hld'], ['halid', 'hld'], ['stephan', 'stfn'], ['qasim', 'ksm'], ['kasim', 'ksm'], ['ghulam', 'glm'],
      ['gulam', 'glm'], ['djamila', 'jml'], ['jamila', 'jml'], ['dzhamal', 'jml'], ['jamal', 'jml'], ['hassan', 'hsn'], ['walid', 'wld'], ['yahya', 'yh'],
      ['omar', 'amr'], ['umar', 'amr'], ['ibrahim', 'abrhm'], ['ebrahim', 'abrhm'], ['oumar', 'amr'], ['a', 'a'], ['b', 'b'],
    ];
    for (const [t, k] of cases) assert.equal(skeleton(t), k, t);
  });

  it('is empty for nothing', () => {
    assert.equal(skeleton(''), '');
    assert.equal(skeleton('...'), '');
  });
});
