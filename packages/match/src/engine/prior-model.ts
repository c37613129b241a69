/**
 * The prior model: Fellegi–Sunter parameters estimated once from 20,000 synthetic registrations (synthetic.ts,
 * seed 7: fictitious people with the transliteration variants, typing errors, placeholder dates, relatives and
 * common names that real registrations have), stored in `data/prior-model.json`.
 *
 * It serves until a registry can speak for itself: a registry of fewer than about a thousand people gives the
 * expectation-maximisation too little to go on, and the engine's starting values (`defaultParams`) are a place to
 * start estimating from, not a model (they weigh agreeing on sex about as heavily as agreeing on a document).
 *
 * Regenerate after changing comparisons or training: `npx tsx packages/match/src/engine/prior-model.ts --write`
 * (about 5 s). A unit test checks that the file is what this code estimates.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import priorFile from '../../data/prior-model.json' with { type: 'json' };
import { paramsFromJSON, paramsToJSON, type ModelParams } from './model.ts';
import { prepareRecords } from './prepare.ts';
import { generateSynthetic } from './synthetic.ts';
import { trainParams } from './train.ts';

export const PRIOR_RECORDS = 20_000;
export const PRIOR_SEED = 7;

/** The stored prior model. */
export function priorParams(): ModelParams {
  return paramsFromJSON(JSON.stringify(priorFile));
}

/** Estimates the prior model afresh (what `data/prior-model.json` holds). */
export function estimatePriorParams(): ModelParams {
  const data = generateSynthetic({ records: PRIOR_RECORDS, seed: PRIOR_SEED });
  return trainParams(prepareRecords(data.records), { seed: 1 }).params;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  const file = fileURLToPath(new URL('../../data/prior-model.json', import.meta.url));
  fs.writeFileSync(file, `${JSON.stringify(JSON.parse(paramsToJSON(estimatePriorParams())), null, 1)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}
