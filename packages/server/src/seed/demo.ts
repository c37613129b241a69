import type { Kysely } from 'kysely';
import type { Database } from '@passage/db';
import { ROLES, type Role } from '@passage/domain';
import { writeAudit } from '../platform/audit.ts';
import type { EncryptionService } from '../platform/encryption.ts';
import { hashPassword } from '../platform/passwords.ts';
import { hashRecoveryCode } from '../platform/totp.ts';

/**
 * Demo data: obviously fake offices and one account per role. Everything here is fictitious;
 * the UI shows a banner whenever demo mode is on. Later capabilities add their data here.
 */

/** One demo account as printed at start. */
export interface DemoAccount {
  role: Role;
  email: string;
  password: string;
  /** Base32 TOTP secret, for roles that must use two-factor authentication. */
  totpSecret: string | null;
  /** What the account is for, when the role alone does not say (a team, another office). */
  label?: string;
}

/** Extra case-management accounts: a counter-trafficking team, and a second country office to transfer cases to. */
const CASE_ACCOUNTS: readonly { key: string; role: Role; office: 'DEMO-NL' | 'DEMO-SL'; teams: readonly string[]; label: string }[] = [
  { key: 'ct.caseworker', role: 'caseworker', office: 'DEMO-NL', teams: ['protection', 'counter_trafficking'], label: 'caseworker, counter-trafficking team' },
  { key: 'ct.supervisor', role: 'case_supervisor', office: 'DEMO-NL', teams: ['counter_trafficking'], label: 'case supervisor, counter-trafficking' },
  { key: 'caseworker.sl', role: 'caseworker', office: 'DEMO-SL', teams: ['protection'], label: 'caseworker, Southland office' },
  { key: 'case.supervisor.sl', role: 'case_supervisor', office: 'DEMO-SL', teams: ['protection'], label: 'case supervisor, Southland office' },
];

/** Fictitious partner organisations (services they offer, countries they cover). */
const DEMO_PARTNERS: readonly { office: 'DEMO-NL' | 'DEMO-SL'; name: string; services: string[] }[] = [
  { office: 'DEMO-NL', name: 'Demo Shelter Partner (fictitious)', services: ['shelter', 'accommodation', 'food', 'non_food_items'] },
  { office: 'DEMO-NL', name: 'Demo Legal Aid Clinic (fictitious)', services: ['legal_aid', 'documentation'] },
  { office: 'DEMO-NL', name: 'Demo Health and Psychosocial Centre (fictitious)', services: ['medical_care', 'psychosocial_support'] },
  { office: 'DEMO-SL', name: 'Demo Southland Family Tracing Service (fictitious)', services: ['family_tracing', 'psychosocial_support'] },
];

/** What the seeder created. */
export interface DemoCredentials {
  accounts: DemoAccount[];
  offices: { code: string; id: string }[];
}

/** The demo accounts, one per role. */
export function demoAccounts(): DemoAccount[] {
  return [
    ...ROLES.map((role) => ({
      role,
      email: `${role.replace(/_/g, '.')}@demo.passage.invalid`,
      password: DEMO_PASSWORD,
      totpSecret: MFA_ROLES.includes(role) ? DEMO_TOTP_SECRET : null,
    })),
    ...CASE_ACCOUNTS.map((a) => ({ role: a.role, email: `${a.key}@demo.passage.invalid`, password: DEMO_PASSWORD, totpSecret: null, label: a.label })),
  ];
}

/** The shared demo password: long enough for the rules, obviously not a real one. */
export const DEMO_PASSWORD = 'demo-passage-2026';
/** A fixed, published TOTP secret for demo administrators and DPOs (base32). Demo only. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** The demo recovery code for accounts with MFA. */
export const DEMO_RECOVERY_CODE = 'demo-demo-00';

const MFA_ROLES: readonly Role[] = ['administrator', 'data_protection_officer'];

