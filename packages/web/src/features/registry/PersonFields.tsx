/**
 * The fields of one person (names, sex, birth, nationality, population group, languages, phones),
 * shared by the registration wizard and the person page's edit form.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DOB_PRECISIONS, POPULATION_GROUPS, SEXES, estimatedBirthDate, isoDay } from '@passage/domain/registry/model';
import { SelectField, TextField } from '../../ui/Field.tsx';
import { TextAreaField } from './FormControls.tsx';
import { languageName, useCountryOptions, useLang, type Option } from './labels.ts';
import type { PersonDraft } from './person-draft.ts';
import type { Errors } from './validation.ts';

interface PersonFieldsProps {
  idPrefix: string;
  value: PersonDraft;
  onChange: (next: PersonDraft) => void;
  /** Messages to show now, keyed by field ("givenName", "phones.1"). */
  errors: Errors;
  /** Called when the user leaves a field, so its problems start showing. */
  onTouch?: (field: string) => void;
  /** Put focus in the first field when shown (a new wizard step). */
  autoFocus?: boolean;
}

export function CountrySelect({
  id,
  label,
  value,
  onChange,
  error,
  options,
  onBlur,
  testId,
  hint,
  emptyLabel,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  options: Option[];
  onBlur?: () => void;
  testId?: string;
  hint?: string;
  /** The label of the empty choice ("Not known" in forms, "Any" in filters). */
  emptyLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField id={id} label={label} hint={hint} value={value} onChange={(e) => onChange(e.target.value)} onBlur={onBlur} error={error} data-testid={testId}>
      <option value="">{emptyLabel ?? t('registry.notKnown')}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </SelectField>
  );
}

