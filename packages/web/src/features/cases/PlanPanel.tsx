/**
 * The case plan: goals (with a target date, ticked when achieved) and the services planned (from a partner or
 * not). Saved whole with the plan's version; submitted for a supervisor's approval by the case's actions.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PlanInputSchema } from '@passage/domain/cases/api';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, SelectField, TextField } from '../../ui/index.ts';
import { Checkbox } from '../registry/FormControls.tsx';
import { casesApi, type PlanDto } from './cases-api.ts';
import { useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';
import { ByLine, PanelTitle } from './parts.tsx';
import { useFormSubmit } from './use-form-submit.ts';
import { usePartners } from './use-partners.ts';

type Goal = { text: string; targetDate: string; achieved: boolean };
type PlannedService = { type: string; partnerId: string; note: string };

const goalsOf = (p: PlanDto | null): Goal[] => (p?.goals ?? []).map((g) => ({ text: g.text, targetDate: g.targetDate ?? '', achieved: g.achieved }));
const servicesOf = (p: PlanDto | null): PlannedService[] => (p?.services ?? []).map((s) => ({ type: s.type, partnerId: s.partnerId ?? '', note: s.note ?? '' }));

export function PlanPanel({ c, def, onCase }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  const partners = usePartners(c.officeId);
  const plan = c.plan;
  const [goals, setGoals] = useState<Goal[]>(() => goalsOf(plan));
  const [services, setServices] = useState<PlannedService[]>(() => servicesOf(plan));
  const form = useFormSubmit();
  const editable = c.access.canWork && !c.closedAt && plan?.status !== 'submitted';

  // A plan saved elsewhere (another tab, a supervisor's return) replaces the form.
  useEffect(() => {
    setGoals(goalsOf(plan));
    setServices(servicesOf(plan));
  }, [plan]);

  const input = {
    version: plan?.version ?? 0,
    goals: goals.map((g) => ({ text: g.text, targetDate: g.targetDate || null, achieved: g.achieved })),
    services: services.map((s) => ({ type: s.type, partnerId: s.partnerId || null, ...(s.note.trim() ? { note: s.note } : {}) })),
  };
  const parsed = PlanInputSchema.safeParse(input);
  const errors = form.errorsOf(parsed, input);
  const save = async () => onCase(await casesApi.savePlan(c.id, parsed.data!));

  const setGoal = (i: number, next: Partial<Goal>) => setGoals((gs) => gs.map((g, j) => (j === i ? { ...g, ...next } : g)));
  const setService = (i: number, next: Partial<PlannedService>) => setServices((ss) => ss.map((s, j) => (j === i ? { ...s, ...next } : s)));

  return (
    <form className="card stack" onSubmit={(e) => void form.submit(e, parsed.success, save)} noValidate aria-labelledby="case-plan-title" data-testid="case-plan-form">
      <PanelTitle id="case-plan-title">{t('cases.plan.title')}</PanelTitle>
      <p data-testid="case-plan-status">
        {plan ? <Badge tone={plan.status === 'approved' ? 'success' : plan.status === 'submitted' ? 'warning' : 'neutral'}>{t(`cases.plan.status.${plan.status}`)}</Badge> : <span className="muted">{t('cases.plan.none')}</span>}{' '}
        {plan && <ByLine by={plan.updatedBy} at={plan.updatedAt} />}
        {plan?.approvedAt && <span className="muted"> · {t('cases.plan.approvedBy', { name: plan.approvedBy?.name ?? '—', date: fmt.dateTime(plan.approvedAt) })}</span>}
      </p>
      {plan?.status === 'submitted' && <p className="note">{t('cases.plan.submittedNote')}</p>}
      {form.done && (
        <Alert tone="success" testId="case-plan-saved">
          {t('cases.plan.saved')}
        </Alert>
      )}
      {form.error ? <Alert tone="error">{errorMessage(t, form.error, { stale_version: 'cases.plan.stale' })}</Alert> : null}
      <fieldset className="fieldset" disabled={!editable}>
        <legend className="fieldset__legend">{t('cases.plan.goals')}</legend>
        {goals.length === 0 && <p className="muted">{t('cases.plan.noGoals')}</p>}
        <ol className="case-rows">
          {goals.map((g, i) => (
            <li key={i} className="case-rows__item" data-testid="plan-goal">
              <TextField id={`plan-goal-${i}-text`} label={t('cases.plan.goal', { n: i + 1 })} value={g.text} dir="auto" maxLength={1000} onChange={(e) => setGoal(i, { text: e.target.value })} error={errors[`goals.${i}.text`]} data-testid={`plan-goal-${i}-text`} />
              <TextField id={`plan-goal-${i}-date`} type="date" label={t('cases.plan.targetDate')} value={g.targetDate} onChange={(e) => setGoal(i, { targetDate: e.target.value })} error={errors[`goals.${i}.targetDate`]} />
              <Checkbox id={`plan-goal-${i}-achieved`} label={t('cases.plan.achieved')} checked={g.achieved} onChange={(achieved) => setGoal(i, { achieved })} />
              {editable && (
                <button type="button" className="btn btn--ghost btn--small" onClick={() => setGoals((gs) => gs.filter((_, j) => j !== i))}>
                  {t('cases.plan.removeGoal', { n: i + 1 })}
                </button>
              )}
            </li>
          ))}
        </ol>
        {editable && (
          <div>
            <button type="button" className="btn btn--secondary btn--small" onClick={() => setGoals((gs) => [...gs, { text: '', targetDate: '', achieved: false }])} data-testid="plan-goal-add">
              {t('cases.plan.addGoal')}
            </button>
          </div>
        )}
      </fieldset>
      <fieldset className="fieldset" disabled={!editable}>
        <legend className="fieldset__legend">{t('cases.plan.services')}</legend>
        {services.length === 0 && <p className="muted">{t('cases.plan.noServices')}</p>}
        <ol className="case-rows">
          {services.map((s, i) => (
            <li key={i} className="case-rows__item" data-testid="plan-service">
              <SelectField id={`plan-service-${i}-type`} label={t('cases.plan.serviceType', { n: i + 1 })} value={s.type} onChange={(e) => setService(i, { type: e.target.value })} data-testid={`plan-service-${i}-type`}>
                {def.serviceTypes.map((x) => (
                  <option key={x} value={x}>
                    {L.serviceType(x)}
                  </option>
                ))}
              </SelectField>
              <SelectField id={`plan-service-${i}-partner`} label={t('cases.partner')} value={s.partnerId} onChange={(e) => setService(i, { partnerId: e.target.value })} data-testid={`plan-service-${i}-partner`}>
                <option value="">{t('cases.noPartner')}</option>
                {(partners.data ?? []).map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </SelectField>
              <TextField id={`plan-service-${i}-note`} label={t('cases.note')} value={s.note} dir="auto" maxLength={500} onChange={(e) => setService(i, { note: e.target.value })} />
              {editable && (
                <button type="button" className="btn btn--ghost btn--small" onClick={() => setServices((ss) => ss.filter((_, j) => j !== i))}>
                  {t('cases.plan.removeService', { n: i + 1 })}
                </button>
              )}
            </li>
          ))}
        </ol>
        {editable && (
          <div>
            <button type="button" className="btn btn--secondary btn--small" onClick={() => setServices((ss) => [...ss, { type: def.serviceTypes[0] ?? '', partnerId: '', note: '' }])} data-testid="plan-service-add">
              {t('cases.plan.addService')}
            </button>
          </div>
        )}
      </fieldset>
      {editable && (
        <div className="button-row">
          <button type="submit" className="btn btn--primary" disabled={form.busy} data-testid="plan-save">
            {form.busy ? t('common.saving') : t('cases.plan.save')}
          </button>
        </div>
      )}
    </form>
  );
}
