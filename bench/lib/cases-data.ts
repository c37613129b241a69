// Bulk data for the case-engine benchmark (bench/cases.bench.ts): caseworkers and supervisors with roles and
// team memberships, people, cases of both types over their state machines, timelines, notes, tasks, services,
// assessments, referrals, named specialists and pending transfers. Generated inside PostgreSQL (INSERT … SELECT
// over generate_series, through UNLOGGED staging tables), not through the services: hundreds of thousands of
// cases in a minute or two. What must be sealed (every text of a counter-trafficking case, sensitive notes) is
// sealed in Node by the real EncryptionService with the record id and field name as associated data, exactly as
// the services do, so reading it back decrypts like real data.
//
// Physical order is realistic: each table's rows are inserted in time order (cases by opening, events by time,
// …), so a case's timeline is spread over the heap as it would be after years of use, not packed together.
// Foreign-key triggers are off during the load (session_replication_role = replica, this session only): every
// reference is to a row created here or by the demo seed.
import type pg from 'pg';
import { CASE_TYPES, awaitsSupervisor, type CaseTypeId } from '@passage/domain';
import type { EncryptionService } from '@passage/server/platform/encryption';
import type { BenchSize } from './common.ts';

/** How much to generate. */
export interface CasesScale {
  persons: number;
  cases: number;
  /** Events on the timelines, all cases together (approximate: drawn per case). */
  events: number;
  /** Bench caseworkers per office: [protection only, protection + counter-trafficking]. */
  caseworkers: { NL: [number, number]; PORT: [number, number]; SL: [number, number] };
  /** Bench case supervisors per office: [protection, counter-trafficking]. */
  supervisors: { NL: [number, number]; PORT: [number, number]; SL: [number, number] };
  /** Cases owned by the demo caseworker (migrant assistance at DEMO-NL), and by the demo CT caseworker. */
  demoOwned: number;
  ctDemoOwned: number;
  /** Share of cases closed. */
  closedShare: number;
  /** Share of cases with a long timeline (100–299 events). */
  heavyShare: number;
  /** Share of open cases with an open task (tunes the demo caseworker's ~50 open tasks). */
  openTaskShare: number;
  /** Pending transfers of Southland cases to Northland. */
  transfers: number;
}

export const CASES_SCALES: Record<BenchSize, CasesScale> = {
  full: {
    persons: 150_000,
    cases: 200_000,
    events: 2_000_000,
    caseworkers: { NL: [90, 30], PORT: [24, 6], SL: [40, 10] },
    supervisors: { NL: [3, 2], PORT: [1, 1], SL: [2, 1] },
    demoOwned: 600,
    ctDemoOwned: 400,
    closedShare: 0.7,
    heavyShare: 0.01,
    openTaskShare: 0.27,
    transfers: 20,
  },
  tiny: {
    persons: 1_000,
    cases: 1_000,
    events: 10_000,
    caseworkers: { NL: [6, 2], PORT: [2, 1], SL: [3, 1] },
    supervisors: { NL: [1, 1], PORT: [1, 1], SL: [1, 1] },
    demoOwned: 60,
    ctDemoOwned: 30,
    closedShare: 0.7,
    heavyShare: 0.01,
    openTaskShare: 0.9,
    transfers: 3,
  },
};

/** Ids the generator and the benchmark need from the demo seed. */
export interface DemoIds {
  offices: { HQ: string; NL: string; PORT: string; SL: string };
  codes: { NL: string; PORT: string; SL: string };
  users: Record<'caseworker' | 'supervisor' | 'ctCaseworker' | 'ctSupervisor' | 'slCaseworker' | 'slSupervisor' | 'programmeManager' | 'dpo' | 'registrar', string>;
  partners: { NL: string[]; SL: string[] };
}

export async function demoIds(pool: pg.Pool): Promise<DemoIds> {
  const offices = new Map((await pool.query<{ code: string; id: string }>(`SELECT code, id FROM office`)).rows.map((r) => [r.code, r.id]));
  const users = new Map((await pool.query<{ email: string; id: string }>(`SELECT email, id FROM app_user WHERE email LIKE '%@demo.passage.invalid'`)).rows.map((r) => [r.email.split('@')[0]!, r.id]));
  const office = (code: string) => offices.get(code) ?? raise(`no office ${code}`);
  const user = (key: string) => users.get(key) ?? raise(`no demo account ${key}`);
  const partners = (await pool.query<{ id: string; office_id: string }>(`SELECT id, office_id FROM partner ORDER BY name`)).rows;
  return {
    offices: { HQ: office('DEMO-HQ'), NL: office('DEMO-NL'), PORT: office('DEMO-NL-PORT'), SL: office('DEMO-SL') },
    codes: { NL: 'DEMO-NL', PORT: 'DEMO-NL-PORT', SL: 'DEMO-SL' },
    users: {
      caseworker: user('caseworker'),
      supervisor: user('case.supervisor'),
      ctCaseworker: user('ct.caseworker'),
      ctSupervisor: user('ct.supervisor'),
      slCaseworker: user('caseworker.sl'),
      slSupervisor: user('case.supervisor.sl'),
      programmeManager: user('programme.manager'),
      dpo: user('data.protection.officer'),
      registrar: user('registration.officer'),
    },
    partners: { NL: partners.filter((p) => p.office_id === office('DEMO-NL')).map((p) => p.id), SL: partners.filter((p) => p.office_id === office('DEMO-SL')).map((p) => p.id) },
  };
}

function raise(message: string): never {
  throw new Error(message);
}

