/** Services delivered to the person: a table, and a form to record one (type, date, who gave it, cost). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ServiceInputSchema } from '@passage/domain/cases/api';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, SelectField, TextField } from '../../ui/index.ts';
import { TextAreaField } from '../registry/FormControls.tsx';
import { casesApi } from './cases-api.ts';
import { todayIso, useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';
import { Listed, PanelTitle } from './parts.tsx';
import { useFormSubmit } from './use-form-submit.ts';
import { usePartners } from './use-partners.ts';
import { useLoad } from './use-load.ts';

const EMPTY = { type: '', deliveredOn: '', partnerId: '', provider: '', cost: '', currency: '', funding: '', note: '' };

export function ServicesPanel({ c, def, reload }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  const list = useLoad(() => casesApi.services(c.id), c.id);
  const partners = usePartners(c.officeId);
  const [draft, setDraft] = useState(() => ({ ...EMPTY, deliveredOn: todayIso() }));
  const form = useFormSubmit();
  const set = (k: keyof typeof EMPTY, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const partnerName = (id: string | null) => (id ? (partners.data?.find((p) => p.id === id)?.name ?? '') : '');

  const input = {
    type: draft.type || undefined,
    deliveredOn: draft.deliveredOn,
    partnerId: draft.partnerId || null,
    ...(draft.provider.trim() ? { provider: draft.provider } : {}),
    cost: draft.cost === '' ? null : Number(draft.cost),
    currency: draft.currency.trim() ? draft.currency.trim().toUpperCase() : null,
    ...(draft.funding.trim() ? { funding: draft.funding } : {}),
    ...(draft.note.trim() ? { note: draft.note } : {}),
  };
  const parsed = ServiceInputSchema.safeParse(input);
  const errors = form.errorsOf(parsed, input);
  const save = async () => {
    await casesApi.addService(c.id, parsed.data!);
    setDraft({ ...EMPTY, deliveredOn: todayIso() });
    await Promise.all([list.reload(), reload()]);
  };

  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="case-services-title">
        <PanelTitle id="case-services-title">{t('cases.services.title')}</PanelTitle>
        <Listed state={list} empty={t('cases.services.none')}>
          {(items) => (
            <div className="table-wrap" role="region" aria-labelledby="case-services-title" tabIndex={0}>
              <table className="table table--compact table--responsive" data-testid="case-services">
                <thead>
                  <tr>
                    <th scope="col">{t('cases.services.date')}</th>
                    <th scope="col">{t('cases.services.type')}</th>
                    <th scope="col">{t('cases.services.provider')}</th>
                    <th scope="col" className="num">
                      {t('cases.services.cost')}
                    </th>
                    <th scope="col">{t('cases.note')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id} data-testid="case-service">
                      <td data-label={t('cases.services.date')}>{fmt.date(s.deliveredOn)}</td>
                      <td data-label={t('cases.services.type')}>{L.serviceType(s.type)}</td>
                      <td data-label={t('cases.services.provider')}>{[partnerName(s.partnerId), s.provider].filter(Boolean).join(' · ') || <span className="muted">—</span>}</td>
                      <td data-label={t('cases.services.cost')} className="num">
                        {s.cost !== null ? `${fmt.number(s.cost, { minimumFractionDigits: 2 })} ${s.currency ?? ''}` : '—'}
                        {s.funding && <div className="muted">{s.funding}</div>}
                      </td>
                      <td data-label={t('cases.note')}>{s.note ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Listed>
      </section>
      {c.access.canWork && !c.closedAt && (
        <form className="card stack" onSubmit={(e) => void form.submit(e, parsed.success, save)} noValidate aria-labelledby="case-service-add-title" data-testid="case-service-form">
          <h2 id="case-service-add-title" className="section-title">
            {t('cases.services.add')}
          </h2>
          {form.done && (
            <Alert tone="success" testId="case-service-saved">
              {t('cases.services.saved')}
            </Alert>
          )}
          {form.error ? <Alert tone="error">{errorMessage(t, form.error)}</Alert> : null}
          <div className="form-grid">
            <SelectField id="service-type" label={t('cases.services.type')} required value={draft.type} onChange={(e) => set('type', e.target.value)} error={errors['type']} data-testid="service-type">
              <option value="">{t('common.choose')}</option>
              {def.serviceTypes.map((x) => (
                <option key={x} value={x}>
                  {L.serviceType(x)}
                </option>
              ))}
            </SelectField>
            <TextField id="service-date" type="date" label={t('cases.services.date')} required value={draft.deliveredOn} onChange={(e) => set('deliveredOn', e.target.value)} error={errors['deliveredOn']} data-testid="service-date" />
            <SelectField id="service-partner" label={t('cases.partner')} value={draft.partnerId} onChange={(e) => set('partnerId', e.target.value)} data-testid="service-partner">
              <option value="">{t('cases.noPartner')}</option>
              {(partners.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
            <TextField id="service-provider" label={t('cases.services.providerOther')} value={draft.provider} maxLength={200} dir="auto" onChange={(e) => set('provider', e.target.value)} error={errors['provider']} />
            <TextField id="service-cost" type="number" inputMode="decimal" min={0} step="0.01" label={t('cases.services.cost')} value={draft.cost} onChange={(e) => set('cost', e.target.value)} error={errors['cost']} data-testid="service-cost" />
            <TextField id="service-currency" label={t('cases.services.currency')} hint={t('cases.services.currencyHint')} value={draft.currency} maxLength={3} autoComplete="off" className="input--short" onChange={(e) => set('currency', e.target.value)} error={errors['currency']} data-testid="service-currency" />
            <TextField id="service-funding" label={t('cases.services.funding')} value={draft.funding} maxLength={100} onChange={(e) => set('funding', e.target.value)} error={errors['funding']} />
          </div>
          <TextAreaField id="service-note" label={t('cases.note')} rows={2} dir="auto" maxLength={2000} value={draft.note} onChange={(e) => set('note', e.target.value)} error={errors['note']} data-testid="service-note" />
          <div className="button-row">
            <button type="submit" className="btn btn--primary" disabled={form.busy} data-testid="service-save">
              {form.busy ? t('common.saving') : t('cases.services.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
