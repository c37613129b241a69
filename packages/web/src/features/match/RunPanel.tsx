/**
 * "Find duplicates": starts a batch run for the chosen office (or every office the reviewer may
 * review), follows it with a live progress bar, and lists the last runs. A run already going when
 * the page opens is followed too.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { isAbort } from '../../lib/api.ts';
import { useSession } from '../../app/session.tsx';
import { officeOptionLabel, type OfficeNode } from '../../lib/offices.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Loading, SelectField } from '../../ui/index.ts';
import { matchApi, type MatchRunDto } from './match-api.ts';
import { isRunActive } from './match-view.ts';
import { RunStatusBadge } from './MatchParts.tsx';

const POLL_MS = 1000;
const SHOWN_RUNS = 5;

export function RunPanel({ offices, onFinished }: { offices: OfficeNode[] | null; onFinished: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const progressId = useId();
  const { can } = useSession();
  const mayRun = can('match.review');
  const [runs, setRuns] = useState<MatchRunDto[] | null>(null);
  const [runsError, setRunsError] = useState<unknown>(null);
  const [current, setCurrent] = useState<MatchRunDto | null>(null);
  const [officeId, setOfficeId] = useState('');
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [pollTrouble, setPollTrouble] = useState(false);
  const [finished, setFinished] = useState<MatchRunDto | null>(null);
  // The latest callback, without restarting the polling when the parent re-renders.
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  }, [onFinished]);

  const loadRuns = useCallback(async (signal?: AbortSignal) => {
    try {
      const list = await matchApi.runs(signal);
      setRuns(list);
      setRunsError(null);
      return list;
    } catch (err) {
      if (!isAbort(err)) setRunsError(err);
      return null;
    }
  }, []);

  // On opening: the last runs, and the newest one followed if it is still going.
  useEffect(() => {
    const ctrl = new AbortController();
    void loadRuns(ctrl.signal).then((list) => {
      const latest = list?.[0];
      if (latest && isRunActive(latest.status)) setCurrent(latest);
    });
    return () => ctrl.abort();
  }, [loadRuns]);

  const id = current?.id;
  const active = current ? isRunActive(current.status) : false;
  useEffect(() => {
    if (!id || !active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const next = await matchApi.run(id);
        if (stopped) return;
        setPollTrouble(false);
        setCurrent(next);
        if (isRunActive(next.status)) timer = setTimeout(() => void tick(), POLL_MS);
        else {
          setFinished(next);
          void loadRuns();
          onFinishedRef.current();
        }
      } catch {
        if (stopped) return;
        setPollTrouble(true);
        timer = setTimeout(() => void tick(), POLL_MS * 3);
      }
    };
    timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, active, loadRuns]);

  async function start() {
    setBusy(true);
    setError(null);
    setFinished(null);
    try {
      const run = await matchApi.startRun(officeId ? { officeId } : {});
      setCurrent(run);
      void loadRuns();
      if (!isRunActive(run.status)) {
        setFinished(run);
        onFinishedRef.current();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function cancel() {
    if (!current) return;
    setCancelling(true);
    setError(null);
    try {
      setCurrent(await matchApi.cancelRun(current.id));
    } catch (err) {
      setError(err);
    } finally {
      setCancelling(false);
    }
  }

  const officeName = (oid: string | null) => {
    if (!oid) return t('match.allMyOffices');
    const o = offices?.find((x) => x.id === oid);
    return o ? `${o.name} (${o.code})` : t('match.run.otherOffice');
  };
  const stage = (s: string | null) => (s ? t(`match.run.stage.${s}`, { defaultValue: s }) : t('match.run.status.queued'));

  return (
    <section className="card stack match-section" aria-labelledby="match-run-title" data-testid="match-run-panel">
      <div>
        <h2 id="match-run-title" className="section-title">
          {t('match.run.title')}
        </h2>
        <p className="muted">{mayRun ? t('match.run.intro') : t('match.run.introReadOnly')}</p>
      </div>
      {mayRun && (
        <div className="row-with-action">
          {offices && offices.length > 0 && (
            <SelectField id="match-run-office" label={t('match.run.office')} value={officeId} onChange={(e) => setOfficeId(e.target.value)} data-testid="match-run-office">
              <option value="">{t('match.allMyOffices')}</option>
              {offices.map((o) => (
                <option key={o.id} value={o.id}>
                  {officeOptionLabel(o)}
                </option>
              ))}
            </SelectField>
          )}
          <button type="button" className="btn btn--primary" onClick={() => void start()} disabled={busy || active} data-testid="match-run-start">
            {busy ? t('match.run.starting') : t('match.run.start')}
          </button>
        </div>
      )}
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}

      {current && active && (
        <div className="match-progress" data-testid="match-run-progress">
          <label htmlFor={progressId}>
            {t('match.run.progress', { stage: stage(current.stage), percent: fmt.number(current.progress, { style: 'percent', maximumFractionDigits: 0 }) })}
            {current.records > 0 && ` · ${t('match.run.recordsCount', { n: fmt.number(current.records) })}`}
          </label>
          {current.status === 'queued' ? <progress id={progressId} /> : <progress id={progressId} max={1} value={Math.max(0, Math.min(1, current.progress))} />}
          {mayRun && (
            <div className="button-row">
              <button type="button" className="btn" onClick={() => void cancel()} disabled={cancelling || current.cancelRequested} data-testid="match-run-cancel">
                {current.cancelRequested ? t('match.run.cancelling') : t('match.run.cancel')}
              </button>
            </div>
          )}
        </div>
      )}
      {pollTrouble && <Alert tone="warning">{t('match.run.pollTrouble')}</Alert>}
      {finished && (
        <Alert tone={finished.status === 'succeeded' ? 'success' : 'error'} testId="match-run-finished">
          {finished.status === 'succeeded'
            ? t('match.run.succeeded', { records: fmt.number(finished.records), scored: fmt.number(finished.pairsScored), review: fmt.number(finished.pairsForReview), clusters: fmt.number(finished.clusters) })
            : t('match.run.failed', { status: t(`match.run.status.${finished.status}`) })}
          {finished.message && finished.status !== 'succeeded' && <> {finished.message}</>}
        </Alert>
      )}

      <div className="stack stack--flush">
        <h3 className="subsection-title" id="match-runs-title">
          {t('match.run.lastRuns')}
        </h3>
        {runsError ? <Alert tone="error">{errorMessage(t, runsError)}</Alert> : null}
        {!runs && !runsError && <Loading />}
        {runs && runs.length === 0 && <p className="muted">{t('match.run.none')}</p>}
        {runs && runs.length > 0 && (
          <div className="table-wrap" role="region" aria-labelledby="match-runs-title" tabIndex={0}>
            <table className="table table--compact table--responsive" data-testid="match-runs">
              <thead>
                <tr>
                  <th scope="col">{t('match.run.col.started')}</th>
                  <th scope="col">{t('match.run.col.office')}</th>
                  <th scope="col">{t('match.run.col.status')}</th>
                  <th scope="col" className="num">
                    {t('match.run.col.records')}
                  </th>
                  <th scope="col" className="num">
                    {t('match.run.col.pairsScored')}
                  </th>
                  <th scope="col" className="num">
                    {t('match.run.col.forReview')}
                  </th>
                  <th scope="col" className="num">
                    {t('match.run.col.clusters')}
                  </th>
                  <th scope="col">{t('match.run.col.finished')}</th>
                </tr>
              </thead>
              <tbody>
                {runs.slice(0, SHOWN_RUNS).map((r) => {
                  const shown = current?.id === r.id ? current : r;
                  return (
                    <tr key={r.id} data-testid="match-run-row">
                      <td data-label={t('match.run.col.started')} className="nowrap">
                        {fmt.dateTime(shown.createdAt)}
                      </td>
                      <td data-label={t('match.run.col.office')}>{officeName(shown.officeId)}</td>
                      <td data-label={t('match.run.col.status')}>
                        <RunStatusBadge status={shown.status} />
                        {shown.status === 'failed' && shown.message && <div className="muted">{shown.message}</div>}
                      </td>
                      <td data-label={t('match.run.col.records')} className="num">
                        {fmt.number(shown.records)}
                      </td>
                      <td data-label={t('match.run.col.pairsScored')} className="num">
                        {fmt.number(shown.pairsScored)}
                      </td>
                      <td data-label={t('match.run.col.forReview')} className="num">
                        {fmt.number(shown.pairsForReview)}
                      </td>
                      <td data-label={t('match.run.col.clusters')} className="num">
                        {fmt.number(shown.clusters)}
                      </td>
                      <td data-label={t('match.run.col.finished')} className="nowrap">
                        {shown.finishedAt ? fmt.dateTime(shown.finishedAt) : <span className="muted">—</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
