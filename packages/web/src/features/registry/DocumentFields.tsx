/** Identity documents: the fields of one, and the editable list the wizard uses. */
import { useTranslation } from 'react-i18next';
import { DOCUMENT_TYPES } from '@passage/domain/registry/model';
import { SelectField, TextField } from '../../ui/Field.tsx';
import { CountrySelect } from './PersonFields.tsx';
import { useCountryOptions } from './labels.ts';
import { emptyDocument, type DocumentDraft } from './person-draft.ts';
import { scoped, type Errors } from './validation.ts';

interface DocumentFieldsProps {
  idPrefix: string;
  value: DocumentDraft;
  onChange: (next: DocumentDraft) => void;
  errors: Errors;
  onTouch?: (field: string) => void;
  autoFocus?: boolean;
}

export function DocumentFields({ idPrefix, value, onChange, errors, onTouch, autoFocus }: DocumentFieldsProps) {
  const { t } = useTranslation();
  const countries = useCountryOptions();
  const id = (f: string) => `${idPrefix}-${f}`;
  const set = <K extends keyof DocumentDraft>(k: K, v: DocumentDraft[K]) => onChange({ ...value, [k]: v });
  return (
    <div className="form-grid">
      <SelectField
        id={id('type')}
        label={t('registry.document.type')}
        required
        value={value.type}
        autoFocus={autoFocus}
        onChange={(e) => set('type', e.target.value as DocumentDraft['type'])}
        onBlur={() => onTouch?.('type')}
        error={errors['type']}
        data-testid={id('type')}
      >
        <option value="">{t('common.choose')}</option>
        {DOCUMENT_TYPES.map((d) => (
          <option key={d} value={d}>
            {t(`registry.documentType.${d}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        id={id('number')}
        label={t('registry.document.number')}
        required
        dir="ltr"
        autoComplete="off"
        value={value.number}
        onChange={(e) => set('number', e.target.value)}
        onBlur={() => onTouch?.('number')}
        error={errors['number']}
        data-testid={id('number')}
      />
      <CountrySelect
        id={id('issuingCountry')}
        label={t('registry.document.issuingCountry')}
        value={value.issuingCountry}
        onChange={(v) => set('issuingCountry', v)}
        onBlur={() => onTouch?.('issuingCountry')}
        error={errors['issuingCountry']}
        options={countries}
        testId={id('issuingCountry')}
      />
      <TextField
        id={id('issueDate')}
        type="date"
        label={t('registry.document.issueDate')}
        value={value.issueDate}
        onChange={(e) => set('issueDate', e.target.value)}
        onBlur={() => onTouch?.('issueDate')}
        error={errors['issueDate']}
        data-testid={id('issueDate')}
      />
      <TextField
        id={id('expiryDate')}
        type="date"
        label={t('registry.document.expiryDate')}
        value={value.expiryDate}
        onChange={(e) => set('expiryDate', e.target.value)}
        onBlur={() => onTouch?.('expiryDate')}
        error={errors['expiryDate']}
        data-testid={id('expiryDate')}
      />
    </div>
  );
}

interface DocumentsEditorProps {
  idPrefix: string;
  value: DocumentDraft[];
  onChange: (next: DocumentDraft[]) => void;
  /** Errors of the member, keyed "documents.0.number". */
  errors: Errors;
  onTouch?: (field: string) => void;
}

export function DocumentsEditor({ idPrefix, value, onChange, errors, onTouch }: DocumentsEditorProps) {
  const { t } = useTranslation();
  return (
    <div className="stack">
      {value.length === 0 && <p className="muted">{t('registry.document.none')}</p>}
      {value.map((d, i) => (
        <fieldset key={d.key} className="fieldset" data-testid={`${idPrefix}-doc-${i}`}>
          <legend className="fieldset__legend">{t('registry.document.n', { n: i + 1 })}</legend>
          <DocumentFields
            idPrefix={`${idPrefix}-doc-${i}`}
            value={d}
            onChange={(next) => onChange(value.map((x, j) => (j === i ? next : x)))}
            errors={scoped(errors, `documents.${i}.`)}
            onTouch={(f) => onTouch?.(`documents.${i}.${f}`)}
            autoFocus={i === value.length - 1 && d.number === '' && d.type === ''}
          />
          <div>
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => onChange(value.filter((_, j) => j !== i))}
              data-testid={`${idPrefix}-doc-${i}-remove`}
            >
              {t('registry.document.remove', { n: i + 1 })}
            </button>
          </div>
        </fieldset>
      ))}
      {value.length < 20 && (
        <div>
          <button type="button" className="btn btn--secondary" onClick={() => onChange([...value, emptyDocument()])} data-testid={`${idPrefix}-add-doc`}>
            {t('registry.document.add')}
          </button>
        </div>
      )}
    </div>
  );
}
