import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMON_PASSWORDS } from './common-passwords.ts';
import { checkPassword } from './password-rules.ts';

describe('checkPassword', () => {
  const cases: [string, string | undefined, ReturnType<typeof checkPassword>][] = [
    ['short', undefined, 'too_short'],
    ['elevenchars', undefined, 'too_short'],
    ['x'.repeat(257), undefined, 'too_long'],
    ['passwordpassword', undefined, 'common'],
    ['Password123!', undefined, 'common'],
    ['qwertyuiop12', undefined, 'common'],
    ['ILoveYou2026!', undefined, 'common'],
    ['amina.k-registrar-2026', 'amina.k@example.org', 'contains_email'],
    ['correct horse battery staple', undefined, null],
    ['تسجيل-آمن-للمهاجرين', undefined, null],
  ];
  for (const [password, email, expected] of cases) {
    it(`${JSON.stringify(password.slice(0, 30))} → ${expected}`, () => {
      assert.equal(checkPassword(password, COMMON_PASSWORDS, email), expected);
    });
  }

  it('counts characters, not UTF-16 units', () => {
    // 12 emoji are 24 UTF-16 code units but 12 characters: exactly long enough.
    assert.equal(checkPassword('🙂'.repeat(11), COMMON_PASSWORDS), 'too_short');
    assert.equal(checkPassword('🙂'.repeat(12), COMMON_PASSWORDS), null);
  });

  it('bundles a real list of common passwords', () => {
    assert.ok(COMMON_PASSWORDS.size > 40_000);
    assert.ok(COMMON_PASSWORDS.has('password'));
  });
});
