import { variantData } from './data.ts';
import { normaliseTokens } from './pipeline.ts';

const NORMALISED_TOKEN = /^[a-z]+$/;
const SUFFIX_COMPOUND = /^([a-z]{2,})(uldin|ulhaq|ullah)$/;

function lookup(token: string): string {
  return variantData.canonical.get(token) ?? token;
}

function canonicalOfNormalised(t: string): string {
  const whole = variantData.canonical.get(t);
  if (whole !== undefined) return whole;
  // Compounds are canonical part by part: abdul+rahmane → abdul+rahman, abu+bakar → abu+bakr, noor+uldin → nur+uldin.
  if (t.startsWith('abdul') && t.length > 6) return `abdul${lookup(t.slice(5))}`;
  if (t.startsWith('abu') && t.length > 4) {
    const stem = variantData.canonical.get(t.slice(3));
    if (stem !== undefined) return `abu${stem}`;
  }
  const m = SUFFIX_COMPOUND.exec(t);
  if (m) return lookup(m[1]!) + m[2]!;
  return t;
}

/**
 * The variant-class representative of a token (mohammed, mohamed, mohd, Мухаммед, محمد… → "muhammad"), from the
 * reviewed data file packages/match/data/name-variants.json. A token in no class returns itself. Expects a token
 * of normaliseName; anything else is normalised first (several tokens come back canonical and space-separated).
 */
export function canonicalToken(token: string): string {
  if (typeof token !== 'string') return '';
  if (NORMALISED_TOKEN.test(token)) return canonicalOfNormalised(token);
  return normaliseTokens(token, variantData.context).map(canonicalOfNormalised).join(' ');
}
