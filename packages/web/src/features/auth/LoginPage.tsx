/**
 * Sign-in: e-mail + password, then — depending on the stage the server returns —
 * a one-time code step or two-factor enrolment. Part of the initial bundle, so it
 * keeps its imports small (MFA enrolment is loaded on demand).
 */
import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { StageResponse } from '../../lib/types.ts';
import { useSession } from '../../app/session.tsx';
import { LanguageSwitcher } from '../../app/LanguageSwitcher.tsx';
import { Alert } from '../../ui/Alert.tsx';
import { TextField } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { usePageTitle } from '../../ui/PageHeader.tsx';

const MfaEnrol = lazy(() => import('./MfaEnrol.tsx').then((m) => ({ default: m.MfaEnrol })));

type Step = 'credentials' | 'mfa' | 'enrol';

interface FromState {
  from?: { pathname?: string; search?: string };
}

function targetAfterLogin(state: unknown): string {
  const from = (state as FromState | null)?.from;
  const path = from?.pathname;
  if (!path || path === '/login' || !path.startsWith('/')) return '/';
  return path + (from?.search ?? '');
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function LoginPage() {
  const { t } = useTranslation();
  const { loading, session, info, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [step, setStep] = useState<Step>('credentials');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [finishing, setFinishing] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const target = targetAfterLogin(location.state);

  usePageTitle(t(step === 'credentials' ? 'login.title' : step === 'mfa' ? 'login.mfaTitle' : 'mfa.enrolTitle'));

  // A page reload in the middle of signing in resumes at the right step.
  useEffect(() => {
    if (session?.stage === 'mfa') setStep('mfa');
    else if (session?.stage === 'enrol') setStep('enrol');
  }, [session?.stage]);

  // Move focus to the step heading when the step changes (not on first render).
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);

  const ssoError = params.get('sso_error');

  async function finish() {
    setFinishing(true);
    try {
      await refresh();
      void navigate(target, { replace: true });
    } catch (err) {
      setFinishing(false);
      setFormError(errorMessage(t, err));
    }
  }

  function goToStage(stage: StageResponse['stage']) {
    setFormError(null);
    setFieldErrors({});
    if (stage === 'full') void finish();
    else setStep(stage);
  }

  async function submitCredentials(e: FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!email.trim()) errors['email'] = t('validation.required');
    else if (!EMAIL_RE.test(email.trim())) errors['email'] = t('validation.email');
    if (!password) errors['password'] = t('validation.required');
    setFieldErrors(errors);
    setFormError(null);
    if (Object.keys(errors).length > 0) {
      setFormError(t('validation.fixErrors'));
      return;
    }
    setBusy(true);
    try {
      const res = await api.post<StageResponse>('/api/auth/login', { email: email.trim(), password });
      setPassword('');
      goToStage(res.stage);
    } catch (err) {
      setFormError(errorMessage(t, err));
      if (isApiError(err) && err.code === 'validation_failed') {
        const fe = err.fieldErrors();
        setFieldErrors({
          ...(fe['email'] ? { email: t('validation.email') } : {}),
          ...(fe['password'] ? { password: t('validation.required') } : {}),
        });
      }
    } finally {
      setBusy(false);
    }
  }

  async function submitCode(e: FormEvent) {
    e.preventDefault();
    const value = code.trim().replace(/\s+/g, '');
    setFormError(null);
    if (!value) {
      setFieldErrors({ code: t('validation.required') });
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const res = await api.post<StageResponse>('/api/auth/mfa/verify', { code: value });
      setCode('');
      goToStage(res.stage);
    } catch (err) {
      setFormError(errorMessage(t, err, { invalid_credentials: 'mfa.wrongCode' }));
      if (isApiError(err) && (err.code === 'unauthenticated' || err.status === 404)) {
        // The half-finished login expired: start again.
        setStep('credentials');
      }
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    setStep('credentials');
    setCode('');
    setFormError(null);
    setFieldErrors({});
    void api
      .post('/api/auth/logout')
      .catch(() => undefined)
      .then(() => refresh())
      .catch(() => undefined);
  }

  if (loading) return <Loading block />;
  if (session?.stage === 'full' && !finishing) return <Navigate to={target} replace />;

  return (
    <div className="auth-layout">
      <header className="auth-layout__top">
        <span className="brand brand--static">
          <span className="brand__mark" aria-hidden="true">
            P
          </span>
          <span className="brand__name">{t('app.name')}</span>
        </span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="auth-layout__main" tabIndex={-1}>
        <div className="card auth-card">
          {step === 'credentials' && (
            <>
              <h1 className="auth-card__title" ref={headingRef} tabIndex={-1}>
                {t('login.title')}
              </h1>
              <p className="muted">{t('login.intro')}</p>
              {ssoError && <Alert tone="error">{t('login.ssoFailed')}</Alert>}
              <form className="stack" onSubmit={(e) => void submitCredentials(e)} noValidate aria-describedby={formError ? 'login-error' : undefined}>
                {formError && (
                  <div id="login-error">
                    <Alert tone="error" testId="login-error">
                      {formError}
                    </Alert>
                  </div>
                )}
                <TextField
                  id="login-email"
                  label={t('login.email')}
                  type="email"
                  autoComplete="username"
                  inputMode="email"
                  dir="ltr"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  error={fieldErrors['email']}
                  required
                  data-testid="login-email"
                />
                <TextField
                  id="login-password"
                  label={t('login.password')}
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  error={fieldErrors['password']}
                  required
                  data-testid="login-password"
                />
                <button type="submit" className="btn btn--primary btn--block" disabled={busy || finishing} data-testid="login-submit">
                  {busy || finishing ? t('login.submitting') : t('login.submit')}
                </button>
              </form>
              {info?.oidcEnabled && (
                <>
                  <p className="divider">
                    <span>{t('login.or')}</span>
                  </p>
                  <a href="/api/auth/oidc/start" className="btn btn--secondary btn--block" data-testid="login-sso">
                    {t('login.sso')}
                  </a>
                </>
              )}
            </>
          )}

          {step === 'mfa' && (
            <>
              <h1 className="auth-card__title" ref={headingRef} tabIndex={-1}>
                {t('login.mfaTitle')}
              </h1>
              <p className="muted">{t('login.mfaIntro')}</p>
              <form className="stack" onSubmit={(e) => void submitCode(e)} noValidate>
                {formError && <Alert tone="error" testId="login-error">{formError}</Alert>}
                <TextField
                  id="mfa-code"
                  label={t('login.mfaCode')}
                  hint={t('login.mfaHint')}
                  autoComplete="one-time-code"
                  autoCapitalize="off"
                  autoCorrect="off"
                  spellCheck={false}
                  dir="ltr"
                  className="input--code"
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  error={fieldErrors['code']}
                  required
                  data-testid="mfa-code"
                />
                <button type="submit" className="btn btn--primary btn--block" disabled={busy || finishing} data-testid="mfa-submit">
                  {busy || finishing ? t('common.checking') : t('login.mfaSubmit')}
                </button>
              </form>
              <button type="button" className="btn btn--link" onClick={restart}>
                {t('login.startOver')}
              </button>
            </>
          )}

          {step === 'enrol' && (
            <>
              <h1 className="auth-card__title" ref={headingRef} tabIndex={-1}>
                {t('login.enrolTitle')}
              </h1>
              <p className="muted">{t('login.enrolIntro')}</p>
              {formError && <Alert tone="error">{formError}</Alert>}
              <Suspense fallback={<Loading />}>
                <MfaEnrol onDone={finish} />
              </Suspense>
              <button type="button" className="btn btn--link" onClick={restart}>
                {t('login.startOver')}
              </button>
            </>
          )}
        </div>
      </main>
    </div>
  );
}
