/**
 * Registering a household: person → documents → household members → specific needs → consent →
 * review. Each step validates as the user types with the shared schemas; before saving, every
 * member is checked against the registry for possible duplicates, and the officer either opens the
 * existing record or says why this is a different person.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { RegistrationSchema } from '@passage/domain/registry/api';
import { RELATIONSHIPS, ageOn, effectiveNeeds, isoDay } from '@passage/domain/registry/model';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { officeOptionLabel } from '../../lib/offices.ts';
import { useSession } from '../../app/session.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, ConfirmButton, Loading, PageHeader, SelectField } from '../../ui/index.ts';
import { ConsentEditor } from './ConsentEditor.tsx';
import { DocumentsEditor } from './DocumentFields.tsx';
import { DuplicatePanel } from './DuplicatePanel.tsx';
import { Checkbox, TextAreaField } from './FormControls.tsx';
import { NeedsEditor } from './NeedsEditor.tsx';
import { PersonFields } from './PersonFields.tsx';
import { countryName, personName, useLang } from './labels.ts';
import { useOfficesWith } from './office-scope.ts';
import { emptyMember, memberInput, validateMember, type MemberDraft } from './person-draft.ts';
import { registryApi, slipUrl, type DuplicateCheckResult, type DuplicateProbe, type RegistrationResult } from './registry-api.ts';
import { issuesToErrors, scoped, serverErrors, type Errors } from './validation.ts';
import './registry.css';

const STEPS = ['person', 'documents', 'household', 'needs', 'consent', 'review'] as const;
type Step = (typeof STEPS)[number];

interface DupState {
  signature: string;
  checking: boolean;
  result: DuplicateCheckResult | null;
  error: unknown;
}

/** What the duplicate check gets for a member, or null when there is not enough to compare yet. */
function probeOf(m: MemberDraft): DuplicateProbe | null {
  const documents = m.documents.map((d) => ({ number: d.number.trim() })).filter((d) => d.number.length >= 3);
  const named = m.givenName.trim() !== '' && /^\d{4}-\d{2}-\d{2}$/.test(m.dateOfBirth);
  if (!named && documents.length === 0) return null;
  return {
    givenName: m.givenName.trim(),
    middleName: m.middleName.trim() || null,
    familyName: m.familyName.trim() || null,
    fullNameOriginal: m.fullNameOriginal.trim() || null,
    dateOfBirth: m.dateOfBirth || null,
    documents,
    phones: m.phones.map((p) => p.trim()).filter(Boolean),
    nationality: m.nationality || null,
    sex: m.sex || null,
  };
}

/** Which step shows a member's field. */
function stepOfField(memberIndex: number, field: string): Step {
  if (field.startsWith('documents')) return memberIndex === 0 ? 'documents' : 'household';
  if (field.startsWith('specificNeeds')) return 'needs';
  if (field.startsWith('consents')) return 'consent';
  return memberIndex === 0 ? 'person' : 'household';
}

function isPersonField(field: string): boolean {
  return !field.startsWith('documents') && !field.startsWith('specificNeeds') && !field.startsWith('consents') && field !== 'relationship';
}

