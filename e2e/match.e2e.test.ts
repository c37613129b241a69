import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import type { RegistrationInput } from '@passage/domain/registry/api';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '@passage/server/seed/demo';
import { ARTIFACTS, startE2E, type E2E } from './harness.ts';

const OFFICER = 'registration.officer@demo.passage.invalid';
/** A run over an office of the demo data scores thousands of pairs: give it time on a slow machine. */
const RUN_TIMEOUT = 180_000;

async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

/** Presses Tab until the element with this test id has focus: moving through the page as a keyboard user does. */
async function tabTo(page: Page, testId: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${testId}`);
}

async function checkA11y(e: E2E, page: Page, name: string): Promise<void> {
  assert.deepEqual(await e.a11y(page), [], `${name} has accessibility violations`);
}

/**
 * Nothing sticks out sideways: checked element by element, because in right-to-left pages an overflow
 * goes to the left, where scrollWidth does not see it. Content of a frame that scrolls itself is fine.
 */
async function fitsWidth(page: Page, width: number): Promise<string[]> {
  return page.evaluate((w) => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > w) out.push(`page ${document.documentElement.scrollWidth}px`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.parentElement?.closest('.table-wrap') || el.closest('.skip-link')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < -1 || r.right > w + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return out.slice(0, 5);
  }, width);
}

/** Takes a full-page screenshot and checks it is a real picture of a page, not a blank or broken one. */
async function shot(e: E2E, page: Page, name: string): Promise<void> {
  await e.shot(page, name);
  const file = path.join(ARTIFACTS, `${name}.png`);
  const png = fs.readFileSync(file);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${name}: a PNG`);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.ok(width >= 320 && height >= 400, `${name}: ${width}×${height} is a whole page`);
  // A blank page compresses to almost nothing; a page with text, tables and colour does not.
  assert.ok(png.length > 20_000, `${name}: ${png.length} bytes is too small to show the page`);
}

/** The same man registered twice: spelling, birth date (day and month swapped) and phone differ a little; the passport is the same. */
function firstRecord(officeId: string): RegistrationInput {
  return {
    officeId,
    members: [
      {
        givenName: 'Khaled',
        familyName: 'Mansour',
        fullNameOriginal: 'خالد منصور',
        sex: 'male',
        dateOfBirth: '1979-06-12',
        nationality: 'SYR',
        phones: ['+963 933 111 222'],
        populationGroup: 'refugee',
        relationship: 'head',
        documents: [{ type: 'passport', number: 'N 7788-9900', issuingCountry: 'SYR' }],
        consents: [{ purpose: 'registration', granted: true, method: 'verbal', language: 'ar' }],
      },
    ],
  };
}

function secondRecord(officeId: string): RegistrationInput {
  return {
    officeId,
    notDuplicateReason: 'Registered again at another desk (end-to-end test)',
    members: [
      {
        givenName: 'Khalid',
        middleName: 'Ahmad',
        familyName: 'Mansour',
        fullNameOriginal: 'خالد أحمد منصور',
        sex: 'male',
        dateOfBirth: '1979-12-06',
        nationality: 'SYR',
        phones: ['+963 933 111 223'],
        populationGroup: 'refugee',
        relationship: 'head',
        documents: [{ type: 'passport', number: 'N 7788-9900', issuingCountry: 'SYR' }],
        consents: [{ purpose: 'registration', granted: true, method: 'signed', language: 'ar' }],
      },
    ],
  };
}

