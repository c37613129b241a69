import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isAbort } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { buildOfficeTree, flattenOfficeTree, officeOptionLabel, useOffices } from '../../lib/offices.ts';
import type { UserPage } from '../../lib/types.ts';
import { useSession } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, Loading, PageHeader, SelectField, TextField } from '../../ui/index.ts';

const PAGE_SIZE = 25;

export default function UsersListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const officeId = params.get('officeId') ?? '';
  const status = params.get('status') ?? '';
  const page = Math.max(0, Number.parseInt(params.get('page') ?? '0', 10) || 0);

  const [draftQ, setDraftQ] = useState(q);
  const [data, setData] = useState<UserPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const { offices } = useOffices(can('offices.read'));
  const officeOptions = useMemo(() => flattenOfficeTree(buildOfficeTree(offices ?? [])), [offices]);

  useEffect(() => setDraftQ(q), [q]);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<UserPage>('/api/users', { q, officeId, status, limit: PAGE_SIZE, offset: page * PAGE_SIZE }, ctrl.signal)
      .then((res) => setData(res))
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(err);
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [q, officeId, status, page]);

  function update(next: Record<string, string>) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    if (!('page' in next)) p.delete('page');
    setParams(p);
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    update({ q: draftQ.trim() });
  }

  const total = data?.total ?? 0;
  const from = total === 0 ? 0 : page * PAGE_SIZE + 1;
  const to = Math.min(total, (page + 1) * PAGE_SIZE);

  return (
    <div className="page">
      <PageHeader
        title={t('users.title')}
        description={t('users.intro')}
        actions={
          can('users.manage') && (
            <Link to="/admin/users/new" className="btn btn--primary" data-testid="users-new">
              {t('users.new')}
            </Link>
          )
        }
      />

      <form className="filters card" onSubmit={onSearch} role="search" aria-label={t('users.filtersLabel')}>
        <TextField
          id="users-q"
          label={t('users.search')}
          hint={t('users.searchHint')}
          type="search"
          value={draftQ}
          onChange={(e) => setDraftQ(e.target.value)}
          data-testid="users-search"
          fieldClassName="filters__grow"
        />
        {offices && (
          <SelectField
            id="users-office"
            label={t('users.office')}
            value={officeId}
            onChange={(e) => update({ officeId: e.target.value })}
            data-testid="users-office-filter"
          >
            <option value="">{t('users.allOffices')}</option>
            {officeOptions.map((o) => (
              <option key={o.id} value={o.id}>
                {officeOptionLabel(o)}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField
          id="users-status"
          label={t('users.status')}
          value={status}
          onChange={(e) => update({ status: e.target.value })}
          data-testid="users-status-filter"
        >
          <option value="">{t('users.allStatuses')}</option>
          <option value="active">{t('status.active')}</option>
          <option value="deactivated">{t('status.deactivated')}</option>
        </SelectField>
        <div className="filters__actions">
          <button type="submit" className="btn btn--primary" data-testid="users-search-submit">
            {t('common.search')}
          </button>
          {(q || officeId || status) && (
            <button type="button" className="btn btn--ghost" onClick={() => setParams(new URLSearchParams())}>
              {t('common.clearFilters')}
            </button>
          )}
        </div>
      </form>

      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}

      <div className="results-bar" aria-live="polite">
        {loading ? (
          <Loading />
        ) : (
          data && <p className="muted">{t('common.rangeOf', { from: fmt.number(from), to: fmt.number(to), total: fmt.number(total) })}</p>
        )}
      </div>

      {data && (
        <div className="table-wrap" role="region" aria-labelledby="users-caption" tabIndex={0}>
          <table className="table" data-testid="users-table">
            <caption id="users-caption" className="visually-hidden">
              {t('users.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('users.col.name')}</th>
                <th scope="col">{t('users.col.email')}</th>
                <th scope="col">{t('users.col.status')}</th>
                <th scope="col">{t('users.col.mfa')}</th>
                <th scope="col">{t('users.col.roles')}</th>
                <th scope="col">{t('users.col.lastLogin')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.length === 0 && (
                <tr>
                  <td colSpan={6} className="table__empty">
                    {t('users.empty')}
                  </td>
                </tr>
              )}
              {data.items.map((u) => (
                <tr key={u.id} data-testid="users-row">
                  <td>
                    <Link to={`/admin/users/${u.id}`} className="table__link">
                      {u.displayName}
                    </Link>
                  </td>
                  <td dir="ltr" className="cell-ltr">
                    {u.email}
                  </td>
                  <td>
                    <Badge tone={u.status === 'active' ? 'success' : 'neutral'}>{t(`status.${u.status}`)}</Badge>
                  </td>
                  <td>{u.mfaEnabled ? t('common.on') : t('common.off')}</td>
                  <td>
                    {u.roles.length === 0 ? (
                      <span className="muted">{t('common.none')}</span>
                    ) : (
                      <ul className="inline-list">
                        {u.roles.map((r) => (
                          <li key={`${r.officeId}:${r.role}`}>
                            {t(`roles.${r.role}`)} <span className="code-chip">{r.officeCode}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{u.lastLoginAt ? fmt.dateTime(u.lastLoginAt) : <span className="muted">{t('common.never')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {data && total > PAGE_SIZE && (
        <nav className="pager" aria-label={t('common.pagination')}>
          <button type="button" className="btn btn--secondary" disabled={page === 0} onClick={() => update({ page: String(page - 1) })}>
            {t('common.previous')}
          </button>
          <span className="muted">
            {t('common.pageOf', { page: fmt.number(page + 1), pages: fmt.number(Math.ceil(total / PAGE_SIZE)) })}
          </span>
          <button type="button" className="btn btn--secondary" disabled={to >= total} onClick={() => update({ page: String(page + 1) })}>
            {t('common.next')}
          </button>
        </nav>
      )}
    </div>
  );
}
