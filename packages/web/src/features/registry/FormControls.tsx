/**
 * Small form pieces the registry needs beyond the shared ui/ fields: a text area, a radio group
 * and a check box, each labelled and wired to its error the same way as TextField.
 */
import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { FieldFrame } from '../../ui/Field.tsx';
import { cx } from '../../ui/cx.ts';

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  fieldClassName?: string | undefined;
};

export function TextAreaField({ id, label, hint, error, fieldClassName, className, required, ...rest }: TextAreaProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required} className={fieldClassName}>
      {(aria) => <textarea {...rest} id={id} required={required} className={cx('input', 'textarea', className)} {...aria} />}
    </FieldFrame>
  );
}

interface RadioGroupProps<V extends string> {
  /** Unique in the page: the radios' name and the base of their ids. */
  name: string;
  legend: ReactNode;
  value: V | '';
  options: readonly { value: V | ''; label: string }[];
  onChange: (value: V | '') => void;
  hint?: string | undefined;
  error?: string | null | undefined;
  required?: boolean;
  inline?: boolean;
  testId?: string | undefined;
}

/** A fieldset of radio buttons: arrow keys move between them, as the platform does. */
export function RadioGroup<V extends string>({ name, legend, value, options, onChange, hint, error, required, inline, testId }: RadioGroupProps<V>) {
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = error ? `${name}-error` : undefined;
  return (
    <fieldset
      className={cx('choice-group', inline && 'choice-group--inline', error && 'choice-group--invalid')}
      aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
      data-testid={testId}
    >
      <legend className="choice-group__legend">
        {legend}
        {required && (
          <span className="field__required" aria-hidden="true">
            {' *'}
          </span>
        )}
      </legend>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      <div className="choice-group__options">
        {options.map((o) => {
          const id = `${name}-${o.value || 'none'}`;
          return (
            <label key={id} htmlFor={id} className="choice">
              <input
                type="radio"
                id={id}
                name={name}
                value={o.value}
                checked={value === o.value}
                onChange={() => onChange(o.value)}
                data-testid={testId ? `${testId}-${o.value || 'none'}` : undefined}
              />
              <span>{o.label}</span>
            </label>
          );
        })}
      </div>
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

interface CheckboxProps {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  hint?: string | undefined;
  testId?: string | undefined;
}

export function Checkbox({ id, label, checked, onChange, disabled, hint, testId }: CheckboxProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="choice-row">
      <label htmlFor={id} className="choice">
        <input
          type="checkbox"
          id={id}
          checked={checked}
          disabled={disabled}
          aria-describedby={hintId}
          onChange={(e) => onChange(e.target.checked)}
          data-testid={testId}
        />
        <span>{label}</span>
      </label>
      {hint && (
        <p id={hintId} className="field__hint choice-row__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
