/**
 * The reviewer's home: start a batch deduplication run (its progress followed live), the last
 * runs, and the queue of candidate pairs by probability — filtered by status, office and a
 * probability range, paged. Filters live in the address so the back button and bookmarks work.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { PAIR_STATUSES } from '@passage/domain/match/api';
import { isAbort } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { officeOptionLabel } from '../../lib/offices.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Loading, PageHeader, SelectField, TextField } from '../../ui/index.ts';
import { useOfficesWith } from '../registry/office-scope.ts';
import { personName } from '../registry/labels.ts';
import { matchApi, type MatchPairListDto, type MatchPersonDto } from './match-api.ts';
import { pairFilters, readQueueParams } from './match-view.ts';
import { PairStatusBadge, ProbabilityMeter, reasonText } from './MatchParts.tsx';
import { RunPanel } from './RunPanel.tsx';
import '../registry/registry.css';
import './match.css';

const PAGE_SIZE = 25;

export default function MatchQueuePage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const q = readQueueParams(params);
  const { offices } = useOfficesWith('match.review');
  const [data, setData] = useState<MatchPairListDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [refresh, setRefresh] = useState(0);
  const [minDraft, setMinDraft] = useState(q.minPercent);
  const [maxDraft, setMaxDraft] = useState(q.maxPercent);

  useEffect(() => setMinDraft(q.minPercent), [q.minPercent]);
  useEffect(() => setMaxDraft(q.maxPercent), [q.maxPercent]);

  const key = JSON.stringify(pairFilters(q, PAGE_SIZE));
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    matchApi
      .pairs(JSON.parse(key) as ReturnType<typeof pairFilters>, ctrl.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(err);
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [key, refresh]);

  function update(next: Partial<Record<'status' | 'officeId' | 'min' | 'max' | 'page', string>>) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    if (!('page' in next)) p.delete('page');
    setParams(p);
  }

  function onRange(e: FormEvent) {
    e.preventDefault();
    update({ min: minDraft.trim(), max: maxDraft.trim() });
  }

  const total = data?.total ?? 0;
  const from = total === 0 ? 0 : (q.page - 1) * PAGE_SIZE + 1;
  const to = Math.min(total, q.page * PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filtered = q.status !== 'open' || q.officeId !== '' || q.minPercent !== '' || q.maxPercent !== '';

  return (
    <div className="page" data-testid="match-queue-page">
      <PageHeader title={t('match.queue.title')} description={t('match.queue.intro')} />

      <RunPanel offices={offices} onFinished={() => setRefresh((n) => n + 1)} />

      <section className="stack match-section" aria-labelledby="match-queue-heading">
        <h2 id="match-queue-heading" className="section-title">
          {t('match.queue.heading')}
        </h2>
        <form className="filters card" onSubmit={onRange} aria-label={t('match.queue.filtersLabel')}>
          <SelectField id="match-status" label={t('match.queue.status')} value={q.status} onChange={(e) => update({ status: e.target.value })} data-testid="match-filter-status">
            {PAIR_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`match.status.${s}`)}
              </option>
            ))}
          </SelectField>
          {offices && offices.length > 1 && (
            <SelectField id="match-office" label={t('registry.field.office')} value={q.officeId} onChange={(e) => update({ officeId: e.target.value })} data-testid="match-filter-office">
              <option value="">{t('match.allMyOffices')}</option>
              {offices.map((o) => (
                <option key={o.id} value={o.id}>
                  {officeOptionLabel(o)}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            id="match-min"
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            label={t('match.queue.minProbability')}
            value={minDraft}
            onChange={(e) => setMinDraft(e.target.value)}
            data-testid="match-filter-min"
          />
          <TextField
            id="match-max"
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            label={t('match.queue.maxProbability')}
            value={maxDraft}
            onChange={(e) => setMaxDraft(e.target.value)}
            data-testid="match-filter-max"
          />
          <div className="filters__actions">
            <button type="submit" className="btn btn--primary" data-testid="match-filter-apply">
              {t('common.applyFilters')}
            </button>
            {filtered && (
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
            data && (
              <p className="muted" data-testid="match-queue-count">
                {t('common.rangeOf', { from: fmt.number(from), to: fmt.number(to), total: fmt.number(total) })}
              </p>
            )
          )}
        </div>

        {data && (
          <div className="table-wrap" role="region" aria-labelledby="match-queue-caption" tabIndex={0}>
            <table className="table table--responsive" data-testid="match-queue-table">
              <caption id="match-queue-caption" className="visually-hidden">
                {t('match.queue.caption', { status: t(`match.status.${q.status}`) })}
              </caption>
              <thead>
                <tr>
                  <th scope="col" aria-sort="descending">
                    {t('match.col.probability')}
                  </th>
                  <th scope="col">{t('match.col.personA')}</th>
                  <th scope="col">{t('match.col.personB')}</th>
                  <th scope="col">{t('match.col.status')}</th>
                  <th scope="col">{t('match.col.reason')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('match.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.length === 0 && (
                  <tr>
                    <td colSpan={6} className="table__empty" data-testid="match-queue-empty">
                      {filtered ? t('match.queue.emptyFiltered') : t('match.queue.empty')}
                    </td>
                  </tr>
                )}
                {data.items.map((p) => (
                  <tr key={p.id} data-testid="match-pair-row">
                    <td data-label={t('match.col.probability')}>
                      <ProbabilityMeter probability={p.probability} compact />
                    </td>
                    <td data-label={t('match.col.personA')}>
                      <PersonCell person={p.a} />
                    </td>
                    <td data-label={t('match.col.personB')}>
                      <PersonCell person={p.b} />
                    </td>
                    <td data-label={t('match.col.status')}>
                      <PairStatusBadge status={p.status} />
                    </td>
                    <td data-label={t('match.col.reason')}>{p.reason ? reasonText(t, p.reason) : <span className="muted">—</span>}</td>
                    <td data-label={t('match.col.actions')}>
                      <Link to={`/match/pairs/${p.id}`} className="btn btn--secondary btn--small" data-testid="match-pair-link">
                        {t('match.queue.review')}
                        <span className="visually-hidden">
                          {' '}
                          {t('match.queue.reviewPair', { a: personName(p.a), b: personName(p.b) })}
                        </span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {data && total > PAGE_SIZE && (
          <nav className="pager" aria-label={t('common.pagination')}>
            <button type="button" className="btn btn--secondary" disabled={q.page <= 1} onClick={() => update({ page: String(q.page - 1) })} data-testid="match-prev">
              {t('common.previous')}
            </button>
            <span className="muted">{t('common.pageOf', { page: fmt.number(q.page), pages: fmt.number(pages) })}</span>
            <button type="button" className="btn btn--secondary" disabled={to >= total} onClick={() => update({ page: String(q.page + 1) })} data-testid="match-next">
              {t('common.next')}
            </button>
          </nav>
        )}
      </section>
    </div>
  );
}

function PersonCell({ person }: { person: MatchPersonDto }) {
  const fmt = useFormat();
  const details = [person.dateOfBirth ? fmt.date(person.dateOfBirth) : null, person.officeCode].filter(Boolean).join(' · ');
  return (
    <div className="match-person-cell">
      <span className="match-person-cell__name">{personName(person)}</span>
      {person.fullNameOriginal && (
        <bdi dir="auto" className="muted">
          {person.fullNameOriginal}
        </bdi>
      )}
      <span className="muted">
        <span className="code-chip">{person.registrationId}</span> {details}
      </span>
    </div>
  );
}