export default function RegistrationWizardPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  const { can } = useSession();
  const withNeeds = can('registry.sensitive');
  const steps = useMemo(() => STEPS.filter((s) => s !== 'needs' || withNeeds), [withNeeds]);
  const { offices, defaultId, error: officesError } = useOfficesWith('registry.register');
  const uiLang = currentLanguage();

  const [officeId, setOfficeId] = useState('');
  const [members, setMembers] = useState<MemberDraft[]>(() => [emptyMember('head', uiLang)]);
  const [headNote, setHeadNote] = useState('');
  const [step, setStep] = useState<Step>('person');
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [attempted, setAttempted] = useState<Set<Step>>(() => new Set());
  const [expanded, setExpanded] = useState<string | null>(null);
  const [sameConsent, setSameConsent] = useState(true);
  const [dups, setDups] = useState<Record<string, DupState>>({});
  const [reason, setReason] = useState('');
  const [fromServer, setFromServer] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [result, setResult] = useState<{ saved: RegistrationResult; names: string[] } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (!officeId && defaultId && offices?.some((o) => o.id === defaultId)) setOfficeId(defaultId);
    else if (!officeId && offices && offices[0]) setOfficeId(offices[0].id);
  }, [officeId, defaultId, offices]);

  // A new step: move focus to its heading so keyboard and screen-reader users start at the top.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step, result]);

  const today = isoDay(new Date());
  const head = members[0]!;
  const headAge = head.dateOfBirth && /^\d{4}-\d{2}-\d{2}$/.test(head.dateOfBirth) ? ageOn(head.dateOfBirth, today) : null;
  const childHead = headAge !== null && headAge < 18;
  const effectiveMembers = useMemo(
    () => (sameConsent ? members.map((m, i) => (i === 0 ? m : { ...m, consents: members[0]!.consents })) : members),
    [members, sameConsent],
  );

  // Validation as you type: every member against the shared schema.
  const memberErrors: Errors[] = useMemo(
    () =>
      effectiveMembers.map((m) => {
        const r = validateMember(m, withNeeds);
        return r.success ? {} : issuesToErrors(t, r.error.issues, r.input);
      }),
    [effectiveMembers, withNeeds, t],
  );
  const headNoteError = childHead && headNote.trim().length < 3 ? t('registry.household.headNoteRequired') : undefined;

  const dupRequired = members.some((m) => {
    const r = dups[m.key]?.result;
    return r ? r.candidates.length > 0 || r.elsewhere > 0 : false;
  });
  const reasonError = dupRequired && reason.trim().length < 3 ? t('registry.dup.reasonRequired') : undefined;

  /** Errors to show for member i: touched fields, fields of attempted steps, and the server's. */
  function visibleErrors(i: number): Errors {
    const m = members[i]!;
    const all = memberErrors[i] ?? {};
    const out: Errors = {};
    for (const [field, msg] of Object.entries(all)) {
      const shownStep = stepOfField(i, field);
      if (touched.has(`${m.key}.${field}`) || attempted.has(shownStep)) out[field] = msg;
    }
    return { ...out, ...scoped(fromServer, `members.${i}.`) };
  }

  const touch = (m: MemberDraft) => (field: string) =>
    setTouched((prev) => {
      const key = `${m.key}.${field}`;
      if (prev.has(key)) return prev;
      const next = new Set(prev);
      next.add(key);
      return next;
    });

  function updateMember(i: number, next: Partial<MemberDraft>) {
    setMembers((prev) => prev.map((m, j) => (j === i ? { ...m, ...next } : m)));
    // A corrected field no longer needs the server's complaint.
    setFromServer((prev) => {
      const prefix = `members.${i}.`;
      if (!Object.keys(prev).some((k) => k.startsWith(prefix))) return prev;
      const out: Errors = {};
      for (const [k, v] of Object.entries(prev)) if (!k.startsWith(prefix) || !Object.keys(next).some((f) => k.startsWith(prefix + f))) out[k] = v;
      return out;
    });
  }

  /** Problems that keep a step from being left forwards. */
  function stepProblems(s: Step): number {
    const count = (i: number, pred: (field: string) => boolean) => Object.keys(memberErrors[i] ?? {}).filter(pred).length;
    switch (s) {
      case 'person':
        return (officeId ? 0 : 1) + count(0, isPersonField) + (headNoteError ? 1 : 0);
      case 'documents':
        return count(0, (f) => f.startsWith('documents'));
      case 'household':
        return members.reduce((n, _m, i) => n + (i === 0 ? 0 : count(i, (f) => !f.startsWith('specificNeeds') && !f.startsWith('consents'))), 0) + (headNoteError ? 1 : 0);
      case 'needs':
        return members.reduce((n, _m, i) => n + count(i, (f) => f.startsWith('specificNeeds')), 0);
      case 'consent':
        return members.reduce((n, _m, i) => n + count(i, (f) => f.startsWith('consents')), 0);
      case 'review':
        // The head note is asked on two steps but is one problem.
        return steps.filter((x) => x !== 'review').reduce((n, x) => n + stepProblems(x), 0) - (headNoteError ? 1 : 0) + (reasonError ? 1 : 0);
      default: {
        const never: never = s;
        return never;
      }
    }
  }

  // --- duplicate check: as identifying details are typed (debounced), and for everyone at review.
  // The ref holds the latest state so a check can decide synchronously whether it is needed.
  const dupsRef = useRef<Record<string, DupState>>({});
  const updateDups = useCallback((fn: (prev: Record<string, DupState>) => Record<string, DupState>) => {
    dupsRef.current = fn(dupsRef.current);
    setDups(dupsRef.current);
  }, []);
  const checkMember = useCallback(
    async (m: MemberDraft, force = false) => {
      const probe = probeOf(m);
      const cur = dupsRef.current[m.key];
      if (!probe) {
        if (cur) updateDups(({ [m.key]: _gone, ...rest }) => rest);
        return;
      }
      const signature = JSON.stringify(probe);
      if (!force && cur && cur.signature === signature && (cur.result || cur.checking)) return;
      updateDups((prev) => ({ ...prev, [m.key]: { signature, checking: true, result: cur?.result ?? null, error: null } }));
      try {
        const found = await registryApi.duplicateCheck(probe);
        updateDups((prev) => (prev[m.key]?.signature === signature ? { ...prev, [m.key]: { signature, checking: false, result: found, error: null } } : prev));
      } catch (error) {
        updateDups((prev) => (prev[m.key]?.signature === signature ? { ...prev, [m.key]: { signature, checking: false, result: null, error } } : prev));
      }
    },
    [updateDups],
  );

  const signatures = members.map((m) => `${m.key}:${JSON.stringify(probeOf(m))}`).join('|');
  useEffect(() => {
    if (result) return;
    const timer = setTimeout(() => {
      for (const m of members) void checkMember(m);
    }, 700);
    return () => clearTimeout(timer);
    // Only identifying details matter: `signatures` changes exactly when one of them does.
  }, [signatures]);

  useEffect(() => {
    if (step === 'review') for (const m of members) void checkMember(m);
  }, [step]);

  const allChecked = members.every((m) => !probeOf(m) || (dups[m.key] && !dups[m.key]!.checking && dups[m.key]!.signature === JSON.stringify(probeOf(m))));

  // --- navigation
  const stepIndex = steps.indexOf(step);
  function go(to: Step) {
    setStep(to);
  }
  function next() {
    setAttempted((prev) => new Set(prev).add(step));
    if (stepProblems(step) > 0) {
      // Focus the first invalid control so the user lands on what needs fixing.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.wizard [aria-invalid="true"]')?.focus());
      return;
    }
    const to = steps[stepIndex + 1];
    if (to) go(to);
  }
  function back() {
    const to = steps[stepIndex - 1];
    if (to) go(to);
  }

  function addMember() {
    const rel = members.length === 1 ? 'spouse' : 'child';
    const m = emptyMember(rel, uiLang, { familyName: head.familyName, nationality: head.nationality, populationGroup: head.populationGroup, countryOfBirth: '' });
    setMembers((prev) => [...prev, m]);
    setExpanded(m.key);
  }
  function removeMember(i: number) {
    const gone = members[i]?.key;
    if (gone) updateDups(({ [gone]: _gone, ...rest }) => rest);
    setMembers((prev) => prev.filter((_, j) => j !== i));
    setFromServer({});
  }
  function makeHead(i: number) {
    setMembers((prev) => {
      const chosen = prev[i]!;
      const rest = prev.filter((_, j) => j !== i).map((m) => (m.relationship === 'head' ? { ...m, relationship: '' as const } : m));
      return [{ ...chosen, relationship: 'head' }, ...rest];
    });
    setFromServer({});
  }

  async function save() {
    setAttempted(new Set(steps));
    setSaveError(null);
    if (stepProblems('review') > 0 || !allChecked) return;
    const body = {
      officeId,
      headNote: childHead ? headNote.trim() : null,
      // With the reason, the people the check showed for each member: the officer judged them to be someone else.
      members: effectiveMembers.map((m) => ({ ...memberInput(m, withNeeds), ...(dupRequired ? { notDuplicateOf: (dups[m.key]?.result?.candidates ?? []).map((c) => c.person.id) } : {}) })),
      notDuplicateReason: dupRequired ? reason.trim() : null,
    };
    const parsed = RegistrationSchema.safeParse(body);
    if (!parsed.success) {
      setFromServer(issuesToErrors(t, parsed.error.issues, body));
      setSaveError(new Error('invalid'));
      return;
    }
    setSaving(true);
    try {
      const saved = await registryApi.register(body as Parameters<typeof registryApi.register>[0]);
      setResult({ saved, names: members.map((m) => personName({ givenName: m.givenName.trim(), middleName: m.middleName.trim(), familyName: m.familyName.trim() })) });
    } catch (err) {
      setSaveError(err);
      if (isApiError(err)) {
        setFromServer(serverErrors(t, err.errors));
        // The registry changed since the check (someone registered a match): check again.
        if (err.status === 409) for (const m of members) void checkMember(m, true);
      }
    } finally {
      setSaving(false);
    }
  }

  function restart() {
    setMembers([emptyMember('head', uiLang)]);
    setHeadNote('');
    setTouched(new Set());
    setAttempted(new Set());
    updateDups(() => ({}));
    setReason('');
    setFromServer({});
    setSaveError(null);
    setResult(null);
    setStep('person');
  }

  // --- rendering

  if (result) {
    return (
      <div className="page wizard">
        <PageHeader title={t('registry.register.savedTitle')} />
        <Alert tone="success" title={t('registry.register.saved')} testId="registration-saved">
          {t('registry.register.savedHint')}
        </Alert>
        <section className="card" aria-labelledby="saved-title">
          <h2 id="saved-title" ref={headingRef} tabIndex={-1} className="section-title">
            {t('registry.register.ids')}
          </h2>
          <ul className="saved-list" data-testid="registration-ids">
            {result.saved.people.map((p, i) => (
              <li key={p.id} className="saved-list__item" data-testid="registration-id-row">
                <span className="saved-list__name">{result.names[i]}</span>
                <span className="code-chip saved-list__id" data-testid="registration-id">
                  {p.registrationId}
                </span>
                <span className="button-row">
                  <Link to={`/registry/people/${p.id}`} className="btn btn--secondary btn--small" data-testid="registration-open">
                    {t('registry.register.openPerson')}
                  </Link>
                  <a href={slipUrl(p.id)} target="_blank" rel="noopener" className="btn btn--ghost btn--small" data-testid="registration-slip">
                    {t('registry.person.printSlip')}
                    <span className="visually-hidden"> {t('registry.opensInNewTab')}</span>
                  </a>
                </span>
              </li>
            ))}
          </ul>
          <div className="button-row button-row--end">
            <Link to={`/registry/households/${result.saved.householdId}`} className="btn btn--secondary" data-testid="registration-household">
              {t('registry.register.openHousehold')}
            </Link>
            <button type="button" className="btn btn--primary" onClick={restart} data-testid="registration-another">
              {t('registry.register.another')}
            </button>
          </div>
        </section>
      </div>
    );
  }

  const stepTitle = t(`registry.step.${step}`);
  const problems = attempted.has(step) ? stepProblems(step) : 0;

  return (
    <div className="page wizard">
      <PageHeader
        title={t('registry.register.title')}
        description={t('registry.register.intro')}
        back={
          <Link to="/registry" className="back-link">
            {t('registry.search.title')}
          </Link>
        }
      />

      <nav aria-label={t('registry.register.stepsLabel')}>
        <ol className="wizard-steps">
          {steps.map((s, i) => {
            const state = i < stepIndex ? 'done' : i === stepIndex ? 'current' : 'todo';
            const reachable = i <= stepIndex || steps.slice(0, i).every((x) => stepProblems(x) === 0);
            return (
              <li key={s} className={`wizard-steps__item wizard-steps__item--${state}`}>
                <button
                  type="button"
                  className="wizard-steps__button"
                  aria-current={state === 'current' ? 'step' : undefined}
                  disabled={!reachable || state === 'current'}
                  onClick={() => go(s)}
                  data-testid={`wizard-step-${s}`}
                >
                  <span className="wizard-steps__n" aria-hidden="true">
                    {fmt.number(i + 1)}
                  </span>
                  <span>
                    <span className="visually-hidden">{t('registry.register.stepN', { n: i + 1, total: steps.length })} </span>
                    {t(`registry.step.${s}`)}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      <section className="card stack" aria-labelledby="wizard-step-title" data-testid={`wizard-${step}`}>
        <h2 id="wizard-step-title" ref={headingRef} tabIndex={-1} className="section-title">
          {stepTitle}
        </h2>
        {problems > 0 && (
          <Alert tone="error" testId="wizard-problems">
            {t('registry.register.fixProblems', { n: fmt.number(problems) })}
          </Alert>
        )}

        {step === 'person' && (
          <>
            <p className="muted">{t('registry.register.personIntro')}</p>
            {officesError ? <Alert tone="error">{errorMessage(t, officesError)}</Alert> : null}
            {offices === null ? (
              <Loading />
            ) : offices.length === 0 ? (
              <Alert tone="warning">{t('registry.register.noOffice')}</Alert>
            ) : (
              <SelectField
                id="wizard-office"
                label={t('registry.register.office')}
                required
                value={officeId}
                onChange={(e) => setOfficeId(e.target.value)}
                error={attempted.has('person') && !officeId ? t('validation.required') : (fromServer['officeId'] ?? undefined)}
                data-testid="wizard-office"
              >
                <option value="">{t('common.choose')}</option>
                {offices.map((o) => (
                  <option key={o.id} value={o.id}>
                    {officeOptionLabel(o)}
                  </option>
                ))}
              </SelectField>
            )}
            <PersonFields idPrefix="member-0" value={head} onChange={(v) => updateMember(0, v)} errors={visibleErrors(0)} onTouch={touch(head)} />
            {childHead && (
              <TextAreaField
                id="wizard-head-note"
                label={t('registry.household.headNote')}
                hint={t('registry.household.headNoteHint')}
                required
                rows={2}
                value={headNote}
                onChange={(e) => setHeadNote(e.target.value)}
                error={attempted.has('person') || headNote ? headNoteError : undefined}
                data-testid="wizard-head-note"
              />
            )}
            <DupStatus state={dups[head.key]} />
          </>
        )}

        {step === 'documents' && (
          <>
            <p className="muted">{t('registry.register.documentsIntro', { name: personName(head) })}</p>
            <DocumentsEditor
              idPrefix="member-0"
              value={head.documents}
              onChange={(documents) => updateMember(0, { documents })}
              errors={visibleErrors(0)}
              onTouch={touch(head)}
            />
            <DupStatus state={dups[head.key]} />
          </>
        )}

        {step === 'household' && (
          <>
            <p className="muted">{t('registry.register.householdIntro')}</p>
            <ol className="member-list">
              {members.map((m, i) => {
                const errs = visibleErrors(i);
                const nErrors = Object.keys(memberErrors[i] ?? {}).filter((f) => !f.startsWith('specificNeeds') && !f.startsWith('consents')).length;
                const open = i > 0 && expanded === m.key;
                const name = personName(m) || t('registry.register.unnamed');
                return (
                  <li key={m.key} className="member-card" data-testid={`member-card-${i}`}>
                    <div className="member-card__head">
                      <div>
                        <h3 className="subsection-title">
                          {t('registry.register.memberN', { n: fmt.number(i + 1) })}: <bdi>{name}</bdi>
                        </h3>
                        <p className="muted">
                          {i === 0 ? t('registry.relationship.head') : m.relationship ? t(`registry.relationship.${m.relationship}`) : t('registry.register.noRelationship')}
                          {m.dateOfBirth && ` · ${fmt.date(m.dateOfBirth)}`}
                          {m.sex && ` · ${t(`registry.sex.${m.sex}`)}`}
                        </p>
                        {nErrors > 0 && (attempted.has('household') || i === 0) && <p className="field__error">{t('registry.register.memberProblems', { n: fmt.number(nErrors) })}</p>}
                      </div>
                      <div className="button-row">
                        {i === 0 ? (
                          <button type="button" className="btn btn--ghost btn--small" onClick={() => go('person')}>
                            {t('registry.register.editHead')}
                          </button>
                        ) : (
                          <>
                            <button
                              type="button"
                              className="btn btn--secondary btn--small"
                              aria-expanded={open}
                              aria-controls={`member-${i}-form`}
                              onClick={() => setExpanded(open ? null : m.key)}
                              data-testid={`member-${i}-toggle`}
                            >
                              {open ? t('registry.register.doneEditing') : t('registry.register.editMember')}
                            </button>
                            <button type="button" className="btn btn--ghost btn--small" onClick={() => makeHead(i)} data-testid={`member-${i}-make-head`}>
                              {t('registry.household.makeHead')}
                            </button>
                            <ConfirmButton
                              danger
                              question={t('registry.register.removeQuestion', { name })}
                              confirmLabel={t('common.remove')}
                              onConfirm={() => removeMember(i)}
                              testId={`member-${i}-remove`}
                            >
                              {t('common.remove')}
                            </ConfirmButton>
                          </>
                        )}
                      </div>
                    </div>
                    {open && (
                      <div id={`member-${i}-form`} className="stack member-card__body">
                        <SelectField
                          id={`member-${i}-relationship`}
                          label={t('registry.field.relationship')}
                          hint={t('registry.field.relationshipHint', { name: personName(head) || t('registry.relationship.head') })}
                          required
                          autoFocus
                          value={m.relationship}
                          onChange={(e) => updateMember(i, { relationship: e.target.value as MemberDraft['relationship'] })}
                          error={errs['relationship']}
                          data-testid={`member-${i}-relationship`}
                        >
                          <option value="">{t('common.choose')}</option>
                          {RELATIONSHIPS.filter((r) => r !== 'head').map((r) => (
                            <option key={r} value={r}>
                              {t(`registry.relationship.${r}`)}
                            </option>
                          ))}
                        </SelectField>
                        <PersonFields idPrefix={`member-${i}`} value={m} onChange={(v) => updateMember(i, v)} errors={errs} onTouch={touch(m)} />
                        <fieldset className="fieldset">
                          <legend className="fieldset__legend">{t('registry.step.documents')}</legend>
                          <DocumentsEditor idPrefix={`member-${i}`} value={m.documents} onChange={(documents) => updateMember(i, { documents })} errors={errs} onTouch={touch(m)} />
                        </fieldset>
                        <DupStatus state={dups[m.key]} />
                      </div>
                    )}
                    {!open && i > 0 && dups[m.key]?.result && <DupStatus state={dups[m.key]} />}
                  </li>
                );
              })}
            </ol>
            {childHead && (
              // A child made head here needs the note too; it is the same note as on the first step.
              <TextAreaField
                id="wizard-head-note-household"
                label={t('registry.household.headNote')}
                hint={t('registry.household.headNoteFor', { name: personName(head) })}
                required
                rows={2}
                value={headNote}
                onChange={(e) => setHeadNote(e.target.value)}
                error={attempted.has('person') || attempted.has('household') || headNote ? headNoteError : undefined}
                data-testid="wizard-head-note-household"
              />
            )}
            {members.length < 30 && (
              <div>
                <button type="button" className="btn btn--secondary" onClick={addMember} data-testid="wizard-add-member">
                  {t('registry.register.addMember')}
                </button>
              </div>
            )}
          </>
        )}

        {step === 'needs' && (
          <>
            <p className="muted">{t('registry.register.needsIntro')}</p>
            {members.map((m, i) => (
              <details key={m.key} className="member-details" open={i === 0} data-testid={`needs-member-${i}`}>
                <summary className="member-details__summary">
                  <bdi>{personName(m) || t('registry.register.unnamed')}</bdi>
                  {m.needs.needs.length > 0 && <span className="muted"> · {t('registry.needs.count', { n: fmt.number(m.needs.needs.length) })}</span>}
                </summary>
                <NeedsEditor
                  idPrefix={`member-${i}`}
                  value={m.needs}
                  onChange={(needs) => updateMember(i, { needs })}
                  error={visibleErrors(i)['specificNeeds.note']}
                />
              </details>
            ))}
          </>
        )}

        {step === 'consent' && (
          <>
            <p className="muted">{t('registry.register.consentIntro')}</p>
            {members.length > 1 && (
              <Checkbox
                id="wizard-same-consent"
                label={t('registry.register.sameConsent', { name: personName(head) })}
                checked={sameConsent}
                onChange={setSameConsent}
                testId="wizard-same-consent"
              />
            )}
            {(sameConsent ? [head] : members).map((m, i) => (
              <fieldset key={m.key} className="fieldset">
                <legend className="fieldset__legend">
                  {sameConsent && members.length > 1 ? t('registry.register.consentEveryone') : <bdi>{personName(m) || t('registry.register.unnamed')}</bdi>}
                </legend>
                <ConsentEditor
                  idPrefix={`member-${i}`}
                  value={m.consents}
                  onChange={(consents) => updateMember(i, { consents })}
                  errors={scoped(visibleErrors(i), 'consents.')}
                />
              </fieldset>
            ))}
          </>
        )}

        {step === 'review' && (
          <Review
            members={effectiveMembers}
            officeLabel={offices?.find((o) => o.id === officeId)?.name ?? ''}
            headNote={childHead ? headNote : ''}
            withNeeds={withNeeds}
            lang={lang}
            onEdit={go}
            memberErrors={members.map((_, i) => visibleErrors(i))}
          />
        )}

        {step === 'review' && (
          <section className="stack" aria-labelledby="dup-title">
            <h3 id="dup-title" className="subsection-title">
              {t('registry.dup.checkTitle')}
            </h3>
            {!allChecked && <Loading label={t('registry.dup.checking')} />}
            {members.map((m) => {
              const d = dups[m.key];
              if (!d) return null;
              return (
                <div key={m.key} className="stack">
                  {d.error ? <Alert tone="error">{errorMessage(t, d.error)}</Alert> : null}
                  {d.result && (d.result.candidates.length > 0 || d.result.elsewhere > 0) && (
                    <>
                      <p>
                        <strong>
                          <bdi>{personName(m)}</bdi>
                        </strong>
                      </p>
                      <DuplicatePanel result={d.result} testId="review-duplicates" />
                    </>
                  )}
                </div>
              );
            })}
            {allChecked && !dupRequired && (
              <p className="muted" data-testid="dup-none">
                {t('registry.dup.none')}
              </p>
            )}
            {dupRequired && (
              <TextAreaField
                id="wizard-not-duplicate"
                label={t('registry.dup.reason')}
                hint={t('registry.dup.reasonHint')}
                required
                rows={3}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                error={attempted.has('review') ? (reasonError ?? fromServer['notDuplicateReason']) : undefined}
                data-testid="wizard-not-duplicate"
              />
            )}
          </section>
        )}

        {saveError ? (
          <Alert tone="error" testId="wizard-save-error">
            {isApiError(saveError) ? errorMessage(t, saveError) : t('validation.fixErrors')}
          </Alert>
        ) : null}

        <div className="wizard__nav">
          {stepIndex > 0 && (
            <button type="button" className="btn btn--ghost" onClick={back} data-testid="wizard-back">
              {t('registry.register.back')}
            </button>
          )}
          {step !== 'review' ? (
            <button type="button" className="btn btn--primary" onClick={next} data-testid="wizard-next">
              {t('registry.register.continue')}
            </button>
          ) : (
            <button type="button" className="btn btn--primary" onClick={() => void save()} disabled={saving || !allChecked} data-testid="wizard-save">
              {saving ? t('common.saving') : t('registry.register.save', { n: fmt.number(members.length) })}
            </button>
          )}
        </div>
      </section>
    </div>
  );
}

/** The live duplicate check under a form: quiet while nothing is found. */
function DupStatus({ state }: { state: DupState | undefined }) {
  const { t } = useTranslation();
  if (!state) return null;
  return (
    <div aria-live="polite">
      {state.checking && !state.result && <Loading label={t('registry.dup.checking')} />}
      {state.result && <DuplicatePanel result={state.result} testId="live-duplicates" />}
    </div>
  );
}

interface ReviewProps {
  members: MemberDraft[];
  officeLabel: string;
  headNote: string;
  withNeeds: boolean;
  lang: string;
  onEdit: (step: Step) => void;
  memberErrors: Errors[];
}

function Review({ members, officeLabel, headNote, withNeeds, lang, onEdit, memberErrors }: ReviewProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="stack" data-testid="review-summary">
      <dl className="facts facts--inline">
        <div>
          <dt>{t('registry.register.office')}</dt>
          <dd>{officeLabel}</dd>
        </div>
        <div>
          <dt>{t('registry.household.size')}</dt>
          <dd>{fmt.number(members.length)}</dd>
        </div>
        {headNote && (
          <div>
            <dt>{t('registry.household.headNote')}</dt>
            <dd>{headNote}</dd>
          </div>
        )}
      </dl>
      <div className="table-wrap" role="region" aria-labelledby="review-caption" tabIndex={0}>
        <table className="table table--compact table--responsive">
          <caption id="review-caption" className="visually-hidden">
            {t('registry.register.reviewCaption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('registry.col.name')}</th>
              <th scope="col">{t('registry.field.relationship')}</th>
              <th scope="col">{t('registry.col.sexAge')}</th>
              <th scope="col">{t('registry.field.nationality')}</th>
              <th scope="col">{t('registry.step.documents')}</th>
              {withNeeds && <th scope="col">{t('registry.step.needs')}</th>}
              <th scope="col">{t('registry.step.consent')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m, i) => {
              const granted = Object.entries(m.consents).filter(([, c]) => c.answer === 'yes');
              const problems = Object.keys(memberErrors[i] ?? {});
              return (
                <tr key={m.key} data-testid="review-row">
                  <td data-label={t('registry.col.name')}>
                    <strong>
                      <bdi>{personName(m)}</bdi>
                    </strong>
                    {m.fullNameOriginal && (
                      <div>
                        <bdi>{m.fullNameOriginal}</bdi>
                      </div>
                    )}
                    {problems.length > 0 && (
                      <div className="field__error">
                        {t('registry.register.memberProblems', { n: fmt.number(problems.length) })}{' '}
                        <button type="button" className="btn btn--link" onClick={() => onEdit(stepOfField(i, problems[0]!))}>
                          {t('registry.register.fix')}
                        </button>
                      </div>
                    )}
                  </td>
                  <td data-label={t('registry.field.relationship')}>{m.relationship ? t(`registry.relationship.${m.relationship}`) : '—'}</td>
                  <td data-label={t('registry.col.sexAge')}>
                    {m.sex ? t(`registry.sex.${m.sex}`) : '—'}
                    {m.dateOfBirth && `, ${fmt.date(m.dateOfBirth)}`}
                    {m.dobPrecision !== 'exact' && m.dateOfBirth && ` (${t(`registry.dobPrecision.${m.dobPrecision}`)})`}
                  </td>
                  <td data-label={t('registry.field.nationality')}>{m.nationality ? countryName(m.nationality, lang) : '—'}</td>
                  <td data-label={t('registry.step.documents')}>
                    {m.documents.length === 0
                      ? '—'
                      : m.documents.map((d) => (
                          <div key={d.key}>
                            {d.type ? t(`registry.documentType.${d.type}`) : ''} <span className="code-chip">{d.number}</span>
                          </div>
                        ))}
                  </td>
                  {withNeeds && (
                    <td data-label={t('registry.step.needs')}>
                      {needsSummary(m, t)}
                    </td>
                  )}
                  <td data-label={t('registry.step.consent')}>{granted.length === 0 ? t('registry.consent.noneGranted') : granted.map(([p]) => t(`registry.consentPurpose.${p}`)).join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="button-row">
        {(['person', 'documents', 'household', ...(withNeeds ? (['needs'] as const) : []), 'consent'] as Step[]).map((s) => (
          <button key={s} type="button" className="btn btn--ghost btn--small" onClick={() => onEdit(s)}>
            {t('registry.register.editStep', { step: t(`registry.step.${s}`) })}
          </button>
        ))}
      </div>
    </div>
  );
}

/** The needs a member will be registered with (disability following the answers), in words. */
function needsSummary(m: MemberDraft, t: TFunction): string {
  const wg = Object.fromEntries(Object.entries(m.needs.washingtonGroup).filter(([, v]) => Boolean(v)));
  const needs = effectiveNeeds({ needs: m.needs.needs, washingtonGroup: Object.keys(wg).length > 0 ? wg : null, note: null });
  if (needs.length > 0) return needs.map((n) => t(`registry.need.${n}`)).join(', ');
  return Object.keys(wg).length > 0 ? t('registry.wg.answeredOnly') : '—';
}
