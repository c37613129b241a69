/**
 * Who is signed in, and what the deployment looks like (demo mode, SSO).
 * Loaded once at start; `refresh()` re-reads the session after login steps.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, isApiError, onUnauthorized, setCsrfToken } from '../lib/api.ts';
import type { Permission, Session, SystemInfo } from '../lib/types.ts';
import { applyLanguage, hasStoredLanguage, toLanguage } from '../i18n/index.ts';

interface SessionContextValue {
  /** True until the first session check has finished. */
  loading: boolean;
  info: SystemInfo | null;
  /** The session at any stage (full, mfa, enrol) or null when signed out. */
  session: Session | null;
  /** Re-reads the session from the server. */
  refresh: () => Promise<Session | null>;
  logout: () => Promise<void>;
  /** True after the user logged out on purpose (then no "return to" page is remembered). */
  loggedOut: boolean;
  can: (permission: Permission) => boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user; only for components rendered behind RequireAuth. */
export function useUser(): Session['user'] {
  const { session } = useSession();
  if (!session) throw new Error('useUser needs a session');
  return session.user;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [loading, setLoading] = useState(true);
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [loggedOut, setLoggedOut] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const locationRef = useRef(location);
  useEffect(() => {
    locationRef.current = location;
  }, [location]);

  const refresh = useCallback(async (): Promise<Session | null> => {
    try {
      const s = await api.get<Session>('/api/auth/session');
      setCsrfToken(s.csrfToken);
      setSession(s);
      setLoggedOut(false);
      // The account's saved locale applies unless this device has an explicit choice.
      const accountLang = toLanguage(s.user.locale);
      if (s.stage === 'full' && accountLang && !hasStoredLanguage()) await applyLanguage(accountLang);
      return s;
    } catch (err) {
      if (isApiError(err) && (err.status === 401 || err.status === 403)) {
        setSession(null);
        return null;
      }
      throw err;
    }
  }, []);

  useEffect(() => {
    let cancelled = false;
    api
      .get<SystemInfo>('/api/system/info')
      .then((i) => {
        if (!cancelled) setInfo(i);
      })
      .catch(() => {
        // The banner and SSO link are optional; the app works without them.
      });
    refresh()
      .catch(() => {
        if (!cancelled) setSession(null);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [refresh]);

  useEffect(() => {
    onUnauthorized(() => {
      setSession(null);
      const from = locationRef.current;
      if (from.pathname !== '/login') void navigate('/login', { replace: true, state: { from } });
    });
    return () => onUnauthorized(null);
  }, [navigate]);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } catch {
      // Even if the server call fails, forget the session locally.
    }
    setCsrfToken(null);
    setLoggedOut(true);
    setSession(null);
    void navigate('/login', { replace: true });
  }, [navigate]);

  const value = useMemo<SessionContextValue>(() => {
    const permissions = new Set(session?.stage === 'full' ? session.user.permissions : []);
    return {
      loading,
      info,
      session,
      refresh,
      logout,
      loggedOut,
      can: (p) => permissions.has(p),
    };
  }, [loading, info, session, refresh, logout, loggedOut]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
