/**
 * One candidate pair, side by side: every compared field of both people, highlighted by how it
 * agrees and with its part in the score, the overall probability, and the reviewer's decision
 * (Same / Different / Unsure, with a note). A decision on a pair someone else decided meanwhile
 * (409) is reported and the pair reloaded. "Same" opens the merge for users who may merge.
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { REVIEW_DECISIONS } from '@passage/domain/match/api';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useSession } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, FieldFrame, Loading, PageHeader } from '../../ui/index.ts';
import { cx } from '../../ui/cx.ts';
import { countryName, personName, useLang } from '../registry/labels.ts';
import { matchApi, type MatchPairDto, type MatchPersonDto, type MergeDto, type ReviewDecision } from './match-api.ts';
import { comparisonRows, contextKey, levelKey, unplacedContributions, weightScale, type ComparisonRowKey } from './match-view.ts';
import { AgreementLabel, PairStatusBadge, ProbabilityMeter, WeightBar, reasonText } from './MatchParts.tsx';
import { MergeOutcome, MergePanel } from './MergePanel.tsx';
import '../registry/registry.css';
import './match.css';

type Notice = { tone: 'success' | 'warning' | 'error' | 'info'; text: string } | null;

export default function MatchPairPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const [pair, setPair] = useState<MatchPairDto | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [merge, setMerge] = useState<MergeDto | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoadError(null);
      try {
        const p = await matchApi.pair(id, signal);
        setPair(p);
        return p;
      } catch (err) {
        if (!signal?.aborted) setLoadError(err);
        return null;
      }
    },
    [id],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    setPair(null);
    setNotice(null);
    setMerge(null);
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  const back = (
    <Link to="/match" className="back-link">
      {t('match.queue.title')}
    </Link>
  );

  if (loadError) {
    return (
      <div className="page">
        <PageHeader title={t('match.pair.title')} back={back} />
        <Alert tone="error" testId="match-pair-error">
          {isApiError(loadError) && loadError.status === 404 ? t('match.pair.notFound') : errorMessage(t, loadError)}
        </Alert>
      </div>
    );
  }
  if (!pair) return <Loading block />;

  return (
    <div className="page" data-testid="match-pair-page">
      <PageHeader
        title={t('match.pair.title')}
        back={back}
        description={
          <span className="match-pair-header">
            <ProbabilityMeter probability={pair.probability} testId="match-pair-probability" />
            <span data-testid="match-pair-status">
              <PairStatusBadge status={pair.status} />
            </span>
            {pair.reason && <span className="muted">{reasonText(t, pair.reason)}</span>}
          </span>
        }
      />

      {notice && (
        <Alert tone={notice.tone} testId="match-pair-notice">
          {notice.text}
        </Alert>
      )}

      <Comparison pair={pair} />

      <DecisionPanel
        pair={pair}
        onDecided={(p) => {
          setPair(p);
          setNotice({ tone: 'success', text: t('match.decision.saved', { decision: t(`match.status.${p.status}`) }) });
        }}
        onStale={async () => {
          await load();
          setNotice({ tone: 'warning', text: t('match.decision.stale') });
        }}
      />

      {pair.status === 'same' && can('match.merge') && (
        <MergePanel
          pair={pair}
          onMerged={(m) => {
            setMerge(m);
            setNotice(null);
            void load();
          }}
        />
      )}
      {pair.status === 'same' && !can('match.merge') && <p className="muted">{t('match.merge.notAllowed')}</p>}
      {(pair.status === 'merged' || merge) && (
        <MergeOutcome
          pair={pair}
          initial={merge}
          onChanged={() => {
            setMerge(null);
            setNotice({ tone: 'success', text: t('match.merges.unmerged') });
            void load();
          }}
        />
      )}
    </div>
  );
}

/** The side-by-side table: one row per field, with how it agrees and what it adds to the score. */
function Comparison({ pair }: { pair: MatchPairDto }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const rows = comparisonRows(pair.explanation.fields);
  const extra = unplacedContributions(pair.explanation.fields);
  const scale = weightScale(pair.explanation.fields);
  const ctx = contextKey(pair.explanation.context);
  const weightText = (w: number) => fmt.number(w, { signDisplay: 'exceptZero', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return (
    <section className="card stack match-section" aria-labelledby="match-compare-title">
      <div>
        <h2 id="match-compare-title" className="section-title">
          {t('match.pair.compareTitle')}
        </h2>
        <p className="muted">{t('match.pair.compareIntro')}</p>
      </div>
      <div className="table-wrap" role="region" aria-labelledby="match-compare-title" tabIndex={0}>
        <table className="table table--compact table--responsive match-compare" data-testid="match-compare">
          <thead>
            <tr>
              <th scope="col">{t('match.col.field')}</th>
              <th scope="col">
                <PersonHeading person={pair.a} label={t('match.col.personA')} />
              </th>
              <th scope="col">
                <PersonHeading person={pair.b} label={t('match.col.personB')} />
              </th>
              <th scope="col">{t('match.col.comparison')}</th>
              <th scope="col">{t('match.col.contribution')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const c = r.contribution;
              const level = c ? levelKey(c.label) : null;
              return (
                <tr key={r.key} className={cx('match-row', c && `match-row--${c.agreement}`)} data-testid={`match-row-${r.key}`} data-agreement={c?.agreement ?? 'none'}>
                  <th scope="row">{rowLabel(t, r.key)}</th>
                  <td data-label={t('match.col.personA')}>
                    <PersonValue person={pair.a} row={r.key} />
                  </td>
                  <td data-label={t('match.col.personB')}>
                    <PersonValue person={pair.b} row={r.key} />
                  </td>
                  <td data-label={t('match.col.comparison')}>
                    <AgreementLabel agreement={c?.agreement ?? null} />
                    {c && <div className="muted match-level">{level ? t(level) : c.label}</div>}
                  </td>
                  <td data-label={t('match.col.contribution')}>{c ? <WeightBar weight={c.weight} scale={scale} testId={`match-weight-${r.key}`} /> : <span className="muted">—</span>}</td>
                </tr>
              );
            })}
            {extra.map((c) => (
              <tr key={c.field} className={cx('match-row', `match-row--${c.agreement}`)} data-agreement={c.agreement}>
                <th scope="row">{c.field}</th>
                <td colSpan={2} className="muted">
                  —
                </td>
                <td>
                  <AgreementLabel agreement={c.agreement} />
                  <div className="muted match-level">{c.label}</div>
                </td>
                <td>
                  <WeightBar weight={c.weight} scale={scale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="facts facts--inline" data-testid="match-score">
        <div>
          <dt>{t('match.pair.probability')}</dt>
          <dd>
            <strong>{fmt.number(pair.explanation.probability, { style: 'percent', maximumFractionDigits: 1 })}</strong>
          </dd>
        </div>
        <div>
          <dt>{t('match.pair.matchWeight')}</dt>
          <dd dir="ltr" className="match-ltr-number">
            {weightText(pair.explanation.matchWeight)}
          </dd>
        </div>
        <div>
          <dt>{t('match.pair.prior')}</dt>
          <dd dir="ltr" className="match-ltr-number">
            {weightText(pair.explanation.prior)}
          </dd>
        </div>
        <div>
          <dt>{t('match.pair.context')}</dt>
          <dd>{ctx ? t(ctx) : pair.explanation.context}</dd>
        </div>
      </dl>
      <p className="muted">{t('match.pair.weightHelp')}</p>
    </section>
  );
}

function rowLabel(t: (k: string) => string, key: ComparisonRowKey): string {
  if (key === 'registrationId') return t('registry.col.registrationId');
  return t(`registry.field.${key}`);
}

function PersonHeading({ person, label }: { person: MatchPersonDto; label: string }) {
  return (
    <span className="match-person-heading">
      <span>{label}</span>
      <Link to={`/registry/people/${person.id}`} className="table__link">
        {personName(person)}
      </Link>
    </span>
  );
}

function PersonValue({ person, row }: { person: MatchPersonDto; row: ComparisonRowKey }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  const dash = <span className="muted">—</span>;
  const text = (v: string | null): ReactNode => (v && v.trim() ? <bdi dir="auto">{v}</bdi> : dash);
  switch (row) {
    case 'givenName':
      return text(person.givenName);
    case 'middleName':
      return text(person.middleName);
    case 'familyName':
      return text(person.familyName);
    case 'fullNameOriginal':
      return person.fullNameOriginal ? (
        <bdi dir="auto" className="match-original">
          {person.fullNameOriginal}
        </bdi>
      ) : (
        dash
      );
    case 'sex':
      return <>{t(`registry.sex.${person.sex}`)}</>;
    case 'dateOfBirth':
      return person.dateOfBirth ? (
        <>
          {fmt.date(person.dateOfBirth)}
          {person.dobPrecision !== 'exact' && ` (${t(`registry.dobPrecision.${person.dobPrecision}`)})`}
        </>
      ) : (
        dash
      );
    case 'nationality':
      return person.nationality ? <>{countryName(person.nationality, lang)}</> : dash;
    case 'documents':
      return person.documents.length > 0 ? (
        <ul className="match-values">
          {person.documents.map((d) => (
            <li key={d.id}>
              {t(`registry.documentType.${d.type}`)} <span className="code-chip">{d.number}</span>
              {d.issuingCountry && ` · ${countryName(d.issuingCountry, lang)}`}
            </li>
          ))}
        </ul>
      ) : (
        dash
      );
    case 'phones':
      return person.phones.length > 0 ? (
        <ul className="match-values">
          {person.phones.map((p) => (
            <li key={p} dir="ltr" className="cell-ltr">
              {p}
            </li>
          ))}
        </ul>
      ) : (
        dash
      );
    case 'office':
      return <span className="code-chip">{person.officeCode}</span>;
    case 'registrationId':
      return (
        <>
          <span className="code-chip">{person.registrationId}</span>
          {person.mergedInto && (
            <div>
              <Link to={`/registry/people/${person.mergedInto}`}>{t('match.pair.mergedInto')}</Link>
            </div>
          )}
        </>
      );
  }
}

/** Same / Different / Unsure with an optional note. */
function DecisionPanel({ pair, onDecided, onStale }: { pair: MatchPairDto; onDecided: (p: MatchPairDto) => void; onStale: () => Promise<void> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const noteId = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<ReviewDecision | null>(null);
  const [error, setError] = useState<unknown>(null);
  const merged = pair.status === 'merged';
  const { can } = useSession();
  const mayDecide = can('match.review');

  async function decide(decision: ReviewDecision) {
    setBusy(decision);
    setError(null);
    try {
      const trimmed = note.trim();
      onDecided(await matchApi.decide(pair.id, { decision, version: pair.version, ...(trimmed ? { note: trimmed } : {}) }));
      setNote('');
    } catch (err) {
      if (isApiError(err) && (err.code === 'stale_version' || err.status === 409)) await onStale();
      else setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card stack match-section" aria-labelledby="match-decision-title" data-testid="match-decision">
      <h2 id="match-decision-title" className="section-title">
        {t('match.decision.title')}
      </h2>
      {pair.decidedAt && (
        <p data-testid="match-decision-current">
          {t('match.decision.current', { decision: t(`match.status.${pair.status}`), when: fmt.dateTime(pair.decidedAt) })}
          {pair.note && (
            <>
              {' '}
              <span className="muted">{t('match.decision.noteWas')}</span> <bdi dir="auto">{pair.note}</bdi>
            </>
          )}
        </p>
      )}
      {merged || !mayDecide ? (
        <p className="muted">{merged ? t('match.decision.mergedNoChange') : t('match.decision.notAllowed')}</p>
      ) : (
        <>
          {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
          {pair.status === 'open' && <p className="muted">{t('match.decision.intro')}</p>}
          <FieldFrame id={noteId} label={t('match.decision.note')} hint={t('match.decision.noteHint')}>
            {(aria) => <textarea id={noteId} className="input textarea" value={note} maxLength={2000} dir="auto" onChange={(e) => setNote(e.target.value)} data-testid="match-note" {...aria} />}
          </FieldFrame>
          <div className="button-row" role="group" aria-label={t('match.decision.title')}>
            {REVIEW_DECISIONS.map((d) => (
              <button
                key={d}
                type="button"
                className={cx('btn', d === 'same' ? 'btn--primary' : 'btn--secondary', pair.status === d && 'match-decision--current')}
                aria-pressed={pair.status === d}
                disabled={busy !== null}
                onClick={() => void decide(d)}
                data-testid={`match-decide-${d}`}
              >
                {busy === d ? t('common.saving') : t(`match.decision.${d}`)}
              </button>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
