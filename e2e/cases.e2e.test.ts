import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import type { RegistrationInput } from '@passage/domain/registry/api';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '@passage/server/seed/demo';
import { overflowing, pageHelpers, signIn, startE2E, tabTo, type E2E } from './harness.ts';

const CASEWORKER = 'caseworker@demo.passage.invalid';
const SUPERVISOR = 'case.supervisor@demo.passage.invalid';
const CT_CASEWORKER = 'ct.caseworker@demo.passage.invalid';
const SL_CASEWORKER = 'caseworker.sl@demo.passage.invalid';
const SL_SUPERVISOR = 'case.supervisor.sl@demo.passage.invalid';
const DPO = 'data.protection.officer@demo.passage.invalid';

/** A fictitious adult registered for this test, without consent to referral. */
function person(officeId: string): RegistrationInput {
  return {
    officeId,
    members: [
      {
        givenName: 'Yousif',
        familyName: 'Adam Osman',
        fullNameOriginal: 'يوسف آدم عثمان',
        sex: 'male',
        dateOfBirth: '1991-03-04',
        nationality: 'SDN',
        populationGroup: 'irregular_migrant',
        relationship: 'head',
        consents: [{ purpose: 'registration', granted: true, method: 'verbal', language: 'ar' }],
      },
    ],
  };
}

