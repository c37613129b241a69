import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api.ts';
import { chooseLanguage, currentLanguage, isLanguage, LANGUAGES } from '../i18n/index.ts';
import { useSession } from './session.tsx';
import { cx } from '../ui/cx.ts';

/**
 * Language picker. Remembers the choice on this device and, when signed in,
 * saves it to the account so other devices and e-mails follow it.
 */
export function LanguageSwitcher({ className }: { className?: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const value = currentLanguage();

  return (
    <div className={cx('lang-switcher', className)}>
      <label htmlFor={id} className="lang-switcher__label">
        {t('language.label')}
      </label>
      <select
        id={id}
        className="input select lang-switcher__select"
        data-testid="lang-switcher"
        value={value}
        onChange={(e) => {
          const lng = e.target.value;
          if (!isLanguage(lng)) return;
          void chooseLanguage(lng);
          if (session?.stage === 'full') {
            api.patch('/api/me', { locale: lng }).catch(() => {
              // Not fatal: the choice still applies on this device.
            });
          }
        }}
      >
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {t(`language.${lng}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
