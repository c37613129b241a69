import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '@passage/server/seed/demo';
import { startE2E, type E2E } from './harness.ts';

const OFFICER = 'registration.officer@demo.passage.invalid';

async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

/** Presses Tab until the element with this test id has focus: moving through the form as a keyboard user does. */
async function tabTo(page: Page, testId: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${testId}`);
}

async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

async function checkA11y(e: E2E, page: Page, name: string): Promise<void> {
  assert.deepEqual(await e.a11y(page), [], `${name} has accessibility violations`);
}

async function fitsWidth(page: Page, width: number): Promise<boolean> {
  return page.evaluate((w) => document.documentElement.scrollWidth <= w, width);
}

interface Member {
  relationship?: string;
  givenName: string;
  sex: 'female' | 'male';
  dateOfBirth: string;
}

const CHILDREN: Member[] = [
  { givenName: 'Ali', sex: 'male', dateOfBirth: '2012-09-10' },
  { givenName: 'Mariam', sex: 'female', dateOfBirth: '2015-01-20' },
  { givenName: 'Omar', sex: 'male', dateOfBirth: '2019-11-03' },
];

describe('registry in a real browser', () => {
  let e: E2E;
  /** The head of the household the first test registers (the demo data holds many other people). */
  let headRegistrationId = '';
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('registration officer: registers a household of five, finds them in any script, opens the record and the dashboard', async () => {
    const page = await e.newPage();
    await signIn(page, e.baseUrl, OFFICER);
    assert.ok(await page.getByTestId('nav-registry').isVisible(), 'the registry is in the navigation');
    assert.ok(await page.getByTestId('nav-registry-import').isVisible(), 'import is in the navigation');

    // --- 1. the head of household
    await page.getByTestId('nav-registry-register').click();
    await page.getByTestId('wizard-person').waitFor();
    await page.getByTestId('member-0-givenName').fill('Mohammed');
    await page.getByTestId('member-0-familyName').fill('Al-Hassan');
    await page.getByTestId('member-0-fullNameOriginal').fill('محمد الحسن');
    await page.getByTestId('member-0-sex').selectOption('male');
    await page.getByTestId('member-0-populationGroup').selectOption('refugee');
    await page.getByTestId('member-0-dateOfBirth').fill('1985-03-14');
    await page.getByTestId('member-0-nationality').selectOption('SYR');
    await page.getByTestId('member-0-languages').fill('ar, en');
    await e.shot(page, 'registry-01-wizard-person');
    await checkA11y(e, page, 'wizard: person');

    // Continuing with a required field emptied shows the problem next to the field and stays on the step.
    await page.getByTestId('member-0-givenName').fill('');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-problems').waitFor();
    assert.equal(await page.getByTestId('member-0-givenName').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#member-0-givenName-error').innerText(), /required/i);
    await page.getByTestId('member-0-givenName').fill('Mohammed');
    await page.getByTestId('wizard-next').click();

    // --- 2. documents, with the keyboard only
    await page.getByTestId('wizard-documents').waitFor();
    assert.equal(await focusedTestId(page), null, 'focus is on the step heading');
    await tabTo(page, 'member-0-add-doc');
    await page.keyboard.press('Enter');
    await page.getByTestId('member-0-doc-0-type').waitFor();
    assert.equal(await focusedTestId(page), 'member-0-doc-0-type', 'a new document puts focus on its first field');
    await page.keyboard.type('Pass'); // type-ahead in the closed select: "Passport"
    await page.keyboard.press('Tab');
    assert.equal(await focusedTestId(page), 'member-0-doc-0-number');
    await page.keyboard.type('N 0012345 67');
    await page.keyboard.press('Tab');
    assert.equal(await focusedTestId(page), 'member-0-doc-0-issuingCountry');
    await page.keyboard.type('Syria');
    assert.equal(await page.getByTestId('member-0-doc-0-type').inputValue(), 'passport');
    assert.equal(await page.getByTestId('member-0-doc-0-issuingCountry').inputValue(), 'SYR');
    await e.shot(page, 'registry-02-wizard-documents-keyboard');
    await checkA11y(e, page, 'wizard: documents');
    await tabTo(page, 'wizard-next');
    await page.keyboard.press('Enter');

    // --- 3. household members: spouse and three children
    await page.getByTestId('wizard-household').waitFor();
    const members: Member[] = [{ relationship: 'spouse', givenName: 'Fatima', sex: 'female', dateOfBirth: '1988-05-02' }, ...CHILDREN.map((c) => ({ ...c, relationship: 'child' }))];
    for (const [n, m] of members.entries()) {
      const i = n + 1;
      await page.getByTestId('wizard-add-member').click();
      await page.getByTestId(`member-${i}-givenName`).waitFor();
      assert.equal(await page.getByTestId(`member-${i}-relationship`).inputValue(), m.relationship, 'relationship proposed');
      assert.equal(await page.getByTestId(`member-${i}-familyName`).inputValue(), 'Al-Hassan', 'family name taken from the head');
      await page.getByTestId(`member-${i}-givenName`).fill(m.givenName);
      await page.getByTestId(`member-${i}-sex`).selectOption(m.sex);
      await page.getByTestId(`member-${i}-dateOfBirth`).fill(m.dateOfBirth);
      if (i === 1) {
        await e.shot(page, 'registry-03-wizard-member');
        await checkA11y(e, page, 'wizard: household member');
      }
    }
    await page.getByTestId('member-4-toggle').click();
    assert.equal(await page.getByTestId('member-card-4').locator('input').count(), 0, 'a closed member shows a summary only');
    await e.shot(page, 'registry-04-wizard-household');
    await checkA11y(e, page, 'wizard: household');
    await page.getByTestId('wizard-next').click();

    // --- 4. specific needs: disability follows from the Washington Group answers
    await page.getByTestId('wizard-needs').waitFor();
    assert.match(await page.getByTestId('member-0-wg-result').innerText(), /not assessed/i);
    await page.getByTestId('member-0-wg-walking-some_difficulty').check();
    assert.match(await page.getByTestId('member-0-wg-result').innerText(), /Disability: no/);
    await page.getByTestId('member-0-wg-walking-a_lot_of_difficulty').check();
    assert.match(await page.getByTestId('member-0-wg-result').innerText(), /Disability: yes/);
    assert.ok(await page.getByTestId('member-0-need-disability').isChecked(), 'disability ticked by the answers');
    assert.ok(await page.getByTestId('member-0-need-disability').isDisabled(), 'and not editable by hand');
    await e.shot(page, 'registry-05-wizard-needs');
    await checkA11y(e, page, 'wizard: needs');
    await page.getByTestId('wizard-next').click();

    // --- 5. consent, given by the head for everyone
    await page.getByTestId('wizard-consent').waitFor();
    assert.ok(await page.getByTestId('wizard-same-consent').isChecked());
    await page.getByTestId('member-0-consent-registration-yes').check();
    await page.getByTestId('member-0-consent-assistance-yes').check();
    await page.getByTestId('member-0-consent-research-no').check();
    await e.shot(page, 'registry-06-wizard-consent');
    await checkA11y(e, page, 'wizard: consent');
    await page.getByTestId('wizard-next').click();

    // --- 6. review and save
    await page.getByTestId('wizard-review').waitFor();
    assert.equal(await page.getByTestId('review-row').count(), 5);
    await page.getByTestId('dup-none').waitFor();
    await e.shot(page, 'registry-07-wizard-review');
    await checkA11y(e, page, 'wizard: review');
    await page.getByTestId('wizard-save').click();
    await page.getByTestId('registration-saved').waitFor();
    const ids = await page.getByTestId('registration-id').allInnerTexts();
    assert.equal(ids.length, 5, 'five registration ids');
    for (const id of ids) assert.match(id.trim(), /^[A-Z0-9-]+-\d{6,}-[0-9A-Z]$/, `registration id ${id}`);
    const headId = ids[0]!.trim();
    headRegistrationId = headId;
    await e.shot(page, 'registry-08-registered');
    await checkA11y(e, page, 'registration saved');
    const slip = await page.getByTestId('registration-slip').first().getAttribute('href');
    assert.match(slip ?? '', /^\/api\/registry\/people\/[0-9a-f-]{36}\/slip\.pdf$/);
    const slipResponse = await page.request.get(`${e.baseUrl}${slip}`);
    assert.equal(slipResponse.status(), 200, 'the registration slip link works');
    assert.match(slipResponse.headers()['content-type'] ?? '', /application\/pdf/);

    const stored = await e.database.db.selectFrom('person').select(['registration_id', 'given_name', 'relationship', 'household_id']).where('registration_id', 'in', ids.map((x) => x.trim())).execute();
    assert.equal(stored.length, 5);
    assert.equal(new Set(stored.map((p) => p.household_id)).size, 1, 'one household');
    assert.equal(stored.find((p) => p.registration_id === headId)?.relationship, 'head');

    // --- search: the Arabic-script name, then a misspelt Latin one
    await page.getByTestId('nav-registry').click();
    await page.getByTestId('registry-table').waitFor();
    // The demo data holds many people of these names: newest first puts this household on the first page.
    await page.getByTestId('registry-sort').selectOption('-registered');
    await page.waitForURL((u) => new URL(u).searchParams.get('sort') === '-registered');
    for (const q of ['محمد', 'Mohamad Alhasan']) {
      await page.getByTestId('registry-search').fill(q);
      await page.getByTestId('registry-search-submit').click();
      await page.waitForURL((u) => new URL(u).searchParams.get('q') === q);
      const row = page.getByTestId('registry-row').filter({ hasText: headId });
      await row.waitFor({ timeout: 10_000 });
      assert.match(await row.innerText(), /Mohammed Al-Hassan/);
    }
    await e.shot(page, 'registry-09-search');
    await checkA11y(e, page, 'registry search');
    const exportHref = await page.getByTestId('registry-export-csv').getAttribute('href');
    const exported = await page.request.get(`${e.baseUrl}${exportHref}`);
    assert.equal(exported.status(), 200, `the CSV export link works (${exportHref})`);
    assert.match(exported.headers()['content-type'] ?? '', /text\/csv/);

    // --- the person page
    await page.getByTestId('registry-row').filter({ hasText: headId }).getByTestId('registry-row-link').click();
    await page.getByTestId('person-page').waitFor();
    assert.equal((await page.getByTestId('person-registration-id').innerText()).trim(), headId);
    assert.equal((await page.getByTestId('person-original-name').innerText()).trim(), 'محمد الحسن');
    assert.equal(await page.getByTestId('person-document').count(), 1);
    assert.ok(await page.getByTestId('person-needs').isVisible(), 'specific needs shown to an officer allowed to see them');
    assert.match(await page.getByTestId('person-needs').innerText(), /Disability/);
    await e.shot(page, 'registry-10-person');
    await checkA11y(e, page, 'person page');
    await page.getByTestId('person-tab-history').click();
    await page.getByTestId('person-history').waitFor();
    assert.equal(await page.getByTestId('person-tab-views').count(), 0, 'no "who viewed this" for a registration officer');
    await e.shot(page, 'registry-11-person-history');
    await checkA11y(e, page, 'person history');

    // Editing: a stale version is reported and reloaded without losing what was typed.
    await page.getByTestId('person-tab-details').click();
    await page.getByTestId('person-edit').click();
    await page.getByTestId('person-edit-middleName').fill('Ahmad');
    await e.database.db.updateTable('person').set((eb) => ({ version: eb('version', '+', 1), languages: ['ar'] })).where('registration_id', '=', headId).execute();
    await page.getByTestId('person-edit-save').click();
    await page.getByTestId('person-stale').waitFor();
    await e.shot(page, 'registry-12-person-stale');
    await checkA11y(e, page, 'person stale');
    await page.getByTestId('person-stale-reload').click();
    await page.getByTestId('person-rebased').waitFor();
    assert.equal(await page.getByTestId('person-edit-middleName').inputValue(), 'Ahmad', 'typed edit kept');
    assert.equal(await page.getByTestId('person-edit-languages').inputValue(), 'ar', "the other person's change loaded");
    await page.getByTestId('person-edit-save').click();
    await page.getByTestId('person-notice').waitFor();
    assert.match(await page.getByTestId('person-facts').innerText(), /Ahmad/);

    // --- the household page
    await page.getByTestId('person-household-link').click();
    await page.getByTestId('household-page').waitFor();
    assert.equal(await page.getByTestId('household-member').count(), 5);
    await e.shot(page, 'registry-13-household');
    await checkA11y(e, page, 'household page');

    // --- the population dashboard
    await page.getByTestId('nav-registry-dashboard').click();
    await page.getByTestId('stats-total').waitFor();
    await page.getByTestId('chart-pyramid').locator('canvas').first().waitFor();
    assert.ok(Number((await page.getByTestId('stats-total').innerText()).replace(/\D/g, '')) >= 5, 'at least the five people registered');
    await e.shot(page, 'registry-14-dashboard');
    await checkA11y(e, page, 'population dashboard');

    // --- import: upload, automatic mapping, dry run with a problem by row and column, then only the valid rows
    await page.getByTestId('nav-registry-import').click();
    await page.getByTestId('import-upload').waitFor();
    await checkA11y(e, page, 'import page');
    const csv = ['Given name,Family name,Sex,Date of birth,Population group,Nationality,Record id', 'Layla,Haddad,F,12/04/1990,refugee,SYR,EXT-1', 'Karim,Haddad,M,1988-07-01,refugee,SYR,EXT-2', 'Nour,Haddad,F,31/02/2015,refugee,SYR,EXT-3'].join('\n');
    await page.getByTestId('import-file').setInputFiles({ name: 'haddad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`, 'utf8') });
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-mapping').waitFor();
    assert.equal(await page.getByTestId('map-given_name').inputValue(), 'Given name', 'columns matched automatically');
    assert.equal(await page.getByTestId('map-date_of_birth').inputValue(), 'Date of birth');
    await page.getByTestId('import-dry-run').click();
    const problems = page.getByTestId('import-problems');
    await problems.waitFor({ timeout: 30_000 });
    assert.match(await problems.innerText(), /Date of birth/);
    assert.match(await page.getByTestId('import-counts').innerText(), /3[\s\S]*2[\s\S]*1/);
    await e.shot(page, 'registry-15-import-dry-run');
    await checkA11y(e, page, 'import dry run');
    await page.getByTestId('import-mode-valid_rows').check();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-job-status').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('import-job-status').innerText(), /Finished/);
    const imported = await e.database.db.selectFrom('person').select('given_name').where('family_name', '=', 'Haddad').execute();
    assert.deepEqual(imported.map((p) => p.given_name).sort(), ['Karim', 'Layla'], 'only the valid rows were imported');
    await e.shot(page, 'registry-15b-import-done');
    await checkA11y(e, page, 'import done');

    // --- a second registration of the same head: the duplicate check finds the existing record
    await page.getByTestId('nav-registry-register').click();
    await page.getByTestId('member-0-givenName').fill('Mohamed');
    await page.getByTestId('member-0-familyName').fill('Al Hassan');
    await page.getByTestId('member-0-dateOfBirth').fill('1985-03-14');
    const dup = page.getByTestId('live-duplicates');
    await dup.waitFor({ timeout: 10_000 });
    assert.match(await dup.innerText(), new RegExp(headId));
    await e.shot(page, 'registry-16-duplicate-found');
    await checkA11y(e, page, 'duplicate warning');
    await page.context().close();
  });

  it('works at 360 px and in Arabic (right to left)', async () => {
    const page = await e.newPage({ width: 360, height: 740 });
    await signIn(page, e.baseUrl, OFFICER);
    await page.goto(`${e.baseUrl}/registry`);
    await page.getByTestId('registry-table').waitFor();
    assert.ok(await fitsWidth(page, 360), 'search fits');
    await e.shot(page, 'registry-17-phone-search');
    await page.goto(`${e.baseUrl}/registry/register`);
    await page.getByTestId('wizard-person').waitFor();
    assert.ok(await fitsWidth(page, 360), 'wizard fits');
    await e.shot(page, 'registry-18-phone-wizard');
    await checkA11y(e, page, 'phone wizard');

    await page.getByTestId('user-menu').click();
    await page.locator('[data-testid=lang-switcher]:visible').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.goto(`${e.baseUrl}/registry/dashboard`);
    await page.getByTestId('stats-total').waitFor();
    assert.match(await page.locator('h1').innerText(), /السكان/);
    assert.ok(await fitsWidth(page, 360), 'dashboard fits in Arabic');
    await e.shot(page, 'registry-19-phone-dashboard-ar');
    await checkA11y(e, page, 'Arabic dashboard');
    await page.goto(`${e.baseUrl}/registry`);
    await page.getByTestId('registry-table').waitFor();
    await e.shot(page, 'registry-20-phone-search-ar');
    await checkA11y(e, page, 'Arabic search');
    await page.context().close();
  });

  it('data-protection officer: sees who viewed a record', async () => {
    assert.ok(headRegistrationId, 'the first test registered a household');
    const person = await e.database.db.selectFrom('person').select('id').where('registration_id', '=', headRegistrationId).executeTakeFirstOrThrow();
    const page = await e.newPage();
    await page.goto(`${e.baseUrl}/login`);
    await page.getByTestId('login-email').fill('data.protection.officer@demo.passage.invalid');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('mfa-code').fill(new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET), algorithm: 'SHA1', digits: 6, period: 30 }).generate());
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('user-menu').waitFor();
    await page.goto(`${e.baseUrl}/registry/people/${person.id}`);
    await page.getByTestId('person-page').waitFor();
    assert.equal(await page.getByTestId('person-edit').count(), 0, 'a DPO reads, does not edit');
    await page.getByTestId('person-tab-views').click();
    await page.getByTestId('person-views').waitFor();
    const views = await page.getByTestId('person-views').innerText();
    assert.match(views, /Demo registration officer/, 'the officer who opened the record is listed');
    assert.match(views, /person\.view/);
    await e.shot(page, 'registry-21-dpo-who-viewed');
    await checkA11y(e, page, 'who viewed this');
    await page.context().close();
  });

  it('hides what a role may not use', async () => {
    const page = await e.newPage();
    await signIn(page, e.baseUrl, 'viewer@demo.passage.invalid');
    assert.equal(await page.getByTestId('nav-registry').count(), 0, 'a viewer cannot search people');
    assert.equal(await page.getByTestId('nav-registry-register').count(), 0);
    assert.ok(await page.getByTestId('nav-registry-dashboard').isVisible(), 'but sees population figures');
    await page.goto(`${e.baseUrl}/registry`);
    await page.getByTestId('forbidden').waitFor();
    await page.getByTestId('nav-registry-dashboard').click();
    await page.getByTestId('stats-total').waitFor();
    await e.shot(page, 'registry-22-viewer-dashboard');
    await checkA11y(e, page, 'viewer dashboard');
    await page.context().close();
  });
});
