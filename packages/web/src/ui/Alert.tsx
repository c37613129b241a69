import type { ReactNode } from 'react';
import { cx } from './cx.ts';

interface AlertProps {
  tone?: 'error' | 'success' | 'info' | 'warning';
  title?: string | undefined;
  children?: ReactNode;
  actions?: ReactNode;
  className?: string | undefined;
  testId?: string | undefined;
}

/** Errors and warnings are announced assertively (role=alert); the rest politely (role=status). */
export function Alert({ tone = 'info', title, children, actions, className, testId }: AlertProps) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div role={role} className={cx('alert', `alert--${tone}`, className)} data-testid={testId}>
      <div className="alert__body">
        {title && <p className="alert__title">{title}</p>}
        {children && <div className="alert__text">{children}</div>}
      </div>
      {actions && <div className="alert__actions">{actions}</div>}
    </div>
  );
}
