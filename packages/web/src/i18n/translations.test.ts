import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ar from './ar.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

/** Every string on screen exists in all four languages, with the same placeholders. */
describe('translations', () => {
  const base = flatten(en as Tree);
  for (const [lang, tree] of [['fr', fr], ['es', es], ['ar', ar]] as const) {
    it(`${lang} has exactly the English keys, none empty, same placeholders`, () => {
      const other = flatten(tree as Tree);
      assert.deepEqual([...other.keys()].sort(), [...base.keys()].sort());
      for (const [key, text] of other) {
        assert.ok(text.trim().length > 0, `${lang}: ${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(base.get(key)!), `${lang}: ${key} placeholders`);
      }
    });
  }

  it('Arabic is really translated (mostly Arabic script)', () => {
    const texts = [...flatten(ar as Tree).values()];
    const arabic = texts.filter((t) => /[\u0600-\u06FF]/.test(t)).length;
    assert.ok(arabic / texts.length > 0.9, `${arabic} of ${texts.length} strings contain Arabic script`);
  });
});
