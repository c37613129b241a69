import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '@passage/server/seed/demo';
import { startE2E, type E2E } from './harness.ts';

/** A TOTP code computed the way an authenticator app does. */
function totp(): string {
  return new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
}

async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
}

async function signOut(page: Page): Promise<void> {
  if (!(await page.getByTestId('logout').isVisible())) await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-email').waitFor();
}

describe('foundation in a real browser', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('administrator: signs in with a computed TOTP code, creates a user, switches to Arabic (RTL), signs out', async () => {
    const page = await e.newPage();
    await page.goto(`${e.baseUrl}/`);
    await page.getByTestId('login-email').waitFor();
    assert.ok(await page.getByTestId('demo-banner').isVisible(), 'demo banner on the login page');
    await e.shot(page, '01-login');
    assert.deepEqual(await e.a11y(page), [], '01-login' + ' has accessibility violations');

    await signIn(page, e.baseUrl, 'administrator@demo.passage.invalid');
    await page.getByTestId('mfa-code').fill(totp());
    await e.shot(page, '02-mfa');
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('nav-admin-users').waitFor();
    await e.shot(page, '03-admin-home');
    assert.deepEqual(await e.a11y(page), [], '03-admin-home' + ' has accessibility violations');

    await page.getByTestId('nav-audit').click();
    await page.waitForURL(/\/audit$/);
    await page.getByText('auth.login').first().waitFor();
    // The administrator may read the whole trail: the page says how much of it the tamper-evident chain holds.
    assert.match(await page.getByTestId('audit-chain').innerText(), /^(All )?[\d,]+ events are linked in the tamper-evident chain/);
    await e.shot(page, '03b-audit-trail');
    assert.deepEqual(await e.a11y(page), [], 'audit page has accessibility violations');

    await page.getByTestId('nav-admin-users').click();
    await page.getByTestId('users-table').waitFor();
    assert.deepEqual(await e.a11y(page), [], 'users page has accessibility violations');
    await page.goto(`${e.baseUrl}/admin/users/new`);
    await page.getByTestId('user-create-email').fill('amani.registrar@demo.passage.invalid');
    await page.getByTestId('user-create-name').fill('Amani Registrar (fictitious)');
    await page.getByTestId('user-create-password').fill('a sufficiently long passphrase');
    await page.getByTestId('user-create-office').selectOption({ label: await optionLabel(page, 'user-create-office', 'DEMO-NL') });
    await page.getByTestId('user-create-role').selectOption('registration_officer');
    await page.getByTestId('user-create-add-role').click();
    await e.shot(page, '04-create-user');
    assert.deepEqual(await e.a11y(page), [], '04-create-user' + ' has accessibility violations');
    await page.getByTestId('user-create-submit').click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    await e.shot(page, '05-user-created');
    assert.deepEqual(await e.a11y(page), [], '05-user-created' + ' has accessibility violations');
    const created = await e.database.db.selectFrom('app_user').select(['id', 'display_name']).where('email', '=', 'amani.registrar@demo.passage.invalid').executeTakeFirst();
    assert.equal(created?.display_name, 'Amani Registrar (fictitious)');
    const grant = await e.database.db.selectFrom('user_role').innerJoin('office', 'office.id', 'user_role.office_id').select(['role', 'code']).where('user_id', '=', created!.id).execute();
    assert.deepEqual(grant, [{ role: 'registration_officer', code: 'DEMO-NL' }]);

    await page.getByTestId('user-menu').click();
    await page.locator('[data-testid=lang-switcher]:visible').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    const nav = await page.getByTestId('nav-admin-users').innerText();
    assert.match(nav, /المستخدمون/);
    await e.shot(page, '06-arabic-rtl');
    assert.deepEqual(await e.a11y(page), [], '06-arabic-rtl' + ' has accessibility violations');
    const saved = await e.database.db.selectFrom('app_user').select('locale').where('email', '=', 'administrator@demo.passage.invalid').executeTakeFirstOrThrow();
    assert.equal(saved.locale, 'ar', 'language preference saved on the account');
    if (!(await page.locator('[data-testid=lang-switcher]:visible').count())) await page.getByTestId('user-menu').click();
    await page.locator('[data-testid=lang-switcher]:visible').selectOption('en');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');

    await signOut(page);
    await e.shot(page, '07-signed-out');
    const r = await page.request.get(`${e.baseUrl}/api/auth/session`);
    assert.equal(r.status(), 401, 'the session is gone');
    await page.context().close();
  });

  it('viewer: sees no admin navigation and is refused the admin page', async () => {
    const page = await e.newPage();
    await signIn(page, e.baseUrl, 'viewer@demo.passage.invalid');
    await page.getByTestId('user-menu').waitFor();
    assert.equal(await page.getByTestId('nav-admin-users').count(), 0);
    await page.goto(`${e.baseUrl}/admin/users`);
    await page.getByTestId('forbidden').waitFor();
    await e.shot(page, '08-viewer-forbidden');
    assert.deepEqual(await e.a11y(page), [], '08-viewer-forbidden' + ' has accessibility violations');
    const api = await page.request.get(`${e.baseUrl}/api/users`);
    assert.equal(api.status(), 403, 'the API refuses too, not just the UI');
    await signOut(page);
    await page.context().close();
  });

  it('is usable on a 360-px-wide phone: nothing scrolls sideways', async () => {
    const page = await e.newPage({ width: 360, height: 740 });
    await page.goto(`${e.baseUrl}/login`);
    await page.getByTestId('login-email').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'login fits');
    await signIn(page, e.baseUrl, 'caseworker@demo.passage.invalid');
    await page.getByTestId('user-menu').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'home fits');
    await e.shot(page, '09-phone-home');
    assert.deepEqual(await e.a11y(page), [], '09-phone-home' + ' has accessibility violations');
    // The accessibility check can fail: a page with an unlabelled image and input does.
    await page.setContent('<html lang="en"><head><title>x</title></head><body><main><img src="data:,"><input></main></body></html>');
    assert.ok((await e.a11y(page)).length >= 2, 'axe finds known violations');
    await page.context().close();
  });
});

/** The visible label of the option whose text contains `contains`. */
async function optionLabel(page: Page, testId: string, contains: string): Promise<string> {
  const labels = await page.getByTestId(testId).locator('option').allInnerTexts();
  const label = labels.find((l) => l.includes(contains));
  assert.ok(label, `no option containing ${contains} in ${labels.join(' | ')}`);
  return label;
}
