/**
 * The registry's home: one search box (a name in any script, a registration id, a document
 * number or a phone), filters, a paged and sortable result table, and exports when allowed.
 * Filters live in the address so a search can be bookmarked and the back button works.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { AGE_BANDS, POPULATION_GROUPS, SEXES, SPECIFIC_NEEDS } from '@passage/domain/registry/model';
import { SEARCH_SORTS } from '@passage/domain/registry/api';
import { isAbort } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { buildOfficeTree, flattenOfficeTree, officeOptionLabel, useOffices } from '../../lib/offices.ts';
import { useSession } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, Loading, PageHeader, SelectField, TextField } from '../../ui/index.ts';
import { CountrySelect } from './PersonFields.tsx';
import { countryName, personName, useCountryOptions, useLang } from './labels.ts';
import { exportUrl, registryApi, type PersonSearchResultDto, type SearchFilters } from './registry-api.ts';
import './registry.css';

const PAGE_SIZE = 25;
const FILTER_KEYS = ['q', 'officeId', 'populationGroup', 'sex', 'ageBand', 'nationality', 'need'] as const;

export default function RegistrySearchPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const sensitive = can('registry.sensitive');
  const filters: SearchFilters = useMemo(() => {
    const f: SearchFilters = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v && (k !== 'need' || sensitive)) f[k] = v;
    }
    return f;
  }, [params, sensitive]);
  const sortParam = params.get('sort') ?? '';
  const sort = (SEARCH_SORTS as readonly string[]).includes(sortParam) ? sortParam : filters.q ? 'relevance' : '-registered';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);

  const [draftQ, setDraftQ] = useState(filters.q ?? '');
  const [data, setData] = useState<PersonSearchResultDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const { offices } = useOffices(can('offices.read'));
  const officeOptions = useMemo(() => flattenOfficeTree(buildOfficeTree(offices ?? [])), [offices]);
  const countries = useCountryOptions();

  useEffect(() => setDraftQ(filters.q ?? ''), [filters.q]);

  // One string for filters, sort and page, so the search runs once per change of any of them.
  const key = JSON.stringify({ ...filters, sort, page, pageSize: PAGE_SIZE });
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    registryApi
      .search(JSON.parse(key) as Record<string, string | number>, ctrl.signal)
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

  const total = data?.total ?? 0;
  const from = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const to = Math.min(total, page * PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const anyFilter = FILTER_KEYS.some((k) => params.get(k));
  const sortHeader = (col: 'name' | 'registered') =>
    col === 'name' ? (sort === 'name' ? 'ascending' : undefined) : sort === 'registered' ? 'ascending' : sort === '-registered' ? 'descending' : undefined;

  return (
    <div className="page">
      <PageHeader
        title={t('registry.search.title')}
        description={t('registry.search.intro')}
        actions={
          <>
            {can('registry.register') && (
              <Link to="/registry/register" className="btn btn--primary" data-testid="registry-new">
                {t('registry.register.new')}
              </Link>
            )}
            {can('registry.import') && (
              <Link to="/registry/import" className="btn btn--secondary">
                {t('nav.registryImport')}
              </Link>
            )}
          </>
        }
      />

      <form className="filters card" onSubmit={onSearch} role="search" aria-label={t('registry.search.filtersLabel')}>
        <TextField
          id="registry-q"
          type="search"
          label={t('registry.search.label')}
          hint={t('registry.search.hint')}
          value={draftQ}
          onChange={(e) => setDraftQ(e.target.value)}
          autoComplete="off"
          dir="auto"
          data-testid="registry-search"
          fieldClassName="filters__grow"
        />
        {offices && officeOptions.length > 1 && (
          <SelectField id="registry-office" label={t('registry.field.office')} value={filters.officeId ?? ''} onChange={(e) => update({ officeId: e.target.value })} data-testid="registry-filter-office">
            <option value="">{t('users.allOffices')}</option>
            {officeOptions.map((o) => (
              <option key={o.id} value={o.id}>
                {officeOptionLabel(o)}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField
          id="registry-group"
          label={t('registry.field.populationGroup')}
          value={filters.populationGroup ?? ''}
          onChange={(e) => update({ populationGroup: e.target.value })}
          data-testid="registry-filter-group"
        >
          <option value="">{t('registry.search.any')}</option>
          {POPULATION_GROUPS.map((g) => (
            <option key={g} value={g}>
              {t(`registry.populationGroup.${g}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="registry-sex" label={t('registry.field.sex')} value={filters.sex ?? ''} onChange={(e) => update({ sex: e.target.value })} data-testid="registry-filter-sex">
          <option value="">{t('registry.search.any')}</option>
          {SEXES.map((s) => (
            <option key={s} value={s}>
              {t(`registry.sex.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="registry-age" label={t('registry.field.ageBand')} value={filters.ageBand ?? ''} onChange={(e) => update({ ageBand: e.target.value })} data-testid="registry-filter-age">
          <option value="">{t('registry.search.any')}</option>
          {AGE_BANDS.map((b) => (
            <option key={b} value={b}>
              {t(`registry.ageBand.${b}`)}
            </option>
          ))}
        </SelectField>
        <CountrySelect
          id="registry-nationality"
          label={t('registry.field.nationality')}
          value={filters.nationality ?? ''}
          onChange={(v) => update({ nationality: v })}
          options={countries}
          emptyLabel={t('registry.search.any')}
          testId="registry-filter-nationality"
        />
        {sensitive && (
          <SelectField id="registry-need" label={t('registry.field.need')} value={filters.need ?? ''} onChange={(e) => update({ need: e.target.value })} data-testid="registry-filter-need">
            <option value="">{t('registry.search.any')}</option>
            {SPECIFIC_NEEDS.map((n) => (
              <option key={n} value={n}>
                {t(`registry.need.${n}`)}
              </option>
            ))}
          </SelectField>
        )}
        <div className="filters__actions">
          <button type="submit" className="btn btn--primary" data-testid="registry-search-submit">
            {t('common.search')}
          </button>
          {anyFilter && (
            <button type="button" className="btn btn--ghost" onClick={() => setParams(new URLSearchParams())}>
              {t('common.clearFilters')}
            </button>
          )}
        </div>
      </form>

      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}

      <div className="results-toolbar">
        <div className="results-bar" aria-live="polite">
          {loading ? (
            <Loading />
          ) : (
            data && (
              <p className="muted" data-testid="registry-count">
                {data.totalIsCapped
                  ? t('registry.search.rangeCapped', { from: fmt.number(from), to: fmt.number(to), total: fmt.number(total) })
                  : t('common.rangeOf', { from: fmt.number(from), to: fmt.number(to), total: fmt.number(total) })}
              </p>
            )
          )}
        </div>
        <div className="results-toolbar__actions">
          <SelectField id="registry-sort" label={t('registry.search.sort')} value={sort} onChange={(e) => update({ sort: e.target.value })} data-testid="registry-sort" fieldClassName="field--inline">
            {SEARCH_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`registry.search.sortBy.${s}`)}
              </option>
            ))}
          </SelectField>
          {can('registry.export') && (
            <div className="button-row" role="group" aria-label={t('registry.export.label')}>
              <a className="btn btn--secondary btn--small" href={exportUrl('csv', filters)} download data-testid="registry-export-csv">
                {t('registry.export.csv')}
              </a>
              <a className="btn btn--secondary btn--small" href={exportUrl('xlsx', filters)} download data-testid="registry-export-xlsx">
                {t('registry.export.xlsx')}
              </a>
              {filters.q && <span className="muted">{t('registry.export.filtersOnly')}</span>}
            </div>
          )}
        </div>
      </div>

      {data && (
        <div className="table-wrap" role="region" aria-labelledby="registry-caption" tabIndex={0}>
          <table className="table table--responsive" data-testid="registry-table">
            <caption id="registry-caption" className="visually-hidden">
              {t('registry.search.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col" aria-sort={sortHeader('name')}>
                  {t('registry.col.name')}
                </th>
                <th scope="col">{t('registry.col.registrationId')}</th>
                <th scope="col">{t('registry.col.sexAge')}</th>
                <th scope="col">{t('registry.col.nationality')}</th>
                <th scope="col">{t('registry.col.group')}</th>
                <th scope="col">{t('registry.col.office')}</th>
                <th scope="col" aria-sort={sortHeader('registered')}>
                  {t('registry.col.registered')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.length === 0 && (
                <tr>
                  <td colSpan={7} className="table__empty">
                    {anyFilter ? t('registry.search.empty') : t('registry.search.emptyRegistry')}
                  </td>
                </tr>
              )}
              {data.items.map((p) => (
                <tr key={p.id} data-testid="registry-row">
                  <td data-label={t('registry.col.name')}>
                    <Link to={`/registry/people/${p.id}`} className="table__link" data-testid="registry-row-link">
                      {personName(p)}
                    </Link>
                    {p.fullNameOriginal && (
                      <div className="muted">
                        <bdi>{p.fullNameOriginal}</bdi>
                      </div>
                    )}
                    {p.matchedBy !== 'name' && p.matchedBy !== 'filter' && (
                      <div>
                        <Badge tone="info">{t(`registry.search.matchedBy.${p.matchedBy}`)}</Badge>
                      </div>
                    )}
                  </td>
                  <td data-label={t('registry.col.registrationId')}>
                    <span className="code-chip">{p.registrationId}</span>
                  </td>
                  <td data-label={t('registry.col.sexAge')}>
                    {t(`registry.sex.${p.sex}`)}
                    {p.age !== null && `, ${t('registry.ageShort', { age: fmt.number(p.age) })}`}
                  </td>
                  <td data-label={t('registry.col.nationality')}>{p.nationality ? countryName(p.nationality, lang) : <span className="muted">—</span>}</td>
                  <td data-label={t('registry.col.group')}>{t(`registry.populationGroup.${p.populationGroup}`)}</td>
                  <td data-label={t('registry.col.office')}>
                    <span className="code-chip">{p.officeCode}</span>
                  </td>
                  <td data-label={t('registry.col.registered')}>{fmt.date(p.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {data && total > PAGE_SIZE && (
        <nav className="pager" aria-label={t('common.pagination')}>
          <button type="button" className="btn btn--secondary" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })} data-testid="registry-prev">
            {t('common.previous')}
          </button>
          <span className="muted">{t('common.pageOf', { page: fmt.number(page), pages: data.totalIsCapped ? `${fmt.number(pages)}+` : fmt.number(pages) })}</span>
          <button type="button" className="btn btn--secondary" disabled={to >= total} onClick={() => update({ page: String(page + 1) })} data-testid="registry-next">
            {t('common.next')}
          </button>
        </nav>
      )}
    </div>
  );
}