/** A small deterministic PRNG (mulberry32), for the sealed details. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Fictitious names and a skewed mix of nationalities (repeats weigh them).
const FEMALE = ['Amina', 'Fatima', 'Maryam', 'Hawa', 'Selam', 'Olena', 'Iryna', 'Maria', 'Aisha', 'Zainab', 'Hana', 'Rahel', 'Samira', 'Nour', 'Leila', 'Grace', 'Blessing', 'Yasmin', 'Sara', 'Mariam'];
const MALE = ['Mohammed', 'Ahmad', 'Ali', 'Omar', 'Yusuf', 'Tesfaye', 'Abdi', 'Oleksandr', 'Serhii', 'Ibrahim', 'Hassan', 'Musa', 'Daniel', 'Samuel', 'Khalid', 'Bilal', 'Emmanuel', 'Idris', 'Jamal', 'Karim'];
const FAMILY = ['Alhasan', 'Abdullah', 'Haile', 'Kovalenko', 'Shevchenko', 'Warsame', 'Mohamud', 'Tesfay', 'Alkhateeb', 'Aljubouri', 'Okafor', 'Diallo', 'Traore', 'Kone', 'Rahimi', 'Ahmadi', 'Hosseini', 'Garcia', 'Rodriguez', 'Mensah', 'Bangura', 'Kamara', 'Osman', 'Yilmaz', 'Nguyen'];
const NATIONALITIES = [
  ...Array<string>(8).fill('SYR'), ...Array<string>(6).fill('AFG'), ...Array<string>(5).fill('ERI'), ...Array<string>(4).fill('SOM'), ...Array<string>(4).fill('ETH'),
  ...Array<string>(4).fill('NGA'), ...Array<string>(3).fill('SDN'), ...Array<string>(3).fill('UKR'), ...Array<string>(3).fill('IRQ'), ...Array<string>(2).fill('VEN'),
  ...Array<string>(2).fill('BGD'), ...Array<string>(2).fill('PAK'), 'MMR', 'GIN', 'CIV', 'MLI', 'SEN', 'COD', 'YEM', 'VNM',
];
/** Countries of exploitation, skewed (most cases in a few countries). */
const EXPLOITATION_COUNTRIES = ['LBY', 'LBY', 'LBY', 'TUR', 'TUR', 'SAU', 'SAU', 'ARE', 'ITA', 'RUS', 'THA', 'NGA', 'SDN', 'YEM', 'GRC'];
const POPULATION_GROUPS = ['refugee', 'asylum_seeker', 'migrant_worker', 'irregular_migrant', 'returnee', 'other'];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const some = <T>(r: () => number, list: readonly T[], min: number, max: number): T[] => {
  const n = min + Math.floor(r() * (max - min + 1));
  return [...new Set(Array.from({ length: n }, () => pick(r, list)))];
};
const optionsOf = (type: CaseTypeId, field: string): readonly string[] => CASE_TYPES[type].fields.find((f) => f.name === field)?.options ?? raise(`no field ${field}`);

/** The details of a counter-trafficking case (HTCDS fields), drawn from the case's number. */
export function ctDetails(i: number, openedOn: string): Record<string, unknown> {
  const r = prng(i * 7919 + 13);
  const exploitation = r() < 0.55 ? ['forced_labour'] : r() < 0.75 ? ['sexual_exploitation'] : some(r, optionsOf('counter_trafficking', 'exploitationTypes'), 1, 2);
  const country = pick(r, EXPLOITATION_COUNTRIES);
  return {
    traffickingStatus: r() < 0.7 ? 'actual' : 'possible',
    identificationDate: openedOn,
    identifiedBy: pick(r, optionsOf('counter_trafficking', 'identifiedBy').filter((o) => o !== 'other')),
    recruitmentMethod: some(r, optionsOf('counter_trafficking', 'recruitmentMethod'), 1, 2),
    recruiterRelation: some(r, optionsOf('counter_trafficking', 'recruiterRelation'), 1, 2),
    methodsOfControl: some(r, optionsOf('counter_trafficking', 'methodsOfControl'), 1, 4),
    exploitationTypes: exploitation,
    ...(exploitation.includes('forced_labour') || exploitation.includes('child_labour') ? { forcedLabourIndustry: some(r, optionsOf('counter_trafficking', 'forcedLabourIndustry'), 1, 2) } : {}),
    ...(exploitation.includes('sexual_exploitation') ? { sexExploitationTypes: some(r, ['prostitution', 'pornography'], 1, 1) } : {}),
    exploitationMonths: Math.floor(r() * r() * 60),
    events: [
      { kind: 'recruitment', country: pick(r, NATIONALITIES), place: null, from: null, to: null },
      { kind: 'exploitation', country, place: null, from: null, to: null },
    ],
    assistanceGiven: some(r, optionsOf('counter_trafficking', 'assistanceGiven'), 1, 3),
  };
}

const PLAN = { goals: [{ text: 'Safe accommodation (bench goal, fictitious)', achieved: false }, { text: 'Documents renewed (bench goal, fictitious)', achieved: true }], services: [{ type: 'legal_aid' }] };

export interface GeneratedCounts {
  users: number;
  persons: number;
  cases: number;
  ctCases: number;
  events: number;
  notes: number;
  tasks: number;
  services: number;
  assessments: number;
  referrals: number;
  members: number;
  transfers: number;
  seals: number;
  maxEventsPerCase: number;
  casesWith100Events: number;
  demoCaseworkerCases: number;
  demoCaseworkerOpenCases: number;
  demoCaseworkerOpenTasks: number;
  demoCaseworkerOverdueTasks: number;
}