/** Seeds offices and one user per role. With `onlyIfEmpty`, does nothing when any user exists. */
export async function seedDemo(db: Kysely<Database>, encryption: EncryptionService, options: { onlyIfEmpty: boolean }): Promise<DemoCredentials | null> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    if (options.onlyIfEmpty) {
      const any = await trx.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
      if (any) return null;
    }
    const office = async (code: string, name: string, kind: 'global' | 'country' | 'sub_office', parentId: string | null, countryCode: string | null) =>
      (await trx.insertInto('office').values({ code, name, kind, parent_id: parentId, country_code: countryCode }).returning('id').executeTakeFirstOrThrow()).id;
    const hq = await office('DEMO-HQ', 'Demo Headquarters (fictitious)', 'global', null, null);
    const northland = await office('DEMO-NL', 'Northland Country Office (fictitious)', 'country', hq, 'XNL');
    const port = await office('DEMO-NL-PORT', 'Port Azure Sub-Office (fictitious)', 'sub_office', northland, 'XNL');
    const southland = await office('DEMO-SL', 'Southland Country Office (fictitious)', 'country', hq, 'XSL');
    const accounts = demoAccounts();
    for (const { role, email } of accounts) {
      const mfa = MFA_ROLES.includes(role);
      const user = await trx
        .insertInto('app_user')
        .values({ email, display_name: `Demo ${CASE_ACCOUNTS.find((a) => `${a.key}@demo.passage.invalid` === email)?.label ?? role.replace(/_/g, ' ')}`, password_hash: passwordHash, mfa_enabled: mfa, recovery_codes: mfa ? [hashRecoveryCode(DEMO_RECOVERY_CODE)] : [] })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (mfa) {
        await trx.updateTable('app_user').set({ mfa_secret: encryption.seal(DEMO_TOTP_SECRET, user.id, 'mfa_secret') }).where('id', '=', user.id).execute();
      }
      // Administrators and DPOs work system-wide; field roles sit in Northland.
      const extra = CASE_ACCOUNTS.find((a) => `${a.key}@demo.passage.invalid` === email);
      const officeId = extra ? (extra.office === 'DEMO-SL' ? southland : northland) : role === 'administrator' || role === 'data_protection_officer' || role === 'programme_manager' ? hq : role === 'viewer' ? port : northland;
      await trx.insertInto('user_role').values({ user_id: user.id, office_id: officeId, role }).execute();
      // Case teams: the demo caseworker and supervisor work protection cases; the extra accounts their teams.
      const teams = extra ? extra.teams : role === 'caseworker' || role === 'case_supervisor' ? ['protection'] : [];
      for (const team of teams) await trx.insertInto('team_membership').values({ office_id: officeId, team, user_id: user.id }).execute();
    }
    for (const p of DEMO_PARTNERS) {
      await trx.insertInto('partner').values({ office_id: p.office === 'DEMO-SL' ? southland : northland, name: p.name, services: p.services, areas: [], contact_email: `referrals@${p.name.split(' ')[1]!.toLowerCase()}.demo.passage.invalid` }).execute();
    }
    await writeAudit(trx, { actorId: null, action: 'demo.seed', entityType: 'system', details: { users: accounts.length, offices: 4 } });
    return { accounts, offices: [{ code: 'DEMO-HQ', id: hq }, { code: 'DEMO-NL', id: northland }, { code: 'DEMO-NL-PORT', id: port }, { code: 'DEMO-SL', id: southland }] };
  });
}

/** The block printed at start so a newcomer can sign in. */
export function formatDemoCredentials(accounts: readonly DemoAccount[], url: string): string {
  const lines = [
    '',
    '  Passage demo — every person, office and account here is fictitious.',
    `  Open ${url} and sign in with one of these (password for all: ${DEMO_PASSWORD}):`,
    '',
    ...accounts.map((a) => `    ${(a.label ?? a.role).padEnd(40)} ${a.email}`),
    '',
    `  Administrator and data-protection officer also need a two-factor code: add the secret`,
    `  ${DEMO_TOTP_SECRET} to an authenticator app (or use recovery code ${DEMO_RECOVERY_CODE} once).`,
    '',
  ];
  return lines.join('\n');
}