describe('duplicate review in a real browser', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('registration officer: finds duplicates, reviews a pair side by side, decides, merges, sees the banner and unmerges', async () => {
    const page = await e.newPage();
    await signIn(page, e.baseUrl, OFFICER);
    assert.ok(await page.getByTestId('nav-match').isVisible(), 'duplicate review is in the navigation');

    // --- two records of one man at the Port Azure sub-office, registered through the API as the officer
    const port = await e.database.db.selectFrom('office').select('id').where('code', '=', 'DEMO-NL-PORT').executeTakeFirstOrThrow();
    const session = (await (await page.request.get(`${e.baseUrl}/api/auth/session`)).json()) as { csrfToken: string };
    const register = async (body: RegistrationInput) => {
      const res = await page.request.post(`${e.baseUrl}/api/registry/registrations`, { data: body, headers: { 'x-csrf-token': session.csrfToken } });
      assert.equal(res.status(), 201, await res.text());
      return ((await res.json()) as { people: { id: string; registrationId: string }[] }).people[0]!;
    };
    const older = await register(firstRecord(port.id));
    const newer = await register(secondRecord(port.id));

    // --- the review screen: start a run for the sub-office and follow it
    await page.getByTestId('nav-match').click();
    await page.getByTestId('match-queue-page').waitFor();
    await page.getByTestId('match-run-office').selectOption(port.id);
    await page.getByTestId('match-run-start').click();
    // The run may finish before the first poll on a fast machine; when it is slower the bar shows.
    const progressOrDone = await Promise.race([
      page.getByTestId('match-run-progress').waitFor({ timeout: RUN_TIMEOUT }).then(() => 'progress' as const),
      page.getByTestId('match-run-finished').waitFor({ timeout: RUN_TIMEOUT }).then(() => 'done' as const),
    ]);
    if (progressOrDone === 'progress') {
      assert.match(await page.getByTestId('match-run-progress').innerText(), /%/);
      assert.equal(await page.getByTestId('match-run-start').isDisabled(), true, 'one run at a time from this screen');
      await shot(e, page, 'match-01-run-progress');
    }
    await page.getByTestId('match-run-finished').waitFor({ timeout: RUN_TIMEOUT });
    assert.match(await page.getByTestId('match-run-finished').innerText(), /Finished: [\d,]+ records compared/);
    assert.ok((await page.getByTestId('match-run-row').count()) >= 1, 'the run is listed');
    assert.match(await page.getByTestId('match-run-row').first().innerText(), /Finished/);

    // --- the queue: this office, most probable first; the pair of the two records is in it
    await page.getByTestId('match-filter-office').selectOption(port.id);
    await page.waitForURL((u) => new URL(u).searchParams.get('officeId') === port.id);
    await page.getByTestId('match-filter-min').fill('50');
    await page.getByTestId('match-filter-apply').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('min') === '50');
    await page.getByTestId('match-queue-table').waitFor();
    const ourRow = page.getByTestId('match-pair-row').filter({ hasText: older.registrationId }).filter({ hasText: newer.registrationId });
    for (let i = 0; i < 40 && (await ourRow.count()) === 0; i++) {
      const next = page.getByTestId('match-next');
      assert.ok((await next.count()) > 0 && (await next.isEnabled()), 'the pair of the two records is in the queue');
      const before = await page.getByTestId('match-queue-count').innerText();
      await next.click();
      await page.waitForFunction((text) => document.querySelector('[data-testid=match-queue-count]')?.textContent !== text, before);
    }
    assert.match(await ourRow.innerText(), /Khaled Mansour/);
    assert.match(await ourRow.innerText(), /Khalid Ahmad Mansour/);
    const probabilities = (await page.getByTestId('match-pair-row').allInnerTexts()).map((t) => Number(/(\d+(?:\.\d)?)\s?%/.exec(t)?.[1] ?? NaN));
    assert.ok(probabilities.every((p) => p >= 50), 'the probability filter applies');
    assert.deepEqual(probabilities, [...probabilities].sort((x, y) => y - x), 'most probable first');
    await shot(e, page, 'match-02-queue');
    await checkA11y(e, page, 'review queue');

    // --- the pair side by side
    await ourRow.getByTestId('match-pair-link').click();
    await page.getByTestId('match-pair-page').waitFor();
    const pairId = new URL(page.url()).pathname.split('/').pop()!;
    assert.match(await page.getByTestId('match-pair-probability').innerText(), /Probability: \d+/);
    const original = page.getByTestId('match-row-fullNameOriginal').locator('bdi').first();
    assert.equal(await original.getAttribute('dir'), 'auto', 'names in the original script are isolated, direction from the text');
    const originals = await page.getByTestId('match-row-fullNameOriginal').innerText();
    assert.match(originals, /خالد منصور/);
    assert.match(originals, /خالد أحمد منصور/);
    const agreementOf = (row: string) => page.getByTestId(`match-row-${row}`).getAttribute('data-agreement');
    assert.equal(await agreementOf('familyName'), 'agree', 'same family name');
    assert.equal(await agreementOf('documents'), 'agree', 'same passport');
    assert.equal(await agreementOf('middleName'), 'missing', 'middle name on one side only');
    assert.match(await page.getByTestId('match-row-dateOfBirth').innerText(), /day and month swapped/, 'the comparison level is named');
    assert.equal(await agreementOf('office'), 'none', 'the office is shown, not scored');
    // Each highlighted row says so in words too, and each scored field shows its signed weight in words.
    assert.match(await page.getByTestId('match-row-documents').innerText(), /Agree/);
    assert.match(await page.getByTestId('match-row-middleName').innerText(), /Missing/);
    const docWeight = page.getByTestId('match-weight-documents');
    assert.ok(Number(await docWeight.getAttribute('data-weight')) > 0, 'the same passport argues for the same person');
    assert.match(await docWeight.innerText(), /\+\d+(\.\d)?[\s\S]*for the same person/);
    assert.match(await page.getByTestId('match-weight-middleName').innerText(), /0\.0[\s\S]*no effect/);
    assert.match(await page.getByTestId('match-score').innerText(), /Total weight/);
    await shot(e, page, 'match-03-pair');
    await checkA11y(e, page, 'pair side by side');

    // --- someone else decided meanwhile: the decision is refused (409), the page says so and reloads
    await e.database.db.updateTable('match_pair').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', pairId).execute();
    await page.getByTestId('match-decide-unsure').click();
    await page.getByTestId('match-pair-notice').waitFor();
    assert.match(await page.getByTestId('match-pair-notice').innerText(), /Someone else decided or re-scored this pair/);
    assert.match(await page.getByTestId('match-pair-status').innerText(), /Open/, 'the pair was not changed');
    await shot(e, page, 'match-04-pair-stale');

    // --- decide "same" with a note, by keyboard
    await tabTo(page, 'match-note');
    await page.keyboard.type('Same passport; birth date written day-first on one form.');
    await tabTo(page, 'match-decide-same');
    await page.keyboard.press('Enter');
    await page.getByTestId('match-merge').waitFor();
    assert.match(await page.getByTestId('match-pair-status').innerText(), /Same person/);
    assert.match(await page.getByTestId('match-decision-current').innerText(), /Same passport/);
    assert.equal(await page.getByTestId('match-decide-same').getAttribute('aria-pressed'), 'true');

    // --- the merge: the older registration is kept by default; take the middle name from the other record
    const survivorSide = (await page.getByTestId('match-survivor-a').locator('xpath=..').innerText()).includes(older.registrationId) ? 'a' : 'b';
    assert.ok(await page.getByTestId(`match-survivor-${survivorSide}`).isChecked(), 'the older registration is kept by default');
    assert.equal(await page.getByTestId('match-take-familyName').count(), 0, 'nothing to take where both agree');
    await page.getByTestId('match-take-middleName').check();
    await page.getByTestId('match-merge-submit').click();
    assert.equal(await page.getByTestId('match-merge-reason').getAttribute('aria-invalid'), 'true', 'a reason is required');
    await page.getByTestId('match-merge-reason').fill('Same passport number; confirmed with Mr Mansour at the desk.');
    await shot(e, page, 'match-05-merge-panel');
    await checkA11y(e, page, 'merge panel');
    await page.getByTestId('match-merge-submit').click();
    await page.getByTestId('match-merge-result').waitFor();
    const moved = await page.getByTestId('match-moved').innerText();
    assert.match(moved, /Documents: 1/, 'the passport of the merged record moved');
    assert.match(moved, /Consent records: 1/);
    assert.match(await page.getByTestId('match-merge-result').innerText(), /Middle \(father's\) name/, 'the field taken is listed');
    await page.getByTestId('match-pair-status').getByText('Merged').waitFor();
    await shot(e, page, 'match-06-merged');
    await checkA11y(e, page, 'merge result');
    const stored = await e.database.db.selectFrom('person').select(['id', 'merged_into', 'middle_name']).where('id', 'in', [older.id, newer.id]).execute();
    assert.equal(stored.find((p) => p.id === newer.id)?.merged_into, older.id);
    assert.equal(stored.find((p) => p.id === older.id)?.middle_name, 'Ahmad');

    // --- the merged record says where it went; the record kept lists the merge and can undo it
    await page.getByTestId('match-merge-open-merged').click();
    await page.getByTestId('person-merged-banner').waitFor();
    await shot(e, page, 'match-07-person-merged-banner');
    await checkA11y(e, page, 'merged person');
    await page.getByTestId('person-merged-survivor').click();
    await page.waitForURL((u) => new URL(u).pathname === `/registry/people/${older.id}`);
    await page.getByTestId('person-merges').waitFor();
    assert.equal(await page.getByTestId('person-merged-banner').count(), 0, 'the record kept is not merged');
    assert.match(await page.getByTestId('person-merge').innerText(), /Another record was merged into this one[\s\S]*In force/);
    assert.match(await page.getByTestId('person-facts').innerText(), /Ahmad/, 'the middle name taken');
    await shot(e, page, 'match-08-person-merges');
    await checkA11y(e, page, 'person merges');
    await page.getByTestId('person-unmerge').click();
    await page.getByTestId('person-unmerge-confirm').click();
    await page.getByTestId('person-unmerged').waitFor();
    // The list reloads after the notice: wait for it rather than read it at once.
    await page.getByTestId('person-merge').filter({ hasText: 'Undone' }).waitFor();
    await page.getByTestId('person-facts').filter({ hasNotText: 'Ahmad' }).waitFor();
    const restored = await e.database.db.selectFrom('person').select(['id', 'merged_into', 'middle_name']).where('id', 'in', [older.id, newer.id]).execute();
    assert.equal(restored.find((p) => p.id === newer.id)?.merged_into, null, 'unmerged');
    assert.equal(restored.find((p) => p.id === older.id)?.middle_name, null, 'the record kept is as before');
    await shot(e, page, 'match-09-unmerged');
    await page.goto(`${e.baseUrl}/registry/people/${newer.id}`);
    await page.getByTestId('person-page').waitFor();
    await page.getByTestId('person-merges').waitFor();
    assert.equal(await page.getByTestId('person-merged-banner').count(), 0, 'no banner once the merge is undone');
    // The reviewed pair is back to "same person", ready to be merged again.
    await page.goto(`${e.baseUrl}/match/pairs/${pairId}`);
    await page.getByTestId('match-merge').waitFor();
    assert.match(await page.getByTestId('match-pair-status').innerText(), /Same person/);

    // --- the reviewed pair in Arabic on a phone: right to left, nothing scrolls sideways
    const phone = await e.newPage({ width: 360, height: 740 });
    await signIn(phone, e.baseUrl, OFFICER);
    await phone.getByTestId('user-menu').click();
    await phone.locator('[data-testid=lang-switcher]:visible').selectOption('ar');
    await phone.waitForFunction(() => document.documentElement.dir === 'rtl');
    await phone.goto(`${e.baseUrl}/match/pairs/${pairId}`);
    await phone.getByTestId('match-pair-page').waitFor();
    assert.match(await phone.locator('h1').innerText(), /مكرر/);
    assert.deepEqual(await fitsWidth(phone, 360), [], 'the pair page fits a phone');
    await shot(e, phone, 'match-10-pair-ar-phone');
    await checkA11y(e, phone, 'Arabic pair page');
    await phone.goto(`${e.baseUrl}/match`);
    await phone.getByTestId('match-queue-table').waitFor();
    assert.deepEqual(await fitsWidth(phone, 360), [], 'the queue fits a phone');
    await shot(e, phone, 'match-11-queue-ar-phone');
    await checkA11y(e, phone, 'Arabic queue');
    await phone.context().close();
    await page.context().close();
  });

  it('data-protection officer: sees the queue and the pairs, but cannot start runs or decide', async () => {
    const pair = await e.database.db.selectFrom('match_pair').select('id').orderBy('probability', 'desc').executeTakeFirst();
    assert.ok(pair, 'the first test left pairs in the queue');
    const page = await e.newPage();
    await page.goto(`${e.baseUrl}/login`);
    await page.getByTestId('login-email').fill('data.protection.officer@demo.passage.invalid');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('mfa-code').fill(new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET), algorithm: 'SHA1', digits: 6, period: 30 }).generate());
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('user-menu').waitFor();
    await page.getByTestId('nav-match').click();
    await page.getByTestId('match-queue-table').waitFor();
    await page.getByTestId('match-runs').waitFor();
    assert.equal(await page.getByTestId('match-run-start').count(), 0, 'no "Find duplicates" without match.review');
    await page.goto(`${e.baseUrl}/match/pairs/${pair.id}`);
    await page.getByTestId('match-compare').waitFor();
    assert.equal(await page.getByTestId('match-decide-same').count(), 0, 'no decision buttons without match.review');
    assert.match(await page.getByTestId('match-decision').innerText(), /can see this pair but not decide/);
    await shot(e, page, 'match-12-dpo-read-only');
    await checkA11y(e, page, 'read-only pair');
    await page.context().close();
  });

  it('hides duplicate review from roles without it', async () => {
    for (const email of ['viewer@demo.passage.invalid', 'caseworker@demo.passage.invalid']) {
      const page = await e.newPage();
      await signIn(page, e.baseUrl, email);
      assert.equal(await page.getByTestId('nav-match').count(), 0, `${email}: no duplicate review in the navigation`);
      await page.goto(`${e.baseUrl}/match`);
      await page.getByTestId('forbidden').waitFor();
      await page.goto(`${e.baseUrl}/match/pairs/00000000-0000-4000-8000-000000000000`);
      await page.getByTestId('forbidden').waitFor();
      if (email.startsWith('viewer')) await shot(e, page, 'match-13-viewer-forbidden');
      await page.context().close();
    }
  });
});
