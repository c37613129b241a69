import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import {
  AGE_BANDS,
  addDays,
  CASE_TEAMS,
  CASE_TYPES,
  PassageError,
  ageOn,
  isoDay,
  officeAncestors,
  officeSubtree,
  type BreakGlassDto,
  type CaseDashboardDto,
  type CaseTypeId,
  type CountCell,
  type InboxDto,
  type ReferralDto,
} from '@passage/domain';
import { buildCtdcExport, toCsv, type CtCaseForPublication, type CtdcExport } from '@passage/domain/cases/ctdc/index';
import { writeAudit, writeAuditNow } from '../../platform/audit.ts';
import type { Actor } from '../registry/registry.service.ts';
import { grantsOf, loadTeams, readDetails, toSummaries, userRefs, visibleCondition, type SummaryRow } from './cases.repository.ts';
import { toTaskDtos } from './case-records.service.ts';
import { referralQuery, toReferralDtos } from './referrals.service.ts';
import { incomingTransfers } from './transfers.service.ts';
import type { CasesDeps } from './cases.service.ts';

/** Read models over many cases: the caseworker's inbox, office dashboards, oversight lists, the anonymised publication. */


// ---------------------------------------------------------------------------------------------
// My work

export async function inbox(deps: CasesDeps, actor: Actor): Promise<InboxDto> {
  const me = actor.principal.userId;
  const today = isoDay(new Date());
  const scope = actor.policy.caseScope(actor.principal, await loadTeams(deps.db, me));
  const visible = visibleCondition(scope);
  // Due within a week, or reminding today (a reminder date that has come brings a later task forward).
  const tasks = (from: string | null, to: string) => {
    let q = deps.db
      .selectFrom('case_task as t')
      .innerJoin('case_file as c', 'c.id', 't.case_id')
      .select(['t.id', 't.case_id', 'c.case_number', 't.key', 't.title', 't.due_on', 't.remind_on', 't.status', 't.assignee_id', 't.completed_at', 't.version'])
      .where('t.assignee_id', '=', me)
      .where('t.status', '=', 'open')
      .where(visible);
    q = from ? q.where('t.due_on', '>=', from).where((eb) => eb.or([eb('t.due_on', '<', to), eb('t.remind_on', '<=', from)])) : q.where('t.due_on', '<', to);
    return q.orderBy('t.due_on').orderBy('t.id').limit(100).execute();
  };
  const [overdue, dueSoon, referrals, awaiting, transfers] = await Promise.all([
    tasks(null, today),
    tasks(today, addDays(today, 8)),
    referralQuery(deps.db).where('r.direction', '=', 'incoming').where('r.acknowledged', '=', false).where(visible).orderBy('r.created_at', 'desc').limit(50).execute(),
    deps.db
      .selectFrom('case_file as c')
      .innerJoin('office as o', 'o.id', 'c.office_id')
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .selectAll('c')
      .select(['o.code as office_code', 'p.given_name', 'p.family_name', sql<boolean>`true`.as('visible')])
      .where('c.awaiting_supervisor', '=', true)
      .where(visible)
      .where(sql<boolean>`(c.supervisor_id = ${me} OR c.office_id = ANY(${scope.superviseOffices}::uuid[]))`)
      .orderBy('c.updated_at')
      .limit(50)
      .execute(),
    incomingTransfers(deps, actor),
  ]);
  return {
    overdue: await toTaskDtos(deps.db, overdue),
    dueSoon: await toTaskDtos(deps.db, dueSoon),
    newReferrals: await toReferralDtos(deps, deps.db, referrals),
    awaitingApproval: await toSummaries(deps.db, awaiting as SummaryRow[]),
    incomingTransfers: transfers,
  };
}

// ---------------------------------------------------------------------------------------------
// Dashboards: aggregate figures; a count below 5 is masked unless the user works cases at every office shown.

const SMALL = 5;
const AGE_BUCKETS = ['0-30', '31-90', '91-180', '181+'] as const;

