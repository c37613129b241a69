/**
 * Break-glass access: opening a case the user may not otherwise see, for a limited time, stating why (at
 * least 20 characters). The grant is audited and listed for data-protection officers. A native modal dialog
 * (focus kept inside, Escape closes, focus returns to the button).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useSession } from '../../app/session.tsx';
import { Alert, TextField } from '../../ui/index.ts';
import { TextAreaField } from '../registry/FormControls.tsx';
import { casesApi } from './cases-api.ts';

const MIN_REASON = 20;

interface BreakGlassButtonProps {
  /** The case asked for; empty lets the user type it. */
  caseNumber: string;
  /** Called once access is granted (the page is then opened). */
  onOpened?: () => void;
  small?: boolean;
  /** Distinguishes several buttons in one page (a row each). */
  testId?: string;
}

export function BreakGlassButton({ caseNumber, onOpened, small, testId = 'break-glass-open' }: BreakGlassButtonProps) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  const [number, setNumber] = useState(caseNumber);
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Rendered only while open, so a list with a button a row holds one dialog (and one set of ids).
  const [isOpen, setIsOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (isOpen && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [isOpen]);
  if (!can('cases.break_glass')) return null;

  const tooShort = reason.trim().length < MIN_REASON;
  const errors = {
    caseNumber: submitted && !number.trim() ? t('validation.required') : undefined,
    reason: submitted && tooShort ? t('cases.breakGlass.reasonTooShort', { min: MIN_REASON }) : undefined,
  };

  function open() {
    setNumber(caseNumber);
    setReason('');
    setSubmitted(false);
    setError(null);
    setIsOpen(true);
  }

  function onClose() {
    setIsOpen(false);
    trigger.current?.focus();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!number.trim() || tooShort) return;
    setBusy(true);
    try {
      const grant = await casesApi.breakGlass(number.trim(), reason.trim());
      dialog.current?.close();
      void navigate(`/cases/${grant.caseId}`);
      onOpened?.();
    } catch (err) {
      // Already allowed to open it: just go there.
      const caseId = isApiError(err) && typeof err.body['caseId'] === 'string' ? err.body['caseId'] : null;
      if (caseId) {
        dialog.current?.close();
        void navigate(`/cases/${caseId}`);
      } else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button ref={trigger} type="button" className={small ? 'btn btn--secondary btn--small' : 'btn btn--secondary'} onClick={open} data-testid={testId}>
        {t('cases.breakGlass.request')}
        {caseNumber && <span className="visually-hidden">: {caseNumber}</span>}
      </button>
      {isOpen && (
      <dialog ref={dialog} className="dialog" aria-labelledby="break-glass-title" onClose={onClose} data-testid="break-glass-dialog">
        <form className="stack" method="dialog" onSubmit={(e) => void submit(e)} noValidate>
          <h2 id="break-glass-title" className="section-title">
            {t('cases.breakGlass.title')}
          </h2>
          <p>{t('cases.breakGlass.intro')}</p>
          {error ? (
            <Alert tone="error" testId="break-glass-error">
              {isApiError(error) && error.status === 404 ? t('cases.breakGlass.notFound') : errorMessage(t, error)}
            </Alert>
          ) : null}
          <TextField id="break-glass-number" label={t('cases.list.caseNumber')} value={number} onChange={(e) => setNumber(e.target.value)} error={errors.caseNumber} required autoComplete="off" dir="ltr" readOnly={!!caseNumber} data-testid="break-glass-number" />
          <TextAreaField
            id="break-glass-reason"
            label={t('cases.breakGlass.reason')}
            hint={t('cases.breakGlass.reasonHint', { min: MIN_REASON })}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={errors.reason}
            required
            rows={3}
            maxLength={1000}
            dir="auto"
            autoFocus
            data-testid="break-glass-reason"
          />
          <div className="button-row">
            <button type="submit" className="btn btn--danger" disabled={busy} data-testid="break-glass-submit">
              {busy ? t('common.saving') : t('cases.breakGlass.submit')}
            </button>
            <button type="button" className="btn btn--ghost" onClick={() => dialog.current?.close()}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </dialog>
      )}
    </>
  );
}
