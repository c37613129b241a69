/** Transfer to another office: the pending request if there is one, else a request form (office and reason). */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { buildOfficeTree, flattenOfficeTree, officeOptionLabel } from '../../lib/offices.ts';
import type { Office } from '../../lib/types.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, SelectField } from '../../ui/index.ts';
import { TextAreaField } from '../registry/FormControls.tsx';
import { serverErrors, type Errors } from '../registry/validation.ts';
import { casesApi } from './cases-api.ts';
import type { PanelProps } from './panel.ts';
import { PanelTitle } from './parts.tsx';
import { ltr } from './labels.ts';

export function TransferPanel({ c, reload }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // Any active office may receive a case (its supervisor decides), not only the offices the user works in.
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [officesError, setOfficesError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    casesApi.transferOffices().then(
      (res) => live && setOffices(res.items),
      (err: unknown) => live && setOfficesError(err),
    );
    return () => {
      live = false;
    };
  }, []);
  const options = useMemo(() => flattenOfficeTree(buildOfficeTree(offices ?? [])).filter((o) => o.active && o.id !== c.officeId && o.kind !== 'global'), [offices, c.officeId]);
  const [toOfficeId, setToOfficeId] = useState('');
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const mayRequest = (c.access.canWork || c.access.canSupervise) && !c.closedAt && !c.pendingTransfer;

  const errors: Errors = { ...server };
  if (submitted && !toOfficeId) errors['toOfficeId'] = t('validation.required');
  if (submitted && !reason.trim()) errors['reason'] = t('validation.required');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!toOfficeId || !reason.trim()) return;
    setBusy(true);
    try {
      await casesApi.transfer(c.id, { version: c.version, toOfficeId, reason });
      setSent(true);
      setReason('');
      setToOfficeId('');
      setSubmitted(false);
      setServer({});
      await reload();
    } catch (err) {
      setError(err);
      if (isApiError(err)) setServer(serverErrors(t, err.errors));
      if (isApiError(err) && err.code === 'stale_version') await reload();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="case-transfer-title" data-testid="case-transfer">
      <PanelTitle id="case-transfer-title">{t('cases.transfer.title')}</PanelTitle>
      {sent && (
        <Alert tone="success" testId="case-transfer-sent">
          {t('cases.transfer.sent')}
        </Alert>
      )}
      {c.pendingTransfer ? (
        <p data-testid="case-transfer-pending">{t('cases.transfer.pending', { office: ltr(c.pendingTransfer.toOfficeCode), date: fmt.dateTime(c.pendingTransfer.requestedAt) })}</p>
      ) : (
        <p className="muted">{t('cases.transfer.intro')}</p>
      )}
      {mayRequest && (
        <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label={t('cases.transfer.request')} data-testid="case-transfer-form">
          {error ? <Alert tone="error">{isApiError(error) && error.code === 'stale_version' ? t('cases.transfer.stale') : errorMessage(t, error)}</Alert> : null}
          {officesError ? <Alert tone="error">{errorMessage(t, officesError)}</Alert> : null}
          <SelectField id="transfer-office" label={t('cases.transfer.toOffice')} required value={toOfficeId} onChange={(e) => setToOfficeId(e.target.value)} error={errors['toOfficeId']} data-testid="transfer-office">
            <option value="">{t('common.choose')}</option>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {officeOptionLabel(o)}
              </option>
            ))}
          </SelectField>
          <TextAreaField id="transfer-reason" label={t('cases.transfer.reason')} required rows={3} dir="auto" maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} error={errors['reason']} data-testid="transfer-reason" />
          <div className="button-row">
            <button type="submit" className="btn btn--primary" disabled={busy} data-testid="transfer-send">
              {busy ? t('common.saving') : t('cases.transfer.request')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
