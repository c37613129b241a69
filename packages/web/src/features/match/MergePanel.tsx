/**
 * Merging a pair decided "same": choose the record to keep (by default the older registration),
 * tick the fields to take from the other record, give a reason, merge. Afterwards: what moved.
 * Merges are reversible (unmerge restores both records exactly).
 */
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { MERGEABLE_FIELDS, type MergeableField } from '@passage/domain/match/api';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useSession } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, ConfirmButton, FieldFrame, Loading } from '../../ui/index.ts';
import { countryName, personName, useLang } from '../registry/labels.ts';
import { registryApi, type PersonDto } from '../registry/registry-api.ts';
import { matchApi, type MatchPairDto, type MergeDto } from './match-api.ts';
import { defaultSurvivor, movedEntries, offerableFields, type MergeableValues } from './match-view.ts';

function mergeableValues(p: PersonDto): MergeableValues {
  return {
    givenName: p.givenName,
    middleName: p.middleName,
    familyName: p.familyName,
    fullNameOriginal: p.fullNameOriginal,
    sex: p.sex,
    dateOfBirth: p.dateOfBirth,
    nationality: p.nationality,
    countryOfBirth: p.countryOfBirth,
    phones: p.phones,
    aliases: p.aliases,
  };
}

/** A mergeable field's value as the reviewer reads it. */
function FieldValue({ person, field }: { person: PersonDto; field: MergeableField }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  const dash = <span className="muted">—</span>;
  const text = (v: string | null): ReactNode => (v && v.trim() ? <bdi dir="auto">{v}</bdi> : dash);
  switch (field) {
    case 'givenName':
    case 'middleName':
    case 'familyName':
    case 'fullNameOriginal':
      return text(person[field]);
    case 'sex':
      return <>{t(`registry.sex.${person.sex}`)}</>;
    case 'dateOfBirth':
      return person.dateOfBirth ? <>{fmt.date(person.dateOfBirth)}</> : dash;
    case 'nationality':
    case 'countryOfBirth':
      return person[field] ? <>{countryName(person[field], lang)}</> : dash;
    case 'phones':
      return person.phones.length > 0 ? <span dir="ltr">{person.phones.join(', ')}</span> : dash;
    case 'aliases':
      return person.aliases.length > 0 ? <bdi dir="auto">{person.aliases.join(', ')}</bdi> : dash;
  }
}

