/**
 * The cases the user may see: filters (office, type, open or closed, mine, case number) kept in the address,
 * and a paged table. A restricted case the user may only count shows as "Restricted case", without the
 * person, with a break-glass request instead of a link.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { CASE_TYPE_IDS } from '@passage/domain/cases/types';
import { isAbort } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { officeOptionLabel } from '../../lib/offices.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, Loading, PageHeader, SelectField, TextField } from '../../ui/index.ts';
import { Checkbox } from '../registry/FormControls.tsx';
import { useOfficesWith } from '../registry/office-scope.ts';
import { BreakGlassButton } from './BreakGlassDialog.tsx';
import { casesApi, type CaseFilters, type CaseListDto } from './cases-api.ts';
import { riskTone, useCaseLabels } from './labels.ts';
import '../registry/registry.css';
import './cases.css';

const PAGE_SIZE = 25;

export default function CasesListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  const [params, setParams] = useSearchParams();
  const { offices } = useOfficesWith('cases.read');
  const filters: CaseFilters = useMemo(() => {
    const f: CaseFilters = { page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1), pageSize: PAGE_SIZE };
    const officeId = params.get('officeId');
    const type = params.get('type');
    const open = params.get('open') ?? 'true';
    const q = params.get('q');
    if (officeId) f.officeId = officeId;
    if (type) f.type = type;
    if (open === 'true' || open === 'false') f.open = open;
    if (params.get('mine') === 'true') f.mine = 'true';
    if (q) f.q = q;
    return f;
  }, [params]);
  const [draftQ, setDraftQ] = useState(filters.q ?? '');
  const [data, setData] = useState<CaseListDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => setDraftQ(filters.q ?? ''), [filters.q]);
  const key = JSON.stringify(filters);
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    casesApi
      .list(JSON.parse(key) as CaseFilters, ctrl.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(err);
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [key]);

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

  const page = filters.page ?? 1;
  const total = data?.total ?? 0;
  const from = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const to = Math.min(total, page * PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="page" data-testid="cases-list-page">
      <PageHeader title={t('cases.list.title')} description={t('cases.list.intro')} actions={<BreakGlassButton caseNumber="" testId="cases-break-glass" />} />

      <form className="filters card" onSubmit={onSearch} role="search" aria-label={t('cases.list.filtersLabel')}>
        <TextField id="cases-q" type="search" label={t('cases.list.caseNumber')} value={draftQ} onChange={(e) => setDraftQ(e.target.value)} autoComplete="off" dir="ltr" data-testid="cases-search" fieldClassName="filters__grow" />
        {offices && offices.length > 1 && (
          <SelectField id="cases-office" label={t('cases.case.office')} value={filters.officeId ?? ''} onChange={(e) => update({ officeId: e.target.value })} data-testid="cases-filter-office">
            <option value="">{t('users.allOffices')}</option>
            {offices.map((o) => (
              <option key={o.id} value={o.id}>
                {officeOptionLabel(o)}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField id="cases-type" label={t('cases.list.type')} value={filters.type ?? ''} onChange={(e) => update({ type: e.target.value })} data-testid="cases-filter-type">
          <option value="">{t('registry.search.any')}</option>
          {CASE_TYPE_IDS.map((id) => (
            <option key={id} value={id}>
              {L.type(id)}
            </option>
          ))}
        </SelectField>
        <SelectField id="cases-open" label={t('cases.list.openOrClosed')} value={filters.open ?? 'all'} onChange={(e) => update({ open: e.target.value })} data-testid="cases-filter-open">
          <option value="true">{t('cases.list.open')}</option>
          <option value="false">{t('cases.list.closed')}</option>
          <option value="all">{t('cases.list.openAndClosed')}</option>
        </SelectField>
        <div className="filters__check">
          <Checkbox id="cases-mine" label={t('cases.list.mine')} checked={filters.mine === 'true'} onChange={(on) => update({ mine: on ? 'true' : '' })} testId="cases-filter-mine" />
        </div>
        <div className="filters__actions">
          <button type="submit" className="btn btn--primary" data-testid="cases-search-submit">
            {t('common.search')}
          </button>
        </div>
      </form>

      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      <div className="results-bar" aria-live="polite">
        {loading ? (
          <Loading />
        ) : (
          data && (
            <p className="muted" data-testid="cases-count">
              {t('common.rangeOf', { from: fmt.number(from), to: fmt.number(to), total: fmt.number(total) })}
            </p>
          )
        )}
      </div>

      {data && (
        <div className="table-wrap" role="region" aria-labelledby="cases-caption" tabIndex={0}>
          <table className="table table--responsive" data-testid="cases-table">
            <caption id="cases-caption" className="visually-hidden">
              {t('cases.list.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.list.caseNumber')}</th>
                <th scope="col">{t('cases.case.person')}</th>
                <th scope="col">{t('cases.list.type')}</th>
                <th scope="col">{t('cases.list.status')}</th>
                <th scope="col">{t('cases.fields.riskLevel')}</th>
                <th scope="col">{t('cases.case.owner')}</th>
                <th scope="col">{t('cases.case.office')}</th>
                <th scope="col">{t('cases.case.opened')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.length === 0 && (
                <tr>
                  <td colSpan={8} className="table__empty">
                    {t('cases.list.empty')}
                  </td>
                </tr>
              )}
              {data.items.map((c) => (
                <tr key={c.id} data-testid="cases-row" data-masked={c.masked}>
                  <td data-label={t('cases.list.caseNumber')}>
                    {c.masked ? (
                      <span className="code-chip">{c.caseNumber}</span>
                    ) : (
                      <Link to={`/cases/${c.id}`} className="table__link" data-testid="cases-row-link">
                        <span dir="ltr">{c.caseNumber}</span>
                      </Link>
                    )}
                  </td>
                  <td data-label={t('cases.case.person')}>
                    {c.masked ? (
                      <div className="stack stack--tight">
                        <span data-testid="cases-row-restricted">{t('cases.list.restricted')}</span>
                        <BreakGlassButton caseNumber={c.caseNumber} small testId="cases-row-break-glass" />
                      </div>
                    ) : (
                      (c.personName ?? '')
                    )}
                  </td>
                  <td data-label={t('cases.list.type')}>{L.type(c.type)}</td>
                  <td data-label={t('cases.list.status')}>
                    {L.state(c.status)}
                    {c.awaitingSupervisor && (
                      <div>
                        <Badge tone="warning">{t('cases.list.awaitingSupervisor')}</Badge>
                      </div>
                    )}
                  </td>
                  <td data-label={t('cases.fields.riskLevel')}>
                    <Badge tone={riskTone(c.riskLevel)}>{L.risk(c.riskLevel)}</Badge>
                  </td>
                  <td data-label={t('cases.case.owner')}>{c.owner?.name ?? <span className="muted">—</span>}</td>
                  <td data-label={t('cases.case.office')}>
                    <span className="code-chip">{c.officeCode}</span>
                  </td>
                  <td data-label={t('cases.case.opened')}>{fmt.date(c.openedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {data && total > PAGE_SIZE && (
        <nav className="pager" aria-label={t('common.pagination')}>
          <button type="button" className="btn btn--secondary" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })} data-testid="cases-prev">
            {t('common.previous')}
          </button>
          <span className="muted">{t('common.pageOf', { page: fmt.number(page), pages: fmt.number(pages) })}</span>
          <button type="button" className="btn btn--secondary" disabled={to >= total} onClick={() => update({ page: String(page + 1) })} data-testid="cases-next">
            {t('common.next')}
          </button>
        </nav>
      )}
    </div>
  );
}
