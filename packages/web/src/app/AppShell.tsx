/**
 * The signed-in frame: header with product name, permission-filtered navigation
 * (collapsing into a menu button on narrow screens), and the user menu.
 */
import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession, useUser } from './session.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { Loading } from '../ui/Loading.tsx';
import { cx } from '../ui/cx.ts';
import { navEntries } from './navigation.ts';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

function UserMenu() {
  const { t } = useTranslation();
  const user = useUser();
  const { logout } = useSession();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const location = useLocation();

  useEffect(() => setOpen(false), [location.pathname]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu__button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t('userMenu.open', { name: user.displayName })}
        data-testid="user-menu"
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(user.displayName)}
        </span>
        <span className="user-menu__name">{user.displayName}</span>
        <span className="user-menu__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      <div id={panelId} className="user-menu__panel" hidden={!open}>
        <div className="user-menu__who">
          <p className="user-menu__display">{user.displayName}</p>
          <p className="user-menu__email" dir="ltr">
            {user.email}
          </p>
        </div>
        <LanguageSwitcher className="user-menu__lang" />
        <ul className="user-menu__list">
          <li>
            <Link to="/account/security" className="user-menu__item" data-testid="nav-security">
              {t('userMenu.security')}
            </Link>
          </li>
          <li>
            <button type="button" className="user-menu__item" data-testid="logout" onClick={() => void logout()}>
              {t('userMenu.logout')}
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}

export default function AppShell() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [navOpen, setNavOpen] = useState(false);
  const navId = useId();
  const location = useLocation();

  useEffect(() => setNavOpen(false), [location.pathname]);

  const entries = navEntries(can);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <button
            type="button"
            className="nav-toggle"
            aria-expanded={navOpen}
            aria-controls={navId}
            onClick={() => setNavOpen((o) => !o)}
            data-testid="nav-toggle"
          >
            <span className="nav-toggle__icon" aria-hidden="true" />
            <span className="nav-toggle__text">{navOpen ? t('nav.closeMenu') : t('nav.menu')}</span>
          </button>
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              P
            </span>
            <span className="brand__name">{t('app.name')}</span>
          </Link>
          <nav id={navId} className={cx('mainnav', navOpen && 'mainnav--open')} aria-label={t('nav.label')}>
            <ul className="mainnav__list">
              {entries.map((e) => (
                <li key={e.to}>
                  <NavLink
                    to={e.to}
                    end={e.end ?? false}
                    className={({ isActive }) => cx('mainnav__link', isActive && 'mainnav__link--active')}
                    data-testid={e.testId}
                  >
                    {t(e.label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <UserMenu />
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <Suspense fallback={<Loading block />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer">
        <FooterVersion />
      </footer>
    </div>
  );
}

function FooterVersion() {
  const { t } = useTranslation();
  const { info } = useSession();
  return (
    <p>
      {t('app.name')}
      {info?.version ? ` · ${t('app.version', { version: info.version })}` : ''}
    </p>
  );
}
