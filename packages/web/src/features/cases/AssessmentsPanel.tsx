/** Assessments of the case, newest first, and a form to record one (date, summary, risk, needs found). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AssessmentInputSchema } from '@passage/domain/cases/api';
import { RISK_LEVELS, type RiskLevel } from '@passage/domain/cases/case-type';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, SelectField, TextField } from '../../ui/index.ts';
import { Checkbox, TextAreaField } from '../registry/FormControls.tsx';
import { casesApi } from './cases-api.ts';
import { riskTone, todayIso, useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';
import { ByLine, Listed, PanelTitle } from './parts.tsx';
import { useFormSubmit } from './use-form-submit.ts';
import { useLoad } from './use-load.ts';

export function AssessmentsPanel({ c, def, reload }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  const list = useLoad(() => casesApi.assessments(c.id), c.id);
  const form = useFormSubmit();
  const [assessedOn, setAssessedOn] = useState(todayIso);
  const [summary, setSummary] = useState('');
  const [risk, setRisk] = useState<RiskLevel>(c.riskLevel);
  const [needs, setNeeds] = useState<string[]>([]);

  const input = { assessedOn, summary, riskLevel: risk, needs };
  const parsed = AssessmentInputSchema.safeParse(input);
  const errors = form.errorsOf(parsed, input);
  const save = async () => {
    await casesApi.addAssessment(c.id, parsed.data!);
    setSummary('');
    setNeeds([]);
    await Promise.all([list.reload(), reload()]);
  };

  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="case-assessments-title">
        <PanelTitle id="case-assessments-title">{t('cases.assessments.title')}</PanelTitle>
        <Listed state={list} empty={t('cases.assessments.none')}>
          {(items) => (
            <ul className="item-list" data-testid="case-assessments">
              {items.map((a) => (
                <li key={a.id} className="item-list__item" data-testid="case-assessment">
                  <div className="item-list__main">
                    <strong>{t('cases.assessments.number', { n: a.number, date: fmt.date(a.assessedOn) })}</strong>
                    <p className="case-text">{a.summary}</p>
                    {a.needs.length > 0 && <span>{t('cases.assessments.needsFound', { needs: a.needs.map(L.serviceType).join(', ') })}</span>}
                    <ByLine by={a.createdBy} at={a.createdAt} />
                  </div>
                  <Badge tone={riskTone(a.riskLevel)}>{L.risk(a.riskLevel)}</Badge>
                </li>
              ))}
            </ul>
          )}
        </Listed>
      </section>
      {c.access.canWork && !c.closedAt && (
        <form className="card stack" onSubmit={(e) => void form.submit(e, parsed.success, save)} noValidate aria-labelledby="case-assessment-add-title" data-testid="case-assessment-form">
          <h2 id="case-assessment-add-title" className="section-title">
            {t('cases.assessments.add')}
          </h2>
          {form.done && <Alert tone="success">{t('cases.assessments.saved')}</Alert>}
          {form.error ? <Alert tone="error">{errorMessage(t, form.error)}</Alert> : null}
          <div className="form-grid">
            <TextField id="assessment-date" type="date" label={t('cases.assessments.date')} required value={assessedOn} onChange={(e) => setAssessedOn(e.target.value)} error={errors['assessedOn']} data-testid="assessment-date" />
            <SelectField id="assessment-risk" label={t('cases.fields.riskLevel')} value={risk} onChange={(e) => setRisk(e.target.value as RiskLevel)} data-testid="assessment-risk">
              {RISK_LEVELS.map((r) => (
                <option key={r} value={r}>
                  {L.risk(r)}
                </option>
              ))}
            </SelectField>
          </div>
          <TextAreaField id="assessment-summary" label={t('cases.assessments.summary')} required rows={4} dir="auto" maxLength={10_000} value={summary} onChange={(e) => setSummary(e.target.value)} error={errors['summary']} data-testid="assessment-summary" />
          <fieldset className="fieldset">
            <legend className="fieldset__legend">{t('cases.assessments.needs')}</legend>
            <div className="check-grid">
              {def.serviceTypes.map((s) => (
                <Checkbox key={s} id={`assessment-need-${s}`} label={L.serviceType(s)} checked={needs.includes(s)} onChange={(on) => setNeeds((n) => (on ? [...n, s] : n.filter((x) => x !== s)))} testId={`assessment-need-${s}`} />
              ))}
            </div>
          </fieldset>
          <div className="button-row">
            <button type="submit" className="btn btn--primary" disabled={form.busy} data-testid="assessment-save">
              {form.busy ? t('common.saving') : t('cases.assessments.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
