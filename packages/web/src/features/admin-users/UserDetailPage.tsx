import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useOffices } from '../../lib/offices.ts';
import type { RoleGrantInput, UserSummary } from '../../lib/types.ts';
import { useSession, useUser } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, ConfirmButton, Loading, PageHeader, TextField } from '../../ui/index.ts';
import { RoleGrantsEditor } from './RoleGrantsEditor.tsx';

/** A message for the user: an i18n `key`, or an already translated `text` (from errorMessage). */
type Notice = { tone: 'success' | 'error'; key?: string; text?: string; stale?: boolean } | null;

function toInputs(user: UserSummary): RoleGrantInput[] {
  return user.roles.map((r) => ({ officeId: r.officeId, role: r.role }));
}

export default function UserDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useUser();
  const { can } = useSession();
  const location = useLocation();
  const manage = can('users.manage');
  const { offices } = useOffices(manage);

  const [user, setUser] = useState<UserSummary | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [displayName, setDisplayName] = useState('');
  const [grants, setGrants] = useState<RoleGrantInput[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(
    (location.state as { created?: boolean } | null)?.created ? { tone: 'success', key: 'users.created' } : null,
  );
  const [saving, setSaving] = useState(false);

  const applyUser = useCallback((u: UserSummary) => {
    setUser(u);
    setDisplayName(u.displayName);
    setGrants(toInputs(u));
    setErrors({});
  }, []);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      applyUser(await api.get<UserSummary>(`/api/users/${encodeURIComponent(id)}`));
    } catch (err) {
      setLoadError(err);
    }
  }, [id, applyUser]);

  useEffect(() => {
    void load();
  }, [load]);

  async function reload() {
    setNotice(null);
    await load();
  }

  function handleError(err: unknown) {
    if (isApiError(err) && err.code === 'stale_version') {
      setNotice({ tone: 'error', key: 'users.stale', stale: true });
      return;
    }
    setNotice({ tone: 'error', text: errorMessage(t, err) });
    if (isApiError(err)) {
      const fe = err.fieldErrors();
      setErrors({ ...(fe['displayName'] ? { displayName: fe['displayName'] } : {}), ...(fe['roles'] ? { roles: fe['roles'] } : {}) });
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!user) return;
    if (!displayName.trim()) {
      setErrors({ displayName: t('validation.required') });
      setNotice({ tone: 'error', key: 'validation.fixErrors' });
      return;
    }
    setErrors({});
    setNotice(null);
    setSaving(true);
    try {
      const updated = await api.patch<UserSummary>(`/api/users/${encodeURIComponent(user.id)}`, {
        displayName: displayName.trim(),
        roles: grants,
        version: user.version,
      });
      applyUser(updated);
      setNotice({ tone: 'success', key: 'users.saved' });
    } catch (err) {
      handleError(err);
    } finally {
      setSaving(false);
    }
  }

  async function action(path: 'deactivate' | 'reactivate' | 'reset-mfa', done: string) {
    if (!user) return;
    setNotice(null);
    try {
      const updated = await api.post<UserSummary>(`/api/users/${encodeURIComponent(user.id)}/${path}`);
      applyUser(updated);
      setNotice({ tone: 'success', key: done });
    } catch (err) {
      handleError(err);
    }
  }

  const back = (
    <Link to="/admin/users" className="back-link">
      {t('users.backToList')}
    </Link>
  );

  if (loadError) {
    return (
      <div className="page">
        <PageHeader title={t('users.detailTitle')} back={back} />
        <Alert
          tone="error"
          actions={
            <button type="button" className="btn btn--secondary" onClick={() => void load()}>
              {t('common.retry')}
            </button>
          }
        >
          {isApiError(loadError) && loadError.status === 404 ? t('users.notFound') : errorMessage(t, loadError)}
        </Alert>
      </div>
    );
  }
  if (!user) return <Loading block />;

  const isSelf = user.id === me.id;
  const dirty = displayName.trim() !== user.displayName || JSON.stringify(grants) !== JSON.stringify(toInputs(user));
  const noticeText = notice ? (notice.key ? t(notice.key) : (notice.text ?? '')) : '';

  return (
    <div className="page">
      <PageHeader title={user.displayName} description={<span dir="ltr">{user.email}</span>} back={back} />

      {notice && (
        <Alert
          tone={notice.tone}
          testId={notice.stale ? 'stale-version' : 'user-notice'}
          actions={
            notice.stale && (
              <button type="button" className="btn btn--secondary" onClick={() => void reload()} data-testid="reload">
                {t('common.reload')}
              </button>
            )
          }
        >
          {noticeText}
        </Alert>
      )}

      <div className="two-col">
        <section className="card" aria-labelledby="user-summary-title">
          <h2 id="user-summary-title" className="section-title">
            {t('users.summary')}
          </h2>
          <dl className="facts">
            <div>
              <dt>{t('users.col.status')}</dt>
              <dd data-testid="user-status">
                <Badge tone={user.status === 'active' ? 'success' : 'neutral'}>{t(`status.${user.status}`)}</Badge>
              </dd>
            </div>
            <div>
              <dt>{t('users.col.mfa')}</dt>
              <dd data-testid="user-mfa">{user.mfaEnabled ? t('common.on') : t('common.off')}</dd>
            </div>
            <div>
              <dt>{t('users.col.lastLogin')}</dt>
              <dd>{user.lastLoginAt ? fmt.dateTime(user.lastLoginAt) : t('common.never')}</dd>
            </div>
          </dl>
          {manage && (
            <div className="stack stack--tight">
              <h3 className="subsection-title">{t('users.actions')}</h3>
              {user.status === 'active' ? (
                <ConfirmButton
                  danger
                  disabled={isSelf}
                  question={t('users.deactivateQuestion', { name: user.displayName })}
                  confirmLabel={t('users.deactivate')}
                  onConfirm={() => action('deactivate', 'users.deactivated')}
                  testId="user-deactivate"
                >
                  {t('users.deactivate')}
                </ConfirmButton>
              ) : (
                <ConfirmButton
                  question={t('users.reactivateQuestion', { name: user.displayName })}
                  confirmLabel={t('users.reactivate')}
                  onConfirm={() => action('reactivate', 'users.reactivated')}
                  testId="user-reactivate"
                >
                  {t('users.reactivate')}
                </ConfirmButton>
              )}
              {isSelf && <p className="muted">{t('users.cannotDeactivateSelf')}</p>}
              {user.mfaEnabled && (
                <ConfirmButton
                  danger
                  question={t('users.resetMfaQuestion', { name: user.displayName })}
                  confirmLabel={t('users.resetMfa')}
                  onConfirm={() => action('reset-mfa', 'users.mfaReset')}
                  testId="user-reset-mfa"
                >
                  {t('users.resetMfa')}
                </ConfirmButton>
              )}
            </div>
          )}
        </section>

        <section className="card" aria-labelledby="user-edit-title">
          <h2 id="user-edit-title" className="section-title">
            {manage ? t('users.edit') : t('users.rolesTitle')}
          </h2>
          {manage ? (
            <form className="stack" onSubmit={(e) => void save(e)} noValidate>
              <TextField
                id="user-edit-name"
                label={t('users.field.displayName')}
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
                error={errors['displayName']}
                required
                data-testid="user-edit-name"
              />
              {offices ? (
                <RoleGrantsEditor idPrefix="user-edit" grants={grants} offices={offices} onChange={setGrants} error={errors['roles']} disabled={saving} />
              ) : (
                <Loading />
              )}
              <div className="button-row">
                <button type="submit" className="btn btn--primary" disabled={saving || !dirty} data-testid="user-edit-submit">
                  {saving ? t('common.saving') : t('common.saveChanges')}
                </button>
                {dirty && (
                  <button type="button" className="btn btn--ghost" onClick={() => applyUser(user)}>
                    {t('common.discard')}
                  </button>
                )}
              </div>
            </form>
          ) : user.roles.length === 0 ? (
            <p className="muted">{t('common.none')}</p>
          ) : (
            <ul className="role-list">
              {user.roles.map((r) => (
                <li key={`${r.officeId}:${r.role}`} className="role-list__item">
                  <span className="role-list__role">{t(`roles.${r.role}`)}</span>
                  <span className="role-list__office">
                    {r.officeName} <span className="code-chip">{r.officeCode}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
