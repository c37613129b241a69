import type { Permission } from '../lib/types.ts';

export interface NavEntry {
  to: string;
  /** i18n key of the label. */
  label: string;
  testId: string;
  /** i18n key of the home-card description; absent for entries without a card. */
  description?: string;
  /** Active only on exactly this path, not on the paths below it. */
  end?: boolean;
}

/**
 * Permissions that make someone an administrator of some kind. Every role can read
 * offices (to pick them in forms), so the Offices screen is listed only for people
 * who also hold one of these; plain staff (e.g. viewer) see no admin entries at all.
 * The route itself stays open to anyone with offices.read.
 */
const ADMIN_PERMISSIONS: readonly Permission[] = ['users.read', 'users.manage', 'offices.manage', 'audit.read'];

/** The navigation entries the user may use, in display order. */
export function navEntries(can: (p: Permission) => boolean): NavEntry[] {
  const isAdmin = ADMIN_PERMISSIONS.some(can);
  const entries: NavEntry[] = [{ to: '/', label: 'nav.home', testId: 'nav-home', end: true }];
  if (can('registry.read'))
    entries.push({ to: '/registry', label: 'nav.registry', testId: 'nav-registry', description: 'home.cards.registry', end: true });
  if (can('registry.register'))
    entries.push({ to: '/registry/register', label: 'nav.registryRegister', testId: 'nav-registry-register', description: 'home.cards.registryRegister' });
  if (can('registry.stats'))
    entries.push({ to: '/registry/dashboard', label: 'nav.registryDashboard', testId: 'nav-registry-dashboard', description: 'home.cards.registryDashboard' });
  if (can('registry.import'))
    entries.push({ to: '/registry/import', label: 'nav.registryImport', testId: 'nav-registry-import', description: 'home.cards.registryImport' });
  if (can('match.read'))
    entries.push({ to: '/match', label: 'nav.match', testId: 'nav-match', description: 'home.cards.match' });
  if (can('cases.read')) {
    entries.push({ to: '/cases/inbox', label: 'nav.casesInbox', testId: 'nav-cases-inbox', description: 'home.cards.casesInbox' });
    entries.push({ to: '/cases', label: 'nav.cases', testId: 'nav-cases', description: 'home.cards.cases', end: true });
  }
  if (can('cases.stats'))
    entries.push({ to: '/cases/dashboard', label: 'nav.casesDashboard', testId: 'nav-cases-dashboard', description: 'home.cards.casesDashboard' });
  if (can('cases.oversight'))
    entries.push({ to: '/cases/oversight', label: 'nav.casesOversight', testId: 'nav-cases-oversight', description: 'home.cards.casesOversight' });
  if (can('users.read'))
    entries.push({ to: '/admin/users', label: 'nav.users', testId: 'nav-admin-users', description: 'home.cards.users' });
  if (can('offices.read') && isAdmin)
    entries.push({ to: '/admin/offices', label: 'nav.offices', testId: 'nav-admin-offices', description: 'home.cards.offices' });
  if (can('audit.read'))
    entries.push({ to: '/audit', label: 'nav.audit', testId: 'nav-audit', description: 'home.cards.audit' });
  return entries;
}
