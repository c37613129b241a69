/**
 * The merges of one person, for the registry's person page: a banner when the record was merged
 * into another (with a link to the record kept), and the list of merges involving the person with
 * Unmerge for users who may merge. Shown only to users of the matching screens.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { isAbort } from '../../lib/api.ts';
import { useSession } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, ConfirmButton } from '../../ui/index.ts';
import { matchApi, type MergeDto } from './match-api.ts';
import { mergedIntoFrom } from './match-view.ts';
import { MovedList } from './MergePanel.tsx';
import './match.css';

export interface PersonMergesState {
  merges: MergeDto[] | null;
  error: unknown;
  reload: () => Promise<void>;
}

/** The merges involving this person (none asked for when the user cannot see them). */
export function usePersonMerges(personId: string): PersonMergesState {
  const { can } = useSession();
  const allowed = can('match.read');
  const [merges, setMerges] = useState<MergeDto[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(
    async (signal?: AbortSignal) => {
      if (!allowed) return;
      try {
        setMerges(await matchApi.merges(personId, signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(err);
      }
    },
    [personId, allowed],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    setMerges(null);
    void reload(ctrl.signal);
    return () => ctrl.abort();
  }, [reload]);
  return { merges, error, reload: () => reload() };
}

/** "This record was merged into another": shown at the top of the person page. */
export function MergedBanner({ personId, state }: { personId: string; state: PersonMergesState }) {
  const { t } = useTranslation();
  const into = state.merges ? mergedIntoFrom(state.merges, personId) : null;
  if (!into) return null;
  return (
    <Alert
      tone="warning"
      title={t('match.person.mergedTitle')}
      testId="person-merged-banner"
      actions={
        <Link to={`/registry/people/${into}`} className="btn btn--secondary" data-testid="person-merged-survivor">
          {t('match.person.openSurvivor')}
        </Link>
      }
    >
      {t('match.person.mergedText')}
    </Alert>
  );
}

/** The merges involving this person, newest first, each with Unmerge while in force. */
export function MergesCard({ personId, state, onChanged }: { personId: string; state: PersonMergesState; onChanged: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (state.error) return <Alert tone="error">{errorMessage(t, state.error)}</Alert>;
  if (!state.merges || state.merges.length === 0) return null;
  const merges = [...state.merges].sort((x, y) => y.mergedAt.localeCompare(x.mergedAt));

  async function unmerge(id: string) {
    setError(null);
    setNotice(null);
    try {
      await matchApi.unmerge(id);
      setNotice(t('match.merges.unmerged'));
      await state.reload();
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card stack match-section" aria-labelledby="person-merges-title" data-testid="person-merges">
      <h2 id="person-merges-title" className="section-title">
        {t('match.merges.title')}
      </h2>
      {notice && (
        <Alert tone="success" testId="person-unmerged">
          {notice}
        </Alert>
      )}
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      <ul className="item-list">
        {merges.map((m) => {
          const kept = m.survivorId === personId;
          const other = kept ? m.mergedId : m.survivorId;
          return (
            <li key={m.id} className="item-list__item" data-testid="person-merge">
              <div className="item-list__main">
                <span>
                  <strong>{kept ? t('match.merges.absorbed') : t('match.merges.mergedInto')}</strong>{' '}
                  {m.unmergedAt ? <Badge tone="neutral">{t('match.merges.undone')}</Badge> : <Badge tone="success">{t('match.merges.inForce')}</Badge>}
                </span>
                <span className="muted">
                  {t('match.merges.on', { when: fmt.dateTime(m.mergedAt) })}
                  {m.unmergedAt && ` · ${t('match.merges.undoneOn', { when: fmt.dateTime(m.unmergedAt) })}`}
                </span>
                <span>
                  {t('match.merges.reason')} <bdi dir="auto">{m.reason}</bdi>
                </span>
                <MovedList merge={m} />
                <span>
                  <Link to={`/registry/people/${other}`}>{kept ? t('match.merge.openMerged') : t('match.merge.openKept')}</Link>
                  {m.pairId && can('match.read') && (
                    <>
                      {' · '}
                      <Link to={`/match/pairs/${m.pairId}`}>{t('match.merges.openPair')}</Link>
                    </>
                  )}
                </span>
              </div>
              {can('match.merge') && !m.unmergedAt && (
                <ConfirmButton danger question={t('match.merges.unmergeQuestion')} confirmLabel={t('match.merges.unmerge')} onConfirm={() => unmerge(m.id)} testId="person-unmerge">
                  {t('match.merges.unmerge')}
                </ConfirmButton>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
