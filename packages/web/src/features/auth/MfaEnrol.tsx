/**
 * Two-factor enrolment: fetch a new secret, show it as a QR code and as text,
 * confirm with a code from the app, then show the recovery codes exactly once.
 * Used both during login (stage "enrol") and from Account → Security.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { MfaConfirmation, MfaEnrolment } from '../../lib/types.ts';
import { Alert, Loading, TextField } from '../../ui/index.ts';

interface MfaEnrolProps {
  /** Called after the user confirms they saved the recovery codes. */
  onDone: () => void | Promise<void>;
  /** Heading level for the step titles (the host page owns the h1). */
  headingLevel?: 2 | 3;
}

export function MfaEnrol({ onDone, headingLevel = 2 }: MfaEnrolProps) {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [copied, setCopied] = useState(false);
  const started = useRef(false);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  const start = useCallback(async () => {
    setLoadError(null);
    try {
      setEnrolment(await api.post<MfaEnrolment>('/api/auth/mfa/enrol'));
    } catch (err) {
      setLoadError(err);
    }
  }, []);

  useEffect(() => {
    // Guard against StrictMode's double effect: two enrolments would race for the secret.
    if (started.current) return;
    started.current = true;
    void start();
  }, [start]);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    const value = code.replace(/\s+/g, '');
    setFormError(null);
    if (!/^\d{6}$/.test(value)) {
      setCodeError(t('mfa.codeFormat'));
      return;
    }
    setCodeError(null);
    setBusy(true);
    try {
      const res = await api.post<MfaConfirmation>('/api/auth/mfa/enrol/confirm', { code: value });
      setRecoveryCodes(res.recoveryCodes);
    } catch (err) {
      setFormError(errorMessage(t, err, { invalid_credentials: 'mfa.wrongCode', validation_failed: 'mfa.wrongCode' }));
    } finally {
      setBusy(false);
    }
  }

  if (recoveryCodes) {
    return (
      <section className="stack" aria-labelledby="recovery-title">
        <Heading id="recovery-title" className="section-title">
          {t('mfa.recoveryTitle')}
        </Heading>
        <Alert tone="warning">{t('mfa.recoveryIntro')}</Alert>
        <ol className="recovery-codes" data-testid="recovery-codes" dir="ltr">
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <div className="button-row">
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() => {
              navigator.clipboard
                ?.writeText(recoveryCodes.join('\n'))
                .then(() => setCopied(true))
                .catch(() => setCopied(false));
            }}
          >
            {t('mfa.copyCodes')}
          </button>
          <button type="button" className="btn btn--primary" data-testid="recovery-saved" onClick={() => void onDone()}>
            {t('mfa.savedCodes')}
          </button>
        </div>
        {copied && <p role="status" className="muted">{t('mfa.copied')}</p>}
      </section>
    );
  }

  if (loadError) {
    return (
      <Alert
        tone="error"
        actions={
          <button type="button" className="btn btn--secondary" onClick={() => void start()}>
            {t('common.retry')}
          </button>
        }
      >
        {errorMessage(t, loadError)}
      </Alert>
    );
  }

  if (!enrolment) return <Loading label={t('mfa.preparing')} />;

  const qrSrc = `data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`;

  return (
    <section className="stack" aria-labelledby="enrol-title">
      <Heading id="enrol-title" className="section-title">
        {t('mfa.enrolTitle')}
      </Heading>
      <ol className="steps">
        <li>{t('mfa.stepInstall')}</li>
        <li>{t('mfa.stepScan')}</li>
        <li>{t('mfa.stepConfirm')}</li>
      </ol>
      <div className="mfa-setup">
        <img className="mfa-setup__qr" src={qrSrc} alt={t('mfa.qrAlt')} width={200} height={200} data-testid="mfa-qr" />
        <div className="mfa-setup__manual">
          <p className="muted">{t('mfa.manualEntry')}</p>
          <p className="mfa-setup__secret-label" id="mfa-secret-label">
            {t('mfa.secretLabel')}
          </p>
          <code className="secret" dir="ltr" aria-labelledby="mfa-secret-label" data-testid="mfa-secret">
            {enrolment.secret}
          </code>
        </div>
      </div>
      <form className="stack" onSubmit={(e) => void confirm(e)} noValidate>
        {formError && <Alert tone="error">{formError}</Alert>}
        <TextField
          id="mfa-enrol-code"
          label={t('mfa.codeLabel')}
          hint={t('mfa.codeHint')}
          error={codeError}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={10}
          required
          dir="ltr"
          className="input--code"
          data-testid="mfa-code"
        />
        <div className="button-row">
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="mfa-submit">
            {busy ? t('common.checking') : t('mfa.confirm')}
          </button>
        </div>
      </form>
    </section>
  );
}