export function MergePanel({ pair, onMerged }: { pair: MatchPairDto; onMerged: (m: MergeDto) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const reasonId = useId();
  const [people, setPeople] = useState<{ a: PersonDto; b: PersonDto } | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [survivorSide, setSurvivorSide] = useState<'a' | 'b'>(() => (defaultSurvivor(pair.a, pair.b).id === pair.a.id ? 'a' : 'b'));
  const [take, setTake] = useState<Set<MergeableField>>(() => new Set());
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [stale, setStale] = useState(false);

  const loadPeople = useCallback(async () => {
    setLoadError(null);
    try {
      const [a, b] = await Promise.all([registryApi.person(pair.a.id), registryApi.person(pair.b.id)]);
      setPeople({ a, b });
    } catch (err) {
      setLoadError(err);
    }
  }, [pair.a.id, pair.b.id]);

  useEffect(() => {
    void loadPeople();
  }, [loadPeople]);

  if (loadError) return <Alert tone="error">{errorMessage(t, loadError)}</Alert>;
  if (!people) return <Loading />;

  const survivor = survivorSide === 'a' ? people.a : people.b;
  const merged = survivorSide === 'a' ? people.b : people.a;
  const offer = new Set(offerableFields(mergeableValues(survivor), mergeableValues(merged)));
  const reasonError = submitted && !reason.trim() ? t('match.merge.reasonRequired') : null;

  function chooseSurvivor(side: 'a' | 'b') {
    setSurvivorSide(side);
    setTake(new Set());
  }

  function toggle(field: MergeableField, on: boolean) {
    setTake((prev) => {
      const next = new Set(prev);
      if (on) next.add(field);
      else next.delete(field);
      return next;
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!reason.trim()) {
      document.getElementById(reasonId)?.focus();
      return;
    }
    setBusy(true);
    try {
      const result = await matchApi.merge({
        survivorId: survivor.id,
        mergedId: merged.id,
        pairId: pair.id,
        takeFromMerged: MERGEABLE_FIELDS.filter((f) => take.has(f) && offer.has(f)),
        survivorVersion: survivor.version,
        mergedVersion: merged.version,
        reason: reason.trim(),
      });
      onMerged(result);
    } catch (err) {
      if (isApiError(err) && (err.code === 'stale_version' || err.status === 409)) {
        setStale(true);
        await loadPeople();
      } else setError(err);
    } finally {
      setBusy(false);
    }
  }

  const sides: ['a' | 'b', PersonDto][] = [
    ['a', people.a],
    ['b', people.b],
  ];

  return (
    <form className="card stack match-section" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="match-merge-title" data-testid="match-merge">
      <div>
        <h2 id="match-merge-title" className="section-title">
          {t('match.merge.title')}
        </h2>
        <p className="muted">{t('match.merge.intro')}</p>
      </div>
      {stale && (
        <Alert tone="warning" testId="match-merge-stale">
          {t('match.merge.stale')}
        </Alert>
      )}
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}

      <fieldset className="choice-group">
        <legend className="choice-group__legend">{t('match.merge.survivor')}</legend>
        <div className="choice-group__options">
          {sides.map(([side, p]) => (
            <label key={side} className="choice">
              <input type="radio" name="match-survivor" value={side} checked={survivorSide === side} onChange={() => chooseSurvivor(side)} data-testid={`match-survivor-${side}`} />
              <span>
                <strong>{personName(p)}</strong> <span className="code-chip">{p.registrationId}</span>{' '}
                <span className="muted">{t('match.merge.registeredOn', { date: fmt.date(p.createdAt) })}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="table-wrap" role="region" aria-labelledby="match-merge-fields-caption" tabIndex={0}>
        <table className="table table--compact table--responsive match-merge-fields" data-testid="match-merge-fields">
          <caption id="match-merge-fields-caption" className="match-caption">
            {t('match.merge.fieldsCaption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('match.col.field')}</th>
              <th scope="col">{t('match.merge.keptValue', { name: personName(survivor) })}</th>
              <th scope="col">{t('match.merge.otherValue', { name: personName(merged) })}</th>
              <th scope="col">{t('match.merge.take')}</th>
            </tr>
          </thead>
          <tbody>
            {MERGEABLE_FIELDS.map((f) => {
              const label = t(`registry.field.${f}`);
              const offered = offer.has(f);
              return (
                <tr key={f} data-testid={`match-merge-field-${f}`}>
                  <th scope="row">{label}</th>
                  <td data-label={t('match.merge.keptValue', { name: personName(survivor) })}>
                    <FieldValue person={survivor} field={f} />
                  </td>
                  <td data-label={t('match.merge.otherValue', { name: personName(merged) })}>
                    <FieldValue person={merged} field={f} />
                  </td>
                  <td data-label={t('match.merge.take')}>
                    {offered ? (
                      <label className="choice">
                        <input type="checkbox" checked={take.has(f)} onChange={(e) => toggle(f, e.target.checked)} data-testid={`match-take-${f}`} />
                        <span>
                          {t('match.merge.takeShort')}
                          <span className="visually-hidden"> {t('match.merge.takeLabel', { field: label })}</span>
                        </span>
                      </label>
                    ) : (
                      <span className="muted">{t('match.merge.nothingToTake')}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted">{t('match.merge.movedHint')}</p>

      <FieldFrame id={reasonId} label={t('match.merge.reason')} hint={t('match.merge.reasonHint')} error={reasonError} required>
        {(aria) => <textarea id={reasonId} className="input textarea" value={reason} maxLength={2000} dir="auto" required onChange={(e) => setReason(e.target.value)} data-testid="match-merge-reason" {...aria} />}
      </FieldFrame>
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="match-merge-submit">
          {busy ? t('match.merge.merging') : t('match.merge.submit', { name: personName(merged), kept: personName(survivor) })}
        </button>
      </div>
    </form>
  );
}

/** What a merge did: the record kept, the record merged, what moved and which fields were taken. */
export function MergeOutcome({ pair, initial, onChanged }: { pair: MatchPairDto; initial: MergeDto | null; onChanged?: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useSession();
  const [merge, setMerge] = useState<MergeDto | null>(initial);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (initial) {
      setMerge(initial);
      return;
    }
    const ctrl = new AbortController();
    matchApi
      .merges(pair.a.id, ctrl.signal)
      .then((list) => {
        const both = (m: MergeDto) => [m.survivorId, m.mergedId].sort().join() === [pair.a.id, pair.b.id].sort().join();
        setMerge(list.find((m) => m.pairId === pair.id) ?? list.find(both) ?? null);
      })
      .catch((err: unknown) => {
        if (!ctrl.signal.aborted) setError(err);
      });
    return () => ctrl.abort();
  }, [initial, pair.id, pair.a.id, pair.b.id]);

  if (error) return <Alert tone="error">{errorMessage(t, error)}</Alert>;
  if (!merge) return null;
  const nameOf = (id: string) => (id === pair.a.id ? personName(pair.a) : id === pair.b.id ? personName(pair.b) : id);
  const moved = movedEntries(merge.moved);

  return (
    <section className="card stack match-section" aria-labelledby="match-merged-title" data-testid="match-merge-result">
      <h2 id="match-merged-title" className="section-title">
        {merge.unmergedAt ? t('match.merge.undoneTitle') : t('match.merge.doneTitle')}
      </h2>
      <p>
        {t('match.merge.doneText', { merged: nameOf(merge.mergedId), kept: nameOf(merge.survivorId), when: fmt.dateTime(merge.mergedAt) })}{' '}
        <Link to={`/registry/people/${merge.survivorId}`} data-testid="match-merge-open-survivor">
          {t('match.merge.openKept')}
        </Link>
        {' · '}
        <Link to={`/registry/people/${merge.mergedId}`} data-testid="match-merge-open-merged">
          {t('match.merge.openMerged')}
        </Link>
      </p>
      {merge.unmergedAt && <p>{t('match.merges.undoneOn', { when: fmt.dateTime(merge.unmergedAt) })}</p>}
      <MovedList merge={merge} />
      {moved.length === 0 && <p className="muted">{t('match.merge.nothingMoved')}</p>}
      {can('match.merge') && !merge.unmergedAt && (
        <div>
          <ConfirmButton
            danger
            question={t('match.merges.unmergeQuestion')}
            confirmLabel={t('match.merges.unmerge')}
            onConfirm={async () => {
              try {
                setMerge(await matchApi.unmerge(merge.id));
                onChanged?.();
              } catch (err) {
                setError(err);
              }
            }}
            testId="match-unmerge"
          >
            {t('match.merges.unmerge')}
          </ConfirmButton>
        </div>
      )}
    </section>
  );
}

/** "Documents: 2 · Consent records: 1" and the fields taken from the merged record. */
export function MovedList({ merge }: { merge: MergeDto }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const moved = movedEntries(merge.moved);
  return (
    <>
      {moved.length > 0 && (
        <div>
          <h3 className="subsection-title">{t('match.merge.movedTitle')}</h3>
          <ul className="inline-list match-moved" data-testid="match-moved">
            {moved.map(([kind, n]) => (
              <li key={kind}>
                {t(`match.moved.${kind}`, { defaultValue: kind })}: <strong>{fmt.number(n)}</strong>
              </li>
            ))}
          </ul>
        </div>
      )}
      {merge.takenFromMerged.length > 0 && (
        <p>
          {t('match.merge.taken', { fields: merge.takenFromMerged.map((f) => t(`registry.field.${f}`)).join(', ') })}
        </p>
      )}
    </>
  );
}
