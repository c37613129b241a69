/**
 * Routes. Only the login page is in the initial bundle; everything else —
 * including the signed-in shell — is loaded on demand.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useSession } from './session.tsx';
import { DemoBanner } from './DemoBanner.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { Loading } from '../ui/Loading.tsx';
import type { Permission } from '../lib/types.ts';

const AppShell = lazy(() => import('./AppShell.tsx'));
const HomePage = lazy(() => import('../features/home/HomePage.tsx'));
const UsersListPage = lazy(() => import('../features/admin-users/UsersListPage.tsx'));
const UserCreatePage = lazy(() => import('../features/admin-users/UserCreatePage.tsx'));
const UserDetailPage = lazy(() => import('../features/admin-users/UserDetailPage.tsx'));
const OfficesPage = lazy(() => import('../features/admin-offices/OfficesPage.tsx'));
const AuditPage = lazy(() => import('../features/audit/AuditPage.tsx'));
const SecurityPage = lazy(() => import('../features/auth/SecurityPage.tsx'));
const RegistrySearchPage = lazy(() => import('../features/registry/RegistrySearchPage.tsx'));
const RegistrationWizardPage = lazy(() => import('../features/registry/RegistrationWizardPage.tsx'));
const PersonPage = lazy(() => import('../features/registry/PersonPage.tsx'));
const HouseholdPage = lazy(() => import('../features/registry/HouseholdPage.tsx'));
const PopulationDashboardPage = lazy(() => import('../features/registry/PopulationDashboardPage.tsx'));
const ImportPage = lazy(() => import('../features/registry/ImportPage.tsx'));
const MatchQueuePage = lazy(() => import('../features/match/MatchQueuePage.tsx'));
const MatchPairPage = lazy(() => import('../features/match/MatchPairPage.tsx'));
const CasesInboxPage = lazy(() => import('../features/cases/InboxPage.tsx'));
const CasesListPage = lazy(() => import('../features/cases/CasesListPage.tsx'));
const CasePage = lazy(() => import('../features/cases/CasePage.tsx'));
const CaseDashboardPage = lazy(() => import('../features/cases/CaseDashboardPage.tsx'));
const CaseOversightPage = lazy(() => import('../features/cases/OversightPage.tsx'));
const NotFoundPage = lazy(() => import('./NotFoundPage.tsx'));
const ForbiddenPage = lazy(() => import('./ForbiddenPage.tsx'));

function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t('app.skipToContent')}
    </a>
  );
}

/** Present on every page, signed in or not. */
function RootLayout() {
  return (
    <>
      <SkipLink />
      <DemoBanner />
      <Suspense fallback={<Loading block />}>
        <Outlet />
      </Suspense>
    </>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { loading, session, loggedOut } = useSession();
  const location = useLocation();
  if (loading) return <Loading block />;
  if (!session || session.stage !== 'full') {
    // Remember where the user was going, unless they just logged out on purpose.
    return <Navigate to="/login" replace state={loggedOut ? null : { from: location }} />;
  }
  return <>{children}</>;
}

/** Shows the translated 403 page in place when the user lacks the permission. */
function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? <>{children}</> : <ForbiddenPage />;
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route element={<RootLayout />}>
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <RequireAuth>
                  <AppShell />
                </RequireAuth>
              }
            >
              <Route index element={<HomePage />} />
              <Route
                path="admin/users"
                element={
                  <RequirePermission permission="users.read">
                    <UsersListPage />
                  </RequirePermission>
                }
              />
              <Route
                path="admin/users/new"
                element={
                  <RequirePermission permission="users.manage">
                    <UserCreatePage />
                  </RequirePermission>
                }
              />
              <Route
                path="admin/users/:id"
                element={
                  <RequirePermission permission="users.read">
                    <UserDetailPage />
                  </RequirePermission>
                }
              />
              <Route
                path="admin/offices"
                element={
                  <RequirePermission permission="offices.read">
                    <OfficesPage />
                  </RequirePermission>
                }
              />
              <Route
                path="audit"
                element={
                  <RequirePermission permission="audit.read">
                    <AuditPage />
                  </RequirePermission>
                }
              />
              <Route
                path="registry"
                element={
                  <RequirePermission permission="registry.read">
                    <RegistrySearchPage />
                  </RequirePermission>
                }
              />
              <Route
                path="registry/register"
                element={
                  <RequirePermission permission="registry.register">
                    <RegistrationWizardPage />
                  </RequirePermission>
                }
              />
              <Route
                path="registry/people/:id"
                element={
                  <RequirePermission permission="registry.read">
                    <PersonPage />
                  </RequirePermission>
                }
              />
              <Route
                path="registry/households/:id"
                element={
                  <RequirePermission permission="registry.read">
                    <HouseholdPage />
                  </RequirePermission>
                }
              />
              <Route
                path="registry/dashboard"
                element={
                  <RequirePermission permission="registry.stats">
                    <PopulationDashboardPage />
                  </RequirePermission>
                }
              />
              <Route
                path="registry/import"
                element={
                  <RequirePermission permission="registry.import">
                    <ImportPage />
                  </RequirePermission>
                }
              />
              <Route
                path="match"
                element={
                  <RequirePermission permission="match.read">
                    <MatchQueuePage />
                  </RequirePermission>
                }
              />
              <Route
                path="match/pairs/:id"
                element={
                  <RequirePermission permission="match.read">
                    <MatchPairPage />
                  </RequirePermission>
                }
              />
              <Route
                path="cases"
                element={
                  <RequirePermission permission="cases.read">
                    <CasesListPage />
                  </RequirePermission>
                }
              />
              <Route
                path="cases/inbox"
                element={
                  <RequirePermission permission="cases.read">
                    <CasesInboxPage />
                  </RequirePermission>
                }
              />
              <Route
                path="cases/dashboard"
                element={
                  <RequirePermission permission="cases.stats">
                    <CaseDashboardPage />
                  </RequirePermission>
                }
              />
              <Route
                path="cases/oversight"
                element={
                  <RequirePermission permission="cases.oversight">
                    <CaseOversightPage />
                  </RequirePermission>
                }
              />
              <Route
                path="cases/:id"
                element={
                  <RequirePermission permission="cases.read">
                    <CasePage />
                  </RequirePermission>
                }
              />
              <Route path="account/security" element={<SecurityPage />} />
              <Route path="admin" element={<Navigate to="/admin/users" replace />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
