/**
 * Specific needs: the controlled list, and the Washington Group Short Set (six questions, four
 * answer levels). "Disability" is not ticked by hand once questions are answered: it follows from
 * the answers (a lot of difficulty or cannot do at all, in any domain), as the server stores it.
 */
import { useTranslation } from 'react-i18next';
import { SPECIFIC_NEEDS, WG_DOMAINS, WG_LEVELS, hasWgDisability, type SpecificNeed, type WgLevel } from '@passage/domain/registry/model';
import { Checkbox, RadioGroup, TextAreaField } from './FormControls.tsx';
import type { NeedsDraft } from './person-draft.ts';

interface NeedsEditorProps {
  idPrefix: string;
  value: NeedsDraft;
  onChange: (next: NeedsDraft) => void;
  error?: string | undefined;
}

export function NeedsEditor({ idPrefix, value, onChange, error }: NeedsEditorProps) {
  const { t } = useTranslation();
  const answered = Object.values(value.washingtonGroup).some(Boolean);
  const derived = hasWgDisability(value.washingtonGroup);
  const toggle = (n: SpecificNeed, on: boolean) =>
    onChange({ ...value, needs: on ? SPECIFIC_NEEDS.filter((x) => x === n || value.needs.includes(x)) : value.needs.filter((x) => x !== n) });
  const levels = [...WG_LEVELS.map((l) => ({ value: l, label: t(`registry.wg.level.${l}`) })), { value: '' as const, label: t('registry.wg.notAsked') }];

  return (
    <div className="stack">
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t('registry.needs.listLegend')}</legend>
        <div className="check-grid">
          {SPECIFIC_NEEDS.map((n) =>
            n === 'disability' ? (
              <Checkbox
                key={n}
                id={`${idPrefix}-need-${n}`}
                label={t(`registry.need.${n}`)}
                checked={answered ? derived : value.needs.includes(n)}
                disabled={answered}
                hint={answered ? t('registry.needs.disabilityDerived') : undefined}
                onChange={(on) => toggle(n, on)}
                testId={`${idPrefix}-need-${n}`}
              />
            ) : (
              <Checkbox
                key={n}
                id={`${idPrefix}-need-${n}`}
                label={t(`registry.need.${n}`)}
                checked={value.needs.includes(n)}
                onChange={(on) => toggle(n, on)}
                testId={`${idPrefix}-need-${n}`}
              />
            ),
          )}
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t('registry.wg.legend')}</legend>
        <p className="field__hint">{t('registry.wg.intro')}</p>
        {WG_DOMAINS.map((d) => (
          <RadioGroup<WgLevel>
            key={d}
            name={`${idPrefix}-wg-${d}`}
            legend={t(`registry.wg.question.${d}`)}
            value={value.washingtonGroup[d] ?? ''}
            options={levels}
            inline
            onChange={(v) => onChange({ ...value, washingtonGroup: { ...value.washingtonGroup, [d]: v || undefined } })}
            testId={`${idPrefix}-wg-${d}`}
          />
        ))}
        <p className="wg-result" role="status" data-testid={`${idPrefix}-wg-result`}>
          {!answered ? t('registry.wg.resultNone') : derived ? t('registry.wg.resultDisability') : t('registry.wg.resultNoDisability')}
        </p>
      </fieldset>

      <TextAreaField
        id={`${idPrefix}-needs-note`}
        label={t('registry.needs.note')}
        hint={t('registry.needs.noteHint')}
        rows={3}
        dir="auto"
        value={value.note}
        error={error}
        onChange={(e) => onChange({ ...value, note: e.target.value })}
        data-testid={`${idPrefix}-needs-note`}
      />
    </div>
  );
}
