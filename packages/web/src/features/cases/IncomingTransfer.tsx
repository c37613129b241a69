/** A transfer coming to one of the user's offices: accept it (naming the new owner) or reject it, saying why. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, SelectField } from '../../ui/index.ts';
import { RadioGroup, TextAreaField } from '../registry/FormControls.tsx';
import { casesApi, type TransferDto } from './cases-api.ts';
import { useLoad } from './use-load.ts';
import { ltr } from './labels.ts';
import { CASE_TYPE_IDS, isCaseTypeId } from '@passage/domain/cases/types';

export function IncomingTransfer({ transfer, onDecided }: { transfer: TransferDto; onDecided: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [decision, setDecision] = useState<'accept' | 'reject' | ''>('');
  const [ownerId, setOwnerId] = useState('');
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Who may own it there depends on the case type (a restricted type: its team only). The transfer may not say
  // (older servers): then everyone who may work either type is offered, and the server checks the choice.
  const type = (transfer as TransferDto & { type?: string }).type;
  const owners = useLoad(async () => {
    if (decision !== 'accept') return [];
    const types = type && isCaseTypeId(type) ? [type] : [...CASE_TYPE_IDS];
    const lists = await Promise.all(types.map((ty) => casesApi.assignees(transfer.toOfficeId, ty).catch(() => [])));
    return [...new Map(lists.flat().map((u) => [u.id, u])).values()];
  }, `${transfer.id}|${decision}`);
  const prefix = `transfer-${transfer.id}`;
  const noteMissing = decision === 'reject' && !note.trim();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!decision || noteMissing) return;
    setBusy(true);
    try {
      await casesApi.decideTransfer(transfer.id, { decision, ...(note.trim() ? { note: note.trim() } : {}), ...(decision === 'accept' && ownerId ? { ownerId } : {}) });
      onDecided();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="item-list__item" data-testid="inbox-transfer">
      <div className="item-list__main">
        <strong>{t('cases.inbox.transferFrom', { number: ltr(transfer.caseNumber), from: ltr(transfer.fromOfficeCode), to: ltr(transfer.toOfficeCode) })}</strong>
        <p className="case-text">{transfer.reason}</p>
        <span className="muted">{transfer.requestedBy ? t('cases.byOn', { name: transfer.requestedBy.name, date: fmt.dateTime(transfer.requestedAt) }) : fmt.dateTime(transfer.requestedAt)}</span>
        <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label={t('cases.inbox.decide', { number: ltr(transfer.caseNumber) })}>
          {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
          <RadioGroup<'accept' | 'reject'>
            name={`${prefix}-decision`}
            legend={t('cases.inbox.decision')}
            inline
            required
            value={decision}
            options={[
              { value: 'accept', label: t('cases.inbox.accept') },
              { value: 'reject', label: t('cases.inbox.reject') },
            ]}
            onChange={(v) => setDecision(v)}
            error={submitted && !decision ? t('validation.required') : undefined}
            testId="transfer-decision"
          />
          {decision === 'accept' && (
            <SelectField id={`${prefix}-owner`} label={t('cases.inbox.newOwner')} value={ownerId} onChange={(e) => setOwnerId(e.target.value)} data-testid="transfer-owner">
              <option value="">{t('cases.inbox.ownerLater')}</option>
              {(owners.data ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </SelectField>
          )}
          <TextAreaField
            id={`${prefix}-note`}
            label={decision === 'reject' ? t('cases.inbox.rejectReason') : t('cases.inbox.note')}
            required={decision === 'reject'}
            rows={2}
            dir="auto"
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={submitted && noteMissing ? t('validation.required') : undefined}
            data-testid="transfer-note"
          />
          <div className="button-row">
            <button type="submit" className="btn btn--primary" disabled={busy} data-testid="transfer-decide">
              {busy ? t('common.saving') : t('cases.inbox.confirmDecision')}
            </button>
          </div>
        </form>
      </div>
    </li>
  );
}
