import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { cx } from './cx.ts';

interface FieldFrameProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  required?: boolean | undefined;
  className?: string | undefined;
  children: (aria: { 'aria-describedby': string | undefined; 'aria-invalid': true | undefined }) => ReactNode;
}

/** Label, optional hint, the control, and an error tied to it with aria-describedby. */
export function FieldFrame({ id, label, hint, error, required, className, children }: FieldFrameProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cx('field', error && 'field--invalid', className)}>
      <label htmlFor={id} className="field__label">
        {label}
        {required && (
          <span className="field__required" aria-hidden="true">
            {' *'}
          </span>
        )}
      </label>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {children({ 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  fieldClassName?: string | undefined;
};

export function TextField({ id, label, hint, error, fieldClassName, className, required, ...rest }: TextFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required} className={fieldClassName}>
      {(aria) => <input {...rest} id={id} required={required} className={cx('input', className)} {...aria} />}
    </FieldFrame>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  fieldClassName?: string | undefined;
};

export function SelectField({ id, label, hint, error, fieldClassName, className, required, children, ...rest }: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required} className={fieldClassName}>
      {(aria) => (
        <select {...rest} id={id} required={required} className={cx('input', 'select', className)} {...aria}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
}
