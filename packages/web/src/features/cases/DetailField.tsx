/** One field of a case type's declaration as a form control, chosen by its kind. */
import { useTranslation } from 'react-i18next';
import type { FieldSpec } from '@passage/domain/cases/case-type';
import { SelectField, TextField } from '../../ui/index.ts';
import { Checkbox, RadioGroup, TextAreaField } from '../registry/FormControls.tsx';
import { CountrySelect } from '../registry/PersonFields.tsx';
import type { Option } from '../registry/labels.ts';
import { EventsEditor } from './EventsEditor.tsx';
import { useCaseLabels } from './labels.ts';

interface DetailFieldProps {
  spec: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  error?: string | undefined;
  /** Errors inside the field (events: "0.to"). */
  errors: Record<string, string>;
  countries: Option[];
  disabled: boolean;
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export function DetailField({ spec, value, onChange, error, errors, countries, disabled }: DetailFieldProps) {
  const { t } = useTranslation();
  const L = useCaseLabels();
  const id = `case-field-${spec.name}`;
  const label = L.field(spec.name);
  const testId = `case-field-${spec.name}`;
  switch (spec.kind) {
    case 'text':
      return <TextField id={id} label={label} value={str(value)} maxLength={spec.max} dir="auto" error={error} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
    case 'textarea':
      return (
        <TextAreaField id={id} label={label} value={str(value)} maxLength={spec.max} rows={4} dir="auto" error={error} disabled={disabled} fieldClassName="form-grid__wide" onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      );
    case 'select':
      return (
        <SelectField id={id} label={label} value={str(value)} error={error} disabled={disabled} onChange={(e) => onChange(e.target.value || null)} data-testid={testId}>
          <option value="">{t('registry.notKnown')}</option>
          {(spec.options ?? []).map((o) => (
            <option key={o} value={o}>
              {L.option(spec.name, o)}
            </option>
          ))}
        </SelectField>
      );
    case 'multiselect': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <fieldset className="fieldset form-grid__wide" aria-describedby={error ? `${id}-error` : undefined} data-testid={testId}>
          <legend className="fieldset__legend">{label}</legend>
          <div className="check-grid">
            {(spec.options ?? []).map((o) => (
              <Checkbox
                key={o}
                id={`${id}-${o}`}
                label={L.option(spec.name, o)}
                checked={chosen.includes(o)}
                disabled={disabled}
                onChange={(on) => onChange(on ? [...chosen, o] : chosen.filter((x) => x !== o))}
                testId={`${testId}-${o}`}
              />
            ))}
          </div>
          {error && (
            <p id={`${id}-error`} className="field__error">
              {error}
            </p>
          )}
        </fieldset>
      );
    }
    case 'date':
      return <TextField id={id} type="date" label={label} value={str(value)} error={error} disabled={disabled} onChange={(e) => onChange(e.target.value || null)} data-testid={testId} />;
    case 'number':
      return (
        <TextField
          id={id}
          type="number"
          inputMode="numeric"
          label={label}
          min={spec.min}
          max={spec.max}
          step={1}
          value={str(value)}
          error={error}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value === '' ? null : Number.isNaN(e.target.valueAsNumber) ? e.target.value : e.target.valueAsNumber)}
          data-testid={testId}
        />
      );
    case 'boolean':
      return (
        <RadioGroup<'yes' | 'no'>
          name={id}
          legend={label}
          inline
          value={value === true ? 'yes' : value === false ? 'no' : ''}
          options={[
            { value: 'yes', label: t('cases.yes') },
            { value: 'no', label: t('cases.no') },
            { value: '', label: t('registry.notKnown') },
          ]}
          onChange={(v) => onChange(v === '' ? null : v === 'yes')}
          error={error}
          testId={testId}
        />
      );
    case 'country':
      return <CountrySelect id={id} label={label} value={str(value)} onChange={(v) => onChange(v || null)} options={countries} error={error} testId={testId} />;
    case 'events':
      return <EventsEditor id={id} label={label} value={Array.isArray(value) ? (value as Record<string, unknown>[]) : []} onChange={onChange} errors={errors} countries={countries} disabled={disabled} />;
  }
}
