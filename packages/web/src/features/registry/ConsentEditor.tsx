/** Consent per purpose: asked or not, granted yes or no, how it was given and in which language. */
import { useTranslation } from 'react-i18next';
import { CONSENT_METHODS, CONSENT_PURPOSES, type ConsentPurpose } from '@passage/domain/registry/model';
import { SelectField } from '../../ui/Field.tsx';
import { RadioGroup } from './FormControls.tsx';
import { useLanguageOptions } from './labels.ts';
import type { ConsentDraft, ConsentMethod } from './person-draft.ts';

interface ConsentEditorProps {
  idPrefix: string;
  value: Record<ConsentPurpose, ConsentDraft>;
  onChange: (next: Record<ConsentPurpose, ConsentDraft>) => void;
  errors?: Record<string, string>;
}

export function ConsentEditor({ idPrefix, value, onChange, errors = {} }: ConsentEditorProps) {
  const { t } = useTranslation();
  const languages = useLanguageOptions(CONSENT_PURPOSES.map((p) => value[p].language));
  const set = (p: ConsentPurpose, next: Partial<ConsentDraft>) => onChange({ ...value, [p]: { ...value[p], ...next } });
  return (
    <div className="consent-list">
      {CONSENT_PURPOSES.map((p) => {
        const c = value[p];
        return (
          <div key={p} className="consent-item" data-testid={`${idPrefix}-consent-${p}`}>
            <RadioGroup<'yes' | 'no'>
              name={`${idPrefix}-consent-${p}`}
              legend={t(`registry.consentPurpose.${p}`)}
              hint={t(`registry.consentPurposeHint.${p}`)}
              value={c.answer}
              inline
              options={[
                { value: 'yes', label: t('registry.consent.granted') },
                { value: 'no', label: t('registry.consent.refused') },
                { value: '', label: t('registry.consent.notAsked') },
              ]}
              onChange={(answer) => set(p, { answer })}
              error={errors[p]}
              testId={`${idPrefix}-consent-${p}`}
            />
            {c.answer !== '' && (
              <div className="form-grid">
                <SelectField
                  id={`${idPrefix}-consent-${p}-method`}
                  label={t('registry.consent.method')}
                  value={c.method}
                  onChange={(e) => set(p, { method: e.target.value as ConsentMethod })}
                  data-testid={`${idPrefix}-consent-${p}-method`}
                >
                  {CONSENT_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {t(`registry.consentMethod.${m}`)}
                    </option>
                  ))}
                </SelectField>
                <SelectField
                  id={`${idPrefix}-consent-${p}-language`}
                  label={t('registry.consent.language')}
                  value={c.language}
                  onChange={(e) => set(p, { language: e.target.value })}
                  data-testid={`${idPrefix}-consent-${p}-language`}
                >
                  {languages.map((l) => (
                    <option key={l.value} value={l.value}>
                      {l.label}
                    </option>
                  ))}
                </SelectField>
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