describe('case management in a real browser', () => {
  let e: E2E;
  const pages: Page[] = [];
  before(async () => {
    e = await startE2E();
  });
  after(async () => {
    for (const p of pages) await p.context().close();
    await e.close();
  });

  const as = (email: string, totp?: () => string) => pageHelpers(e, pages, DEMO_PASSWORD).as(email, totp);
  const shot = (page: Page, name: string) => pageHelpers(e, pages, DEMO_PASSWORD).shot(page, name);
  const checkA11y = (page: Page, name: string) => pageHelpers(e, pages, DEMO_PASSWORD).checkA11y(page, name);
  /** Takes a step of the workflow from the case page's actions. */
  async function step(page: Page, action: string): Promise<void> {
    await page.getByTestId(`case-action-${action}`).click();
    await page.getByTestId('case-step-confirm').click();
    await page.getByTestId('case-action-notice').waitFor();
  }
  const tab = (page: Page, name: string) => page.getByTestId(`case-tab-${name}`).click();
  const status = (page: Page) => page.getByTestId('case-status').innerText();

  it('a caseworker opens a case from a registered person, plans, records services, refers with consent, transfers it and it is closed', async () => {
    const nl = await e.database.db.selectFrom('office').select('id').where('code', '=', 'DEMO-NL').executeTakeFirstOrThrow();
    const worker = await as(CASEWORKER);
    assert.ok(await worker.getByTestId('nav-cases-inbox').isVisible(), 'My work is in the navigation');
    const navOrder = await worker.locator('.mainnav__link').allInnerTexts();
    assert.ok(navOrder.indexOf('My work') < navOrder.indexOf('Cases'), 'My work is the first cases entry');

    // --- a person registered through the API, as the caseworker
    const session = (await (await worker.request.get(`${e.baseUrl}/api/auth/session`)).json()) as { csrfToken: string };
    const res = await worker.request.post(`${e.baseUrl}/api/registry/registrations`, { data: person(nl.id), headers: { 'x-csrf-token': session.csrfToken } });
    assert.equal(res.status(), 201, await res.text());
    const registered = ((await res.json()) as { people: { id: string; registrationId: string }[] }).people[0]!;

    // --- the person's page: no case yet; open one
    await worker.goto(`${e.baseUrl}/registry/people/${registered.id}`);
    await worker.getByTestId('person-cases').waitFor();
    await worker.getByTestId('person-cases').getByText('No cases that you may see.').waitFor();
    await worker.getByTestId('person-open-case').click();
    await worker.getByTestId('open-case-type').selectOption('migrant_assistance');
    assert.equal(await worker.getByTestId('open-case-office').inputValue(), nl.id, "the person's office by default");
    await worker.getByTestId('open-case-risk').selectOption('high');
    await shot(worker, 'cases-01-open-from-person');
    await checkA11y(worker, 'person page with the open-case form');
    await worker.getByTestId('open-case-submit').click();
    await worker.getByTestId('case-page').waitFor();
    const caseId = new URL(worker.url()).pathname.split('/').pop()!;
    const caseNumber = await worker.getByTestId('case-number').innerText();
    assert.match(await status(worker), /Intake/);
    assert.match(await worker.getByTestId('case-person-original').innerText(), /يوسف آدم عثمان/, 'the name in its own script');
    assert.match(await worker.getByTestId('case-consent').innerText(), /Not given/);
    assert.equal(await worker.getByTestId('case-action-start_assessment').isDisabled(), true, 'the circumstance is needed first');
    assert.match(await worker.getByTestId('case-action-start_assessment-problems').innerText(), /Fill in “Circumstance” first/);

    // --- details from the declaration: "other" shows its field; HTML typed stays text
    assert.equal(await worker.getByTestId('case-field-circumstanceOther').count(), 0);
    await worker.getByTestId('case-field-circumstance').selectOption('other');
    await worker.getByTestId('case-field-circumstanceOther').fill('<b>Boat</b> engine failed <script>alert(1)</script>');
    await worker.getByTestId('case-field-circumstance').selectOption('detained');
    assert.equal(await worker.getByTestId('case-field-circumstanceOther').count(), 0, 'hidden again');
    await worker.getByTestId('case-field-placeOfDetention').waitFor();
    await worker.getByTestId('case-field-circumstance').selectOption('other');
    await worker.getByTestId('case-field-needsSectors-shelter').check();
    await worker.getByTestId('case-field-needsSectors-legal').check();
    assert.equal(await worker.getByTestId('case-section-best_interests').count(), 0, 'no best-interests section for an adult');
    await shot(worker, 'cases-02-details-form');
    await checkA11y(worker, 'case details');

    // Someone else saved meanwhile: the save is refused, the form says so and keeps what was typed.
    await e.database.db.updateTable('case_file').set((eb) => ({ version: eb('version', '+', 1), risk_level: 'critical' })).where('id', '=', caseId).execute();
    await worker.getByTestId('case-details-save').click();
    await worker.getByTestId('case-details-stale').waitFor();
    assert.match(await worker.getByTestId('case-details-stale').innerText(), /risk Critical/);
    await shot(worker, 'cases-03-details-stale');
    await worker.getByTestId('case-details-stale-reload').click();
    assert.equal(await worker.getByTestId('case-field-circumstanceOther').inputValue(), '<b>Boat</b> engine failed <script>alert(1)</script>', 'my changes kept');
    await worker.getByTestId('case-details-save').click();
    await worker.getByTestId('case-details-saved').waitFor();
    assert.equal(await worker.locator('[data-testid=case-page] b, [data-testid=case-page] script').count(), 0, 'no markup from the text');
    const stored = await e.database.db.selectFrom('case_file').select(['details', 'risk_level']).where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal((stored.details as Record<string, unknown>)['circumstanceOther'], '<b>Boat</b> engine failed <script>alert(1)</script>');
    assert.equal(stored.risk_level, 'critical', 'their risk level kept');

    // --- the workflow, by keyboard for the first step
    await worker.getByTestId('case-action-start_assessment').waitFor();
    assert.equal(await worker.getByTestId('case-action-start_assessment').isEnabled(), true);
    await worker.getByTestId('case-action-start_assessment').focus();
    await worker.keyboard.press('Enter');
    await tabTo(worker, 'case-step-confirm');
    await worker.keyboard.press('Enter');
    await worker.getByTestId('case-action-notice').waitFor();
    assert.match(await status(worker), /Assessment/);

    await tab(worker, 'assessments');
    await worker.getByTestId('assessment-summary').fill('Stranded after the boat broke down; no shelter, papers lost.');
    await worker.getByTestId('assessment-risk').selectOption('high');
    await worker.getByTestId('assessment-need-shelter').check();
    await worker.getByTestId('assessment-save').click();
    await worker.getByTestId('case-assessment').first().waitFor();
    await worker.getByTestId('case-action-complete_assessment').and(worker.locator(':enabled')).waitFor();
    await step(worker, 'complete_assessment');
    assert.match(await status(worker), /Planning/);

    await tab(worker, 'plan');
    await worker.getByTestId('plan-goal-add').click();
    await worker.getByTestId('plan-goal-0-text').fill('Safe accommodation within a week');
    await worker.getByTestId('plan-service-add').click();
    await worker.getByTestId('plan-service-0-type').selectOption('shelter');
    const shelterPartner = await worker.getByTestId('plan-service-0-partner').locator('option', { hasText: 'Demo Shelter Partner' }).getAttribute('value');
    await worker.getByTestId('plan-service-0-partner').selectOption(shelterPartner!);
    await worker.getByTestId('plan-save').click();
    await worker.getByTestId('case-plan-saved').waitFor();
    await shot(worker, 'cases-04-plan');
    await checkA11y(worker, 'case plan');
    await step(worker, 'submit_plan');
    assert.match(await status(worker), /Plan under review/);
    assert.equal(await worker.getByTestId('case-action-approve_plan').isDisabled(), true, 'a supervisor approves');

    // --- the supervisor approves it from their inbox
    const supervisor = await as(SUPERVISOR);
    await supervisor.getByTestId('nav-cases-inbox').click();
    await supervisor.getByTestId('cases-inbox').waitFor();
    const awaiting = supervisor.getByTestId('inbox-approval').filter({ hasText: caseNumber });
    await awaiting.getByRole('link').click();
    await supervisor.getByTestId('case-page').waitFor();
    await step(supervisor, 'approve_plan');
    assert.match(await status(supervisor), /In progress/);

    // --- services delivered
    await worker.reload();
    await worker.getByTestId('case-page').waitFor();
    assert.match(await status(worker), /In progress/);
    await tab(worker, 'services');
    await worker.getByTestId('service-type').selectOption('shelter');
    await worker.getByTestId('service-partner').selectOption(shelterPartner!);
    await worker.getByTestId('service-cost').fill('120');
    await worker.getByTestId('service-currency').fill('eur');
    await worker.getByTestId('service-save').click();
    await worker.getByTestId('case-service-saved').waitFor();
    assert.match(await worker.getByTestId('case-service').first().innerText(), /Shelter[\s\S]*Demo Shelter Partner[\s\S]*120\.00 EUR/);

    // --- referral: refused without consent to referral, sent once it is recorded
    await tab(worker, 'referrals');
    await worker.getByTestId('case-referral-consent-note').waitFor();
    await worker.getByTestId('referral-partner').selectOption(shelterPartner!);
    await worker.getByTestId('referral-service-shelter').check();
    await worker.getByTestId('referral-reason').fill('Needs a bed tonight.');
    await worker.getByTestId('referral-send').click();
    await worker.getByTestId('case-referral-refused').waitFor();
    assert.match(await worker.getByTestId('case-referral-refused').innerText(), /no consent to referral/i);
    assert.equal(await worker.getByTestId('referral-override').count(), 0, 'a caseworker may not override consent');
    assert.equal(await worker.getByTestId('case-referral').count(), 0, 'nothing was sent');
    await shot(worker, 'cases-05-referral-refused');
    await checkA11y(worker, 'referral refused');

    await worker.getByTestId('case-person-link').click();
    await worker.getByTestId('person-consents').waitFor();
    await worker.getByTestId('consent-add').click();
    await worker.getByTestId('consent-purpose').selectOption('referral');
    await worker.getByTestId('consent-answer-yes').check();
    await worker.getByTestId('consent-save').click();
    await worker.getByTestId('person-consents').getByText('Referral').first().waitFor();
    await worker.getByTestId('person-case-link').filter({ hasText: caseNumber }).click();
    await worker.getByTestId('case-page').waitFor();
    assert.match(await worker.getByTestId('case-consent').innerText(), /Given/);
    await tab(worker, 'referrals');
    await worker.getByTestId('referral-partner').selectOption(shelterPartner!);
    await worker.getByTestId('referral-service-shelter').check();
    await worker.getByTestId('referral-reason').fill('Needs a bed tonight.');
    await worker.getByTestId('referral-send').click();
    await worker.getByTestId('case-referral-sent').waitFor();
    const referral = worker.getByTestId('case-referral').first();
    assert.match(await referral.getByTestId('case-referral-status').innerText(), /Sent/);
    await referral.getByTestId('case-referral-accepted').click();
    await referral.getByTestId('case-referral-status').getByText('Accepted').waitFor();
    await referral.getByTestId('case-referral-completed').click();
    await referral.getByTestId('case-referral-status').getByText('Completed').waitFor();
    await shot(worker, 'cases-06-referral-completed');

    // --- transfer to Southland
    await tab(worker, 'transfer');
    const sl = await e.database.db.selectFrom('office').select('id').where('code', '=', 'DEMO-SL').executeTakeFirstOrThrow();
    await worker.getByTestId('transfer-reason').fill('The family lives in Southland.');
    // Any active office is offered (Southland is not one of the caseworker's own offices).
    await worker.getByTestId('transfer-office').selectOption(sl.id);
    await shot(worker, 'cases-06b-transfer-form');
    await worker.getByTestId('transfer-send').click();
    await worker.getByTestId('case-transfer-pending').waitFor();
    assert.match(await worker.getByTestId('case-pending-transfer').innerText(), /DEMO-SL/);
    assert.equal(await worker.getByTestId('case-action-request_closure').isDisabled(), true, 'not closed while a transfer is pending');

    // The Southland supervisor accepts it from their inbox, naming the Southland caseworker as owner.
    const slSupervisor = await as(SL_SUPERVISOR);
    await slSupervisor.getByTestId('nav-cases-inbox').click();
    const incoming = slSupervisor.getByTestId('inbox-transfer').filter({ hasText: caseNumber });
    await incoming.waitFor();
    await incoming.getByTestId('transfer-decision-accept').check();
    await incoming.getByTestId('transfer-owner').locator('option', { hasText: /^Demo caseworker, Southland office$/ }).waitFor({ state: 'attached' });
    const slOwner = await incoming.getByTestId('transfer-owner').locator('option', { hasText: /^Demo caseworker, Southland office$/ }).getAttribute('value');
    await incoming.getByTestId('transfer-owner').selectOption(slOwner!);
    await shot(slSupervisor, 'cases-07-incoming-transfer');
    await checkA11y(slSupervisor, 'inbox with an incoming transfer');
    await incoming.getByTestId('transfer-decide').click();
    await incoming.waitFor({ state: 'detached' });
    const moved = await e.database.db.selectFrom('case_file').select(['office_id', 'owner_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(moved.office_id, sl.id, 'the case is in Southland');
    assert.equal(moved.owner_id, slOwner);

    // --- the Southland caseworker asks for closure; the Southland supervisor approves
    const slWorker = await as(SL_CASEWORKER);
    await slWorker.getByTestId('nav-cases').click();
    await slWorker.getByTestId('cases-filter-mine').click();
    await slWorker.waitForURL((u) => new URL(u).searchParams.get('mine') === 'true');
    await slWorker.waitForFunction(() => (document.querySelector('[data-testid="cases-filter-mine"]') as HTMLInputElement | null)?.checked === true);
    await slWorker.getByTestId('cases-row-link').filter({ hasText: caseNumber }).click();
    await slWorker.getByTestId('case-page').waitFor();
    assert.match(await slWorker.getByTestId('case-office').innerText(), /DEMO-SL/);
    await slWorker.getByTestId('case-action-request_closure').click();
    await slWorker.getByTestId('case-step-confirm').click();
    assert.equal(await slWorker.getByTestId('case-step-closure-reason').getAttribute('aria-invalid'), 'true', 'a closure reason is required');
    await slWorker.getByTestId('case-step-closure-reason').selectOption('needs_met');
    await slWorker.getByTestId('case-step-comment').fill('Settled with family; shelter no longer needed.');
    await slWorker.getByTestId('case-step-confirm').click();
    await slWorker.getByTestId('case-action-notice').waitFor();
    assert.match(await status(slWorker), /Closure under review/);

    await slSupervisor.goto(`${e.baseUrl}/cases/${caseId}`);
    await slSupervisor.getByTestId('case-page').waitFor();
    await step(slSupervisor, 'approve_closure');
    assert.match(await status(slSupervisor), /Closed/);
    assert.match(await slSupervisor.getByTestId('case-facts').innerText(), /Needs met/);

    // The timeline tells it all, newest first, in words.
    await tab(slSupervisor, 'timeline');
    await slSupervisor.getByTestId('case-event').first().waitFor();
    const events = await slSupervisor.getByTestId('case-event').allInnerTexts();
    assert.match(events[0]!, /Approve the closure: Closure under review → Closed/);
    const all = events.join('\n');
    for (const text of ['Opened the case', 'Start the assessment: Intake → Assessment', 'Recorded an assessment', 'Saved the case plan', 'Approve the plan', 'Recorded a service: Shelter', 'Referred to Demo Shelter Partner (fictitious)', 'Asked for a transfer to DEMO-SL', 'Referral marked: Completed', 'The transfer was accepted', 'Reason: Needs met'])
      assert.ok(all.includes(text), `the timeline says "${text}"`);
    await shot(slSupervisor, 'cases-08-closed-timeline');
    await checkA11y(slSupervisor, 'closed case timeline');

    // The Northland caseworker no longer sees it (it moved office).
    const gone = await worker.request.get(`${e.baseUrl}/api/cases/${caseId}`);
    assert.equal(gone.status(), 404);
  });

  it('a counter-trafficking case is invisible to a caseworker outside the team; a supervisor sees it masked and may break the glass, audited for data protection', async () => {
    const ct = await e.database.db.selectFrom('case_file').select(['id', 'case_number']).where('type', '=', 'counter_trafficking').orderBy('case_number').executeTakeFirstOrThrow();

    // Through the API: not listed, not found.
    const worker = await as(CASEWORKER);
    const listed = (await (await worker.request.get(`${e.baseUrl}/api/cases?open=true&pageSize=100`)).json()) as { items: { id: string; type: string }[]; total: number };
    assert.ok(listed.total > 0, 'the caseworker sees cases');
    assert.equal(listed.items.filter((c) => c.type === 'counter_trafficking').length, 0, 'no counter-trafficking case listed');
    const filtered = (await (await worker.request.get(`${e.baseUrl}/api/cases?type=counter_trafficking`)).json()) as { total: number };
    assert.equal(filtered.total, 0);
    assert.equal((await worker.request.get(`${e.baseUrl}/api/cases/${ct.id}`)).status(), 404);
    assert.equal((await worker.request.get(`${e.baseUrl}/api/cases/${ct.id}/timeline`)).status(), 404);
    // The counter-trafficking caseworker sees it.
    const ctWorker = await as(CT_CASEWORKER);
    assert.equal((await ctWorker.request.get(`${e.baseUrl}/api/cases/${ct.id}`)).status(), 200);

    // In the browser: no such case, none in the list.
    await worker.goto(`${e.baseUrl}/cases/${ct.id}`);
    await worker.getByTestId('case-error').waitFor();
    assert.match(await worker.getByTestId('case-error').innerText(), /does not exist, or you may not see it/);
    assert.equal(await worker.getByText(ct.case_number).count(), 0, 'not even its number');
    await shot(worker, 'cases-09-ct-not-found');
    await worker.goto(`${e.baseUrl}/cases?type=counter_trafficking&open=all`);
    await worker.getByTestId('cases-count').waitFor();
    assert.match(await worker.getByTestId('cases-count').innerText(), /of 0/);
    await worker.getByTestId('cases-table').getByText('No cases match these filters.').waitFor();

    // The protection supervisor: masked in the list, break glass with a reason, read-only with a banner.
    const supervisor = await as(SUPERVISOR);
    await supervisor.goto(`${e.baseUrl}/cases?type=counter_trafficking&open=all`);
    const row = supervisor.getByTestId('cases-row').filter({ hasText: ct.case_number });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-masked'), 'true');
    assert.match(await row.getByTestId('cases-row-restricted').innerText(), /Restricted case/);
    assert.equal(await row.getByTestId('cases-row-link').count(), 0, 'no link to the case');
    await shot(supervisor, 'cases-10-masked-row');
    await checkA11y(supervisor, 'case list with a masked row');
    await row.getByTestId('cases-row-break-glass').click();
    await supervisor.getByTestId('break-glass-dialog').waitFor();
    assert.equal(await supervisor.getByTestId('break-glass-number').inputValue(), ct.case_number);
    await supervisor.getByTestId('break-glass-reason').fill('Too short');
    await supervisor.getByTestId('break-glass-submit').click();
    assert.equal(await supervisor.getByTestId('break-glass-reason').getAttribute('aria-invalid'), 'true', 'at least 20 characters');
    await supervisor.getByTestId('break-glass-reason').fill('Police request about an immediate danger to the person, night duty.');
    await shot(supervisor, 'cases-11-break-glass-dialog');
    await checkA11y(supervisor, 'break-glass dialog');
    await supervisor.getByTestId('break-glass-submit').click();
    await supervisor.waitForURL((u) => new URL(u).pathname === `/cases/${ct.id}`);
    await supervisor.getByTestId('case-break-glass-banner').waitFor();
    assert.match(await supervisor.getByTestId('case-break-glass-banner').innerText(), /read-only, until/);
    assert.equal(await supervisor.getByTestId('case-details-save').count(), 0, 'read only');
    assert.equal(await supervisor.getByTestId('case-field-riskLevel').isDisabled(), true, 'read only');
    await shot(supervisor, 'cases-12-break-glass-case');

    // The data-protection officer sees the grant.
    const totp = () => new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    const dpo = await as(DPO, totp);
    await dpo.getByTestId('nav-cases-oversight').click();
    const grant = dpo.getByTestId('oversight-break-glass-row').filter({ hasText: ct.case_number });
    await grant.waitFor();
    assert.match(await grant.innerText(), /Police request about an immediate danger/);
    await shot(dpo, 'cases-13-oversight');
    await checkA11y(dpo, 'oversight');
  });

  it('dashboard with masked counts and a spreadsheet; the case page in Arabic on a phone', async () => {
    const supervisor = await as(SUPERVISOR);
    await supervisor.getByTestId('nav-cases-dashboard').click();
    await supervisor.getByTestId('cases-dashboard-open').waitFor();
    assert.ok(Number(await supervisor.getByTestId('cases-dashboard-open').innerText()) > 0);
    await supervisor.getByTestId('cases-chart-type').waitFor();
    await shot(supervisor, 'cases-14-dashboard');
    await checkA11y(supervisor, 'case dashboard');
    const href = await supervisor.getByTestId('cases-dashboard-xlsx').getAttribute('href');
    const xlsx = await supervisor.request.get(`${e.baseUrl}${href!}`);
    assert.equal(xlsx.status(), 200);
    assert.match(xlsx.headers()['content-type'] ?? '', /spreadsheetml/);

    const caseRow = await e.database.db.selectFrom('case_file').select('id').where('type', '=', 'migrant_assistance').where('status', '=', 'in_progress').orderBy('case_number').executeTakeFirstOrThrow();
    const phone = await e.newPage({ width: 360, height: 740 });
    pages.push(phone);
    await signIn(phone, e.baseUrl, CASEWORKER, DEMO_PASSWORD);
    await phone.getByTestId('user-menu').click();
    await phone.locator('[data-testid=lang-switcher]:visible').selectOption('ar');
    await phone.waitForFunction(() => document.documentElement.dir === 'rtl');
    await phone.goto(`${e.baseUrl}/cases/${caseRow.id}`);
    await phone.getByTestId('case-page').waitFor();
    assert.match(await phone.locator('h1').innerText(), /الحالة/);
    assert.deepEqual(await overflowing(phone, 360), [], 'the case page fits a phone');
    await shot(phone, 'cases-15-case-ar-phone');
    await checkA11y(phone, 'Arabic case page');
    await phone.goto(`${e.baseUrl}/cases/inbox`);
    await phone.getByTestId('cases-inbox').waitFor();
    assert.deepEqual(await overflowing(phone, 360), [], 'the inbox fits a phone');
    await shot(phone, 'cases-16-inbox-ar-phone');
  });

  it('a partner refers a registered person: the case opens with the incoming referral, which waits in My work', async () => {
    const nl = await e.database.db.selectFrom('office').select('id').where('code', '=', 'DEMO-NL').executeTakeFirstOrThrow();
    const worker = await as(CASEWORKER);
    const session = (await (await worker.request.get(`${e.baseUrl}/api/auth/session`)).json()) as { csrfToken: string };
    const res = await worker.request.post(`${e.baseUrl}/api/registry/registrations`, { data: person(nl.id), headers: { 'x-csrf-token': session.csrfToken } });
    assert.equal(res.status(), 201, await res.text());
    const registered = ((await res.json()) as { people: { id: string }[] }).people[0]!;
    await worker.goto(`${e.baseUrl}/registry/people/${registered.id}`);
    await worker.getByTestId('person-open-case').click();
    await worker.getByTestId('open-case-type').selectOption('migrant_assistance');
    await worker.getByTestId('open-case-from-partner').check();
    await worker.getByTestId('open-case-submit').click();
    assert.equal(await worker.getByTestId('open-case-partner').getAttribute('aria-invalid'), 'true', 'the partner is required');
    await worker.getByTestId('open-case-partner').selectOption({ label: 'Demo Legal Aid Clinic (fictitious)' });
    await worker.getByTestId('open-case-reason').fill('Needs legal advice about a detention order.');
    await worker.getByTestId('open-case-submit').click();
    await worker.getByTestId('case-page').waitFor();
    const caseNumber = await worker.getByTestId('case-number').innerText();
    await worker.getByTestId('nav-cases-inbox').click();
    await worker.getByTestId('inbox-referral').filter({ hasText: caseNumber }).waitFor();
    await shot(worker, 'cases-17-incoming-referral');
  });
});
