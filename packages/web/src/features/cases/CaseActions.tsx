/**
 * The steps of the case type's state machine that leave the current state: a button each. A step that may
 * not be taken yet is disabled and says what is missing; taking one asks for an optional comment (and, to
 * ask for closure, the reason) before it is sent.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { Alert, SelectField } from '../../ui/index.ts';
import { TextAreaField } from '../registry/FormControls.tsx';
import { casesApi, type ActionDto } from './cases-api.ts';
import { useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';
import { problemText } from './problems.ts';

export function CaseActions({ c, def, onCase, reload }: PanelProps) {
  const { t } = useTranslation();
  const L = useCaseLabels();
  const [chosen, setChosen] = useState<ActionDto | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'warning'; text: string } | null>(null);

  useEffect(() => setChosen(null), [c.status]);
  if (c.actions.length === 0) return null;

  return (
    <section className="card stack case-actions" aria-labelledby="case-actions-title" data-testid="case-actions">
      <h2 id="case-actions-title" className="section-title">
        {t('cases.steps.title')}
      </h2>
      {notice && (
        <Alert tone={notice.tone} testId="case-action-notice">
          {notice.text}
        </Alert>
      )}
      <ul className="case-actions__list">
        {c.actions.map((a) => {
          const blocked = !a.allowed;
          const problemsId = `case-action-${a.action}-problems`;
          const reasons = a.problems.map((p) => problemText(t, L, p));
          if (blocked && reasons.length === 0) reasons.push(t(a.by === 'supervisor' ? 'cases.problems.supervisor' : 'cases.problems.worker'));
          return (
            <li key={a.action} className="case-actions__item">
              <button
                type="button"
                className={a.by === 'supervisor' ? 'btn btn--secondary' : 'btn btn--primary'}
                disabled={blocked}
                aria-describedby={blocked ? problemsId : undefined}
                aria-expanded={chosen?.action === a.action}
                onClick={() => {
                  setNotice(null);
                  setChosen(a);
                }}
                data-testid={`case-action-${a.action}`}
              >
                {L.action(a.action)}
              </button>
              <span className="muted">{t('cases.steps.leadsTo', { state: L.state(a.to) })}</span>
              {blocked && (
                <ul id={problemsId} className="case-actions__problems" data-testid={`case-action-${a.action}-problems`}>
                  {reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      {chosen && (
        <TakeStep
          key={chosen.action}
          {...{ c, def, onCase, reload }}
          action={chosen}
          onDone={(text) => {
            setChosen(null);
            setNotice({ tone: 'success', text });
          }}
          onCancel={() => setChosen(null)}
        />
      )}
    </section>
  );
}

function TakeStep({ c, def, onCase, reload, action, onDone, onCancel }: PanelProps & { action: ActionDto; onDone: (text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const L = useCaseLabels();
  const needsReason = def.transitions.find((x) => x.action === action.action)?.requires?.closureReason === true;
  const [comment, setComment] = useState('');
  const [closureReason, setClosureReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (needsReason && !closureReason) return;
    setBusy(true);
    try {
      const next = await casesApi.transition(c.id, { version: c.version, action: action.action, ...(needsReason ? { closureReason } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}) });
      onCase(next);
      onDone(t('cases.steps.done', { action: L.action(action.action), state: L.state(next.status) }));
    } catch (err) {
      setError(err);
      if (isApiError(err) && err.code === 'stale_version') await reload();
    } finally {
      setBusy(false);
    }
  }

  const problems = isApiError(error) ? (error.errors ?? []) : [];
  return (
    <form className="stack case-actions__form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="case-step-title" data-testid="case-step-form">
      <h3 id="case-step-title" className="subsection-title">
        {t('cases.steps.confirmTitle', { action: L.action(action.action), state: L.state(action.to) })}
      </h3>
      {error ? (
        <Alert tone="error" testId="case-step-error">
          {isApiError(error) && error.code === 'stale_version' ? t('cases.steps.stale') : errorMessage(t, error)}
          {problems.length > 0 && (
            <ul>
              {problems.map((p) => (
                <li key={p.field + p.message}>{problemText(t, L, p)}</li>
              ))}
            </ul>
          )}
        </Alert>
      ) : null}
      {needsReason && (
        <SelectField
          id="case-step-closure-reason"
          label={t('cases.steps.closureReason')}
          required
          value={closureReason}
          onChange={(e) => setClosureReason(e.target.value)}
          error={submitted && !closureReason ? t('validation.required') : undefined}
          autoFocus
          data-testid="case-step-closure-reason"
        >
          <option value="">{t('common.choose')}</option>
          {def.closureReasons.map((r) => (
            <option key={r} value={r}>
              {L.closureReason(r)}
            </option>
          ))}
        </SelectField>
      )}
      <TextAreaField
        id="case-step-comment"
        label={t('cases.steps.comment')}
        hint={t('cases.steps.commentHint')}
        value={comment}
        maxLength={2000}
        rows={2}
        dir="auto"
        onChange={(e) => setComment(e.target.value)}
        autoFocus={!needsReason}
        data-testid="case-step-comment"
      />
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="case-step-confirm">
          {busy ? t('common.saving') : L.action(action.action)}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
