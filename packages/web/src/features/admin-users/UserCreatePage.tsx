import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useOffices } from '../../lib/offices.ts';
import type { RoleGrantInput, UserSummary } from '../../lib/types.ts';
import { Alert, Loading, PageHeader, TextField } from '../../ui/index.ts';
import { RoleGrantsEditor } from './RoleGrantsEditor.tsx';
import { MIN_PASSWORD_LENGTH, passwordFieldError } from './password.ts';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export default function UserCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { offices, error: officesError, reload } = useOffices();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [grants, setGrants] = useState<RoleGrantInput[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function validate(): Record<string, string> {
    const e: Record<string, string> = {};
    if (!email.trim()) e['email'] = t('validation.required');
    else if (!EMAIL_RE.test(email.trim())) e['email'] = t('validation.email');
    if (!displayName.trim()) e['displayName'] = t('validation.required');
    if ([...password].length < MIN_PASSWORD_LENGTH) e['password'] = t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH });
    return e;
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    setFormError(null);
    if (Object.keys(e).length > 0) {
      setFormError(t('validation.fixErrors'));
      return;
    }
    setBusy(true);
    try {
      const user = await api.post<UserSummary>('/api/users', {
        email: email.trim(),
        displayName: displayName.trim(),
        password,
        roles: grants,
      });
      void navigate(`/admin/users/${user.id}`, { state: { created: true } });
    } catch (err) {
      setFormError(errorMessage(t, err));
      if (isApiError(err)) {
        const fe = err.fieldErrors();
        const mapped: Record<string, string> = {};
        if (fe['email']) mapped['email'] = err.code === 'conflict' ? t('users.emailTaken') : fe['email'];
        else if (err.code === 'conflict') mapped['email'] = t('users.emailTaken');
        if (fe['displayName']) mapped['displayName'] = fe['displayName'];
        if (fe['password']) mapped['password'] = passwordFieldError(t, fe['password']);
        if (fe['roles']) mapped['roles'] = fe['roles'];
        setErrors(mapped);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page page--narrow">
      <PageHeader
        title={t('users.createTitle')}
        back={
          <Link to="/admin/users" className="back-link">
            {t('users.backToList')}
          </Link>
        }
      />
      <form className="card stack" onSubmit={(e) => void submit(e)} noValidate>
        {formError && <Alert tone="error" testId="user-create-error">{formError}</Alert>}
        <TextField
          id="user-create-email"
          label={t('users.field.email')}
          type="email"
          autoComplete="off"
          dir="ltr"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors['email']}
          required
          data-testid="user-create-email"
        />
        <TextField
          id="user-create-name"
          label={t('users.field.displayName')}
          autoComplete="off"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={errors['displayName']}
          required
          data-testid="user-create-name"
        />
        <TextField
          id="user-create-password"
          label={t('users.field.password')}
          hint={t('users.passwordRules', { min: MIN_PASSWORD_LENGTH })}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors['password']}
          required
          data-testid="user-create-password"
        />
        {officesError ? (
          <Alert
            tone="error"
            actions={
              <button type="button" className="btn btn--secondary" onClick={() => void reload()}>
                {t('common.retry')}
              </button>
            }
          >
            {errorMessage(t, officesError)}
          </Alert>
        ) : offices ? (
          <RoleGrantsEditor idPrefix="user-create" grants={grants} offices={offices} onChange={setGrants} error={errors['roles']} disabled={busy} />
        ) : (
          <Loading />
        )}
        <div className="button-row">
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="user-create-submit">
            {busy ? t('common.saving') : t('users.create')}
          </button>
          <Link to="/admin/users" className="btn btn--ghost">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </div>
  );
}