/** Seals a text column of a staging table for the rows matching `where`, in pages (record id + field as AAD). */
async function sealStage(client: pg.PoolClient, enc: EncryptionService, table: string, column: string, field: string, where: string, plaintext?: (row: { id: string; i: number; value: string | null; opened_on: string | null }) => string): Promise<number> {
  const idsRes = await client.query<{ id: string }>(`SELECT id FROM ${table} WHERE ${where} ORDER BY id`);
  const ids = idsRes.rows.map((r) => r.id);
  const iCol = table === 'bench_case' ? 'i' : '0';
  const openedCol = table === 'bench_case' ? `to_char(opened_at, 'YYYY-MM-DD')` : 'NULL';
  for (let start = 0; start < ids.length; start += 5000) {
    const page = ids.slice(start, start + 5000);
    const rows = (await client.query<{ id: string; i: number; value: string | null; opened_on: string | null }>(`SELECT id, ${iCol} AS i, ${column}::text AS value, ${openedCol} AS opened_on FROM ${table} WHERE id = ANY($1::uuid[])`, [page])).rows;
    const sealed = rows.map((r) => enc.seal(plaintext ? plaintext(r) : (r.value ?? ''), r.id, field));
    await client.query(`UPDATE ${table} t SET ${column} = v.s FROM unnest($1::uuid[], $2::text[]) AS v(id, s) WHERE t.id = v.id`, [rows.map((r) => r.id), sealed]);
  }
  return ids.length;
}

/**
 * Generates the data. `log` gets one line per step with its time. Returns the counts (from the tables).
 */