export function PersonFields({ idPrefix, value, onChange, errors, onTouch, autoFocus }: PersonFieldsProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const countries = useCountryOptions();
  const [age, setAge] = useState('');
  const id = (f: string) => `${idPrefix}-${f}`;
  const set = <K extends keyof PersonDraft>(k: K, v: PersonDraft[K]) => onChange({ ...value, [k]: v });
  const touch = (f: string) => () => onTouch?.(f);
  const text = (k: 'givenName' | 'middleName' | 'familyName' | 'fullNameOriginal' | 'adminAreaCode' | 'externalId') => ({
    id: id(k),
    value: value[k],
    onChange: (e: { target: { value: string } }) => set(k, e.target.value),
    onBlur: touch(k),
    error: errors[k],
    'data-testid': id(k),
  });
  const languages = value.languages
    .toLowerCase()
    .split(/[\s,;]+/)
    .filter((c) => /^[a-z]{2,3}$/.test(c));

  function estimate(raw: string) {
    setAge(raw);
    const n = Number.parseInt(raw, 10);
    if (raw.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 120) {
      onChange({ ...value, dateOfBirth: estimatedBirthDate(n, isoDay(new Date())), dobPrecision: 'estimated' });
    }
  }

  return (
    <div className="stack">
      <div className="form-grid">
        <TextField {...text('givenName')} label={t('registry.field.givenName')} required autoComplete="off" autoFocus={autoFocus} />
        <TextField {...text('middleName')} label={t('registry.field.middleName')} autoComplete="off" />
        <TextField {...text('familyName')} label={t('registry.field.familyName')} autoComplete="off" />
      </div>
      <TextField
        {...text('fullNameOriginal')}
        label={t('registry.field.fullNameOriginal')}
        hint={t('registry.field.fullNameOriginalHint')}
        dir="auto"
        autoComplete="off"
      />
      <TextAreaField
        id={id('aliases')}
        label={t('registry.field.aliases')}
        hint={t('registry.field.aliasesHint')}
        value={value.aliases}
        rows={2}
        dir="auto"
        onChange={(e) => set('aliases', e.target.value)}
        onBlur={touch('aliases')}
        error={errors['aliases'] ?? Object.entries(errors).find(([k]) => k.startsWith('aliases.'))?.[1]}
        data-testid={id('aliases')}
      />
      <div className="form-grid">
        <SelectField
          id={id('sex')}
          label={t('registry.field.sex')}
          required
          value={value.sex}
          onChange={(e) => set('sex', e.target.value as PersonDraft['sex'])}
          onBlur={touch('sex')}
          error={errors['sex']}
          data-testid={id('sex')}
        >
          <option value="">{t('common.choose')}</option>
          {SEXES.map((s) => (
            <option key={s} value={s}>
              {t(`registry.sex.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id={id('populationGroup')}
          label={t('registry.field.populationGroup')}
          required
          value={value.populationGroup}
          onChange={(e) => set('populationGroup', e.target.value as PersonDraft['populationGroup'])}
          onBlur={touch('populationGroup')}
          error={errors['populationGroup']}
          data-testid={id('populationGroup')}
        >
          <option value="">{t('common.choose')}</option>
          {POPULATION_GROUPS.map((g) => (
            <option key={g} value={g}>
              {t(`registry.populationGroup.${g}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t('registry.field.birth')}</legend>
        <div className="form-grid">
          <TextField
            id={id('dateOfBirth')}
            type="date"
            label={t('registry.field.dateOfBirth')}
            value={value.dateOfBirth}
            max={isoDay(new Date())}
            onChange={(e) => {
              setAge('');
              onChange({ ...value, dateOfBirth: e.target.value, dobPrecision: value.dobPrecision === 'estimated' ? 'exact' : value.dobPrecision });
            }}
            onBlur={touch('dateOfBirth')}
            error={errors['dateOfBirth']}
            data-testid={id('dateOfBirth')}
          />
          <SelectField
            id={id('dobPrecision')}
            label={t('registry.field.dobPrecision')}
            value={value.dobPrecision}
            onChange={(e) => set('dobPrecision', e.target.value as PersonDraft['dobPrecision'])}
            error={errors['dobPrecision']}
            data-testid={id('dobPrecision')}
          >
            {DOB_PRECISIONS.map((p) => (
              <option key={p} value={p}>
                {t(`registry.dobPrecision.${p}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            id={id('age')}
            type="number"
            inputMode="numeric"
            min={0}
            max={120}
            label={t('registry.field.statedAge')}
            hint={t('registry.field.statedAgeHint')}
            value={age}
            onChange={(e) => estimate(e.target.value)}
            data-testid={id('age')}
          />
        </div>
      </fieldset>
      <div className="form-grid">
        <CountrySelect
          id={id('nationality')}
          label={t('registry.field.nationality')}
          value={value.nationality}
          onChange={(v) => set('nationality', v)}
          onBlur={touch('nationality')}
          error={errors['nationality']}
          options={countries}
          testId={id('nationality')}
        />
        <CountrySelect
          id={id('countryOfBirth')}
          label={t('registry.field.countryOfBirth')}
          value={value.countryOfBirth}
          onChange={(v) => set('countryOfBirth', v)}
          onBlur={touch('countryOfBirth')}
          error={errors['countryOfBirth']}
          options={countries}
          testId={id('countryOfBirth')}
        />
      </div>
      <div className="form-grid">
        <TextField
          id={id('languages')}
          label={t('registry.field.languages')}
          hint={languages.length > 0 ? languages.map((c) => languageName(c, lang)).join(', ') : t('registry.field.languagesHint')}
          value={value.languages}
          dir="ltr"
          autoComplete="off"
          onChange={(e) => set('languages', e.target.value)}
          onBlur={touch('languages')}
          error={errors['languages'] ?? Object.entries(errors).find(([k]) => k.startsWith('languages.'))?.[1]}
          data-testid={id('languages')}
        />
        <TextField
          {...text('adminAreaCode')}
          label={t('registry.field.adminAreaCode')}
          hint={t('registry.field.adminAreaCodeHint')}
          dir="ltr"
          autoComplete="off"
        />
      </div>
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t('registry.field.phones')}</legend>
        {value.phones.length === 0 && <p className="muted">{t('registry.field.noPhones')}</p>}
        {value.phones.map((p, i) => (
          <div key={i} className="row-with-action">
            <TextField
              id={id(`phone-${i}`)}
              type="tel"
              label={t('registry.field.phoneN', { n: i + 1 })}
              value={p}
              dir="ltr"
              autoComplete="off"
              onChange={(e) => set('phones', value.phones.map((x, j) => (j === i ? e.target.value : x)))}
              onBlur={touch(`phones.${i}`)}
              error={errors[`phones.${i}`]}
              data-testid={id(`phone-${i}`)}
            />
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => set('phones', value.phones.filter((_, j) => j !== i))}
              aria-label={t('registry.field.removePhone', { n: i + 1 })}
            >
              {t('common.remove')}
            </button>
          </div>
        ))}
        {value.phones.length < 5 && (
          <div>
            <button type="button" className="btn btn--secondary btn--small" onClick={() => set('phones', [...value.phones, ''])} data-testid={id('add-phone')}>
              {t('registry.field.addPhone')}
            </button>
          </div>
        )}
      </fieldset>
      <TextField {...text('externalId')} label={t('registry.field.externalId')} hint={t('registry.field.externalIdHint')} dir="ltr" autoComplete="off" />
    </div>
  );
}
