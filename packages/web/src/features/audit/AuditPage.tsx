import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Query } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useOffices } from '../../lib/offices.ts';
import type { AuditChainStatus, AuditEvent, AuditPage as AuditPageData, UserPage } from '../../lib/types.ts';
import { useSession } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, Loading, PageHeader, SelectField, TextField } from '../../ui/index.ts';

const PAGE_SIZE = 50;
const ENTITY_TYPES = ['user', 'office', 'session', 'role_grant', 'system'];

interface Filters {
  actorId: string;
  entityType: string;
  entityId: string;
  action: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { actorId: '', entityType: '', entityId: '', action: '', from: '', to: '' };

/** "2024-05-01" → start (or end) of that day in local time, as ISO 8601. */
function dayBoundary(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function toQuery(f: Filters): Query {
  return {
    actorId: f.actorId.trim(),
    entityType: f.entityType.trim(),
    entityId: f.entityId.trim(),
    action: f.action.trim(),
    from: dayBoundary(f.from, false),
    to: dayBoundary(f.to, true),
    limit: PAGE_SIZE,
  };
}

export default function AuditPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useSession();
  const canPickUser = can('users.read');
  const { offices } = useOffices(can('offices.read'));
  const officeCode = useMemo(() => new Map((offices ?? []).map((o) => [o.id, o.code])), [offices]);

  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [filterError, setFilterError] = useState<string | null>(null);
  const [users, setUsers] = useState<{ id: string; label: string }[] | null>(null);
  const requestSeq = useRef(0);
  // The chain's state is shown to those who may read the whole trail (the API refuses the others: nothing shown).
  const [chain, setChain] = useState<AuditChainStatus | null>(null);
  useEffect(() => {
    api
      .get<AuditChainStatus>('/api/audit/chain')
      .then(setChain)
      .catch(() => setChain(null));
  }, []);

  useEffect(() => {
    if (!canPickUser) return;
    api
      .get<UserPage>('/api/users', { limit: 200 })
      .then((res) => setUsers(res.items.map((u) => ({ id: u.id, label: `${u.displayName} (${u.email})` }))))
      .catch(() => setUsers(null));
  }, [canPickUser]);

  const load = useCallback(async (filters: Filters, before: string | null) => {
    const seq = ++requestSeq.current;
    setError(null);
    if (before) setLoadingMore(true);
    else setLoading(true);
    try {
      const res = await api.get<AuditPageData>('/api/audit', { ...toQuery(filters), before });
      if (seq !== requestSeq.current) return;
      setItems((prev) => (before ? [...prev, ...res.items] : res.items));
      setNextBefore(res.nextBefore);
    } catch (err) {
      if (seq === requestSeq.current) setError(err);
    } finally {
      if (seq === requestSeq.current) {
        setLoading(false);
        setLoadingMore(false);
      }
    }
  }, []);

  useEffect(() => {
    void load(EMPTY, null);
  }, [load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setFilterError(t('audit.badRange'));
      return;
    }
    setFilterError(null);
    setApplied(draft);
    void load(draft, null);
  }

  function clear() {
    setDraft(EMPTY);
    setApplied(EMPTY);
    setFilterError(null);
    void load(EMPTY, null);
  }

  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const hasFilters = Object.values(applied).some(Boolean);

  return (
    <div className="page page--wide">
      <PageHeader title={t('audit.title')} description={t('audit.intro')} />
      {chain ? (
        <p className="muted" data-testid="audit-chain" role="status">
          {chain.waiting === 0
            ? t('audit.chainLinked', { linked: fmt.number(chain.linked) })
            : t('audit.chainWaiting', { linked: fmt.number(chain.linked), waiting: fmt.number(chain.waiting), seconds: fmt.number(Math.round(chain.oldestWaitingSeconds ?? 0)) })}
        </p>
      ) : null}

      <form className="filters card" onSubmit={submit} role="search" aria-label={t('audit.filtersLabel')} noValidate>
        {canPickUser && users ? (
          <SelectField id="audit-actor" label={t('audit.actor')} value={draft.actorId} onChange={set('actorId')} data-testid="audit-actor">
            <option value="">{t('audit.anyUser')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            id="audit-actor"
            label={t('audit.actorId')}
            hint={t('audit.actorIdHint')}
            value={draft.actorId}
            onChange={set('actorId')}
            dir="ltr"
            autoComplete="off"
            data-testid="audit-actor"
          />
        )}
        <TextField
          id="audit-entity-type"
          label={t('audit.entityType')}
          value={draft.entityType}
          onChange={set('entityType')}
          list="audit-entity-types"
          dir="ltr"
          autoComplete="off"
          data-testid="audit-entity-type"
        />
        <datalist id="audit-entity-types">
          {ENTITY_TYPES.map((x) => (
            <option key={x} value={x} />
          ))}
        </datalist>
        <TextField
          id="audit-entity-id"
          label={t('audit.entityId')}
          value={draft.entityId}
          onChange={set('entityId')}
          dir="ltr"
          autoComplete="off"
          data-testid="audit-entity-id"
        />
        <TextField
          id="audit-action"
          label={t('audit.action')}
          hint={t('audit.actionHint')}
          value={draft.action}
          onChange={set('action')}
          dir="ltr"
          autoComplete="off"
          data-testid="audit-action"
        />
        <TextField id="audit-from" label={t('audit.from')} type="date" value={draft.from} onChange={set('from')} data-testid="audit-from" />
        <TextField
          id="audit-to"
          label={t('audit.to')}
          type="date"
          value={draft.to}
          onChange={set('to')}
          error={filterError}
          data-testid="audit-to"
        />
        <div className="filters__actions">
          <button type="submit" className="btn btn--primary" data-testid="audit-apply">
            {t('common.applyFilters')}
          </button>
          {hasFilters && (
            <button type="button" className="btn btn--ghost" onClick={clear}>
              {t('common.clearFilters')}
            </button>
          )}
        </div>
      </form>

      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}

      {loading ? (
        <Loading />
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {t('audit.shown', { shown: fmt.number(items.length) })}
          </p>
          <div className="table-wrap" role="region" aria-labelledby="audit-caption" tabIndex={0}>
            <table className="table table--compact" data-testid="audit-table">
              <caption id="audit-caption" className="visually-hidden">
                {t('audit.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.col.time')}</th>
                  <th scope="col">{t('audit.col.actor')}</th>
                  <th scope="col">{t('audit.col.action')}</th>
                  <th scope="col">{t('audit.col.entity')}</th>
                  <th scope="col">{t('audit.col.office')}</th>
                  <th scope="col">{t('audit.col.outcome')}</th>
                  <th scope="col">{t('audit.col.changed')}</th>
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && (
                  <tr>
                    <td colSpan={7} className="table__empty">
                      {t('audit.empty')}
                    </td>
                  </tr>
                )}
                {items.map((ev) => (
                  <tr key={ev.id} data-testid="audit-row">
                    <td className="nowrap">
                      <time dateTime={ev.at} title={fmt.dateTimeLong(ev.at)}>
                        {fmt.dateTime(ev.at)}
                      </time>
                    </td>
                    <td dir="ltr" className="cell-ltr">
                      {ev.actorEmail ?? <span className="muted">{ev.actorId ? ev.actorId : t('audit.system')}</span>}
                    </td>
                    <td>
                      <code className="code-chip">{ev.action}</code>
                    </td>
                    <td>
                      <span>{ev.entityType}</span>
                      {ev.entityId && (
                        <>
                          {' '}
                          <code className="entity-id" dir="ltr" title={ev.entityId}>
                            {ev.entityId}
                          </code>
                        </>
                      )}
                    </td>
                    <td>{ev.officeId ? (officeCode.get(ev.officeId) ?? <code className="entity-id">{ev.officeId}</code>) : '—'}</td>
                    <td>
                      <Badge tone={ev.outcome === 'success' ? 'success' : 'danger'}>{t(`outcome.${ev.outcome}`)}</Badge>
                    </td>
                    <td>{ev.changedFields.length > 0 ? ev.changedFields.join(', ') : <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {nextBefore && (
            <div className="load-more">
              <button
                type="button"
                className="btn btn--secondary"
                disabled={loadingMore}
                onClick={() => void load(applied, nextBefore)}
                data-testid="audit-load-more"
              >
                {loadingMore ? t('common.loading') : t('common.loadMore')}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