async function statsOffices(deps: CasesDeps, actor: Actor, officeId: string | undefined): Promise<{ offices: string[]; mask: boolean }> {
  const scope = actor.policy.scope(actor.principal, 'cases.stats');
  let offices = [...scope];
  if (officeId) {
    if (!scope.has(officeId)) throw new PassageError('forbidden', 'You may see case figures only for your offices', { errors: [{ field: 'officeId', message: 'not one of your offices' }] });
    offices = [...officeSubtree(officeId, await deps.offices.nodes())].filter((o) => scope.has(o));
  }
  const read = actor.policy.scope(actor.principal, 'cases.read');
  return { offices, mask: !offices.every((o) => read.has(o)) };
}

const cell = (key: string, n: number, mask: boolean): CountCell => (mask && n > 0 && n < SMALL ? { key, count: null, masked: true } : { key, count: n, masked: false });

export async function dashboard(deps: CasesDeps, actor: Actor, officeId: string | undefined): Promise<CaseDashboardDto> {
  const { offices, mask } = await statsOffices(deps, actor, officeId);
  const today = isoDay(new Date());
  const since = `${addDays(today, -365).slice(0, 7)}-01`;
  const inOffices = offices.length ? offices : ['00000000-0000-0000-0000-000000000000'];
  // Four statements (bench/RESULTS.md §6): the open-case counts in one pass (GROUPING SETS, from the partial index
  // of open cases with its INCLUDE columns); the people served counted in SQL by sex and age band (band limits as
  // dates); services by day and type (the month taken here).
  const band = (years: number) => sql`(${today}::date - make_interval(years => ${years}))::date`;
  const [open, overdue, people, services] = await Promise.all([
    sql<{ type: string | null; status: string | null; risk_level: string | null; age: string | null; n: string }>`
      SELECT c.type, c.status, c.risk_level,
             CASE WHEN c.opened_at > now() - interval '30 days' THEN '0-30' WHEN c.opened_at > now() - interval '90 days' THEN '31-90'
                  WHEN c.opened_at > now() - interval '180 days' THEN '91-180' ELSE '181+' END AS age,
             count(*) AS n
        FROM case_file c WHERE c.office_id = ANY(${inOffices}::uuid[]) AND c.closed_at IS NULL
       GROUP BY GROUPING SETS ((c.type), (c.status), (c.risk_level), (4))`.execute(deps.db),
    deps.db.selectFrom('case_task').select((eb) => eb.fn.countAll<string>().as('n')).where('office_id', 'in', inOffices).where('status', '=', 'open').where('due_on', '<', today).executeTakeFirstOrThrow(),
    sql<{ sex: string; band: string; n: string }>`
      SELECT p.sex,
             CASE WHEN p.date_of_birth IS NULL THEN 'unknown' WHEN p.date_of_birth > ${band(5)} THEN '0-4' WHEN p.date_of_birth > ${band(12)} THEN '5-11'
                  WHEN p.date_of_birth > ${band(18)} THEN '12-17' WHEN p.date_of_birth > ${band(60)} THEN '18-59' ELSE '60+' END AS band,
             count(*) AS n
        FROM person p
       WHERE p.id IN (SELECT c.person_id FROM case_file c WHERE c.office_id = ANY(${inOffices}::uuid[]) AND c.closed_at IS NULL)
       GROUP BY 1, 2`.execute(deps.db),
    sql<{ day: string; type: string; n: string }>`
      SELECT delivered_on::text AS day, type, count(*) AS n FROM case_service
       WHERE office_id = ANY(${inOffices}::uuid[]) AND delivered_on >= ${since}::date GROUP BY delivered_on, type`.execute(deps.db),
  ]);
  const by = (key: 'type' | 'status' | 'risk_level' | 'age') =>
    open.rows.filter((r) => r[key] !== null && (['type', 'status', 'risk_level', 'age'] as const).every((k) => k === key || r[k] === null)).map((r) => ({ key: r[key]!, n: r.n }));
  const cells = (rows: { key: string; n: string }[], keys: readonly string[]) => {
    const m = new Map(rows.map((r) => [r.key, Number(r.n)]));
    return [...new Set([...keys, ...m.keys()])].map((k) => cell(k, m.get(k) ?? 0, mask));
  };
  const pyramid = new Map(people.rows.map((r) => [`${r.sex}|${r.band}`, Number(r.n)]));
  const months = new Map<string, number>();
  for (const r of services.rows) {
    const key = `${r.day.slice(0, 7)}|${r.type}`;
    months.set(key, (months.get(key) ?? 0) + Number(r.n));
  }
  const byType = by('type');
  const only = ({ count, masked }: CountCell) => ({ count, masked });
  return {
    officeIds: offices,
    open: byType.reduce((s, r) => s + Number(r.n), 0),
    openByType: cells(byType, Object.keys(CASE_TYPES)),
    openByStatus: cells(by('status'), []),
    openByRisk: cells(by('risk_level'), ['low', 'medium', 'high', 'critical']),
    openByAge: cells(by('age'), AGE_BUCKETS),
    overdueTasks: Number(overdue.n),
    peopleServed: ['female', 'male', 'other', 'unknown'].flatMap((sex) => [...AGE_BANDS, 'unknown'].map((b) => ({ sex, band: b, ...only(cell('', pyramid.get(`${sex}|${b}`) ?? 0, mask)) }))),
    servicesByMonth: [...months]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, n]) => {
        const [month, type] = key.split('|') as [string, string];
        return { month, type, ...only(cell('', n, mask)) };
      }),
  };
}

