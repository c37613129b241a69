import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { CaseDto, CaseListDto, InboxDto, ReferralDto, TaskDto, TransferDto } from '@passage/domain';
import { verifyAuditTrail } from '../../platform/audit.ts';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';

/** The case engine through its API, as the demo's caseworkers, supervisors and a data-protection officer. */
describe('cases API', () => {
  let t: TestApp;
  let nl: string;
  let sl: string;
  let officer: TestClient;
  let caseworker: TestClient;
  let supervisor: TestClient;
  let ctWorker: TestClient;
  let ctSupervisor: TestClient;
  let slWorker: TestClient;
  let slSupervisor: TestClient;
  let dpo: TestClient;
  let adult: string;
  let child: string;
  let shelter: string;

  const byEmail = async (key: string) => t.asUser((await t.database.db.selectFrom('app_user').select('id').where('email', '=', `${key}@demo.passage.invalid`).executeTakeFirstOrThrow()).id);
  const problem = (res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, field?: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    const body = JSON.parse(res.body) as { code: string; errors?: { field: string; message: string }[]; [k: string]: unknown };
    if (field) assert.ok(body.errors?.some((e) => e.field === field), `expected a problem naming ${field}: ${res.body}`);
    return body;
  };
  const open = async (client: TestClient, body: Record<string, unknown>) => {
    const res = await t.request('POST', '/api/cases', client, body);
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  };
  const get = async (client: TestClient, id: string) => {
    const res = await t.request('GET', `/api/cases/${id}`, client);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as CaseDto;
  };
  const step = async (client: TestClient, id: string, action: string, extra: Record<string, unknown> = {}) => {
    const c = await get(client, id);
    return t.request('POST', `/api/cases/${id}/transitions`, client, { version: c.version, action, ...extra });
  };

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-cases-'));

  before(async () => {
    t = await createTestApp({ dataDir });
    const id = (code: string) => t.demo.offices.find((o) => o.code === code)!.id;
    nl = id('DEMO-NL');
    sl = id('DEMO-SL');
    officer = await t.as('registration_officer');
    caseworker = await t.as('caseworker');
    supervisor = await t.as('case_supervisor');
    dpo = await t.as('data_protection_officer');
    ctWorker = await byEmail('ct.caseworker');
    ctSupervisor = await byEmail('ct.supervisor');
    slWorker = await byEmail('caseworker.sl');
    slSupervisor = await byEmail('case.supervisor.sl');
    const res = await t.request('POST', '/api/registry/registrations', officer, {
      officeId: nl,
      members: [
        { givenName: 'Testa', familyName: 'Fictiva', sex: 'female', dateOfBirth: '1990-04-02', nationality: 'ERI', populationGroup: 'irregular_migrant', relationship: 'head', consents: [{ purpose: 'registration', granted: true, method: 'verbal', language: 'ti' }] },
        { givenName: 'Kiddo', familyName: 'Fictiva', sex: 'male', dateOfBirth: '2014-06-01', nationality: 'ERI', populationGroup: 'irregular_migrant', relationship: 'child' },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    [adult, child] = (res.json() as { people: { id: string }[] }).people.map((p) => p.id) as [string, string];
    shelter = (await t.database.db.selectFrom('partner').select('id').where('name', 'like', 'Demo Shelter%').executeTakeFirstOrThrow()).id;
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let ma: string;

  it('opens a migrant-assistance case with its number and default tasks; refuses a person outside the office and unknown fields', async () => {
    ma = await open(caseworker, { type: 'migrant_assistance', personId: adult, officeId: nl, riskLevel: 'high', details: { circumstance: 'stranded' } });
    const c = await get(caseworker, ma);
    assert.match(c.caseNumber, /^DEMO-NL-\d{4}-\d{5}$/);
    assert.equal(c.status, 'intake');
    assert.equal(c.person.consentToReferral, false);
    const tasks = (await t.request('GET', `/api/cases/${ma}/tasks`, caseworker)).json() as TaskDto[];
    assert.deepEqual(tasks.map((x) => x.key).sort(), ['initial_assessment', 'vulnerability_screening']);
    problem(await t.request('POST', '/api/cases', caseworker, { type: 'migrant_assistance', personId: adult, officeId: nl, details: { surprise: 1 } }), 400, 'details.surprise');
    problem(await t.request('POST', '/api/cases', slWorker, { type: 'migrant_assistance', personId: adult, officeId: sl }), 400, 'personId');
    problem(await t.request('POST', '/api/cases', caseworker, { type: 'migrant_assistance', personId: adult, officeId: sl }), 403, 'officeId');
  });

  it('clears a hidden field; keeps HTML as inert text; a stale or concurrent save gets 409 with the current case', async () => {
    const c = await get(caseworker, ma);
    let res = await t.request('PATCH', `/api/cases/${ma}`, caseworker, { version: c.version, details: { circumstance: 'other', circumstanceOther: '<img src=x onerror=alert(1)>' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as CaseDto).details.circumstanceOther, '<img src=x onerror=alert(1)>');
    const v = (res.json() as CaseDto).version;
    res = await t.request('PATCH', `/api/cases/${ma}`, caseworker, { version: v, details: { circumstance: 'stranded', needsSectors: ['shelter', 'legal'] } });
    assert.deepEqual(Object.keys((res.json() as CaseDto).details).sort(), ['circumstance', 'needsSectors']);
    // Two caseworkers save the same version at once: one wins, the other is told and shown the winner's case.
    const v2 = (res.json() as CaseDto).version;
    const [a, b] = await Promise.all([
      t.request('PATCH', `/api/cases/${ma}`, caseworker, { version: v2, riskLevel: 'critical' }),
      t.request('PATCH', `/api/cases/${ma}`, supervisor, { version: v2, riskLevel: 'low' }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    const body = problem(loser, 409);
    assert.equal(body.code, 'stale_version');
    assert.equal((body.current as CaseDto).version, v2 + 1);
  });

  it('refuses steps out of order (409 naming the allowed ones) and steps whose requirements are missing', async () => {
    const res = await step(caseworker, ma, 'approve_closure');
    const body = problem(res, 409, 'action');
    assert.deepEqual(body.allowedActions, ['start_assessment', 'request_closure']);
    assert.equal((await step(caseworker, ma, 'start_assessment')).statusCode, 200);
  });

  it('walks the workflow: assessment, plan approved by a supervisor, services, referral refused without consent and accepted with it, closure', async () => {
    problem(await step(caseworker, ma, 'complete_assessment'), 409, 'assessment');
    let res = await t.request('POST', `/api/cases/${ma}/assessments`, caseworker, { assessedOn: '2026-11-20', summary: 'Stranded after the boat was turned back.', riskLevel: 'high', needs: ['shelter', 'legal'] });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((await step(caseworker, ma, 'complete_assessment')).statusCode, 200);
    problem(await step(caseworker, ma, 'submit_plan'), 409, 'plan');
    res = await t.request('PUT', `/api/cases/${ma}/plan`, caseworker, { version: 0, goals: [{ text: 'Safe shelter within a week' }], services: [{ type: 'shelter', partnerId: shelter }] });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await step(caseworker, ma, 'submit_plan')).statusCode, 200);
    // The caseworker cannot approve their own plan.
    problem(await step(caseworker, ma, 'approve_plan'), 403);
    res = await step(supervisor, ma, 'approve_plan');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as CaseDto).plan!.status, 'approved');
    assert.equal((res.json() as CaseDto).status, 'in_progress');

    res = await t.request('POST', `/api/cases/${ma}/services`, caseworker, { type: 'shelter', deliveredOn: '2026-11-21', partnerId: shelter, cost: 120.5, currency: 'EUR', funding: 'DEMO-FUND' });
    assert.equal(res.statusCode, 201, res.body);
    problem(await t.request('POST', `/api/cases/${ma}/services`, caseworker, { type: 'shelter', deliveredOn: '2026-11-21', cost: 10 }), 400, 'currency');

    // No consent to referral: refused, and the caseworker may not override.
    const referral = { partnerId: shelter, services: ['shelter'], reason: 'Needs a bed tonight' };
    let body = problem(await t.request('POST', `/api/cases/${ma}/referrals`, caseworker, referral), 409, 'consent');
    assert.equal(body.consentRequired, true);
    assert.equal(body.mayOverride, false);
    problem(await t.request('POST', `/api/cases/${ma}/referrals`, caseworker, { ...referral, consentOverrideReason: 'Urgent: sleeping outside in winter' }), 403, 'consentOverrideReason');
    // A supervisor may, with a reason, which the data-protection officer sees.
    res = await t.request('POST', `/api/cases/${ma}/referrals`, supervisor, { ...referral, consentOverrideReason: 'Urgent: sleeping outside in winter' });
    assert.equal(res.statusCode, 201, res.body);
    const overridden = res.json() as ReferralDto;
    assert.equal(overridden.consent, 'overridden');
    const oversight = (await t.request('GET', '/api/cases/oversight', dpo)).json() as { consentOverrides: ReferralDto[] };
    assert.ok(oversight.consentOverrides.some((r) => r.id === overridden.id));
    // With consent recorded, the caseworker's referral goes through.
    res = await t.request('POST', `/api/registry/people/${adult}/consents`, officer, { purpose: 'referral', granted: true, method: 'signed', language: 'ti' });
    assert.ok(res.statusCode < 300, res.body);
    res = await t.request('POST', `/api/cases/${ma}/referrals`, caseworker, { ...referral, services: ['food'] });
    assert.equal(res.statusCode, 201, res.body);
    const given = res.json() as ReferralDto;
    assert.equal(given.consent, 'given');

    // Closing with open referrals says so.
    body = problem(await step(caseworker, ma, 'request_closure', { closureReason: 'needs_met' }), 409, 'referrals');
    assert.match(String(body.detail ?? body.title), /2 referral/);
    for (const r of [overridden, given]) {
      res = await t.request('PATCH', `/api/referrals/${r.id}`, caseworker, { version: r.version, status: 'accepted' });
      assert.equal(res.statusCode, 200, res.body);
      problem(await t.request('PATCH', `/api/referrals/${r.id}`, caseworker, { version: (res.json() as ReferralDto).version, status: 'sent' }), 400);
      res = await t.request('PATCH', `/api/referrals/${r.id}`, caseworker, { version: (res.json() as ReferralDto).version, status: 'completed' });
      assert.equal(res.statusCode, 200, res.body);
    }
    problem(await step(caseworker, ma, 'request_closure', { closureReason: 'because' }), 409, 'closureReason');
    assert.equal((await step(caseworker, ma, 'request_closure', { closureReason: 'needs_met', comment: 'All needs met.' })).statusCode, 200);
    res = await step(supervisor, ma, 'approve_closure');
    assert.equal(res.statusCode, 200, res.body);
    const closed = res.json() as CaseDto;
    assert.equal(closed.status, 'closed');
    assert.ok(closed.closedAt);
    assert.equal(closed.closureReason, 'needs_met');
    const tasks = (await t.request('GET', `/api/cases/${ma}/tasks`, caseworker)).json() as TaskDto[];
    assert.ok(tasks.every((x) => x.status !== 'open'));
    const timeline = (await t.request('GET', `/api/cases/${ma}/timeline?limit=200`, caseworker)).json() as { items: { kind: string; data: Record<string, unknown> }[] };
    const kinds = timeline.items.map((e) => e.kind).reverse();
    assert.equal(kinds[0], 'opened');
    assert.equal(kinds.at(-1), 'transition');
    for (const k of ['assessment', 'plan', 'service', 'referral', 'referral_updated', 'updated']) assert.ok(kinds.includes(k), k);
    assert.ok(timeline.items.some((e) => e.data.body === 'All needs met.'));
  });

  it('keeps other offices out: a caseworker elsewhere guessing ids gets 404, and the list does not show the case', async () => {
    problem(await t.request('GET', `/api/cases/${ma}`, slWorker), 404);
    problem(await t.request('PATCH', `/api/cases/${ma}`, slWorker, { version: 1, riskLevel: 'low' }), 404);
    problem(await t.request('GET', `/api/cases/${ma}/timeline`, slWorker), 404);
    problem(await t.request('GET', `/api/cases/00000000-0000-4000-8000-000000000000`, caseworker), 404);
    // Every route of one case: 404 for a caseworker and a supervisor of another office.
    const tasks = (await t.request('GET', `/api/cases/${ma}/tasks`, caseworker)).json() as TaskDto[];
    const referrals = (await t.request('GET', `/api/cases/${ma}/referrals`, caseworker)).json() as ReferralDto[];
    for (const client of [slWorker, slSupervisor]) {
      for (const sub of ['assessments', 'services', 'notes', 'tasks', 'attachments', 'referrals', 'timeline']) problem(await t.request('GET', `/api/cases/${ma}/${sub}`, client), 404);
      for (const [method, url, body] of [
        ['POST', `/api/cases/${ma}/transitions`, { version: 1, action: 'reopen' }],
        ['POST', `/api/cases/${ma}/assessments`, { assessedOn: '2026-11-20', summary: 'x', riskLevel: 'low' }],
        ['POST', `/api/cases/${ma}/notes`, { body: 'x' }],
        ['POST', `/api/cases/${ma}/tasks`, { title: 'x', dueOn: '2026-12-01' }],
        ['POST', `/api/cases/${ma}/services`, { type: 'food', deliveredOn: '2026-11-20' }],
        ['PUT', `/api/cases/${ma}/plan`, { version: 0, goals: [] }],
        ['POST', `/api/cases/${ma}/referrals`, { partnerId: shelter, services: ['food'], reason: 'x' }],
        ['POST', `/api/cases/${ma}/transfers`, { version: 1, toOfficeId: sl, reason: 'x' }],
        ['PATCH', `/api/tasks/${tasks[0]!.id}`, { version: tasks[0]!.version, status: 'done' }],
        ['PATCH', `/api/referrals/${referrals[0]!.id}`, { version: referrals[0]!.version, status: 'withdrawn' }],
      ] as const) {
        problem(await t.request(method, url, client, body), 404);
      }
    }
    problem(await t.request('POST', `/api/cases/${ma}/assignment`, slSupervisor, { version: 1, ownerId: slWorker.userId }), 404);
    const list = (await t.request('GET', '/api/cases', slWorker)).json() as CaseListDto;
    assert.ok(!list.items.some((c) => c.id === ma));
    // Roles without case permissions are refused at the door.
    problem(await t.request('GET', '/api/cases', await t.as('viewer')), 403);
    problem(await t.request('POST', '/api/cases', await t.as('health_officer'), { type: 'migrant_assistance', personId: adult, officeId: nl }), 403);
  });

  it('refuses bad input with problem+json naming the field: a 1 MB note, too long a note, a bad date, a transfer to no office', async () => {
    const c2 = await open(caseworker, { type: 'migrant_assistance', personId: child, officeId: nl, details: {} });
    problem(await t.request('POST', `/api/cases/${c2}/notes`, caseworker, { body: 'x'.repeat(1024 * 1024) }), 413);
    problem(await t.request('POST', `/api/cases/${c2}/notes`, caseworker, { body: 'x'.repeat(20_001) }), 400, 'body');
    problem(await t.request('POST', `/api/cases/${c2}/tasks`, caseworker, { title: 'Call back', dueOn: '2026-02-30' }), 400, 'dueOn');
    const c = await get(caseworker, c2);
    problem(await t.request('POST', `/api/cases/${c2}/transfers`, caseworker, { version: c.version, toOfficeId: '00000000-0000-4000-8000-000000000000', reason: 'Moved' }), 400, 'toOfficeId');
    const res = await t.request('POST', `/api/cases/${c2}/notes`, caseworker, { body: '<script>alert("x")</script>', sensitive: true });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().body, '<script>alert("x")</script>');
    // A child: best-interests fields are visible and required before planning.
    await t.request('POST', `/api/cases/${c2}/assessments`, caseworker, { assessedOn: '2026-11-20', summary: 'Alone at the port.', riskLevel: 'critical' });
    const c3 = await get(caseworker, c2);
    await t.request('PATCH', `/api/cases/${c2}`, caseworker, { version: c3.version, details: { circumstance: 'unaccompanied_child', needsSectors: ['family_tracing'] } });
    assert.equal((await step(caseworker, c2, 'start_assessment')).statusCode, 200);
    problem(await step(caseworker, c2, 'complete_assessment'), 409, 'details.biaOutcome');
  });

  it('stores HTML and script typed into every free-text field as text, and gives it back unchanged', async () => {
    const x = '<script>alert(1)</script><img src=x onerror=alert(2)>&amp;';
    const id = await open(caseworker, { type: 'migrant_assistance', personId: child, officeId: nl, details: { circumstance: 'other', circumstanceOther: x, screeningNote: x } });
    const c = await get(caseworker, id);
    assert.equal(c.details.circumstanceOther, x);
    assert.equal(c.details.screeningNote, x);
    const a = (await t.request('POST', `/api/cases/${id}/assessments`, caseworker, { assessedOn: '2026-11-20', summary: x, riskLevel: 'low' })).json();
    assert.equal(a.summary, x);
    const s = (await t.request('POST', `/api/cases/${id}/services`, caseworker, { type: 'food', deliveredOn: '2026-11-20', provider: x, funding: x, note: x })).json();
    assert.deepEqual([s.provider, s.funding, s.note], [x, x, x]);
    assert.equal((await t.request('POST', `/api/cases/${id}/tasks`, caseworker, { title: x, dueOn: '2026-12-20' })).json().title, x);
    const plan = (await t.request('PUT', `/api/cases/${id}/plan`, caseworker, { version: 0, goals: [{ text: x }], services: [{ type: 'food', note: x }] })).json() as CaseDto;
    assert.deepEqual([plan.plan!.goals[0]!.text, plan.plan!.services[0]!.note], [x, x]);
    const r = (await t.request('POST', `/api/cases/${id}/referrals`, supervisor, { partnerId: shelter, services: ['food'], reason: x, consentOverrideReason: `${x} urgent override` })).json() as ReferralDto;
    assert.equal(r.reason, x);
    const v = (await get(caseworker, id)).version;
    const tr = (await t.request('POST', `/api/cases/${id}/transfers`, caseworker, { version: v, toOfficeId: sl, reason: x })).json() as TransferDto;
    assert.equal(tr.reason, x);
  });

  it('transfers a case: the receiving supervisor accepts, the case moves with its history; closing waits for it', async () => {
    const id = await open(caseworker, { type: 'migrant_assistance', personId: child, officeId: nl, details: { circumstance: 'stranded' } });
    const c = await get(caseworker, id);
    let res = await t.request('POST', `/api/cases/${id}/transfers`, caseworker, { version: c.version, toOfficeId: sl, reason: 'Family located in Southland' });
    assert.equal(res.statusCode, 201, res.body);
    const transfer = res.json() as TransferDto;
    problem(await step(caseworker, id, 'request_closure', { closureReason: 'moved_on' }), 409, 'transfer');
    // The NL supervisor may not accept a transfer into Southland.
    problem(await t.request('POST', `/api/transfers/${transfer.id}/decision`, supervisor, { decision: 'accept' }), 404);
    const inbox = (await t.request('GET', '/api/cases/inbox', slSupervisor)).json() as InboxDto;
    assert.ok(inbox.incomingTransfers.some((x) => x.id === transfer.id));
    res = await t.request('POST', `/api/transfers/${transfer.id}/decision`, slSupervisor, { decision: 'accept', ownerId: slWorker.userId });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as TransferDto).status, 'accepted');
    const moved = await get(slWorker, id);
    assert.equal(moved.officeId, sl);
    assert.equal(moved.owner!.id, slWorker.userId);
    problem(await t.request('GET', `/api/cases/${id}`, caseworker), 404);
    const tasks = (await t.request('GET', `/api/cases/${id}/tasks`, slWorker)).json() as TaskDto[];
    assert.ok(tasks.filter((x) => x.status === 'open').every((x) => x.assignee?.id === slWorker.userId));
    const events = (await t.database.db.selectFrom('case_event').select('office_id').where('case_id', '=', id).execute()).map((e) => e.office_id);
    assert.ok(events.every((o) => o === sl));
  });

  let ct: string;
  it('restricts counter-trafficking cases to their team: invisible to other caseworkers, masked for the office supervisor, sealed at rest', async () => {
    problem(await t.request('POST', '/api/cases', caseworker, { type: 'counter_trafficking', personId: adult, officeId: nl }), 403, 'type');
    ct = await open(ctWorker, { type: 'counter_trafficking', personId: adult, officeId: nl, riskLevel: 'critical', details: { traffickingStatus: 'actual', identificationDate: '2026-11-02', identifiedBy: 'ngo', exploitationTypes: ['forced_labour'], forcedLabourIndustry: ['construction'], events: [{ kind: 'exploitation', country: 'LBY', place: 'Demo site' }] } });
    const row = await t.database.db.selectFrom('case_file').select(['details', 'details_sealed']).where('id', '=', ct).executeTakeFirstOrThrow();
    assert.deepEqual(row.details, {});
    assert.ok(row.details_sealed && !row.details_sealed.includes('construction'));
    assert.equal((await get(ctWorker, ct)).details.traffickingStatus, 'actual');
    // A caseworker outside the team: not in lists, 404 when guessed.
    problem(await t.request('GET', `/api/cases/${ct}`, caseworker), 404);
    assert.ok(!((await t.request('GET', '/api/cases', caseworker)).json() as CaseListDto).items.some((c) => c.id === ct));
    // The office supervisor outside the team counts it: masked in lists, 403 offering break glass.
    const listed = ((await t.request('GET', '/api/cases', supervisor)).json() as CaseListDto).items.find((c) => c.id === ct)!;
    assert.equal(listed.masked, true);
    assert.equal(listed.personName, null);
    const body = problem(await t.request('GET', `/api/cases/${ct}`, supervisor), 403);
    assert.equal(body.breakGlass, true);
    // The team's supervisor sees it in full.
    assert.equal((await get(ctSupervisor, ct)).access.via, 'team');
  });

  it('break glass: a stated reason opens a case read-only for a while, audited and shown to the data-protection officer', async () => {
    const number = (await get(ctWorker, ct)).caseNumber;
    problem(await t.request('POST', '/api/cases/break-glass', caseworker, { caseNumber: number, reason: 'short' }), 400, 'reason');
    problem(await t.request('POST', '/api/cases/break-glass', slWorker, { caseNumber: number, reason: 'I need to check the safety plan tonight' }), 404);
    const res = await t.request('POST', '/api/cases/break-glass', caseworker, { caseNumber: number, reason: 'Survivor called the hotline at night; team unreachable' });
    assert.equal(res.statusCode, 200, res.body);
    const c = await get(caseworker, ct);
    assert.equal(c.access.via, 'break_glass');
    assert.ok(c.access.until);
    problem(await t.request('POST', `/api/cases/${ct}/notes`, caseworker, { body: 'x' }), 403);
    const oversight = (await t.request('GET', '/api/cases/oversight', dpo)).json() as { breakGlass: { caseNumber: string; reason: string }[] };
    assert.ok(oversight.breakGlass.some((g) => g.caseNumber === number && g.reason.startsWith('Survivor called')));
    const views = await t.database.db.selectFrom('audit_event').select(['purpose']).where('action', '=', 'case.view').where('entity_id', '=', ct).execute();
    assert.ok(views.some((v) => v.purpose === 'break_glass'));
    assert.equal((await verifyAuditTrail(t.database.db)).broken, null);
  });

  it('attachments: stored content-hashed; a program named .pdf, an empty file and an oversized upload are refused', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const upload = (name: string, payload: Buffer | Readable) =>
      t.app.inject({ method: 'POST', url: `/api/cases/${ct}/attachments?fileName=${encodeURIComponent(name)}`, headers: { ...ctWorker.headers, 'content-type': 'application/octet-stream' }, payload });
    let res = await upload('statement.pdf', pdf);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().mediaType, 'application/pdf');
    const download = await t.app.inject({ method: 'GET', url: `/api/attachments/${res.json().id}/content`, headers: { cookie: ctWorker.cookie } });
    assert.equal(download.statusCode, 200);
    assert.deepEqual(download.rawPayload, pdf);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    // A counter-trafficking case's file is kept encrypted: the bytes on disk are not the file's.
    const row = await t.database.db.selectFrom('case_attachment').select(['storage_key', 'file_key_sealed']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
    assert.match(row.storage_key, /^enc\//);
    assert.ok(row.file_key_sealed);
    const onDisk = await fs.promises.readFile(path.join(dataDir, 'attachments', row.storage_key));
    assert.ok(!onDisk.includes(Buffer.from('%PDF')));
    assert.equal(onDisk.length, pdf.length + 28);
    problem(await t.app.inject({ method: 'GET', url: `/api/attachments/${res.json().id}/content`, headers: { cookie: slWorker.cookie } }), 404);
    problem(await upload('invoice.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(1024, 0x90)])), 415, 'file');
    problem(await upload('empty.pdf', Buffer.alloc(0)), 400, 'file');
    // 200 MB, streamed without a length: refused at the limit, nothing stored.
    let sent = 0;
    const big = new Readable({
      read() {
        if (sent >= 200 * 1024 * 1024) return this.push(null);
        sent += 1024 * 1024;
        this.push(Buffer.concat([sent === 1024 * 1024 ? Buffer.from('%PDF-1.4\n') : Buffer.alloc(0), Buffer.alloc(1024 * 1024 - (sent === 1024 * 1024 ? 9 : 0), 0x20)]));
      },
    });
    res = await upload('huge.pdf', big);
    problem(res, 413);
    const count = await t.database.db.selectFrom('case_attachment').select((eb) => eb.fn.countAll<string>().as('n')).where('case_id', '=', ct).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  it('inbox: overdue tasks for the worker, approvals for the supervisor; the dashboard masks small counts for figure-only roles', async () => {
    const id = await open(caseworker, { type: 'migrant_assistance', personId: child, officeId: nl, details: {} });
    const res = await t.request('POST', `/api/cases/${id}/tasks`, caseworker, { title: 'Visit the shelter', dueOn: '2026-01-05' });
    assert.equal(res.statusCode, 201, res.body);
    const inbox = (await t.request('GET', '/api/cases/inbox', caseworker)).json() as InboxDto;
    assert.ok(inbox.overdue.some((x) => x.title === 'Visit the shelter'));
    assert.ok(inbox.dueSoon.some((x) => x.key === 'initial_assessment'));
    const full = (await t.request('GET', `/api/cases/dashboard?officeId=${nl}`, supervisor)).json() as { open: number; openByType: { key: string; count: number | null; masked: boolean }[] };
    assert.ok(full.open >= 2);
    assert.ok(full.openByType.every((c) => !c.masked));
    const pm = (await t.request('GET', '/api/cases/dashboard', await t.as('programme_manager'))).json() as { openByType: { key: string; count: number | null; masked: boolean }[] };
    const ctCell = pm.openByType.find((c) => c.key === 'counter_trafficking')!;
    assert.equal(ctCell.masked, true);
    assert.equal(ctCell.count, null);
    const xlsx = await t.app.inject({ method: 'GET', url: `/api/cases/dashboard.xlsx?officeId=${nl}`, headers: { cookie: supervisor.cookie } });
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
  });

  it('publishes counter-trafficking data anonymised (k = 11): with a single case, nothing is released', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/cases/publication/counter-trafficking', headers: { cookie: dpo.cookie } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-passage-k'], '11');
    assert.equal(res.headers['x-passage-published'], '0');
    assert.equal(res.headers['x-passage-suppressed'], '1');
    assert.match(res.body.split('\r\n')[0]!, /^yearOfRegistration,/);
    problem(await t.app.inject({ method: 'GET', url: '/api/cases/publication/counter-trafficking', headers: { cookie: caseworker.cookie } }), 403);
  });
});
