import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession, useUser } from '../../app/session.tsx';
import { navEntries } from '../../app/navigation.ts';
import { Alert, PageHeader } from '../../ui/index.ts';

/** Home: greeting, the user's roles per office, and cards for what they can use. */
export default function HomePage() {
  const { t } = useTranslation();
  const user = useUser();
  const { can } = useSession();
  const cards = navEntries(can).filter((e) => e.description);

  return (
    <div className="page">
      <PageHeader title={t('home.welcome', { name: user.displayName })} description={t('home.intro')} />

      {!user.mfaEnabled && (
        <Alert
          tone="info"
          title={t('home.mfaSuggestTitle')}
          actions={
            <Link to="/account/security" className="btn btn--secondary">
              {t('home.mfaSuggestAction')}
            </Link>
          }
        >
          {t('home.mfaSuggest')}
        </Alert>
      )}

      <section className="card" aria-labelledby="roles-title">
        <h2 id="roles-title" className="section-title">
          {t('home.yourRoles')}
        </h2>
        {user.roles.length === 0 ? (
          <p className="muted">{t('home.noRoles')}</p>
        ) : (
          <ul className="role-list" data-testid="home-roles">
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

      {cards.length > 0 ? (
        <section aria-labelledby="tools-title">
          <h2 id="tools-title" className="section-title">
            {t('home.whatYouCanDo')}
          </h2>
          <ul className="card-grid">
            {cards.map((c) => (
              <li key={c.to}>
                <Link to={c.to} className="card card--link" data-testid={`home-card-${c.testId.replace(/^nav-/, '')}`}>
                  <span className="card__title">{t(c.label)}</span>
                  <span className="card__text">{t(c.description ?? '')}</span>
                  <span className="card__arrow" aria-hidden="true">
                    →
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p className="note" data-testid="home-more-later">
          {t('home.moreLater')}
        </p>
      )}
    </div>
  );
}
