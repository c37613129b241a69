/**
 * The case's details as a form generated from its type's declaration. Which fields show is decided by the
 * same domain code the server uses (`visibleFields`, reading the person's age, sex and needs), so an "other"
 * field appears as soon as "other" is chosen. Only what changed is sent, with the version read; when someone
 * else saved first the form shows what they changed and reloads with the user's own changes kept.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RISK_LEVELS, detailsSchema, keepVisible, visibleFields, type RiskLevel } from '@passage/domain/cases/case-type';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { Alert, SelectField } from '../../ui/index.ts';
import { useCountryOptions } from '../registry/labels.ts';
import { issuesToErrors, serverErrors, type Errors } from '../registry/validation.ts';
import { casesApi, type CaseDto } from './cases-api.ts';
import { DetailField } from './DetailField.tsx';
import { changedFields, detailChanges, personFactsOf, rebaseDetails, sectionsOf, type Details } from './details-form.ts';
import { useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';

interface Base {
  details: Details;
  risk: RiskLevel;
  version: number;
}

export function DetailsForm({ c, def, onCase }: PanelProps) {
  const { t } = useTranslation();
  const L = useCaseLabels();
  const countries = useCountryOptions();
  const editable = c.access.canWork && !c.closedAt;
  const person = useMemo(() => personFactsOf(c.person), [c.person]);
  const [base, setBase] = useState<Base>({ details: c.details, risk: c.riskLevel, version: c.version });
  const [draft, setDraft] = useState<Details>(c.details);
  const [risk, setRisk] = useState<RiskLevel>(c.riskLevel);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [stale, setStale] = useState<CaseDto | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // What the user would save: hidden fields dropped (a field hidden by an answer must not linger).
  const effective = keepVisible(def, draft, person).values;
  const changes = detailChanges(def, base.details, effective);
  const dirty = Object.keys(changes).length > 0 || risk !== base.risk;

  // Other tabs raise the version without touching the details: follow them; take their details when the form is untouched.
  useEffect(() => {
    if (c.version === base.version || stale) return;
    const theirs = changedFields(def, base.details, c.details).length > 0 || c.riskLevel !== base.risk;
    if (!theirs) setBase((b) => ({ ...b, version: c.version }));
    else if (!dirty) {
      setBase({ details: c.details, risk: c.riskLevel, version: c.version });
      setDraft(c.details);
      setRisk(c.riskLevel);
    }
  }, [c, base, def, dirty, stale]);

  const visible = visibleFields(def, draft, person);
  const check = detailsSchema(def).safeParse(changes);
  const local: Errors = check.success ? {} : issuesToErrors(t, check.error.issues, changes);
  const errors: Errors = { ...(submitted ? local : {}), ...server };

  async function save(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    setNotice(null);
    if (!check.success) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.case-details [aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      const next = await casesApi.update(c.id, { version: base.version, details: changes, ...(risk !== base.risk ? { riskLevel: risk } : {}) });
      setBase({ details: next.details, risk: next.riskLevel, version: next.version });
      setDraft(next.details);
      setRisk(next.riskLevel);
      setSubmitted(false);
      setServer({});
      onCase(next);
      setNotice(t('cases.details.saved'));
    } catch (err) {
      const current = isApiError(err) && err.code === 'stale_version' ? (err.body['current'] as CaseDto | undefined) : undefined;
      if (current) setStale(current);
      else {
        setError(err);
        if (isApiError(err)) setServer(Object.fromEntries(Object.entries(serverErrors(t, err.errors)).map(([k, v]) => [k.replace(/^details\./, ''), v])));
      }
    } finally {
      setBusy(false);
    }
  }

  /** Takes the newer case and puts the user's own changes back on top of it. */
  function reloadKeepingMine() {
    if (!stale) return;
    setDraft(rebaseDetails(def, base.details, draft, stale.details));
    if (risk === base.risk) setRisk(stale.riskLevel);
    setBase({ details: stale.details, risk: stale.riskLevel, version: stale.version });
    onCase(stale);
    setStale(null);
  }

  const theirs = stale ? changedFields(def, base.details, stale.details).map(L.field) : [];
  return (
    <form className="stack case-details" onSubmit={(e) => void save(e)} noValidate aria-labelledby="case-details-title" data-testid="case-details-form">
      <h2 id="case-details-title" className="visually-hidden">
        {t('cases.tabs.details')}
      </h2>
      {stale && (
        <Alert
          tone="warning"
          title={t('cases.details.staleTitle')}
          testId="case-details-stale"
          actions={
            <button type="button" className="btn btn--secondary" onClick={reloadKeepingMine} data-testid="case-details-stale-reload">
              {t('cases.details.staleReload')}
            </button>
          }
        >
          <p>{t('cases.details.stale', { state: L.state(stale.status), risk: L.risk(stale.riskLevel) })}</p>
          <p data-testid="case-details-stale-fields">{t('cases.details.staleFields', { fields: theirs.join(', ') || t('common.none') })}</p>
        </Alert>
      )}
      {notice && (
        <Alert tone="success" testId="case-details-saved">
          {notice}
        </Alert>
      )}
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      {!editable && <p className="note">{t('cases.details.readOnly')}</p>}
      {/* Read-only access (break glass, a closed case) disables every control at once. */}
      <fieldset className="case-details__fields" disabled={!editable}>
        <div className="form-grid">
          <SelectField id="case-risk" label={t('cases.fields.riskLevel')} value={risk} disabled={!editable} onChange={(e) => setRisk(e.target.value as RiskLevel)} data-testid="case-field-riskLevel">
            {RISK_LEVELS.map((r) => (
              <option key={r} value={r}>
                {L.risk(r)}
              </option>
            ))}
          </SelectField>
        </div>
        {sectionsOf(def).map(({ section, fields }) => {
          const shown = fields.filter((f) => visible.has(f.name));
          if (shown.length === 0) return null;
          return (
            <fieldset key={section} className="fieldset" data-testid={`case-section-${section}`}>
              <legend className="fieldset__legend">{L.section(section)}</legend>
              <div className="form-grid">
                {shown.map((f) => (
                  <DetailField
                    key={f.name}
                    spec={f}
                    value={draft[f.name]}
                    disabled={!editable}
                    countries={countries}
                    error={errors[f.name]}
                    errors={Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith(`${f.name}.`)).map(([k, v]) => [k.slice(f.name.length + 1), v]))}
                    onChange={(v) => {
                      setDraft((d) => ({ ...d, [f.name]: v }));
                      setServer({});
                      setNotice(null);
                    }}
                  />
                ))}
              </div>
            </fieldset>
          );
        })}
      </fieldset>
      {editable && (
        <div className="button-row">
          <button type="submit" className="btn btn--primary" disabled={busy || !dirty || !!stale} data-testid="case-details-save">
            {busy ? t('common.saving') : t('common.saveChanges')}
          </button>
          {dirty && (
            <button
              type="button"
              className="btn btn--ghost"
              onClick={() => {
                setDraft(base.details);
                setRisk(base.risk);
                setSubmitted(false);
              }}
            >
              {t('common.discard')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}
