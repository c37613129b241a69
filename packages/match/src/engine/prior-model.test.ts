import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paramsToJSON } from './model.ts';
import { estimatePriorParams, priorParams } from './prior-model.ts';

describe('prior model', () => {
  it('is what the code estimates from the synthetic registrations (regenerate it when this fails)', () => {
    assert.equal(paramsToJSON(priorParams()), paramsToJSON(estimatePriorParams()));
  });
  it('weighs agreeing on a document far above agreeing on sex', () => {
    const p = priorParams();
    const w = (field: string, level: number) => {
      const f = p.fields.find((x) => x.name === field)!;
      return Math.log2(f.m[level]! / f.u[level]!);
    };
    assert.ok(w('document', 1) > 4 * w('sex', 1), `document ${w('document', 1)} vs sex ${w('sex', 1)}`);
  });
});
