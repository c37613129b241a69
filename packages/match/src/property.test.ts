import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalToken } from './canonical.ts';
import { nameKeys, searchText } from './keys.ts';
import { nameTokens, normaliseName } from './normalise.ts';
import { skeleton } from './skeleton.ts';

const OUTPUT = /^(?:[a-z]+(?: [a-z]+)*)?$/;

/** Strings biased towards what the normaliser treats specially: scripts, particles, marks, separators. */
const namePiece = fc.constantFrom(
  'abd', 'al', 'el', 'ar', '-', ' ', "'", 'ʿ', 'bin', 'ibn', 'abu', 'ul', 'din', 'uddin', 'ullah', 'haq', 'abdul', 'cabd', 'gebre', 'mariam',
  'Mohammed', 'Rahman', 'عبد', 'ال', 'الله', 'محمد', 'ـ', '\u064e', '\u0651', 'Олександр', 'а', 'Ї', 'ґ', 'ь', 'ሰላም', 'ፍ', '\u135d',
  'é', '\u0301', 'ß', 'İ', '\u200c', '\u200f', '\ufeff', '.', '،', '·', '中', 'ß', 'Ǆ', 'ﷲ', '\ufdfa', '🙂',
);
const nameLike = fc.array(namePiece, { maxLength: 12 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), nameLike);

describe('normaliseName: properties', () => {
  it('never throws and returns lower-case a–z tokens separated by single spaces', () => {
    fc.assert(fc.property(anyText, (s) => {
      const out = normaliseName(s);
      assert.match(out, OUTPUT);
      assert.deepEqual(nameTokens(s), out === '' ? [] : out.split(' '));
    }), { numRuns: 3000 });
  });

  it('is idempotent and deterministic', () => {
    fc.assert(fc.property(anyText, (s) => {
      const once = normaliseName(s);
      assert.equal(normaliseName(once), once);
      assert.equal(normaliseName(s), once);
    }), { numRuns: 3000 });
  });

  it('keys and search text are well-formed for any input', () => {
    fc.assert(fc.property(anyText, anyText, (a, b) => {
      const keys = nameKeys(a, null, b);
      for (const k of keys) assert.match(k, /^[a-z]+$/);
      assert.deepEqual(keys, [...new Set(keys)].sort());
      assert.match(searchText(a, b), OUTPUT);
      for (const t of nameTokens(a)) {
        assert.match(canonicalToken(t), /^[a-z]+$/);
        assert.match(skeleton(t), /^[a-z]+$/);
        assert.equal(canonicalToken(canonicalToken(t)), canonicalToken(t));
      }
    }), { numRuns: 1000 });
  });
});
