import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CASE_TYPES } from '@passage/domain/cases/types';
import { EVENT_KINDS, RISK_LEVELS } from '@passage/domain/cases/case-type';
import ar from '../../i18n/ar.json' with { type: 'json' };
import en from '../../i18n/en.json' with { type: 'json' };
import es from '../../i18n/es.json' with { type: 'json' };
import fr from '../../i18n/fr.json' with { type: 'json' };
import { caseTypeLabelKeys, flattenKeys } from './label-keys.ts';

/** A new case type cannot ship unlabelled: every state, action, field, option … of every type has its words. */
describe('case type labels', () => {
  for (const [lang, tree] of [['en', en], ['fr', fr], ['es', es], ['ar', ar]] as const) {
    const keys = flattenKeys(tree as Record<string, unknown>);
    for (const def of Object.values(CASE_TYPES)) {
      it(`${lang}: ${def.id} is labelled`, () => {
        const missing = caseTypeLabelKeys(def).filter((k) => !keys.has(k));
        assert.deepEqual(missing, [], `${lang} lacks labels for ${def.id}`);
      });
    }
    it(`${lang}: risk levels and event kinds are labelled`, () => {
      const missing = [...RISK_LEVELS.map((r) => `cases.risk.${r}`), ...EVENT_KINDS.map((k) => `cases.eventKinds.${k}`)].filter((k) => !keys.has(k));
      assert.deepEqual(missing, []);
    });
  }

  it('lists every part of a declaration', () => {
    const keys = caseTypeLabelKeys(CASE_TYPES.migrant_assistance);
    for (const k of ['cases.types.migrant_assistance', 'cases.states.intake', 'cases.actions.submit_plan', 'cases.fields.circumstanceOther', 'cases.options.circumstance.other', 'cases.sections.best_interests', 'cases.closureReasons.needs_met', 'cases.serviceTypes.cash', 'cases.tasks.initial_assessment'])
      assert.ok(keys.includes(k), k);
  });
});
