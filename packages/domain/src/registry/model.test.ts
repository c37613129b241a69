import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  NewPersonFields,
  PersonCreateSchema,
  ageBand,
  ageOn,
  documentKey,
  effectiveNeeds,
  estimatedBirthDate,
  formatRegistrationId,
  hasWgDisability,
  isCalendarDate,
  isCountryCode,
  isRegistrationId,
  personRuleProblems,
  registrationCheckChar,
  toE164,
} from './model.ts';
import { maskCount } from './api.ts';

describe('registry model rules', () => {
  it('knows real calendar dates', () => {
    for (const d of ['2000-02-29', '2024-02-29', '1999-12-31', '0001-01-01']) assert.ok(isCalendarDate(d), d);
    for (const d of ['2023-02-30', '1900-02-29', '2023-13-01', '2023-00-10', '2023-04-31', '23-01-01', '2023-1-1', '']) assert.ok(!isCalendarDate(d), d);
  });

  it('computes ages and standard age bands', () => {
    assert.equal(ageOn('2000-06-15', '2026-06-14'), 25);
    assert.equal(ageOn('2000-06-15', '2026-06-15'), 26);
    assert.equal(ageOn('2000-02-29', '2026-02-28'), 25);
    assert.deepEqual([0, 4, 5, 11, 12, 17, 18, 59, 60, 99].map(ageBand), ['0-4', '0-4', '5-11', '5-11', '12-17', '12-17', '18-59', '18-59', '60+', '60+']);
    assert.equal(ageOn(estimatedBirthDate(30, '2026-11-27'), '2026-11-27'), 30);
    assert.equal(ageOn(estimatedBirthDate(30, '2026-03-01'), '2026-03-01'), 30);
  });

  it('refuses future and implausible dates of birth', () => {
    assert.deepEqual(personRuleProblems({ dateOfBirth: '2026-11-28' }, '2026-11-27'), [{ path: 'dateOfBirth', message: 'is in the future' }]);
    assert.equal(personRuleProblems({ dateOfBirth: '1890-01-01' }, '2026-11-27').length, 1);
    assert.equal(personRuleProblems({ dateOfBirth: '2026-11-27' }, '2026-11-27').length, 0);
  });

  it('derives disability from the Washington Group Short Set', () => {
    assert.equal(hasWgDisability({ seeing: 'some_difficulty', hearing: 'no_difficulty' }), false);
    assert.equal(hasWgDisability({ walking: 'a_lot_of_difficulty' }), true);
    assert.equal(hasWgDisability({ communicating: 'cannot_do_at_all' }), true);
    assert.deepEqual(effectiveNeeds({ needs: ['disability', 'single_parent'], washingtonGroup: { seeing: 'some_difficulty' } }), ['single_parent']);
    assert.deepEqual(effectiveNeeds({ needs: [], washingtonGroup: { self_care: 'cannot_do_at_all' } }), ['disability']);
    assert.deepEqual(effectiveNeeds({ needs: ['disability'] }), ['disability'], 'without answers the officer’s choice stands');
  });

  it('knows ISO 3166-1 alpha-3 codes', () => {
    for (const c of ['SYR', 'AFG', 'UKR', 'ERI', 'SOM', 'MMR', 'COL', 'NLD']) assert.ok(isCountryCode(c), c);
    for (const c of ['XYZ', 'syr', 'SY', 'UK']) assert.ok(!isCountryCode(c), c);
  });

  it('normalises phone numbers to E.164 with a default country', () => {
    assert.equal(toE164('06 12345678', 'NLD'), '+31612345678');
    assert.equal(toE164('+963 944 123 456'), '+963944123456');
    assert.equal(toE164('0944 123 456', 'SYR'), '+963944123456');
    assert.equal(toE164('12', 'NLD'), null);
    assert.equal(toE164('06 12345678'), null, 'a local number without a country is not guessed');
  });

  it('compares document numbers without spacing or punctuation', () => {
    assert.equal(documentKey('n 0123-4567'), documentKey('N01234567'));
    assert.equal(documentKey('AB/12.34'), 'AB1234');
  });

  it('registration ids carry a check character that catches single-character typos and swaps', () => {
    const id = formatRegistrationId('DEMO-NL', 123);
    assert.match(id, /^DEMO-NL-000123-[0-9A-Z]$/);
    assert.ok(isRegistrationId(id));
    assert.ok(isRegistrationId(id.toLowerCase()));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 }), (seq, pos, delta) => {
        const good = formatRegistrationId('XO-1', seq);
        const digits = good.slice(5, 11).split('');
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        const typo = `XO-1-${digits.join('')}-${good.at(-1)}`;
        return !isRegistrationId(typo);
      }),
    );
    assert.equal(registrationCheckChar('A-000001').length, 1);
  });

  it('validates names: letters required, tidy spaces, no control characters, length limits', () => {
    const ok = NewPersonFields.safeParse({ givenName: '  José   María ', sex: 'male', populationGroup: 'migrant_worker' });
    assert.ok(ok.success);
    assert.equal(ok.data.givenName, 'José María');
    for (const bad of ['...', '', 'a'.repeat(101), 'Ali\u0000']) {
      const r = NewPersonFields.safeParse({ givenName: bad, sex: 'male', populationGroup: 'migrant_worker' });
      assert.ok(!r.success, JSON.stringify(bad));
      assert.deepEqual(r.error.issues[0]!.path, ['givenName']);
    }
    const r = PersonCreateSchema.safeParse({ givenName: 'Ali', sex: 'male', populationGroup: 'refugee', dateOfBirth: '2023-02-30' });
    assert.ok(!r.success);
    assert.deepEqual(r.error.issues[0]!.path, ['dateOfBirth']);
    const twice = PersonCreateSchema.safeParse({ givenName: 'Ali', sex: 'male', populationGroup: 'refugee', consents: [{ purpose: 'research', granted: true, method: 'verbal', language: 'ar' }, { purpose: 'research', granted: false, method: 'verbal', language: 'ar' }] });
    assert.ok(!twice.success);
  });

  it('masks small counts only when asked', () => {
    assert.deepEqual([0, 1, 4, 5, 12].map((n) => maskCount(n, true)), [0, '<5', '<5', 5, 12]);
    assert.deepEqual([0, 1, 4].map((n) => maskCount(n, false)), [0, 1, 4]);
  });
});