export async function generateCases(pool: pg.Pool, enc: EncryptionService, ids: DemoIds, scale: CasesScale, log: (line: string) => void): Promise<GeneratedCounts> {
  const client = await pool.connect();
  const step = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await fn();
    log(`  ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return value;
  };
  const { offices: O, users: U } = ids;
  let seals = 0;
  try {
    await client.query(`SET session_replication_role = replica; SET work_mem = '256MB'; SET maintenance_work_mem = '256MB'; SELECT setseed(0.2026)`);

    // ---- Accounts: bench caseworkers and supervisors, their roles and teams; pools of owners and supervisors.
    await step('accounts, roles, teams', async () => {
      type Account = { key: string; office: 'NL' | 'PORT' | 'SL'; role: 'caseworker' | 'case_supervisor'; teams: string[] };
      const accounts: Account[] = [];
      for (const office of ['NL', 'PORT', 'SL'] as const) {
        const [plain, ct] = scale.caseworkers[office];
        for (let k = 0; k < plain + ct; k++) accounts.push({ key: `bench.caseworker.${office.toLowerCase()}.${k + 1}`, office, role: 'caseworker', teams: k < plain ? ['protection'] : ['protection', 'counter_trafficking'] });
        const [prot, ctSup] = scale.supervisors[office];
        for (let k = 0; k < prot + ctSup; k++) accounts.push({ key: `bench.supervisor.${office.toLowerCase()}.${k + 1}`, office, role: 'case_supervisor', teams: k < prot ? ['protection'] : ['counter_trafficking'] });
      }
      const inserted = await client.query<{ id: string; email: string }>(
        `INSERT INTO app_user (email, display_name) SELECT e, d FROM unnest($1::text[], $2::text[]) AS v(e, d) RETURNING id, email`,
        [accounts.map((a) => `${a.key}@bench.passage.invalid`), accounts.map((a) => `Bench ${a.role.replace('_', ' ')} ${a.key.split('.').slice(2).join(' ').toUpperCase()}`)],
      );
      const idOf = new Map(inserted.rows.map((r) => [r.email.split('@')[0]!, r.id]));
      const officeId = (o: 'NL' | 'PORT' | 'SL') => O[o];
      await client.query(`INSERT INTO user_role (user_id, office_id, role) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])`, [accounts.map((a) => idOf.get(a.key)!), accounts.map((a) => officeId(a.office)), accounts.map((a) => a.role)]);
      const teamRows = accounts.flatMap((a) => a.teams.map((t) => ({ user: idOf.get(a.key)!, office: officeId(a.office), team: t })));
      await client.query(`INSERT INTO team_membership (office_id, team, user_id) SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[])`, [teamRows.map((t) => t.office), teamRows.map((t) => t.team), teamRows.map((t) => t.user)]);
      // Pools: who may own (caseworkers of the office in the case type's team) and supervise cases there.
      const pools: { kind: string; office: string; team: string; users: string[] }[] = [];
      for (const office of ['NL', 'PORT', 'SL'] as const) {
        for (const team of ['protection', 'counter_trafficking']) {
          const owners = accounts.filter((a) => a.office === office && a.role === 'caseworker' && a.teams.includes(team)).map((a) => idOf.get(a.key)!);
          if (office === 'SL' && team === 'protection') owners.push(U.slCaseworker);
          const sups = accounts.filter((a) => a.office === office && a.role === 'case_supervisor' && a.teams.includes(team)).map((a) => idOf.get(a.key)!);
          if (office !== 'SL' && team === 'protection') sups.push(U.supervisor);
          if (office !== 'SL' && team === 'counter_trafficking') sups.push(U.ctSupervisor);
          if (office === 'SL' && team === 'protection') sups.push(U.slSupervisor);
          pools.push({ kind: 'owner', office: O[office], team, users: owners }, { kind: 'supervisor', office: O[office], team, users: sups });
        }
      }
      await client.query(`CREATE UNLOGGED TABLE bench_pool (kind text, office_id uuid, team text, idx int, size int, user_id uuid, PRIMARY KEY (kind, office_id, team, idx))`);
      const flat = pools.flatMap((p) => p.users.map((u, idx) => ({ ...p, idx, size: p.users.length, user: u })));
      await client.query(`INSERT INTO bench_pool SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::uuid[])`, [
        flat.map((f) => f.kind), flat.map((f) => f.office), flat.map((f) => f.team), flat.map((f) => f.idx), flat.map((f) => f.size), flat.map((f) => f.user),
      ]);
    });

    // ---- People (60 % Northland, 15 % its sub-office, 25 % Southland) and their consent to referral (65 %).
    await step(`${scale.persons.toLocaleString('en')} people + consents`, async () => {
      await client.query(`CREATE UNLOGGED TABLE bench_person (n int PRIMARY KEY, id uuid, office_id uuid, consent_id bigint)`);
      await client.query(
        `WITH s AS (
           SELECT i, random() AS ro, random() AS rs, random() AS ra, random() AS rg, random() AS rf, random() AS rn, random() AS rp, random() AS rc, random() AS rd FROM generate_series(1, $1::int) i
         ), r AS (
           SELECT i, rc, rn, rp,
             CASE WHEN ro < 0.6 THEN $2::uuid WHEN ro < 0.75 THEN $3::uuid ELSE $4::uuid END AS office_id,
             CASE WHEN ro < 0.6 THEN $5 WHEN ro < 0.75 THEN $6 ELSE $7 END AS code,
             CASE WHEN rs < 0.45 THEN 'female' WHEN rs < 0.98 THEN 'male' WHEN rs < 0.99 THEN 'other' ELSE 'unknown' END AS sex,
             CASE WHEN ra < 0.03 THEN NULL WHEN ra < 0.18 THEN current_date - (floor(rd * 17 * 365.25))::int ELSE current_date - (floor((18 + rd * 52) * 365.25))::int END AS dob,
             CASE WHEN rs < 0.45 THEN ($8::text[])[1 + floor(rg * array_length($8::text[], 1))::int] ELSE ($9::text[])[1 + floor(rg * array_length($9::text[], 1))::int] END AS given,
             ($10::text[])[1 + floor(rf * array_length($10::text[], 1))::int] AS family
           FROM s
         )
         , ins AS (
           INSERT INTO person (office_id, registration_id, given_name, family_name, sex, date_of_birth, dob_precision, nationality, population_group, search_text, registered_by, created_at, updated_at)
           SELECT office_id, code || '-B' || lpad(i::text, 7, '0'), given, family, sex, dob, CASE WHEN dob IS NULL THEN 'estimated' ELSE 'exact' END,
             ($11::text[])[1 + floor(rn * array_length($11::text[], 1))::int],
             ($12::text[])[1 + floor(rp * array_length($12::text[], 1))::int],
             lower(given || ' ' || family), $13::uuid, now() - rc * interval '1500 days', now() - rc * interval '1500 days'
           FROM r ORDER BY rc DESC
           RETURNING id, office_id, registration_id
         )
         INSERT INTO bench_person (n, id, office_id) SELECT substring(registration_id FROM '-B([0-9]+)$')::int, id, office_id FROM ins`,
        [scale.persons, O.NL, O.PORT, O.SL, ids.codes.NL, ids.codes.PORT, ids.codes.SL, FEMALE, MALE, FAMILY, NATIONALITIES, POPULATION_GROUPS, U.registrar],
      );
      await client.query(
        `WITH c AS (
           INSERT INTO consent (person_id, office_id, purpose, granted, method, language, recorded_by, recorded_at)
           SELECT id, office_id, 'referral', true, 'verbal', 'en', $1::uuid, now() - random() * interval '1400 days' FROM bench_person WHERE random() < 0.65
           RETURNING id, person_id
         )
         UPDATE bench_person b SET consent_id = c.id FROM c WHERE b.id = c.person_id`,
        [U.registrar],
      );
    });

    // ---- Cases: staged, then inserted in the order they were opened.
    const awaiting = (['migrant_assistance', 'counter_trafficking'] as const).flatMap((t) => CASE_TYPES[t].states.filter((s) => awaitsSupervisor(CASE_TYPES[t], s)).map((s) => `${t}:${s}`));
    const openStates = (t: CaseTypeId) => {
      const [intake, assessment, planning, review, working, closure] = CASE_TYPES[t].states;
      // 20 slots, weighted: most open cases are being worked on.
      return [...Array<string>(3).fill(intake!), ...Array<string>(3).fill(assessment!), ...Array<string>(3).fill(planning!), ...Array<string>(2).fill(review!), ...Array<string>(7).fill(working!), ...Array<string>(2).fill(closure!)];
    };
    const notesMean = 1;
    const heavyMean = 200;
    // Events drawn per ordinary case: 2 + floor(Exp(mean)), E ≈ 2 + mean − 0.5; the note events come on top.
    const eventMean = Math.max(1, (scale.events / scale.cases - notesMean - scale.heavyShare * heavyMean) / (1 - scale.heavyShare) - 1.5);
    await step(`${scale.cases.toLocaleString('en')} cases (staged)`, async () => {
      const nlMa = scale.cases * 0.75 * 0.6;
      const nlCt = scale.cases * 0.25 * 0.6;
      await client.query(
        `CREATE UNLOGGED TABLE bench_case AS
         WITH s AS (
           SELECT i, (i % 4 = 0) AS ct, 1 + floor(random() * $1::int)::int AS pn, random() AS r_status, random() AS r_open, random() AS r_close, random() AS r_risk,
             random() AS r_owner, random() AS r_sup, random() AS r_demo, random() AS r_heavy, random() AS r_events, random() AS r_notes, random() AS r_a, random() AS r_b, random() AS r_c, random() AS r_d
           FROM generate_series(1, $2::int) i
         )
         SELECT s.*, gen_random_uuid() AS id, p.id AS person_id, p.office_id, p.consent_id,
           CASE WHEN ct THEN 'counter_trafficking' ELSE 'migrant_assistance' END AS type,
           CASE WHEN ct THEN 'counter_trafficking' ELSE 'protection' END AS team,
           CASE WHEN ct THEN 'restricted' ELSE 'standard' END AS sensitivity,
           CASE WHEN r_status < $3::float8 THEN 'closed'
                WHEN ct THEN ($4::text[])[1 + floor((r_status - $3::float8) / (1 - $3::float8) * 20)::int]
                ELSE ($5::text[])[1 + floor((r_status - $3::float8) / (1 - $3::float8) * 20)::int] END AS status
         FROM s JOIN bench_person p ON p.n = s.pn`,
        [scale.persons, scale.cases, scale.closedShare, openStates('counter_trafficking'), openStates('migrant_assistance')],
      );
      await client.query(`ALTER TABLE bench_case ADD PRIMARY KEY (id)`);
      await client.query(
        `ALTER TABLE bench_case ADD COLUMN opened_at timestamptz, ADD COLUMN closed_at timestamptz, ADD COLUMN updated_at timestamptz, ADD COLUMN owner_id uuid, ADD COLUMN supervisor_id uuid,
           ADD COLUMN case_number text, ADD COLUMN details jsonb NOT NULL DEFAULT '{}', ADD COLUMN details_sealed text, ADD COLUMN plan jsonb, ADD COLUMN plan_sealed text, ADD COLUMN plan_status text,
           ADD COLUMN n_events int, ADD COLUMN n_notes int`,
      );
      await client.query(
        `UPDATE bench_case SET
           opened_at = CASE WHEN status = 'closed' THEN now() - (1 + r_open * 1459) * interval '1 day' ELSE now() - (r_open * r_open * 540) * interval '1 day' - interval '1 hour' END,
           n_events = CASE WHEN r_heavy < $1::float8 THEN 100 + floor(r_events * 200)::int ELSE 2 + floor(-ln(1 - r_events) * $2::float8)::int END,
           n_notes = floor(r_notes * 3)::int,
           plan_status = CASE WHEN status IN ('planning') THEN 'draft' WHEN status = 'plan_review' THEN 'submitted'
                              WHEN status IN ('in_progress', 'assistance', 'closure_review') THEN 'approved' WHEN status = 'closed' AND r_c < 0.75 THEN 'approved' END`,
        [scale.heavyShare, eventMean],
      );
      await client.query(
        `UPDATE bench_case c SET
           closed_at = CASE WHEN status = 'closed' THEN LEAST(now() - interval '1 hour', opened_at + (7 + r_close * 300) * interval '1 day') END,
           case_number = (SELECT code FROM office o WHERE o.id = c.office_id) || '-' || extract(year FROM opened_at) || '-B' || lpad(i::text, 6, '0'),
           owner_id = CASE
             WHEN office_id = $1::uuid AND type = 'migrant_assistance' AND r_demo < $2::float8 THEN $3::uuid
             WHEN office_id = $1::uuid AND type = 'counter_trafficking' AND r_demo < $4::float8 THEN $5::uuid
             ELSE (SELECT user_id FROM bench_pool b WHERE b.kind = 'owner' AND b.office_id = c.office_id AND b.team = c.team AND b.idx = floor(c.r_owner * b.size)::int) END,
           supervisor_id = (SELECT user_id FROM bench_pool b WHERE b.kind = 'supervisor' AND b.office_id = c.office_id AND b.team = c.team AND b.idx = floor(c.r_sup * b.size)::int),
           details = CASE WHEN type = 'migrant_assistance' THEN jsonb_build_object(
             'circumstance', (ARRAY['stranded','stranded','detained','abandoned','injured','unaccompanied_child','separated_child','other'])[1 + floor(r_a * 8)::int],
             'countryOfIncident', ($6::text[])[1 + floor(r_b * array_length($6::text[], 1))::int],
             'vulnerabilityScreening', jsonb_build_array((ARRAY['no_shelter','medical_emergency','no_documents','no_means_of_subsistence','survivor_of_violence','disability'])[1 + floor(r_c * 6)::int]),
             'needsSectors', jsonb_build_array((ARRAY['shelter','food','health','legal','psychosocial','documentation'])[1 + floor(r_b * 6)::int], 'health'),
             'screeningNote', 'Screening done at the office; the person reported needs for shelter and documents (bench text, fictitious).')
             ELSE '{}'::jsonb END`,
        [O.NL, Math.min(1, scale.demoOwned / nlMa), U.caseworker, Math.min(1, scale.ctDemoOwned / nlCt), U.ctCaseworker, NATIONALITIES],
      );
      await client.query(`UPDATE bench_case SET updated_at = COALESCE(closed_at, opened_at + r_close * (now() - opened_at)), plan = CASE WHEN plan_status IS NOT NULL AND type = 'migrant_assistance' THEN $1::jsonb END`, [JSON.stringify(PLAN)]);
    });
    seals += await step('seal counter-trafficking details and plans (EncryptionService.seal)', async () => {
      const d = await sealStage(client, enc, 'bench_case', 'details_sealed', 'details', `type = 'counter_trafficking'`, (r) => JSON.stringify(ctDetails(r.i, r.opened_on!)));
      const p = await sealStage(client, enc, 'bench_case', 'plan_sealed', 'plan', `type = 'counter_trafficking' AND plan_status IS NOT NULL`, () => JSON.stringify(PLAN));
      return d + p;
    });
    await step('insert cases (in opening order)', async () => {
      await client.query(
        `INSERT INTO case_file (id, office_id, case_number, type, sensitivity, team, status, person_id, owner_id, supervisor_id, risk_level, opened_at, closed_at, closure_reason,
           details, details_sealed, awaiting_supervisor, plan, plan_sealed, plan_status, plan_version, plan_goals, plan_updated_by, plan_updated_at, plan_approved_by, plan_approved_at,
           created_by, created_at, updated_at, version)
         SELECT id, office_id, case_number, type, sensitivity, team, status, person_id, owner_id, supervisor_id,
           CASE WHEN r_risk < 0.3 THEN 'low' WHEN r_risk < 0.7 THEN 'medium' WHEN r_risk < 0.92 THEN 'high' ELSE 'critical' END,
           opened_at, closed_at, CASE WHEN status = 'closed' THEN (ARRAY['needs_met','moved_on','lost_contact','declined_assistance','other'])[1 + floor(r_a * 5)::int] END,
           details, details_sealed, (type || ':' || status) = ANY($1::text[]), plan, plan_sealed, plan_status,
           CASE WHEN plan_status IS NULL THEN 0 ELSE 1 + floor(r_c * 2)::int END, CASE WHEN plan_status IS NULL THEN 0 ELSE 2 END,
           CASE WHEN plan_status IS NOT NULL THEN owner_id END, CASE WHEN plan_status IS NOT NULL THEN opened_at + (updated_at - opened_at) / 3 END,
           CASE WHEN plan_status = 'approved' THEN supervisor_id END, CASE WHEN plan_status = 'approved' THEN opened_at + (updated_at - opened_at) / 2 END,
           owner_id, opened_at, updated_at, 3 + floor(r_b * 8)::int
         FROM bench_case ORDER BY opened_at`,
        [awaiting],
      );
    });

    // ---- Notes (0–2 per case; 10 % sensitive; sealed when sensitive or restricted).
    await step('notes (staged, sealed, inserted)', async () => {
      await client.query(
        `CREATE UNLOGGED TABLE bench_note AS
         SELECT gen_random_uuid() AS id, c.id AS case_id, c.office_id, (random() < 0.1) AS sensitive, c.type, c.owner_id AS created_by,
           c.opened_at + random() * (COALESCE(c.closed_at, now()) - c.opened_at) AS created_at,
           'Met the person at the office (visit ' || k || '); discussed needs, documents and next steps; follow-up agreed (bench text, fictitious).' AS body
         FROM bench_case c CROSS JOIN LATERAL generate_series(1, c.n_notes) k`,
      );
      await client.query(`ALTER TABLE bench_note ADD PRIMARY KEY (id), ADD COLUMN sealed boolean`);
      await client.query(`UPDATE bench_note SET sealed = sensitive OR type = 'counter_trafficking'`);
      seals += await sealStage(client, enc, 'bench_note', 'body', 'body', 'sealed');
      await client.query(`INSERT INTO case_note (id, case_id, office_id, body, sensitive, sealed, created_by, created_at) SELECT id, case_id, office_id, body, sensitive, sealed, created_by, created_at FROM bench_note ORDER BY created_at`);
    });

    // ---- The timelines: drawn events plus one event per note, inserted in time order (ids follow time).
    await step('timeline events (in time order)', async () => {
      await client.query(
        `INSERT INTO case_event (case_id, office_id, at, actor_id, kind, data)
         SELECT case_id, office_id, at, actor_id, kind, data FROM (
           SELECT case_id, office_id, at, actor_id, kind,
             CASE kind
               WHEN 'opened' THEN jsonb_build_object('type', type, 'status', CASE WHEN type = 'counter_trafficking' THEN 'identification' ELSE 'intake' END, 'incoming', false)
               WHEN 'transition' THEN CASE WHEN is_last AND status = 'closed' THEN '{"action":"approve_closure","from":"closure_review","to":"closed"}'::jsonb ELSE '{"action":"complete_assessment","from":"assessment","to":"planning"}'::jsonb END
               WHEN 'assessment' THEN jsonb_build_object('assessmentId', gen_random_uuid(), 'number', 1, 'riskLevel', 'high')
               WHEN 'service' THEN jsonb_build_object('serviceId', gen_random_uuid(), 'type', 'legal_aid', 'deliveredOn', to_char(at, 'YYYY-MM-DD'))
               WHEN 'task_created' THEN jsonb_build_object('taskId', gen_random_uuid(), 'dueOn', to_char(at + interval '7 days', 'YYYY-MM-DD'))
               WHEN 'task_done' THEN jsonb_build_object('taskId', gen_random_uuid(), 'fields', '["status"]'::jsonb)
               WHEN 'updated' THEN '{"fields":["details.needsSectors","riskLevel"],"riskLevel":"medium"}'::jsonb
               WHEN 'plan' THEN '{"planVersion":1,"goals":2,"services":1}'::jsonb
               WHEN 'referral' THEN jsonb_build_object('referralId', gen_random_uuid(), 'partnerId', gen_random_uuid())
               ELSE jsonb_build_object('ownerId', owner_id, 'supervisorId', NULL, 'fromOwnerId', owner_id)
             END AS data
           FROM (
             SELECT c.id AS case_id, c.office_id, c.type, c.status, c.owner_id, k = c.n_events AS is_last,
               c.opened_at + ((k - 1)::float8 / c.n_events + random() * 0.5 / c.n_events) * (COALESCE(c.closed_at, now()) - c.opened_at) AS at,
               CASE WHEN k % 7 = 0 THEN c.supervisor_id ELSE c.owner_id END AS actor_id,
               CASE WHEN k = 1 THEN 'opened' WHEN k = c.n_events AND c.status = 'closed' THEN 'transition'
                    ELSE (ARRAY['transition','assessment','service','service','task_created','task_done','task_done','updated','plan','referral','assigned'])[1 + floor(random() * 11)::int] END AS kind
             FROM bench_case c CROSS JOIN LATERAL generate_series(1, c.n_events) k
           ) e
           UNION ALL
           SELECT n.case_id, n.office_id, n.created_at, n.created_by, 'note', jsonb_build_object('noteId', n.id, 'sensitive', n.sensitive) FROM bench_note n
         ) x ORDER BY at`,
      );
    });

    // ---- Tasks: 2–4 finished per case; open cases may have an open one (due from two weeks ago to in 25 days).
    await step('tasks', async () => {
      await client.query(
        `INSERT INTO case_task (case_id, office_id, key, title, due_on, assignee_id, status, completed_at, completed_by, created_by, created_at, updated_at)
         SELECT case_id, office_id, key, key, due_on, assignee_id, status, completed_at, completed_by, assignee_id, created_at, COALESCE(completed_at, created_at) FROM (
           SELECT c.id AS case_id, c.office_id, (CASE WHEN c.type = 'counter_trafficking' THEN $1::text[] ELSE $2::text[] END)[1 + (k % 4)] AS key,
             t.at::date + 7 AS due_on, c.owner_id AS assignee_id, CASE WHEN random() < 0.85 THEN 'done' ELSE 'cancelled' END AS status,
             LEAST(now(), t.at + interval '3 days') AS completed_at, c.owner_id AS completed_by, t.at AS created_at
           FROM bench_case c CROSS JOIN LATERAL generate_series(1, 2 + floor(c.r_a * 3)::int) k
             CROSS JOIN LATERAL (SELECT c.opened_at + random() * (COALESCE(c.closed_at, now()) - c.opened_at) AS at) t
           UNION ALL
           SELECT c.id, c.office_id, 'follow_up', current_date + floor(random() * 40)::int - 14, c.owner_id, 'open', NULL, NULL,
             GREATEST(c.opened_at, now() - interval '30 days')
           FROM bench_case c WHERE c.status <> 'closed' AND c.r_b < $3::float8
         ) x ORDER BY created_at`,
        [CASE_TYPES.counter_trafficking.defaultTasks.map((t) => t.key), CASE_TYPES.migrant_assistance.defaultTasks.map((t) => t.key), scale.openTaskShare],
      );
    });

    // ---- Services delivered (0–4 per case), a partner for 40 %, a cost for 30 %; restricted cases' text stays null.
    await step('services', async () => {
      await client.query(
        `INSERT INTO case_service (case_id, office_id, type, delivered_on, partner_id, provider, cost, currency, funding, note, sealed, created_by, created_at)
         SELECT case_id, office_id, type, at::date AS delivered_on, partner_id, provider, cost, CASE WHEN cost IS NOT NULL THEN 'EUR' END, NULL, NULL, sealed, created_by, at AS created_at FROM (
           SELECT c.id AS case_id, c.office_id,
             (CASE WHEN c.type = 'counter_trafficking' THEN $1::text[] ELSE $2::text[] END)[1 + floor(random() * 8)::int] AS type,
             c.opened_at + random() * (COALESCE(c.closed_at, now()) - c.opened_at) AS at,
             CASE WHEN random() < 0.4 THEN (CASE WHEN c.office_id = $3::uuid THEN $5::uuid[] ELSE $4::uuid[] END)[1 + floor(random() * CASE WHEN c.office_id = $3::uuid THEN $7::int ELSE $6::int END)::int] END AS partner_id,
             CASE WHEN c.type = 'migrant_assistance' THEN 'Bench provider (fictitious)' END AS provider,
             CASE WHEN random() < 0.3 THEN round((20 + random() * 480)::numeric, 2) END AS cost,
             c.type = 'counter_trafficking' AS sealed, c.owner_id AS created_by
           FROM bench_case c CROSS JOIN LATERAL generate_series(1, floor(c.r_d * 5)::int) k
         ) x ORDER BY x.at`,
        [CASE_TYPES.counter_trafficking.serviceTypes, CASE_TYPES.migrant_assistance.serviceTypes, O.SL, ids.partners.NL, ids.partners.SL, ids.partners.NL.length, ids.partners.SL.length],
      );
    });

    // ---- Assessments: cases past their first state have 1 (70 %) or 2; summaries sealed on restricted cases.
    await step('assessments (staged, sealed, inserted)', async () => {
      await client.query(
        `CREATE UNLOGGED TABLE bench_assessment AS
         SELECT gen_random_uuid() AS id, c.id AS case_id, c.office_id, k AS number, (c.opened_at + (k::float8 / 3) * (COALESCE(c.closed_at, now()) - c.opened_at)) AS at,
           'Assessment ' || k || ': needs for shelter, documents and health; risk reviewed with the person (bench text, fictitious).' AS summary,
           (ARRAY['low','medium','high','critical'])[1 + floor(random() * 4)::int] AS risk_level, c.type = 'counter_trafficking' AS sealed, c.owner_id AS created_by
         FROM bench_case c CROSS JOIN LATERAL generate_series(1, CASE WHEN c.r_c < 0.7 THEN 1 ELSE 2 END) k
         WHERE c.status NOT IN ('intake', 'identification')`,
      );
      await client.query(`ALTER TABLE bench_assessment ADD PRIMARY KEY (id)`);
      seals += await sealStage(client, enc, 'bench_assessment', 'summary', 'summary', 'sealed');
      await client.query(
        `INSERT INTO case_assessment (id, case_id, office_id, number, assessed_on, summary, risk_level, needs, sealed, created_by, created_at)
         SELECT id, case_id, office_id, number, at::date, summary, risk_level, ARRAY['shelter'], sealed, created_by, at FROM bench_assessment b ORDER BY b.at`,
      );
    });

    // ---- Referrals: 20 % of cases referred out (with the person's consent; a few without, overridden); 3 % came in
    //      from a partner (recent open ones not yet acknowledged). Reasons sealed on restricted cases.
    await step('referrals (staged, sealed, inserted)', async () => {
      await client.query(
        `CREATE UNLOGGED TABLE bench_referral AS
         SELECT gen_random_uuid() AS id, c.id AS case_id, c.office_id, 'outgoing' AS direction, c.consent_id,
           CASE WHEN c.consent_id IS NULL THEN 'Urgent medical need; the person could not be reached to consent in time (bench text).' END AS consent_override_reason,
           CASE WHEN c.consent_id IS NULL THEN c.supervisor_id END AS consent_override_by,
           (ARRAY['sent','accepted','declined','completed','completed'])[1 + floor(random() * 5)::int] AS status, true AS acknowledged,
           c.opened_at + random() * (COALESCE(c.closed_at, now()) - c.opened_at) AS at, c.type, c.owner_id AS created_by
         FROM bench_case c WHERE c.r_a < 0.2 AND (c.consent_id IS NOT NULL OR (c.type = 'migrant_assistance' AND c.r_b < 0.1))
         UNION ALL
         SELECT gen_random_uuid(), c.id, c.office_id, 'incoming', NULL, NULL, NULL, 'accepted', NOT (c.status <> 'closed' AND c.opened_at > now() - interval '30 days'), c.opened_at, c.type, c.owner_id
         FROM bench_case c WHERE c.r_heavy > 0.97`,
      );
      await client.query(`ALTER TABLE bench_referral ADD PRIMARY KEY (id), ADD COLUMN reason text NOT NULL DEFAULT 'Referred for legal aid and shelter (bench text, fictitious).', ADD COLUMN sealed boolean`);
      await client.query(`UPDATE bench_referral SET sealed = type = 'counter_trafficking'`);
      seals += await sealStage(client, enc, 'bench_referral', 'reason', 'reason', 'sealed');
      seals += await sealStage(client, enc, 'bench_referral', 'consent_override_reason', 'consent_override_reason', 'sealed AND consent_override_reason IS NOT NULL');
      await client.query(
        `INSERT INTO referral (id, case_id, office_id, direction, partner_id, services, reason, urgency, status, sealed, consent_id, consent_override_reason, consent_override_by, acknowledged, created_by, created_at, updated_at)
         SELECT r.id, r.case_id, r.office_id, r.direction, (CASE WHEN r.office_id = $1::uuid THEN $3::uuid[] ELSE $2::uuid[] END)[1], ARRAY['legal_aid'], r.reason,
           CASE WHEN random() < 0.1 THEN 'urgent' ELSE 'routine' END, r.status, r.sealed, r.consent_id, r.consent_override_reason, r.consent_override_by, r.acknowledged, r.created_by, r.at, r.at
         FROM bench_referral r ORDER BY r.at`,
        [O.SL, ids.partners.NL, ids.partners.SL],
      );
    });

    // ---- Named specialists on 2 % of cases; pending transfers of open Southland cases to Northland.
    await step('case members, transfers', async () => {
      await client.query(
        `INSERT INTO case_member (case_id, user_id, added_by, added_at)
         SELECT c.id, b.user_id, c.supervisor_id, c.opened_at FROM bench_case c
           JOIN bench_pool b ON b.kind = 'owner' AND b.office_id = c.office_id AND b.team = c.team AND b.idx = floor(c.r_b * b.size)::int
         WHERE c.r_c > 0.98 AND b.user_id IS DISTINCT FROM c.owner_id
         ON CONFLICT DO NOTHING`,
      );
      await client.query(
        `INSERT INTO case_transfer (case_id, from_office_id, to_office_id, reason, status, requested_by, requested_at, sealed)
         SELECT id, office_id, $1::uuid, 'The person moved to Northland (bench text, fictitious).', 'pending', owner_id, now() - random() * interval '10 days', false
         FROM bench_case WHERE office_id = $2::uuid AND type = 'migrant_assistance' AND status = 'in_progress' ORDER BY i LIMIT $3::int`,
        [O.NL, O.SL, scale.transfers],
      );
    });

    await step('drop staging tables, VACUUM (ANALYZE)', async () => {
      await client.query(`DROP TABLE bench_pool, bench_person, bench_case, bench_note, bench_assessment, bench_referral`);
      await client.query(`RESET session_replication_role`);
      for (const t of ['app_user', 'user_role', 'team_membership', 'person', 'consent', 'case_file', 'case_member', 'case_event', 'case_note', 'case_task', 'case_service', 'case_assessment', 'referral', 'case_transfer', 'audit_event']) {
        await client.query(`VACUUM (ANALYZE) ${t}`);
      }
    });

    const n = async (q: string, params: unknown[] = []) => Number((await client.query<{ n: string }>(q, params)).rows[0]!.n);
    const me = U.caseworker;
    return {
      users: await n(`SELECT count(*) AS n FROM app_user WHERE email LIKE '%@bench.passage.invalid'`),
      persons: await n(`SELECT count(*) AS n FROM person`),
      cases: await n(`SELECT count(*) AS n FROM case_file`),
      ctCases: await n(`SELECT count(*) AS n FROM case_file WHERE type = 'counter_trafficking'`),
      events: await n(`SELECT count(*) AS n FROM case_event`),
      notes: await n(`SELECT count(*) AS n FROM case_note`),
      tasks: await n(`SELECT count(*) AS n FROM case_task`),
      services: await n(`SELECT count(*) AS n FROM case_service`),
      assessments: await n(`SELECT count(*) AS n FROM case_assessment`),
      referrals: await n(`SELECT count(*) AS n FROM referral`),
      members: await n(`SELECT count(*) AS n FROM case_member`),
      transfers: await n(`SELECT count(*) AS n FROM case_transfer WHERE status = 'pending'`),
      seals,
      maxEventsPerCase: await n(`SELECT max(c) AS n FROM (SELECT count(*) AS c FROM case_event GROUP BY case_id) x`),
      casesWith100Events: await n(`SELECT count(*) AS n FROM (SELECT case_id FROM case_event GROUP BY case_id HAVING count(*) >= 100) x`),
      demoCaseworkerCases: await n(`SELECT count(*) AS n FROM case_file WHERE owner_id = $1`, [me]),
      demoCaseworkerOpenCases: await n(`SELECT count(*) AS n FROM case_file WHERE owner_id = $1 AND closed_at IS NULL`, [me]),
      demoCaseworkerOpenTasks: await n(`SELECT count(*) AS n FROM case_task WHERE assignee_id = $1 AND status = 'open'`, [me]),
      demoCaseworkerOverdueTasks: await n(`SELECT count(*) AS n FROM case_task WHERE assignee_id = $1 AND status = 'open' AND due_on < current_date`, [me]),
    };
  } finally {
    await client.query('RESET ALL').catch(() => undefined);
    client.release();
  }
}
