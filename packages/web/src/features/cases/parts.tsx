/** Small pieces the case screens share. */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { errorMessage } from '../../lib/errors.ts';
import { Alert, Loading } from '../../ui/index.ts';

export function BackToCases() {
  const { t } = useTranslation();
  return (
    <Link to="/cases" className="back-link">
      {t('cases.list.title')}
    </Link>
  );
}

/** One labelled fact of a description list. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** "by Demo caseworker, 3 Dec 2026 14:02". */
export function ByLine({ by, at }: { by: { name: string } | null; at: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return <span className="muted">{by ? t('cases.byOn', { name: by.name, date: fmt.dateTime(at) }) : fmt.dateTime(at)}</span>;
}

/** A panel's heading. */
export function PanelTitle({ id, children }: { id: string; children: ReactNode }) {
  return (
    <h2 id={id} className="section-title">
      {children}
    </h2>
  );
}

/** A loaded list: its error, "loading", its empty message, or the items. */
export function Listed<T>({ state, empty, children }: { state: { data: T[] | null; error: unknown }; empty: string; children: (items: T[]) => ReactNode }) {
  const { t } = useTranslation();
  if (state.error) return <Alert tone="error">{errorMessage(t, state.error)}</Alert>;
  if (!state.data) return <Loading />;
  if (state.data.length === 0) return <p className="muted">{empty}</p>;
  return <>{children(state.data)}</>;
}
