/**
 * A household: its members with their relationship to the head, who the head is (a child head
 * needs a note), adding an existing person, taking someone out or moving them to another household,
 * and the history of membership.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { RELATIONSHIPS, type Relationship } from '@passage/domain/registry/model';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useSession } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, ConfirmButton, Loading, PageHeader, SelectField } from '../../ui/index.ts';
import { TextAreaField } from './FormControls.tsx';
import { PersonPicker } from './PersonPicker.tsx';
import { personName } from './labels.ts';
import { registryApi, type HouseholdDto, type HouseholdMember, type SearchItem } from './registry-api.ts';
import { serverErrors, type Errors } from './validation.ts';
import './registry.css';

type Notice = { tone: 'success' | 'error' | 'warning'; text: string; stale?: boolean } | null;

export default function HouseholdPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useSession();
  const mayEdit = can('registry.register');
  const [hh, setHh] = useState<HouseholdDto | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [adding, setAdding] = useState<SearchItem | null>(null);
  const [addRel, setAddRel] = useState<Relationship | ''>('');
  const [moving, setMoving] = useState<HouseholdMember | null>(null);
  const [headNote, setHeadNote] = useState('');
  const [pendingHead, setPendingHead] = useState<HouseholdMember | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const h = await registryApi.household(id);
      setHh(h);
      setHeadNote(h.headNote ?? '');
    } catch (err) {
      setLoadError(err);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Runs a change; the answer is the new household. A stale version offers a reload. */
  async function run(action: () => Promise<HouseholdDto | void>, success: string): Promise<boolean> {
    setBusy(true);
    setNotice(null);
    setErrors({});
    try {
      const next = await action();
      if (next) {
        setHh(next);
        setHeadNote(next.headNote ?? '');
      }
      setNotice({ tone: 'success', text: success });
      return true;
    } catch (err) {
      if (isApiError(err) && err.code === 'stale_version') setNotice({ tone: 'warning', text: t('registry.household.stale'), stale: true });
      else {
        setNotice({ tone: 'error', text: errorMessage(t, err) });
        if (isApiError(err)) setErrors(serverErrors(t, err.errors));
      }
      return false;
    } finally {
      setBusy(false);
    }
  }

  if (loadError) {
    return (
      <div className="page">
        <PageHeader title={t('registry.household.title')} />
        <Alert tone="error">{isApiError(loadError) && loadError.status === 404 ? t('registry.household.notFound') : errorMessage(t, loadError)}</Alert>
      </div>
    );
  }
  if (!hh) return <Loading block />;

  const head = hh.members.find((m) => m.id === hh.headPersonId) ?? null;
  const memberIds = new Set(hh.members.map((m) => m.id));
  const byId = new Map(hh.members.map((m) => [m.id, m]));
  const headIsChild = (m: HouseholdMember | null) => m !== null && m.age !== null && m.age < 18;

  async function makeHead(m: HouseholdMember) {
    if (!hh) return;
    if (headIsChild(m) && headNote.trim().length < 3) {
      setPendingHead(m);
      setErrors({ headNote: t('registry.household.headNoteRequired') });
      return;
    }
    const ok = await run(
      () => registryApi.updateHousehold(hh.id, { headPersonId: m.id, ...(headIsChild(m) ? { headNote: headNote.trim() } : {}), version: hh.version }),
      t('registry.household.headChanged', { name: personName(m) }),
    );
    if (ok) setPendingHead(null);
  }

  async function saveHeadNote(e: FormEvent) {
    e.preventDefault();
    if (!hh) return;
    if (pendingHead) {
      await makeHead(pendingHead);
      return;
    }
    await run(() => registryApi.updateHousehold(hh.id, { headNote: headNote.trim() || null, version: hh.version }), t('registry.household.noteSaved'));
  }

  async function addPerson(e: FormEvent) {
    e.preventDefault();
    if (!hh || !adding) return;
    if (!addRel) {
      setErrors({ relationship: t('validation.required') });
      return;
    }
    const ok = await run(() => registryApi.addMember(hh.id, adding.id, addRel), t('registry.household.added', { name: personName(adding) }));
    if (ok) {
      setAdding(null);
      setAddRel('');
    }
  }

  async function moveTo(target: SearchItem) {
    if (!hh || !moving) return;
    if (!target.householdId || target.householdId === hh.id) {
      setNotice({ tone: 'error', text: t('registry.household.moveNoHousehold') });
      return;
    }
    const destination = target.householdId;
    const rel: Relationship = moving.relationship === 'head' ? 'other_relative' : moving.relationship;
    const ok = await run(async () => {
      await registryApi.addMember(destination, moving.id, rel);
      return registryApi.household(hh.id);
    }, t('registry.household.moved', { name: personName(moving) }));
    if (ok) setMoving(null);
  }

  return (
    <div className="page" data-testid="household-page">
      <PageHeader
        title={head ? t('registry.household.titleOf', { name: personName(head) }) : t('registry.household.title')}
        description={t('registry.household.sizeIs', { n: fmt.number(hh.size) })}
        back={
          <Link to="/registry" className="back-link">
            {t('registry.search.title')}
          </Link>
        }
      />

      {notice && (
        <Alert
          tone={notice.tone}
          testId="household-notice"
          actions={
            notice.stale && (
              <button type="button" className="btn btn--secondary" onClick={() => void load().then(() => setNotice(null))}>
                {t('common.reload')}
              </button>
            )
          }
        >
          {notice.text}
        </Alert>
      )}
      {!head && hh.members.length > 0 && <Alert tone="warning">{t('registry.household.noHead')}</Alert>}

      <section className="card stack" aria-labelledby="hh-members-title">
        <h2 id="hh-members-title" className="section-title">
          {t('registry.household.members')}
        </h2>
        <div className="table-wrap" role="region" aria-labelledby="hh-members-caption" tabIndex={0}>
          <table className="table table--responsive" data-testid="household-members">
            <caption id="hh-members-caption" className="visually-hidden">
              {t('registry.household.members')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('registry.col.name')}</th>
                <th scope="col">{t('registry.col.registrationId')}</th>
                <th scope="col">{t('registry.field.relationship')}</th>
                <th scope="col">{t('registry.col.sexAge')}</th>
                {mayEdit && <th scope="col">{t('registry.household.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {hh.members.length === 0 && (
                <tr>
                  <td colSpan={mayEdit ? 5 : 4} className="table__empty">
                    {t('registry.household.empty')}
                  </td>
                </tr>
              )}
              {hh.members.map((m) => (
                <tr key={m.id} data-testid="household-member">
                  <td data-label={t('registry.col.name')}>
                    <Link to={`/registry/people/${m.id}`} className="table__link">
                      {personName(m)}
                    </Link>
                    {m.fullNameOriginal && (
                      <div className="muted">
                        <bdi>{m.fullNameOriginal}</bdi>
                      </div>
                    )}
                  </td>
                  <td data-label={t('registry.col.registrationId')}>
                    <span className="code-chip">{m.registrationId}</span>
                  </td>
                  <td data-label={t('registry.field.relationship')}>
                    {m.id === hh.headPersonId ? <Badge tone="info">{t('registry.relationship.head')}</Badge> : t(`registry.relationship.${m.relationship}`)}
                  </td>
                  <td data-label={t('registry.col.sexAge')}>
                    {t(`registry.sex.${m.sex}`)}
                    {m.age !== null && `, ${t('registry.ageShort', { age: fmt.number(m.age) })}`}
                  </td>
                  {mayEdit && (
                    <td data-label={t('registry.household.actions')}>
                      <div className="button-row">
                        {m.id !== hh.headPersonId && (
                          <button type="button" className="btn btn--ghost btn--small" disabled={busy} onClick={() => void makeHead(m)} data-testid="household-make-head">
                            {t('registry.household.makeHead')}
                            <span className="visually-hidden"> ({personName(m)})</span>
                          </button>
                        )}
                        <button type="button" className="btn btn--ghost btn--small" disabled={busy} onClick={() => setMoving(m)} data-testid="household-move">
                          {t('registry.household.move')}
                          <span className="visually-hidden"> ({personName(m)})</span>
                        </button>
                        <ConfirmButton
                          danger
                          question={t('registry.household.removeQuestion', { name: personName(m) })}
                          confirmLabel={t('common.remove')}
                          onConfirm={() => void run(() => registryApi.removeMember(hh.id, m.id), t('registry.household.removed', { name: personName(m) }))}
                          testId="household-remove"
                        >
                          {t('common.remove')}
                        </ConfirmButton>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {mayEdit && (
        <section className="card stack" aria-labelledby="hh-head-title">
          <h2 id="hh-head-title" className="section-title">
            {t('registry.household.headNote')}
          </h2>
          <form className="stack" onSubmit={(e) => void saveHeadNote(e)} noValidate>
            <TextAreaField
              id="household-head-note"
              label={t('registry.household.headNote')}
              hint={pendingHead ? t('registry.household.headNoteFor', { name: personName(pendingHead) }) : t('registry.household.headNoteHint')}
              rows={2}
              value={headNote}
              onChange={(e) => setHeadNote(e.target.value)}
              error={errors['headNote']}
              required={headIsChild(pendingHead ?? head)}
              data-testid="household-head-note"
            />
            <div className="button-row">
              <button type="submit" className="btn btn--secondary" disabled={busy}>
                {pendingHead ? t('registry.household.makeHeadOf', { name: personName(pendingHead) }) : t('registry.household.saveNote')}
              </button>
              {pendingHead && (
                <button type="button" className="btn btn--ghost" onClick={() => setPendingHead(null)}>
                  {t('common.cancel')}
                </button>
              )}
            </div>
          </form>
        </section>
      )}

      {mayEdit && moving && (
        <section className="card stack" aria-labelledby="hh-move-title">
          <h2 id="hh-move-title" className="section-title">
            {t('registry.household.moveTitle', { name: personName(moving) })}
          </h2>
          <p className="muted">{t('registry.household.moveHint')}</p>
          <PersonPicker
            idPrefix="household-move"
            label={t('registry.household.findDestination')}
            pickLabel={(name) => t('registry.household.moveToHouseholdOf', { name })}
            onPick={(p) => void moveTo(p)}
            exclude={memberIds}
          />
          <div>
            <button type="button" className="btn btn--ghost" onClick={() => setMoving(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </section>
      )}

      {mayEdit && (
        <section className="card stack" aria-labelledby="hh-add-title">
          <h2 id="hh-add-title" className="section-title">
            {t('registry.household.addTitle')}
          </h2>
          {adding ? (
            <form className="stack" onSubmit={(e) => void addPerson(e)} noValidate>
              <p>
                {t('registry.household.adding', { name: personName(adding) })} <span className="code-chip">{adding.registrationId}</span>
              </p>
              {adding.householdId && <Alert tone="info">{t('registry.household.addMoves')}</Alert>}
              <SelectField
                id="household-add-relationship"
                label={t('registry.field.relationship')}
                hint={head ? t('registry.field.relationshipHint', { name: personName(head) }) : undefined}
                required
                autoFocus
                value={addRel}
                onChange={(e) => setAddRel(e.target.value as Relationship | '')}
                error={errors['relationship']}
                data-testid="household-add-relationship"
              >
                <option value="">{t('common.choose')}</option>
                {RELATIONSHIPS.filter((r) => r !== 'head').map((r) => (
                  <option key={r} value={r}>
                    {t(`registry.relationship.${r}`)}
                  </option>
                ))}
              </SelectField>
              <div className="button-row">
                <button type="submit" className="btn btn--primary" disabled={busy} data-testid="household-add-save">
                  {t('registry.household.addConfirm')}
                </button>
                <button type="button" className="btn btn--ghost" onClick={() => setAdding(null)}>
                  {t('common.cancel')}
                </button>
              </div>
            </form>
          ) : (
            <PersonPicker
              idPrefix="household-add"
              label={t('registry.household.findPerson')}
              pickLabel={(name) => t('registry.household.addPerson', { name })}
              onPick={(p) => {
                setAdding(p);
                setErrors({});
              }}
              exclude={memberIds}
            />
          )}
        </section>
      )}

      <section className="card stack" aria-labelledby="hh-history-title">
        <h2 id="hh-history-title" className="section-title">
          {t('registry.household.history')}
        </h2>
        <div className="table-wrap" role="region" aria-labelledby="hh-history-caption" tabIndex={0}>
          <table className="table table--compact table--responsive" data-testid="household-history">
            <caption id="hh-history-caption" className="visually-hidden">
              {t('registry.household.history')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('registry.col.registrationId')}</th>
                <th scope="col">{t('registry.col.name')}</th>
                <th scope="col">{t('registry.field.relationship')}</th>
                <th scope="col">{t('registry.household.joined')}</th>
                <th scope="col">{t('registry.household.left')}</th>
              </tr>
            </thead>
            <tbody>
              {hh.history.map((h) => {
                const m = byId.get(h.personId);
                return (
                  <tr key={`${h.personId}-${h.joinedAt}`}>
                    <td data-label={t('registry.col.registrationId')}>
                      <span className="code-chip">{h.registrationId}</span>
                    </td>
                    <td data-label={t('registry.col.name')}>
                      <Link to={`/registry/people/${h.personId}`}>{m ? personName(m) : t('registry.household.formerMember')}</Link>
                    </td>
                    <td data-label={t('registry.field.relationship')}>{t(`registry.relationship.${h.relationship}`)}</td>
                    <td data-label={t('registry.household.joined')}>{fmt.dateTime(h.joinedAt)}</td>
                    <td data-label={t('registry.household.left')}>{h.leftAt ? fmt.dateTime(h.leftAt) : <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
