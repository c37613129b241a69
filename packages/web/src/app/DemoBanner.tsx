import { useTranslation } from 'react-i18next';
import { useSession } from './session.tsx';

/** Shown on every page when the server runs with demo data. */
export function DemoBanner() {
  const { t } = useTranslation();
  const { info } = useSession();
  if (!info?.demo) return null;
  return (
    <div className="demo-banner" data-testid="demo-banner" role="note">
      <span className="demo-banner__icon" aria-hidden="true">
        ⚠
      </span>
      {t('app.demoBanner')}
    </div>
  );
}
