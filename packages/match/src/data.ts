/*
 * Loads the reviewed name-variant data (../data/name-variants.json) into the structures the pipeline and
 * canonicalToken use. Variants may be written in any script; each is normalised with the same pipeline as a
 * query, so the table always agrees with normaliseName. Arabic-script variants become the Arabic lexicon
 * (محمد → the class's Latin spelling) instead, because a letter-by-letter reading of unvowelled Arabic cannot
 * recover the vowels that Latin spellings carry.
 */
import anyAscii from 'any-ascii';
import variantFile from '../data/name-variants.json' with { type: 'json' };
import { arabicKey } from './arabic.ts';
import { normaliseTokens, type PipelineContext } from './pipeline.ts';
import { detectScript } from './script.ts';

/** One class of the data file. */
export type VariantClass = { canonical: string; origin: string; variants: string[]; note?: string };

/** The loaded data: what normalisation and canonicalisation look up, and any problems found while loading. */
export type VariantData = {
  context: PipelineContext;
  /** normalised variant token → canonical token */
  canonical: ReadonlyMap<string, string>;
  /** Problems in the data file (empty when it is sound; a unit test asserts that). */
  issues: readonly string[];
  classes: readonly VariantClass[];
};

function simpleFold(s: string): string {
  return anyAscii(s.normalize('NFKC')).toLowerCase().replace(/[^a-z]/g, '');
}

/** Builds the lookup structures from classes; exported for tests that check the shipped file. */
export function buildVariantData(classes: readonly VariantClass[]): VariantData {
  const issues: string[] = [];
  const knownStems = new Set<string>();
  const arabicLexicon = new Map<string, string>();
  // First the facts that do not depend on normalisation: Latin spellings as plain folded words, Arabic keys.
  for (const c of classes) {
    if (!/^[a-z]+$/.test(c.canonical)) issues.push(`canonical "${c.canonical}" must be lower-case a-z`);
    knownStems.add(c.canonical);
    for (const v of c.variants) {
      const script = detectScript(v);
      if (script === 'latin') knownStems.add(simpleFold(v));
      else if (script === 'arabic') {
        const key = arabicKey(v.trim());
        if (/\s/.test(v.trim())) issues.push(`${c.canonical}: Arabic variant "${v}" must be one word`);
        const had = arabicLexicon.get(key);
        if (had !== undefined && had !== c.canonical) issues.push(`Arabic "${v}" is in both ${had} and ${c.canonical}`);
        else arabicLexicon.set(key, c.canonical);
      }
    }
  }
  const context: PipelineContext = { knownStems, arabicLexicon };
  const canonical = new Map<string, string>();
  const claim = (token: string, cls: string, source: string): void => {
    const had = canonical.get(token);
    if (had !== undefined && had !== cls) issues.push(`"${source}" (→ ${token}) is in both ${had} and ${cls}`);
    else canonical.set(token, cls);
  };
  for (const c of classes) {
    const own = normaliseTokens(c.canonical, context);
    if (own.length !== 1 || own[0] !== c.canonical) issues.push(`canonical "${c.canonical}" normalises to "${own.join(' ')}"`);
    claim(c.canonical, c.canonical, c.canonical);
    for (const v of c.variants) {
      if (detectScript(v) === 'arabic') continue;
      const tokens = normaliseTokens(v, context);
      if (tokens.length !== 1) {
        issues.push(`${c.canonical}: variant "${v}" normalises to ${tokens.length} tokens (${tokens.join(' ')})`);
        continue;
      }
      claim(tokens[0]!, c.canonical, v);
    }
  }
  return { context, canonical, issues, classes };
}

/** The shipped data, loaded once at module load. */
export const variantData: VariantData = buildVariantData((variantFile as { classes: VariantClass[] }).classes);
