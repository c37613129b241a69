import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useUser } from '../../app/session.tsx';
import { Alert, Badge, PageHeader } from '../../ui/index.ts';
import { MfaEnrol } from './MfaEnrol.tsx';

/** Account → Security: two-factor status and (re-)enrolment. */
export default function SecurityPage() {
  const { t } = useTranslation();
  const user = useUser();
  const { refresh } = useSession();
  const [enrolling, setEnrolling] = useState(false);
  const [justEnabled, setJustEnabled] = useState(false);

  return (
    <div className="page page--narrow">
      <PageHeader title={t('security.title')} description={t('security.intro')} />
      <section className="card stack" aria-labelledby="mfa-status-title">
        <h2 id="mfa-status-title" className="section-title">
          {t('security.mfaTitle')}
        </h2>
        <p>
          <span className="muted">{t('security.status')} </span>
          <span data-testid="mfa-status">
            {user.mfaEnabled ? <Badge tone="success">{t('security.mfaOn')}</Badge> : <Badge tone="warning">{t('security.mfaOff')}</Badge>}
          </span>
        </p>
        <p>{user.mfaEnabled ? t('security.mfaOnText') : t('security.mfaOffText')}</p>
        {justEnabled && <Alert tone="success">{t('security.enabledNow')}</Alert>}
        {!enrolling && (
          <div className="button-row">
            <button type="button" className={user.mfaEnabled ? 'btn btn--secondary' : 'btn btn--primary'} onClick={() => { setJustEnabled(false); setEnrolling(true); }} data-testid="mfa-start">
              {user.mfaEnabled ? t('security.setUpAgain') : t('security.setUp')}
            </button>
          </div>
        )}
        {user.mfaEnabled && !enrolling && <p className="muted">{t('security.lostDevice')}</p>}
      </section>
      {enrolling && (
        <section className="card">
          <MfaEnrol
            onDone={async () => {
              await refresh().catch(() => null);
              setEnrolling(false);
              setJustEnabled(true);
            }}
          />
          <div className="button-row button-row--end">
            <button type="button" className="btn btn--ghost" onClick={() => setEnrolling(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
