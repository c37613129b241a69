/** The referral form: a partner from the directory, the services asked for, why, how urgent — and consent. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReferralCreateSchema } from '@passage/domain/cases/api';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useSession } from '../../app/session.tsx';
import { Alert, SelectField } from '../../ui/index.ts';
import { Checkbox, RadioGroup, TextAreaField } from '../registry/FormControls.tsx';
import { casesApi } from './cases-api.ts';
import { useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';
import { useFormSubmit } from './use-form-submit.ts';
import { usePartners } from './use-partners.ts';

export function ReferralForm({ c, def, reload, onSent }: PanelProps & { onSent: () => void }) {
  const { t } = useTranslation();
  const L = useCaseLabels();
  const { can } = useSession();
  const partners = usePartners(c.officeId);
  const [partnerId, setPartnerId] = useState('');
  const [services, setServices] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [urgency, setUrgency] = useState<'routine' | 'urgent'>('routine');
  const [refused, setRefused] = useState(false);
  /** What the refusal said about overriding (for this case's office); before one, the permission at some office. */
  const [overrideAllowed, setOverrideAllowed] = useState<boolean | null>(null);
  const [override, setOverride] = useState('');
  const form = useFormSubmit();
  const mayOverride = overrideAllowed ?? can('cases.consent_override');
  const consent = c.person.consentToReferral;
  useEffect(() => {
    if (consent) setRefused(false);
  }, [consent]);
  const partner = partners.data?.find((p) => p.id === partnerId);
  const offered = partner ? partner.services : [...def.serviceTypes];

  const input = { partnerId: partnerId || undefined, services, reason, urgency, ...(refused && mayOverride ? { consentOverrideReason: override } : {}) };
  const parsed = ReferralCreateSchema.safeParse(input);
  const errors = form.errorsOf(parsed, input);

  const send = async () => {
    await casesApi.refer(c.id, parsed.data!);
    setPartnerId('');
    setServices([]);
    setReason('');
    setUrgency('routine');
    setRefused(false);
    setOverride('');
    onSent();
    await reload();
  };
  /** A refusal for want of consent is shown as such (with the override when allowed), not as an error. */
  const onRefused = async (err: unknown) => {
    if (!(isApiError(err) && err.status === 409 && (err.body['consentRequired'] === true || err.errors?.some((x) => x.field === 'consent')))) return false;
    setRefused(true);
    if (typeof err.body['mayOverride'] === 'boolean') setOverrideAllowed(err.body['mayOverride']);
    // The case may be stale about consent recorded meanwhile: read it again.
    await reload();
    return true;
  };

  return (
    <form className="card stack" onSubmit={(e) => void form.submit(e, parsed.success, send, onRefused)} noValidate aria-labelledby="case-referral-add-title" data-testid="case-referral-form">
      <h2 id="case-referral-add-title" className="section-title">
        {t('cases.referrals.add')}
      </h2>
      {!consent && !refused && (
        <Alert tone="info" testId="case-referral-consent-note">
          {t('cases.referrals.noConsentNote')}
        </Alert>
      )}
      {refused && (
        <Alert tone="error" title={t('cases.referrals.refusedTitle')} testId="case-referral-refused">
          {mayOverride ? t('cases.referrals.refusedOverride') : t('cases.referrals.refused')}
        </Alert>
      )}
      {form.done && (
        <Alert tone="success" testId="case-referral-sent">
          {t('cases.referrals.sent')}
        </Alert>
      )}
      {form.error ? <Alert tone="error">{errorMessage(t, form.error)}</Alert> : null}
      {partners.error ? <Alert tone="error">{errorMessage(t, partners.error)}</Alert> : null}
      <SelectField
        id="referral-partner"
        label={t('cases.partner')}
        required
        value={partnerId}
        onChange={(e) => {
          setPartnerId(e.target.value);
          setServices([]);
        }}
        error={errors['partnerId']}
        data-testid="referral-partner"
      >
        <option value="">{t('common.choose')}</option>
        {(partners.data ?? [])
          .filter((p) => p.active)
          .map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
      </SelectField>
      {partner && (partner.contactEmail || partner.contactPhone) && (
        <p className="muted">
          {t('cases.referrals.contact')}{' '}
          <span dir="ltr">{[partner.contactEmail, partner.contactPhone].filter(Boolean).join(' · ')}</span>
        </p>
      )}
      <fieldset className="fieldset" aria-describedby={errors['services'] ? 'referral-services-error' : undefined} data-testid="referral-services">
        <legend className="fieldset__legend">{t('cases.referrals.services')}</legend>
        <div className="check-grid">
          {offered.map((s) => (
            <Checkbox key={s} id={`referral-service-${s}`} label={L.serviceType(s)} checked={services.includes(s)} onChange={(on) => setServices((x) => (on ? [...x, s] : x.filter((y) => y !== s)))} testId={`referral-service-${s}`} />
          ))}
        </div>
        {errors['services'] && (
          <p id="referral-services-error" className="field__error">
            {errors['services']}
          </p>
        )}
      </fieldset>
      <TextAreaField id="referral-reason" label={t('cases.referrals.reason')} required rows={3} dir="auto" maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} error={errors['reason']} data-testid="referral-reason" />
      <RadioGroup<'routine' | 'urgent'>
        name="referral-urgency"
        legend={t('cases.referrals.urgency')}
        inline
        value={urgency}
        options={[
          { value: 'routine', label: t('cases.urgency.routine') },
          { value: 'urgent', label: t('cases.urgency.urgent') },
        ]}
        onChange={(v) => setUrgency(v === 'urgent' ? 'urgent' : 'routine')}
        testId="referral-urgency"
      />
      {refused && mayOverride && (
        <TextAreaField
          id="referral-override"
          label={t('cases.referrals.overrideReason')}
          hint={t('cases.referrals.overrideHint')}
          required
          rows={3}
          dir="auto"
          maxLength={1000}
          value={override}
          onChange={(e) => setOverride(e.target.value)}
          error={errors['consentOverrideReason']}
          data-testid="referral-override"
        />
      )}
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={form.busy || (refused && !mayOverride)} data-testid="referral-send">
          {form.busy ? t('common.saving') : refused && mayOverride ? t('cases.referrals.sendOverride') : t('cases.referrals.send')}
        </button>
      </div>
    </form>
  );
}
