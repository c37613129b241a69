import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { cx } from './cx.ts';

interface ConfirmButtonProps {
  /** Label of the first button. */
  children: ReactNode;
  /** The question shown once the first button is pressed. */
  question: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  danger?: boolean;
  disabled?: boolean;
  testId?: string;
}

/**
 * A two-step button for consequential actions: the first press reveals a question
 * with Confirm / Cancel in place (no modal, no window.confirm), keeping focus sensible.
 */
export function ConfirmButton({ children, question, confirmLabel, onConfirm, danger, disabled, testId }: ConfirmButtonProps) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) triggerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={cx('btn', danger ? 'btn--danger-outline' : 'btn--secondary')}
        onClick={() => setAsking(true)}
        disabled={disabled}
        data-testid={testId}
      >
        {children}
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={question}>
      <p className="confirm__question">{question}</p>
      <div className="confirm__buttons">
        <button
          ref={confirmRef}
          type="button"
          className={cx('btn', danger ? 'btn--danger' : 'btn--primary')}
          disabled={busy}
          data-testid={testId ? `${testId}-confirm` : undefined}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } finally {
              setBusy(false);
              setAsking(false);
            }
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="btn btn--ghost" onClick={() => setAsking(false)} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
