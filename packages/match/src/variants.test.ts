import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalToken } from './canonical.ts';
import { buildVariantData, variantData } from './data.ts';
import { detectScript } from './script.ts';

describe('the variant data file', () => {
  it('loads without problems: no variant in two classes, every variant one token, canonical forms normalised', () => {
    assert.deepEqual(variantData.issues, []);
  });

  it('has at least 60 classes covering the caseload', () => {
    assert.ok(variantData.classes.length >= 60, `${variantData.classes.length} classes`);
    const origins = variantData.classes.map((c) => c.origin).join(' | ');
    for (const o of ['Arabic', 'Somali', 'Tigrinya', 'Ukrainian', 'Persian', 'Rohingya', 'Spanish']) assert.match(origins, new RegExp(o), o);
    const scripts = new Set(variantData.classes.flatMap((c) => c.variants.map(detectScript)));
    for (const s of ['latin', 'arabic', 'cyrillic', 'ethiopic'] as const) assert.ok(scripts.has(s), s);
  });

  it('has no duplicate canonical tokens', () => {
    const seen = new Set<string>();
    for (const c of variantData.classes) {
      assert.ok(!seen.has(c.canonical), c.canonical);
      seen.add(c.canonical);
    }
  });

  it('reports conflicts and bad entries when building from other data', () => {
    const data = buildVariantData([
      { canonical: 'one', origin: 'test', variants: ['uno', 'محمد'] },
      { canonical: 'two', origin: 'test', variants: ['uno', 'محمد', 'Abd Rahman Khan'] },
      { canonical: 'Bad Form', origin: 'test', variants: [] },
    ]);
    assert.equal(data.issues.length, 5, data.issues.join('\n'));
    assert.equal(data.canonical.get('uno'), 'one');
  });
});

describe('canonicalToken', () => {
  it('maps the spellings of a class to one value', () => {
    const groups: [string, string[]][] = [
      ['muhammad', ['mohammed', 'muhammad', 'mohamed', 'mohamad', 'mohd', 'md', 'mahomed', 'mehmet', 'maxamed', 'mukhammed', 'magomed']],
      ['oleksandr', ['oleksandr', 'olexandr', 'aleksandr', 'alexander', 'alexandr']],
      ['tetiana', ['tetiana', 'tetyana', 'tatiana', 'tatyana']],
      ['husayn', ['hussein', 'hussain', 'hossain', 'husein', 'xuseen']],
      ['yusuf', ['youssef', 'yousef', 'yusuf', 'yousif', 'yuusuf']],
      ['fatima', ['fatma', 'fatuma', 'faadumo', 'fatoumata', 'fatemeh']],
      ['gonzalez', ['gonzales', 'gonzalez']],
      ['freweini', ['freweyni', 'freweini']],
    ];
    for (const [canonical, spellings] of groups) for (const s of spellings) assert.equal(canonicalToken(s), canonical, s);
  });

  it('keeps different names apart', () => {
    assert.notEqual(canonicalToken('saeed'), canonicalToken('sayed'));
    assert.notEqual(canonicalToken('mahmoud'), canonicalToken('mohammed'));
    assert.equal(canonicalToken('mohamud'), 'mahmud'); // Somali Mohamud is Mahmud
    assert.notEqual(canonicalToken('hasan'), canonicalToken('husayn'));
    assert.notEqual(canonicalToken('salah'), canonicalToken('salih'));
    assert.notEqual(canonicalToken('maria'), canonicalToken('maryam'));
  });

  it('returns a token in no class unchanged', () => {
    for (const t of ['warsame', 'smith', 'x', 'kamara']) assert.equal(canonicalToken(t), t);
  });

  it('canonicalises compounds part by part', () => {
    assert.equal(canonicalToken('abdulrahmane'), 'abdulrahman');
    assert.equal(canonicalToken('abdulraxmaan'), 'abdulrahman');
    assert.equal(canonicalToken('abdulkader'), 'abdulqadir');
    assert.equal(canonicalToken('abubakar'), 'abubakr');
    assert.equal(canonicalToken('nooruldin'), 'nuruldin');
    assert.equal(canonicalToken('najeebullah'), 'najibullah');
  });

  it('normalises input that is not a normalised token', () => {
    assert.equal(canonicalToken('Mohammed'), 'muhammad');
    assert.equal(canonicalToken('Мухаммед'), 'muhammad');
    assert.equal(canonicalToken('عبد الرحمن'), 'abdulrahman');
    assert.equal(canonicalToken(''), '');
  });

  it('is idempotent', () => {
    for (const c of variantData.classes) {
      assert.equal(canonicalToken(c.canonical), c.canonical);
      for (const v of c.variants) assert.equal(canonicalToken(canonicalToken(v)), canonicalToken(v), v);
    }
  });
});
