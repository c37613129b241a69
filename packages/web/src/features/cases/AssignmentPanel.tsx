/** A supervisor's step: who owns the case (a caseworker who may work it) and who supervises it. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useUser } from '../../app/session.tsx';
import { Alert, SelectField } from '../../ui/index.ts';
import { serverErrors } from '../registry/validation.ts';
import { casesApi, type UserRef } from './cases-api.ts';
import type { PanelProps } from './panel.ts';
import { PanelTitle } from './parts.tsx';
import { useLoad } from './use-load.ts';

/** The people offered, with the current one kept even when no longer a candidate. */
function withCurrent(list: readonly UserRef[], current: UserRef | null): UserRef[] {
  return current && !list.some((u) => u.id === current.id) ? [current, ...list] : [...list];
}

export function AssignmentPanel({ c, onCase, reload }: PanelProps) {
  const { t } = useTranslation();
  const me = useUser();
  const candidates = useLoad(() => casesApi.assignees(c.officeId, c.type), `${c.officeId}|${c.type}`);
  const [ownerId, setOwnerId] = useState(c.owner?.id ?? '');
  const [supervisorId, setSupervisorId] = useState(c.supervisor?.id ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const owners = withCurrent(candidates.data ?? [], c.owner);
  const supervisors = withCurrent(withCurrent([], { id: me.id, name: me.displayName }), c.supervisor);
  const changed = ownerId !== (c.owner?.id ?? '') || supervisorId !== (c.supervisor?.id ?? '');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    if (!changed) return;
    setBusy(true);
    try {
      const next = await casesApi.assign(c.id, {
        version: c.version,
        ...(ownerId && ownerId !== c.owner?.id ? { ownerId } : {}),
        ...(supervisorId !== (c.supervisor?.id ?? '') ? { supervisorId: supervisorId || null } : {}),
      });
      onCase(next);
      setSaved(true);
    } catch (err) {
      setError(err);
      if (isApiError(err) && err.code === 'stale_version') await reload();
    } finally {
      setBusy(false);
    }
  }

  const fieldErrors = isApiError(error) ? serverErrors(t, error.errors) : {};
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="case-assign-title" data-testid="case-assign-form">
      <PanelTitle id="case-assign-title">{t('cases.assign.title')}</PanelTitle>
      <p className="muted">{t('cases.assign.intro')}</p>
      {saved && (
        <Alert tone="success" testId="case-assign-saved">
          {t('cases.assign.saved')}
        </Alert>
      )}
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      {candidates.error ? <Alert tone="error">{errorMessage(t, candidates.error)}</Alert> : null}
      <div className="form-grid">
        <SelectField id="assign-owner" label={t('cases.case.owner')} value={ownerId} onChange={(e) => setOwnerId(e.target.value)} error={fieldErrors['ownerId']} data-testid="assign-owner">
          {!c.owner && <option value="">{t('common.choose')}</option>}
          {owners.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <SelectField id="assign-supervisor" label={t('cases.case.supervisor')} value={supervisorId} onChange={(e) => setSupervisorId(e.target.value)} error={fieldErrors['supervisorId']} data-testid="assign-supervisor">
          <option value="">{t('cases.assign.noSupervisor')}</option>
          {supervisors.map((u) => (
            <option key={u.id} value={u.id}>
              {u.id === me.id ? t('cases.assign.me', { name: u.name }) : u.name}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={busy || !changed} data-testid="assign-save">
          {busy ? t('common.saving') : t('cases.assign.save')}
        </button>
      </div>
    </form>
  );
}
