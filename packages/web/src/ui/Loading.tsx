import { useTranslation } from 'react-i18next';
import { cx } from './cx.ts';

/** A polite "loading" indicator; the spinner itself is decorative. */
export function Loading({ label, block = false }: { label?: string; block?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={cx('loading', block && 'loading--block')} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}
