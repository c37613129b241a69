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
}

/** What the seeder created. */
export interface DemoCredentials {
  accounts: DemoAccount[];
  offices: { code: string; id: string }[];
}

/** The demo accounts, one per role. */
export function demoAccounts(): DemoAccount[] {
  return ROLES.map((role) => ({
    role,
    email: `${role.replace(/_/g, '.')}@demo.passage.invalid`,
    password: DEMO_PASSWORD,
    totpSecret: MFA_ROLES.includes(role) ? DEMO_TOTP_SECRET : null,
  }));
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
        .values({ email, display_name: `Demo ${role.replace(/_/g, ' ')}`, password_hash: passwordHash, mfa_enabled: mfa, recovery_codes: mfa ? [hashRecoveryCode(DEMO_RECOVERY_CODE)] : [] })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (mfa) {
        await trx.updateTable('app_user').set({ mfa_secret: encryption.seal(DEMO_TOTP_SECRET, user.id, 'mfa_secret') }).where('id', '=', user.id).execute();
      }
      // Administrators and DPOs work system-wide; field roles sit in Northland.
      const officeId = role === 'administrator' || role === 'data_protection_officer' || role === 'programme_manager' ? hq : role === 'viewer' ? port : northland;
      await trx.insertInto('user_role').values({ user_id: user.id, office_id: officeId, role }).execute();
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
    ...accounts.map((a) => `    ${a.role.padEnd(30)} ${a.email}`),
    '',
    `  Administrator and data-protection officer also need a two-factor code: add the secret`,
    `  ${DEMO_TOTP_SECRET} to an authenticator app (or use recovery code ${DEMO_RECOVERY_CODE} once).`,
    '',
  ];
  return lines.join('\n');
}
