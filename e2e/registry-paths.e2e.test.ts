import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@passage/server/seed/demo';
import { pageHelpers, startE2E, tabTo, type E2E } from './harness.ts';

const OFFICER = 'registration.officer@demo.passage.invalid';
const CASEWORKER = 'caseworker@demo.passage.invalid';
/** An import job or a dry run of 40,000 rows: give it time on a slow machine. */
const JOB_TIMEOUT = 60_000;

/**
 * Registry paths that registry.e2e.test.ts does not walk: moving and removing household members, documents and
 * consent on a person's page, registering someone the matching engine takes for a demo person, and the import's
 * dry run, modes, saved column matching and cancel. Each acts through the screens and checks what was stored.
 */
describe('registry paths in a real browser', () => {
  let e: E2E;
  let nlId = '';
  let tmp = '';
  const pages: Page[] = [];
  before(async () => {
    e = await startE2E();
    nlId = (await e.database.db.selectFrom('office').select('id').where('code', '=', 'DEMO-NL').executeTakeFirstOrThrow()).id;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-registry-paths-'));
  });
  after(async () => {
    for (const p of pages) await p.context().close();
    await e.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const as = (email: string, totp?: () => string) => pageHelpers(e, pages, DEMO_PASSWORD).as(email, totp);
  const shot = (page: Page, name: string) => pageHelpers(e, pages, DEMO_PASSWORD).shot(page, name);
  const checkA11y = (page: Page, name: string) => pageHelpers(e, pages, DEMO_PASSWORD).checkA11y(page, name);
  /** The API as the signed-in user of this page (session cookie and CSRF token). */
  async function api(page: Page) {
    const { csrfToken } = (await (await page.request.get(`${e.baseUrl}/api/auth/session`)).json()) as { csrfToken: string };
    return {
      csrfToken,
      get: async <T>(url: string): Promise<T> => {
        const res = await page.request.get(`${e.baseUrl}${url}`);
        assert.equal(res.status(), 200, `GET ${url}: ${await res.text()}`);
        return (await res.json()) as T;
      },
      post: (url: string, data: unknown) => page.request.post(`${e.baseUrl}${url}`, { data, headers: { 'x-csrf-token': csrfToken } }),
    };
  }
  /** "Members: N" under a household's title. */
  const sizeShown = async (page: Page) => (await page.locator('.page-header__description').innerText()).trim();
  /** The current members of a household, by registration id. */
  async function membersOf(householdId: string) {
    return e.database.db.selectFrom('person').select(['id', 'registration_id', 'given_name', 'middle_name', 'family_name', 'relationship']).where('household_id', '=', householdId).orderBy('registration_id').execute();
  }

  it('household page: moves a member to another household and removes one; sizes, the person page and the history follow', async () => {
    const db = e.database.db;
    // Two demo households of Northland with at least three members each.
    const big = await db
      .selectFrom('person')
      .select(['household_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('office_id', '=', nlId)
      .where('household_id', 'is not', null)
      .where('merged_into', 'is', null)
      .groupBy('household_id')
      .having((eb) => eb.fn.countAll(), '>=', 3)
      .orderBy((eb) => eb.fn.min('registration_id'))
      .limit(2)
      .execute();
    assert.equal(big.length, 2, 'the demo data has households of three or more');
    const [from, to] = [big[0]!.household_id!, big[1]!.household_id!];
    const fromSize = Number(big[0]!.n);
    const toSize = Number(big[1]!.n);
    const fromMembers = await membersOf(from);
    const [mover, leaver] = fromMembers.filter((m) => m.relationship !== 'head');
    assert.ok(mover && leaver, 'two members besides the head');
    const toHead = (await membersOf(to)).find((m) => m.relationship === 'head')!;
    const moverName = [mover.given_name, mover.middle_name, mover.family_name].filter(Boolean).join(' ');

    const page = await as(OFFICER);
    await page.goto(`${e.baseUrl}/registry/households/${from}`);
    await page.getByTestId('household-page').waitFor();
    assert.equal(await page.getByTestId('household-member').count(), fromSize);
    assert.equal(await sizeShown(page), `Members: ${fromSize}`);

    // --- move: find the other household by its head's registration id, typed and sent with Enter
    await page.getByTestId('household-member').filter({ hasText: mover.registration_id }).getByTestId('household-move').click();
    await page.getByTestId('household-move-q').fill(toHead.registration_id);
    await page.keyboard.press('Enter');
    const pick = page.getByTestId('household-move-pick');
    await pick.waitFor();
    assert.match(await pick.innerText(), new RegExp(`Move to ${toHead.given_name}`));
    await shot(page, 'registry-paths-01-household-move');
    await checkA11y(page, 'household page, moving a member');
    await pick.click();
    await page.getByTestId('household-notice').getByText(`${moverName} has moved to the other household.`).waitFor();
    assert.equal(await sizeShown(page), `Members: ${fromSize - 1}`, 'the size shown follows');
    assert.equal(await page.getByTestId('household-member').filter({ hasText: mover.registration_id }).count(), 0, 'no longer listed as a member');

    // --- remove another member (two steps: the question, then confirm)
    await page.getByTestId('household-member').filter({ hasText: leaver.registration_id }).getByTestId('household-remove').click();
    await page.getByTestId('household-remove-confirm').click();
    await page.getByTestId('household-notice').getByText('is no longer a member').waitFor();
    assert.equal(await sizeShown(page), `Members: ${fromSize - 2}`);
    assert.equal(await page.getByTestId('household-member').count(), fromSize - 2);

    // The history keeps both former memberships, with the day they ended.
    const history = page.getByTestId('household-history').locator('tbody tr');
    assert.equal(await history.count(), fromSize, 'every membership ever, current and past');
    for (const gone of [mover, leaver]) {
      const row = history.filter({ hasText: gone.registration_id });
      assert.equal(await row.count(), 1);
      const cells = await row.locator('td').allInnerTexts();
      assert.match(cells[1]!, /Former member/);
      assert.notEqual(cells[4]!.trim(), '—', `${gone.registration_id} has a date of leaving`);
    }
    await shot(page, 'registry-paths-02-household-after');
    await checkA11y(page, 'household page after the changes');

    // Stored: the API answers the same sizes, and the old memberships are closed, not deleted.
    const a = await api(page);
    assert.equal((await a.get<{ size: number }>(`/api/registry/households/${from}`)).size, fromSize - 2);
    assert.equal((await a.get<{ size: number }>(`/api/registry/households/${to}`)).size, toSize + 1);
    const memberships = await db.selectFrom('household_membership').select(['person_id', 'household_id', 'left_at']).where('person_id', 'in', [mover.id, leaver.id]).orderBy('id').execute();
    assert.deepEqual(
      memberships.map((m) => [m.person_id === mover.id ? 'mover' : 'leaver', m.household_id === from ? 'from' : 'to', m.left_at ? 'left' : 'current']).sort(),
      [
        ['leaver', 'from', 'left'],
        ['mover', 'from', 'left'],
        ['mover', 'to', 'current'],
      ],
    );

    // --- the moved person's page points at the new household, which shows one more member
    await page.goto(`${e.baseUrl}/registry/people/${mover.id}`);
    await page.getByTestId('person-page').waitFor();
    assert.equal(await page.getByTestId('person-household-link').getAttribute('href'), `/registry/households/${to}`);
    await page.getByTestId('person-tab-history').click();
    await page.getByTestId('person-history').waitFor();
    assert.match(await page.getByTestId('history-row').first().innerText(), /Joined a household[\s\S]*Household changed/);
    await page.getByTestId('person-tab-details').click();
    await page.getByTestId('person-household-link').click();
    await page.getByTestId('household-page').waitFor();
    assert.equal(await sizeShown(page), `Members: ${toSize + 1}`);
    await page.getByTestId('household-member').filter({ hasText: mover.registration_id }).waitFor();

    // --- the removed person belongs to no household now
    await page.goto(`${e.baseUrl}/registry/people/${leaver.id}`);
    await page.getByTestId('person-page').waitFor();
    assert.equal(await page.getByTestId('person-household-link').count(), 0);
    await page.getByText('Not a member of any household.').waitFor();
    await page.getByTestId('person-tab-history').click();
    assert.match(await page.getByTestId('history-row').first().innerText(), /Left a household/);
  });

  it('person page: adds an identity document, refuses an invalid one naming the field, records and withdraws consent; the history shows it', async () => {
    const db = e.database.db;
    // A demo adult of Northland never asked about referral to partners.
    const someone = await db
      .selectFrom('person')
      .select(['id', 'registration_id'])
      .where('office_id', '=', nlId)
      .where('merged_into', 'is', null)
      .where('date_of_birth', '<', '2000-01-01')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('consent').select('consent.id').whereRef('consent.person_id', '=', 'person.id').where('consent.purpose', '=', 'referral'))))
      .orderBy('registration_id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const docsStored = () => db.selectFrom('identity_document').select(['number', 'issue_date', 'expiry_date', 'issuing_country', 'version']).where('person_id', '=', someone.id).execute();
    const docsBefore = (await docsStored()).length;

    const page = await as(OFFICER);
    await page.goto(`${e.baseUrl}/registry/people/${someone.id}`);
    await page.getByTestId('person-page').waitFor();
    assert.equal(await page.getByTestId('person-document').count(), docsBefore);

    // --- a new document, by keyboard: the form opens with focus on its type
    await page.getByTestId('person-doc-add').click();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'person-doc-type');
    await page.keyboard.type('Nat'); // type-ahead in the closed select: "National identity card"
    await page.keyboard.press('Tab');
    await page.keyboard.type('NID-4471-2291');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Syria');
    assert.equal(await page.getByTestId('person-doc-type').inputValue(), 'national_id');
    assert.equal(await page.getByTestId('person-doc-issuingCountry').inputValue(), 'SYR');
    await page.getByTestId('person-doc-issueDate').fill('2021-03-01');
    // Expiry before issue: refused beside the field that is wrong, and nothing is sent.
    await page.getByTestId('person-doc-expiryDate').fill('2020-03-01');
    await page.getByTestId('person-doc-save').click();
    const expiryError = page.locator('#person-doc-expiryDate-error');
    await expiryError.waitFor();
    assert.equal(await expiryError.innerText(), 'The expiry date must be after the issue date.');
    assert.equal(await page.getByTestId('person-doc-expiryDate').getAttribute('aria-invalid'), 'true');
    assert.match(await page.getByTestId('person-doc-expiryDate').getAttribute('aria-describedby') ?? '', /person-doc-expiryDate-error/, 'the message belongs to the "Expiry date" field');
    assert.equal(await page.getByTestId('person-doc-issueDate').getAttribute('aria-invalid'), null, 'only the wrong field is marked');
    await shot(page, 'registry-paths-03-document-invalid');
    await checkA11y(page, 'document form with an error');
    assert.equal((await docsStored()).length, docsBefore, 'nothing saved');
    // The server refuses the same, and an unknown country (which the list cannot offer), naming each field.
    const a = await api(page);
    for (const [bad, field] of [
      [{ issueDate: '2021-03-01', expiryDate: '2020-03-01' }, 'expiryDate'],
      [{ issuingCountry: 'XQZ' }, 'issuingCountry'],
    ] as const) {
      const res = await a.post(`/api/registry/people/${someone.id}/documents`, { type: 'national_id', number: 'NID-4471-2291', ...bad });
      assert.equal(res.status(), 400, await res.text());
      const problem = (await res.json()) as { errors?: { field: string }[] };
      assert.ok(problem.errors?.some((x) => x.field.endsWith(field)), `the problem names ${field}: ${JSON.stringify(problem)}`);
    }
    assert.equal((await docsStored()).length, docsBefore, 'still nothing saved');

    // Corrected, it saves; the list and the database have it.
    await page.getByTestId('person-doc-expiryDate').fill('2031-03-01');
    await page.getByTestId('person-doc-save').click();
    const added = page.getByTestId('person-document').filter({ hasText: 'NID-4471-2291' });
    await added.waitFor();
    assert.match(await added.innerText(), /National identity card[\s\S]*Syria[\s\S]*issued Mar 1, 2021 · expires Mar 1, 2031/);
    const stored = (await docsStored()).find((d) => d.number === 'NID-4471-2291');
    assert.deepEqual(stored, { number: 'NID-4471-2291', issue_date: '2021-03-01', expiry_date: '2031-03-01', issuing_country: 'SYR', version: 1 });

    // --- the document edited: the same fields, filled in, checked as they are typed
    const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    await added.getByTestId('person-document-edit').click();
    await page.getByTestId('person-doc-edit-form').waitFor();
    assert.equal(await focusedTestId(), 'person-doc-edit-type');
    assert.equal(await page.getByTestId('person-doc-edit-type').inputValue(), 'national_id');
    assert.equal(await page.getByTestId('person-doc-edit-number').inputValue(), 'NID-4471-2291');
    assert.equal(await page.getByTestId('person-doc-edit-issuingCountry').inputValue(), 'SYR');
    assert.equal(await page.getByTestId('person-doc-edit-expiryDate').inputValue(), '2031-03-01');
    assert.equal(await page.getByTestId('person-doc-edit-save').isDisabled(), true, 'nothing to save before a change');
    await page.getByTestId('person-doc-edit-expiryDate').fill('2020-03-01');
    const editExpiryError = page.locator('#person-doc-edit-expiryDate-error');
    await editExpiryError.waitFor();
    assert.equal(await editExpiryError.innerText(), 'The expiry date must be after the issue date.', 'shown as typed, before saving');
    await page.getByTestId('person-doc-edit-save').click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'person-doc-edit-expiryDate');
    // Meanwhile someone records another document of the person (the page does not know yet).
    const other = await a.post(`/api/registry/people/${someone.id}/documents`, { type: 'national_id', number: 'NID-9000-0001' });
    assert.equal(other.status(), 200, await other.text());
    // A good expiry date, and a number that is that other document's in another spelling.
    await page.getByTestId('person-doc-edit-expiryDate').fill('2033-03-01');
    assert.equal(await editExpiryError.count(), 0);
    await page.getByTestId('person-doc-edit-number').fill('nid 9000 0001');
    await page.getByTestId('person-doc-edit-save').click();
    // Saved after the page read the person: the newer record is loaded, the changes typed stay in the form.
    await page.getByTestId('person-doc-stale').waitFor();
    await page.getByTestId('person-doc-stale-reload').click();
    await page.getByTestId('person-document').filter({ hasText: 'NID-9000-0001' }).waitFor();
    assert.equal(await page.getByTestId('person-doc-edit-expiryDate').inputValue(), '2033-03-01');
    assert.equal(await page.getByTestId('person-doc-edit-number').inputValue(), 'nid 9000 0001');
    // The server refuses the duplicate number, and the page says so beside the number.
    await page.getByTestId('person-doc-edit-save').click();
    const numberError = page.locator('#person-doc-edit-number-error');
    await numberError.waitFor();
    assert.equal(await numberError.innerText(), 'This person already has this document.');
    assert.equal(await page.getByTestId('person-doc-edit-number').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('person-doc-edit-expiryDate').getAttribute('aria-invalid'), null, 'only the wrong field is marked');
    await shot(page, 'registry-paths-03b-document-edit-refused');
    await checkA11y(page, 'document edit form with a server error');
    assert.deepEqual((await docsStored()).find((d) => d.number === 'NID-4471-2291'), stored, 'nothing saved yet');
    // The number put back, the new expiry date is saved; the form closes onto the document's Edit button.
    await page.getByTestId('person-doc-edit-number').fill('NID-4471-2291');
    assert.equal(await numberError.count(), 0, "the server's complaint goes once the field is changed");
    await page.getByTestId('person-doc-edit-save').click();
    await page.getByTestId('person-doc-edit-form').waitFor({ state: 'detached' });
    assert.match(await added.innerText(), /National identity card[\s\S]*Syria[\s\S]*issued Mar 1, 2021 · expires Mar 1, 2033/);
    assert.equal(await page.getByTestId('person-documents-status').innerText(), 'The document is saved.');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'person-document-edit');
    assert.deepEqual((await docsStored()).find((d) => d.number === 'NID-4471-2291'), { ...stored, expiry_date: '2033-03-01', version: 2 });

    // --- consent to referral: recorded, then withdrawn
    const consentRows = page.getByTestId('person-consent');
    const consentsBefore = await consentRows.count();
    await page.getByTestId('consent-add').click();
    await page.getByTestId('consent-save').click();
    await page.locator('#consent-purpose-error').waitFor();
    await page.getByTestId('consent-purpose').selectOption('referral');
    await page.locator('#consent-method').selectOption('signed');
    await page.getByTestId('consent-answer-yes').check();
    await shot(page, 'registry-paths-04-consent-form');
    await checkA11y(page, 'consent form');
    await page.getByTestId('consent-save').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=person-consent]').length === n, consentsBefore + 1);
    const referral = consentRows.filter({ hasText: 'Referral to partners' });
    assert.match(await referral.innerText(), /Yes, gives consent[\s\S]*Signed form/);
    assert.match(await page.getByTestId('person-consents').locator('p').first().innerText(), /Referral to partners/, 'in force');
    type PersonBody = { consentInForce: string[]; consents: { purpose: string; withdrawnAt: string | null }[] };
    assert.ok((await a.get<PersonBody>(`/api/registry/people/${someone.id}`)).consentInForce.includes('referral'));

    await referral.getByTestId('person-consent-withdraw').click();
    await page.getByTestId('person-consent-withdraw-confirm').click();
    await referral.getByText(/^Withdrawn /).waitFor();
    assert.doesNotMatch(await page.getByTestId('person-consents').locator('p').first().innerText(), /Referral to partners/, 'no longer in force');
    const afterWithdraw = await a.get<PersonBody>(`/api/registry/people/${someone.id}`);
    assert.ok(!afterWithdraw.consentInForce.includes('referral'));
    assert.ok(afterWithdraw.consents.find((c) => c.purpose === 'referral')?.withdrawnAt, 'the record is kept, stamped withdrawn');
    const withdrawn = await db.selectFrom('consent').select(['granted', 'method', 'withdrawn_at']).where('person_id', '=', someone.id).where('purpose', '=', 'referral').execute();
    assert.equal(withdrawn.length, 1);
    assert.equal(withdrawn[0]!.granted, true);
    assert.equal(withdrawn[0]!.method, 'signed');
    assert.ok(withdrawn[0]!.withdrawn_at);
    await shot(page, 'registry-paths-05-consent-withdrawn');

    // --- the history: newest first, one line each; the refused document and the refused edits left no trace
    await page.getByTestId('person-tab-history').click();
    await page.getByTestId('person-history').waitFor();
    const rows = await page.getByTestId('history-row').allInnerTexts();
    assert.match(rows[0]!, /Consent withdrawn[\s\S]*Referral to partners/);
    assert.match(rows[1]!, /Consent recorded[\s\S]*Referral to partners, Yes, gives consent/);
    assert.match(rows[2]!, /Document changed[\s\S]*National identity card[\s\S]*Expiry date: 2031-03-01 → 2033-03-01/);
    assert.doesNotMatch(rows[2]!, /Document number|Issuing country|Issue date/, 'only the field changed');
    assert.match(rows[3]!, /Document added[\s\S]*National identity card/);
    assert.match(rows[4]!, /Document added[\s\S]*National identity card/);
    assert.equal(rows.filter((r) => /Document added/.test(r)).length, 2, "the page's document and the one added meanwhile, not the refused one");
    assert.equal(rows.filter((r) => /Document changed/.test(r)).length, 1, 'one change saved');
    await shot(page, 'registry-paths-06-person-history');
    await checkA11y(page, 'person history');
  });

  it('registration: someone the matching engine takes for a demo person shows the candidate with its explanation; registered anyway with a reason', async () => {
    const db = e.database.db;
    // A demo head of household at Northland with a date of birth and a long enough given name.
    const demo = await db
      .selectFrom('person')
      .select(['id', 'registration_id', 'given_name', 'family_name', 'sex', 'date_of_birth', 'nationality', 'population_group'])
      .where('office_id', '=', nlId)
      .where('relationship', '=', 'head')
      .where('merged_into', 'is', null)
      .where('date_of_birth', 'is not', null)
      .where('nationality', 'is not', null)
      .where('family_name', 'is not', null)
      .where((eb) => eb.fn('length', ['given_name']), '>=', 6)
      .orderBy('registration_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    // The same person typed by another officer: two letters of the given name swapped.
    const g = demo.given_name;
    const typed = g.slice(0, 2) + g[3] + g[2] + g.slice(4);
    assert.notEqual(typed, g);

    const page = await as(OFFICER);
    // The engine's index loads in the background at start: wait for it, so the check is more than the exact rules.
    const a = await api(page);
    for (let i = 0; ; i++) {
      const res = await a.post('/api/registry/duplicate-check', { givenName: typed, familyName: demo.family_name, dateOfBirth: demo.date_of_birth });
      if (((await res.json()) as { engine?: string }).engine === 'ready') break;
      assert.ok(i < 120, 'the matching engine is ready within a minute');
      await page.waitForTimeout(500);
    }

    await page.getByTestId('nav-registry-register').click();
    await page.getByTestId('wizard-person').waitFor();
    await page.getByTestId('member-0-givenName').fill(typed);
    await page.getByTestId('member-0-familyName').fill(demo.family_name!);
    await page.getByTestId('member-0-sex').selectOption(demo.sex);
    await page.getByTestId('member-0-populationGroup').selectOption(demo.population_group);
    await page.getByTestId('member-0-dateOfBirth').fill(demo.date_of_birth!);
    await page.getByTestId('member-0-nationality').selectOption(demo.nationality!);
    // The live check under the form finds the demo person as soon as the details are typed.
    await page.getByTestId('live-duplicates').getByTestId('dup-candidate').filter({ hasText: demo.registration_id }).waitFor({ timeout: 15_000 });
    for (const s of ['documents', 'household', 'needs', 'consent']) {
      await page.getByTestId('wizard-next').click();
      await page.getByTestId(`wizard-${s}`).waitFor();
    }
    await page.getByTestId('member-0-consent-registration-yes').check();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-review').waitFor();

    // --- the candidate, why, how probable, and the engine's field-by-field explanation
    const candidate = page.getByTestId('review-duplicates').getByTestId('dup-candidate').filter({ hasText: demo.registration_id });
    await candidate.waitFor({ timeout: 15_000 });
    const why = await candidate.innerText();
    assert.match(why, new RegExp(`^${demo.given_name} .*${demo.family_name}`), 'the existing record by name');
    assert.match(why, /similar person \(matching engine\)/);
    const probability = Number(/\((\d+)\s?%\)/.exec(why)?.[1] ?? NaN);
    assert.ok(probability >= 50 && probability <= 100, `a probability is shown (${why})`);
    const explanation = candidate.getByTestId('dup-explanation');
    assert.equal(await explanation.locator('table').isVisible(), false, 'folded until asked for');
    await explanation.locator('summary').focus();
    await page.keyboard.press('Enter');
    await explanation.locator('table').waitFor();
    const fields = explanation.locator('tr[data-field]');
    assert.ok((await fields.count()) >= 3, 'several fields compared');
    const dob = explanation.locator('tr').filter({ hasText: 'Date of birth' });
    assert.equal(await dob.getAttribute('data-agreement'), 'agree');
    assert.match(await dob.innerText(), /Agree[\s\S]*\+\d+(\.\d)?[\s\S]*for the same person/, 'the same birth date argues for the same person, with its weight');
    const given = explanation.locator('tr').filter({ hasText: 'Given name' });
    assert.match(await explanation.locator('tr').filter({ hasText: 'Family name' }).innerText(), /exact/);
    assert.doesNotMatch(await given.innerText(), /exact/, 'the given name is a near spelling, not the same');
    for (const w of await explanation.locator('[data-weight]').all()) assert.ok(Number.isFinite(Number(await w.getAttribute('data-weight'))));
    await shot(page, 'registry-paths-07-wizard-duplicate-explained');
    await checkA11y(page, 'review with a duplicate explained');

    // --- "this is a different person": saving asks why first
    const save = page.getByTestId('wizard-save');
    await save.click();
    await page.locator('#wizard-not-duplicate-error').waitFor();
    assert.match(await page.locator('#wizard-not-duplicate-error').innerText(), /Explain why this is a different person/);
    assert.equal(await page.getByTestId('registration-saved').count(), 0, 'not saved without a reason');
    const reason = `Different father's name and birthplace; checked with ${demo.registration_id} at the desk`;
    await tabTo(page, 'wizard-not-duplicate');
    await page.keyboard.type(reason);
    // The people the check showed, by the links to their records.
    const shownIds = await page
      .getByTestId('review-duplicates')
      .getByTestId('dup-candidate')
      .locator('a[href^="/registry/people/"]')
      .evaluateAll((links) => links.map((l) => l.getAttribute('href')!.split('/').pop()!));
    assert.ok(shownIds.includes(demo.id), 'the demo person is among them');
    await save.click();
    await page.getByTestId('registration-saved').waitFor();
    const newId = (await page.getByTestId('registration-id').innerText()).trim();
    await shot(page, 'registry-paths-08-registered-anyway');

    // Stored: the new person, and the reason given for registering them despite the candidate.
    const created = await db.selectFrom('person').select(['id', 'given_name']).where('registration_id', '=', newId).executeTakeFirstOrThrow();
    assert.equal(created.given_name, typed);
    const dismissal = await db.selectFrom('duplicate_dismissal').innerJoin('app_user', 'app_user.id', 'duplicate_dismissal.recorded_by').select(['reason', 'app_user.email', 'candidate_ids']).where('person_id', '=', created.id).execute();
    assert.deepEqual(
      dismissal.map((d) => ({ ...d, candidate_ids: [...d.candidate_ids].sort() })),
      [{ reason, email: OFFICER, candidate_ids: [...shownIds].sort() }],
      'the reason, and the people the officer was shown and judged to be someone else',
    );
  });

  it('import: dry run names problems by row and column; "all or nothing" imports nothing; valid rows; saved column matching; cancel', async () => {
    const db = e.database.db;
    const count = async (familyName: string) => Number((await db.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n')).where('family_name', '=', familyName).executeTakeFirstOrThrow()).n);
    const file = (name: string, lines: string[]) => {
      const p = path.join(tmp, name);
      fs.writeFileSync(p, `${lines.join('\n')}\n`, 'utf8');
      return p;
    };
    const page = await as(OFFICER);
    await page.getByTestId('nav-registry-import').click();
    await page.getByTestId('import-upload').waitFor();
    const upload = async (p: string) => {
      await page.getByTestId('import-file').setInputFiles(p);
      await page.getByTestId('import-upload').click();
      await page.getByTestId('import-mapping').getByText(path.basename(p)).waitFor();
    };
    const dryRun = async () => {
      await page.getByTestId('import-dry-run').click();
      await page.getByTestId('import-dry-result').getByTestId('import-counts').waitFor({ timeout: JOB_TIMEOUT });
    };
    const countsOf = async (within: string) => {
      const dl = page.getByTestId(within).getByTestId('import-counts');
      const labels = await dl.locator('dt').allInnerTexts();
      const values = await dl.locator('dd').allInnerTexts();
      return Object.fromEntries(labels.map((l, i) => [l, Number(values[i]!.replace(/\D/g, ''))]));
    };

    // --- 1. a file with three bad rows among five
    await upload(
      file('qasemi.csv', [
        'Given name,Family name,Sex,Date of birth,Population group,Nationality,Record id',
        'Amira,Qasemi,F,1992-04-12,refugee,AFG,QAS-1',
        'Farid,Qasemi,M,31/02/1990,refugee,AFG,QAS-2',
        'Zahra,Qasemi,F,2001-09-30,refugee,ZZZ,QAS-3',
        'Javad,Qasemi,Q,1988-01-05,refugee,AFG,QAS-4',
        'Soraya,Qasemi,F,2004-11-02,refugee,IRN,QAS-5',
      ]),
    );
    await dryRun();
    assert.deepEqual(await countsOf('import-dry-result'), { 'Rows read': 5, 'Valid rows': 2, 'Rows with problems': 3 });
    const problems = (await page.getByTestId('import-dry-result').getByTestId('import-problems').locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    assert.equal(problems.length, 3, problems.join('\n'));
    // Rows are counted as in the file, the header being row 1.
    assert.match(problems[0]!, /^3 Date of birth /);
    assert.match(problems[1]!, /^4 Nationality /);
    assert.match(problems[2]!, /^5 Sex /);
    await shot(page, 'registry-paths-09-import-problems');
    await checkA11y(page, 'import dry run with problems');

    // "All or nothing" with bad rows would import nothing: the page says so and does not start it.
    await page.getByTestId('import-mode-all_or_nothing').check();
    assert.equal(await page.getByTestId('import-run').isDisabled(), true);
    await page.getByText('"all or nothing" would import nothing').waitFor();
    assert.equal(await count('Qasemi'), 0, 'nothing imported');
    assert.equal(await db.selectFrom('import_job').select('id').where('file_name', '=', 'qasemi.csv').where('mode', '!=', 'dry_run').executeTakeFirst(), undefined, 'no import started');

    // Only the valid rows: the two good people exist afterwards.
    await page.getByTestId('import-mode-valid_rows').check();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-job-status').waitFor({ timeout: JOB_TIMEOUT });
    assert.match(await page.getByTestId('import-job-status').innerText(), /Finished/);
    assert.equal((await countsOf('import-job'))['People registered'], 2);
    const imported = await db.selectFrom('person').select(['given_name', 'external_id', 'office_id']).where('family_name', '=', 'Qasemi').orderBy('given_name').execute();
    assert.deepEqual(imported, [
      { given_name: 'Amira', external_id: 'QAS-1', office_id: nlId },
      { given_name: 'Soraya', external_id: 'QAS-5', office_id: nlId },
    ]);
    const a = await api(page);
    const found = await a.get<{ items: { registrationId: string; familyName: string | null }[] }>('/api/registry/people?q=Qasemi&sort=-registered');
    assert.equal(found.items.filter((p) => p.familyName === 'Qasemi').length, 2, 'found through the API');

    // --- 2. a partner's own column names: matched by hand once and saved for next time
    await upload(
      file('partner-march.csv', ['Vorname,Nachname,Geschlecht,Geburtstag,Gruppe,Kennung', 'Lina,Brandtner,F,1990-06-01,refugee,BR-1', 'Omid,Brandtner,M,1987-02-17,refugee,BR-2']),
    );
    assert.equal(await page.getByTestId('map-given_name').inputValue(), '', 'these names are not recognised by themselves');
    assert.equal(await page.getByTestId('import-template').count(), 0, 'no saved matching yet');
    const byHand: [string, string][] = [
      ['given_name', 'Vorname'],
      ['family_name', 'Nachname'],
      ['sex', 'Geschlecht'],
      ['date_of_birth', 'Geburtstag'],
      ['population_group', 'Gruppe'],
      ['external_id', 'Kennung'],
    ];
    for (const [target, column] of byHand) await page.getByTestId(`map-${target}`).selectOption(column);
    await page.getByTestId('import-save-template').check();
    await page.getByTestId('import-template-name').fill('Partner export (German headers)');
    await dryRun();
    assert.deepEqual(await countsOf('import-dry-result'), { 'Rows read': 2, 'Valid rows': 2, 'Rows with problems': 0 });
    await page.getByTestId('import-mode-all_or_nothing').check();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-job-status').waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await count('Brandtner'), 2, '"all or nothing" of a clean file imports every row');
    const template = await db.selectFrom('import_template').select(['name', 'mapping']).where('office_id', '=', nlId).execute();
    assert.equal(template.length, 1);
    assert.equal(template[0]!.name, 'Partner export (German headers)');
    assert.deepEqual(Object.fromEntries(Object.entries(template[0]!.mapping).filter(([, c]) => c !== null)), Object.fromEntries(byHand));

    // The next file from that partner (columns in another order, one more, one fewer): the saved matching is offered.
    await upload(file('partner-april.csv', ['Geschlecht,Gruppe,Nachname,Vorname,Bemerkung,Geburtstag', 'F,refugee,Wendler,Carla,arrived by bus,1999-12-24']));
    assert.equal(await page.getByTestId('map-given_name').inputValue(), '');
    const offered = page.getByTestId('import-template');
    assert.deepEqual(await offered.locator('option').allInnerTexts(), ['Automatic matching', 'Partner export (German headers)']);
    await offered.selectOption({ label: 'Partner export (German headers)' });
    // Saving the matching is asked afresh for each file: the box is no longer ticked, no name is pending.
    assert.equal(await page.getByTestId('import-save-template').isChecked(), false, 'not ticked again for the next file');
    assert.equal(await page.getByTestId('import-template-name').count(), 0);
    for (const [target, column] of byHand.filter(([t]) => t !== 'external_id')) assert.equal(await page.getByTestId(`map-${target}`).inputValue(), column, `${target} from the saved matching`);
    assert.equal(await page.getByTestId('map-external_id').inputValue(), '', 'a column this file does not have stays unmapped');
    await shot(page, 'registry-paths-10-import-template-offered');
    await checkA11y(page, 'import with a saved matching');
    await dryRun();
    assert.deepEqual(await countsOf('import-dry-result'), { 'Rows read': 1, 'Valid rows': 1, 'Rows with problems': 0 });
    await page.getByTestId('import-mode-valid_rows').check();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-job-status').waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await count('Wendler'), 1);
    assert.deepEqual(
      (await db.selectFrom('import_template').select('name').where('office_id', '=', nlId).execute()).map((x) => x.name),
      ['Partner export (German headers)'],
      'the second file saved no matching of its own',
    );

    // --- 3. a long file, cancelled while the import runs: nothing of it stays
    const rows = Array.from({ length: 40_000 }, (_, i) => `Person${i},Abbandono,${i % 2 ? 'M' : 'F'},1980-01-01,refugee,SYR,ABB-${i}`);
    await upload(file('long.csv', ['Given name,Family name,Sex,Date of birth,Population group,Nationality,Record id', ...rows]));
    await dryRun();
    assert.equal((await countsOf('import-dry-result'))['Valid rows'], 40_000);
    await page.getByTestId('import-mode-valid_rows').check();
    await page.getByTestId('import-run').click();
    // The progress bar follows the job (polled each second); cancel once it has started writing.
    await page.getByTestId('import-progress').getByText(/^Running — [\d,]+ of 40,000 rows/).waitFor({ timeout: JOB_TIMEOUT });
    await page.getByTestId('import-cancel').click();
    const status = page.getByTestId('import-job-status');
    await status.waitFor({ timeout: JOB_TIMEOUT });
    assert.match(await status.innerText(), /Cancelled: nothing was imported/);
    await shot(page, 'registry-paths-11-import-cancelled');
    await checkA11y(page, 'import cancelled');
    assert.equal(await count('Abbandono'), 0, 'a cancelled import leaves no rows');
    const job = await db.selectFrom('import_job').select(['status', 'rows_created', 'started_at']).where('file_name', '=', 'long.csv').where('mode', '=', 'valid_rows').executeTakeFirstOrThrow();
    assert.equal(job.status, 'cancelled');
    assert.equal(job.rows_created, '0');
    assert.ok(job.started_at, 'cancelled while running, not while waiting in the queue');
  });

  it('a role without import permission neither sees nor reaches the import page', async () => {
    const page = await as(CASEWORKER);
    assert.ok(await page.getByTestId('nav-registry').isVisible(), 'a caseworker uses the registry');
    assert.equal(await page.getByTestId('nav-registry-import').count(), 0, 'but import is not in the navigation');
    await page.goto(`${e.baseUrl}/registry/import`);
    await page.getByTestId('forbidden').waitFor();
    assert.equal(await page.getByTestId('import-upload').count(), 0);
    await shot(page, 'registry-paths-12-import-forbidden');
    const a = await api(page);
    const upload = await page.request.post(`${e.baseUrl}/api/registry/imports/uploads?fileName=x.csv`, {
      data: 'Given name,Sex,Population group\nAmal,F,refugee\n',
      headers: { 'content-type': 'text/csv', 'x-csrf-token': a.csrfToken },
    });
    assert.equal(upload.status(), 403, 'and the API refuses the upload');
    const start = await a.post('/api/registry/imports', { uploadId: '00000000-0000-4000-8000-000000000000', officeId: nlId, mapping: {}, mode: 'dry_run' });
    assert.equal(start.status(), 403, 'and refuses to start an import');
  });
});
