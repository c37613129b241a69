import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/PageHeader.tsx';

export default function ForbiddenPage() {
  const { t } = useTranslation();
  usePageTitle(t('forbidden.title'));
  return (
    <section className="status-page" data-testid="forbidden" aria-labelledby="forbidden-title">
      <p className="status-page__code" aria-hidden="true">
        403
      </p>
      <h1 id="forbidden-title" className="status-page__title">
        {t('forbidden.title')}
      </h1>
      <p className="status-page__text">{t('forbidden.message')}</p>
      <Link to="/" className="btn btn--primary">
        {t('common.backHome')}
      </Link>
    </section>
  );
}
