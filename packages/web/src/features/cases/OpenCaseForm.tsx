/** Opening a case for a registered person: its type, office, risk level and (optionally) its owner. */
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { RISK_LEVELS, type RiskLevel } from '@passage/domain/cases/case-type';
import { CASE_TYPE_IDS, type CaseTypeId } from '@passage/domain/cases/types';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { officeOptionLabel } from '../../lib/offices.ts';
import { Alert, SelectField } from '../../ui/index.ts';
import { useOfficesWith } from '../registry/office-scope.ts';
import { serverErrors } from '../registry/validation.ts';
import { casesApi } from './cases-api.ts';
import { useCaseLabels } from './labels.ts';
import { useLoad } from './use-load.ts';
import { usePartners } from './use-partners.ts';
import { Checkbox, TextAreaField } from '../registry/FormControls.tsx';

export function OpenCaseForm({ personId, personOfficeId, onCancel }: { personId: string; personOfficeId: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const L = useCaseLabels();
  const navigate = useNavigate();
  const { offices, defaultId } = useOfficesWith('cases.work');
  const [type, setType] = useState<CaseTypeId | ''>('');
  const [officeId, setOfficeId] = useState('');
  const [risk, setRisk] = useState<RiskLevel>('medium');
  const [ownerId, setOwnerId] = useState('');
  // Referred by a partner organisation: the case opens with the incoming referral on it.
  const [fromPartner, setFromPartner] = useState(false);
  const [partnerId, setPartnerId] = useState('');
  const [reason, setReason] = useState('');
  const partners = usePartners(officeId);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const owners = useLoad(async () => (officeId && type ? casesApi.assignees(officeId, type).catch(() => []) : []), `${officeId}|${type}`);

  // The person's own office when the user works cases there, else the user's first.
  useEffect(() => {
    if (officeId || !offices) return;
    setOfficeId(offices.some((o) => o.id === personOfficeId) ? personOfficeId : defaultId);
  }, [offices, officeId, personOfficeId, defaultId]);

  const server = isApiError(error) ? serverErrors(t, error.errors) : {};
  const errors = {
    type: submitted && !type ? t('validation.required') : server['type'],
    officeId: submitted && !officeId ? t('validation.required') : server['officeId'],
    ownerId: server['ownerId'],
    partnerId: submitted && fromPartner && !partnerId ? t('validation.required') : server['partnerId'],
    reason: submitted && fromPartner && !reason.trim() ? t('validation.required') : server['reason'],
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!type || !officeId || (fromPartner && (!partnerId || !reason.trim()))) return;
    setBusy(true);
    try {
      const id = fromPartner
        ? (await casesApi.receiveReferral({ type, personId, officeId, partnerId, reason, services: [], riskLevel: risk })).caseId
        : (await casesApi.open({ type, personId, officeId, riskLevel: risk, ...(ownerId ? { ownerId } : {}) })).id;
      void navigate(`/cases/${id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="open-case-title" data-testid="open-case-form">
      <h3 id="open-case-title" className="subsection-title">
        {t('cases.open.title')}
      </h3>
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      <div className="form-grid">
        <SelectField id="open-case-type" label={t('cases.list.type')} required autoFocus value={type} onChange={(e) => setType(e.target.value as CaseTypeId | '')} error={errors.type} data-testid="open-case-type">
          <option value="">{t('common.choose')}</option>
          {CASE_TYPE_IDS.map((id) => (
            <option key={id} value={id}>
              {L.type(id)}
            </option>
          ))}
        </SelectField>
        <SelectField id="open-case-office" label={t('cases.case.office')} required value={officeId} onChange={(e) => setOfficeId(e.target.value)} error={errors.officeId} data-testid="open-case-office">
          <option value="">{t('common.choose')}</option>
          {(offices ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {officeOptionLabel(o)}
            </option>
          ))}
        </SelectField>
        <SelectField id="open-case-risk" label={t('cases.fields.riskLevel')} value={risk} onChange={(e) => setRisk(e.target.value as RiskLevel)} data-testid="open-case-risk">
          {RISK_LEVELS.map((r) => (
            <option key={r} value={r}>
              {L.risk(r)}
            </option>
          ))}
        </SelectField>
        {!fromPartner && (
          <SelectField id="open-case-owner" label={t('cases.case.owner')} value={ownerId} onChange={(e) => setOwnerId(e.target.value)} error={errors.ownerId} data-testid="open-case-owner">
            <option value="">{t('cases.open.ownerMe')}</option>
            {(owners.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      <Checkbox id="open-case-from-partner" label={t('cases.open.fromPartner')} checked={fromPartner} onChange={setFromPartner} testId="open-case-from-partner" />
      {fromPartner && (
        <div className="form-grid">
          <SelectField id="open-case-partner" label={t('cases.partner')} required value={partnerId} onChange={(e) => setPartnerId(e.target.value)} error={errors.partnerId} data-testid="open-case-partner">
            <option value="">{t('common.choose')}</option>
            {(partners.data ?? []).filter((p) => p.active).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <TextAreaField id="open-case-reason" label={t('cases.open.partnerReason')} required rows={3} dir="auto" maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason} data-testid="open-case-reason" />
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="open-case-submit">
          {busy ? t('common.saving') : t('cases.open.submit')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