/** The dashboard's tables as a workbook (aggregates only; masked cells stay "<5"). */
export async function dashboardWorkbook(deps: CasesDeps, actor: Actor, officeId: string | undefined): Promise<Buffer> {
  const d = await dashboard(deps, actor, officeId);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Passage';
  const shown = (c: { count: number | null; masked: boolean }) => (c.masked ? '<5' : c.count);
  const sheet = (name: string, header: string[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.columns.forEach((c) => (c.width = 18));
  };
  sheet('Open cases', ['Dimension', 'Value', 'Open cases'], [
    ...d.openByType.map((c) => ['type', c.key, shown(c)]),
    ...d.openByStatus.map((c) => ['status', c.key, shown(c)]),
    ...d.openByRisk.map((c) => ['risk', c.key, shown(c)]),
    ...d.openByAge.map((c) => ['days open', c.key, shown(c)]),
    ['overdue tasks', '', d.overdueTasks],
  ]);
  sheet('People served', ['Sex', 'Age band', 'People'], d.peopleServed.map((p) => [p.sex, p.band, shown(p)]));
  sheet('Services', ['Month', 'Service', 'Delivered'], d.servicesByMonth.map((s) => [s.month, s.type, shown(s)]));
  await writeAuditNow(deps.db, { actorId: actor.principal.userId, action: 'case.stats.export', entityType: 'case', officeId: officeId ?? null, details: { offices: d.officeIds.length } });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// Oversight for data protection: break-glass grants and consent overrides in the officer's offices.

export async function oversight(deps: CasesDeps, actor: Actor): Promise<{ breakGlass: BreakGlassDto[]; consentOverrides: ReferralDto[] }> {
  const offices = [...actor.policy.scope(actor.principal, 'cases.oversight')];
  if (offices.length === 0) return { breakGlass: [], consentOverrides: [] };
  const [glass, overrides] = await Promise.all([
    deps.db.selectFrom('break_glass as b').innerJoin('case_file as c', 'c.id', 'b.case_id').select(['b.id', 'b.case_id', 'c.case_number', 'b.user_id', 'b.reason', 'b.granted_at', 'b.expires_at']).where('b.office_id', 'in', offices).orderBy('b.granted_at', 'desc').limit(500).execute(),
    referralQuery(deps.db).where('r.office_id', 'in', offices).where('r.consent_override_reason', 'is not', null).orderBy('r.created_at', 'desc').limit(500).execute(),
  ]);
  const users = await userRefs(deps.db, glass.map((g) => g.user_id));
  await writeAuditNow(deps.db, { actorId: actor.principal.userId, action: 'case.oversight.view', entityType: 'case', details: { breakGlass: glass.length, consentOverrides: overrides.length } });
  return {
    breakGlass: glass.map((g) => ({ id: g.id, caseId: g.case_id, caseNumber: g.case_number, user: users.get(g.user_id) ?? { id: g.user_id, name: '?' }, reason: g.reason, grantedAt: g.granted_at.toISOString(), expiresAt: g.expires_at.toISOString() })),
    consentOverrides: await toReferralDtos(deps, deps.db, overrides),
  };
}

// ---------------------------------------------------------------------------------------------
// The anonymised counter-trafficking publication (CTDC format, k-anonymous).

/** Loads the counter-trafficking cases of the offices (details decrypted in memory only) in the publication's input form. */
export async function ctPublicationInput(deps: CasesDeps, offices: readonly string[]): Promise<CtCaseForPublication[]> {
  if (offices.length === 0) return [];
  const out: CtCaseForPublication[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await deps.db
      .selectFrom('case_file as c')
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .select(['c.id', 'c.details', 'c.details_sealed', 'c.opened_at', 'p.sex', sql<string | null>`p.date_of_birth::text`.as('dob'), 'p.nationality'])
      .where('c.type', '=', 'counter_trafficking')
      .where('c.office_id', 'in', offices)
      .where('c.id', '>', after)
      .orderBy('c.id')
      .limit(10_000)
      .execute();
    if (rows.length === 0) return out;
    for (const r of rows) {
      const d = readDetails(deps.encryption, r);
      const list = (k: string): string[] => (Array.isArray(d[k]) ? (d[k] as string[]) : []);
      const events = Array.isArray(d.events) ? (d.events as { kind: string; country: string }[]) : [];
      const registeredOn = r.opened_at.toISOString().slice(0, 10);
      out.push({
        registeredOn,
        ageAtRegistration: r.dob ? ageOn(r.dob, registeredOn) : null,
        gender: r.sex as CtCaseForPublication['gender'],
        citizenship: r.nationality,
        countryOfExploitation: events.find((e) => e.kind === 'exploitation')?.country ?? null,
        exploitationMonths: typeof d.exploitationMonths === 'number' ? d.exploitationMonths : null,
        exploitationTypes: list('exploitationTypes'),
        forcedLabourIndustries: list('forcedLabourIndustry'),
        sexExploitationTypes: list('sexExploitationTypes'),
        meansOfControl: list('methodsOfControl'),
        recruiterRelation: list('recruiterRelation'),
      });
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function ctPublication(deps: CasesDeps, actor: Actor, officeId: string | undefined): Promise<{ result: CtdcExport; csv: string }> {
  const scope = actor.policy.scope(actor.principal, 'cases.publish');
  let offices = [...scope];
  if (officeId) {
    if (!scope.has(officeId)) throw new PassageError('forbidden', 'Not an office you publish for', { errors: [{ field: 'officeId', message: 'not one of your offices' }] });
    offices = [...officeSubtree(officeId, await deps.offices.nodes())].filter((o) => scope.has(o));
  }
  const input = await ctPublicationInput(deps, offices);
  const result = buildCtdcExport(input);
  await deps.db.transaction().execute((trx) => writeAudit(trx, { actorId: actor.principal.userId, action: 'case.publish', entityType: 'case', officeId: officeId ?? null, details: { cases: input.length, published: result.published, suppressed: result.suppressed, k: result.k, level: result.generalisation.level } }));
  return { result, csv: toCsv(result.rows) };
}

// ---------------------------------------------------------------------------------------------
// Teams and assignees

/** Who may be given a case of this type at this office: caseworkers there (restricted types: in its team). */
export async function assignees(deps: CasesDeps, actor: Actor, officeId: string, type: CaseTypeId): Promise<{ id: string; name: string }[]> {
  if (!actor.policy.canAt(actor.principal, 'cases.read', officeId)) throw new PassageError('forbidden', 'Not an office where you work cases', { errors: [{ field: 'officeId', message: 'not one of your offices' }] });
  const def = CASE_TYPES[type];
  const ancestors = officeAncestors(officeId, await deps.offices.nodes());
  const candidates = await deps.db.selectFrom('user_role as r').innerJoin('app_user as u', 'u.id', 'r.user_id').select(['u.id', 'u.display_name']).distinct().where('r.office_id', 'in', ancestors).where('u.status', '=', 'active').orderBy('u.display_name').execute();
  const out: { id: string; name: string }[] = [];
  for (const u of candidates) {
    const principal = await grantsOf(deps.db, u.id);
    if (!actor.policy.canAt(principal, 'cases.work', officeId)) continue;
    if (def.sensitivity === 'restricted') {
      if (!actor.policy.inCaseTeam(principal, await loadTeams(deps.db, u.id), def.team, officeId)) continue;
    }
    out.push({ id: u.id, name: u.display_name });
  }
  return out;
}

/**
 * May the actor manage a team's membership at an office? An administrator of the office (users.manage), or a case
 * supervisor there who is in that team: nobody joins the counter-trafficking team by their own say-so.
 */
async function mayManageTeam(deps: CasesDeps, actor: Actor, officeId: string, team: string): Promise<boolean> {
  if (actor.policy.canAt(actor.principal, 'users.manage', officeId)) return true;
  if (!actor.policy.canAt(actor.principal, 'cases.supervise', officeId)) return false;
  const teams = await loadTeams(deps.db, actor.principal.userId);
  return actor.policy.inCaseTeam(actor.principal, teams, team, officeId);
}

export async function listTeams(deps: CasesDeps, actor: Actor, officeId: string): Promise<{ team: string; members: { id: string; name: string }[]; mayManage: boolean }[]> {
  if (!actor.policy.canAt(actor.principal, 'cases.supervise', officeId) && !actor.policy.canAt(actor.principal, 'users.manage', officeId)) throw new PassageError('not_found', 'Office not found');
  const rows = await deps.db.selectFrom('team_membership as t').innerJoin('app_user as u', 'u.id', 't.user_id').select(['t.team', 'u.id', 'u.display_name']).where('t.office_id', '=', officeId).orderBy('u.display_name').execute();
  return Promise.all(CASE_TEAMS.map(async (team) => ({ team, members: rows.filter((r) => r.team === team).map((r) => ({ id: r.id, name: r.display_name })), mayManage: await mayManageTeam(deps, actor, officeId, team) })));
}

export async function setTeamMember(deps: CasesDeps, actor: Actor, officeId: string, team: string, userId: string, present: boolean): Promise<void> {
  if (!CASE_TEAMS.includes(team)) throw new PassageError('validation_failed', 'Unknown team', { errors: [{ field: 'team', message: `one of: ${CASE_TEAMS.join(', ')}` }] });
  if (!(await mayManageTeam(deps, actor, officeId, team))) throw new PassageError('forbidden', 'Only an administrator, or a supervisor in the team, manages its members');
  await deps.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('app_user').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) throw new PassageError('validation_failed', 'Unknown user', { errors: [{ field: 'userId', message: 'no such user' }] });
    if (present) await trx.insertInto('team_membership').values({ office_id: officeId, team, user_id: userId, added_by: actor.principal.userId }).onConflict((oc) => oc.doNothing()).execute();
    else await trx.deleteFrom('team_membership').where('office_id', '=', officeId).where('team', '=', team).where('user_id', '=', userId).execute();
    await writeAudit(trx, { actorId: actor.principal.userId, action: present ? 'team.member.add' : 'team.member.remove', entityType: 'team', entityId: null, officeId, requestId: actor.requestId, details: { team, userId } });
  });
}

