/**
 * One person: everything recorded about them, documents (add, correct, remove) and consent (record, withdraw),
 * their household, specific needs when present and allowed, the change history, and — for
 * data-protection officers — who viewed the record. Editing keeps the version read; when someone
 * else saved first, the user reloads their changes without losing what they typed.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { CONSENT_METHODS, CONSENT_PURPOSES, DocumentInputSchema, WG_DOMAINS, ConsentInputSchema } from '@passage/domain/registry/model';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useSession } from '../../app/session.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, ConfirmButton, Loading, PageHeader, SelectField } from '../../ui/index.ts';
import { DocumentFields } from './DocumentFields.tsx';
import { RadioGroup } from './FormControls.tsx';
import { NeedsEditor } from './NeedsEditor.tsx';
import { PersonFields } from './PersonFields.tsx';
import { Tabs } from './Tabs.tsx';
import { countryName, languageName, personName, useLang, useLanguageOptions } from './labels.ts';
import {
  changedDocumentFields,
  changedFields,
  documentDraftFrom,
  documentInput,
  documentUpdateBody,
  draftFromPerson,
  emptyDocument,
  needsDraftFromPerson,
  needsInput,
  personFields,
  rebase,
  rebaseDocument,
  updateBody,
  validateUpdate,
  type ConsentMethod,
  type DocumentDraft,
  type NeedsDraft,
  type PersonDraft,
} from './person-draft.ts';
import { registryApi, slipUrl, type PersonChange, type PersonDto, type PersonView } from './registry-api.ts';
import { issuesToErrors, serverErrors, type Errors } from './validation.ts';
import { MergedBanner, MergesCard, usePersonMerges } from '../match/PersonMerges.tsx';
import { PersonCases } from '../cases/PersonCases.tsx';
import './registry.css';

type Notice = { tone: 'success' | 'error' | 'warning' | 'info'; text: string } | null;

export default function PersonPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const [person, setPerson] = useState<PersonDto | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [tab, setTab] = useState('details');
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const merges = usePersonMerges(id);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoadError(null);
      try {
        const p = await registryApi.person(id, signal);
        setPerson(p);
        return p;
      } catch (err) {
        if (!signal?.aborted) setLoadError(err);
        return null;
      }
    },
    [id],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    setPerson(null);
    setEditing(false);
    setTab('details');
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  if (loadError) {
    return (
      <div className="page">
        <PageHeader title={t('registry.person.title')} back={<BackToSearch />} />
        <MergedBanner personId={id} state={merges} />
        <Alert tone="error" testId="person-error">
          {isApiError(loadError) && loadError.status === 404 ? t('registry.person.notFound') : errorMessage(t, loadError)}
        </Alert>
      </div>
    );
  }
  if (!person) return <Loading block />;

  const name = personName(person);
  const mayEdit = can('registry.register');
  const tabs = [
    { id: 'details', label: t('registry.person.tabDetails') },
    { id: 'history', label: t('registry.person.tabHistory') },
    ...(can('audit.read') ? [{ id: 'views', label: t('registry.person.tabViews') }] : []),
  ];

  return (
    <div className="page" data-testid="person-page">
      <PageHeader
        title={name}
        back={<BackToSearch />}
        description={
          <span className="person-header__ids">
            <span className="code-chip" data-testid="person-registration-id">
              {person.registrationId}
            </span>
            {person.fullNameOriginal && (
              <bdi className="person-header__original" data-testid="person-original-name">
                {person.fullNameOriginal}
              </bdi>
            )}
            <Badge tone="neutral">{person.officeCode}</Badge>
          </span>
        }
        actions={
          <>
            <a href={slipUrl(person.id)} target="_blank" rel="noopener" className="btn btn--secondary" data-testid="person-slip">
              {t('registry.person.printSlip')}
              <span className="visually-hidden"> {t('registry.opensInNewTab')}</span>
            </a>
            {mayEdit && !editing && (
              <button
                type="button"
                className="btn btn--primary"
                onClick={() => {
                  setNotice(null);
                  setTab('details');
                  setEditing(true);
                }}
                data-testid="person-edit"
              >
                {t('registry.person.edit')}
              </button>
            )}
          </>
        }
      />

      {notice && (
        <Alert tone={notice.tone} testId="person-notice">
          {notice.text}
        </Alert>
      )}
      <MergedBanner personId={person.id} state={merges} />

      <Tabs idPrefix="person" label={t('registry.person.tabsLabel')} tabs={tabs} selected={tab} onSelect={setTab}>
        {tab === 'details' &&
          (editing ? (
            <EditPerson
              person={person}
              onSaved={(p) => {
                setPerson(p);
                setEditing(false);
                setNotice({ tone: 'success', text: t('registry.person.saved') });
              }}
              onCancel={() => setEditing(false)}
              reload={() => load()}
            />
          ) : (
            <Details person={person} onChange={setPerson} mayEdit={mayEdit} />
          ))}
        {tab === 'history' && <History personId={person.id} />}
        {tab === 'views' && <Views personId={person.id} />}
      </Tabs>
      <MergesCard personId={person.id} state={merges} onChanged={() => void load()} />
    </div>
  );
}

function BackToSearch() {
  const { t } = useTranslation();
  return (
    <Link to="/registry" className="back-link">
      {t('registry.search.title')}
    </Link>
  );
}

function Details({ person, onChange, mayEdit }: { person: PersonDto; onChange: (p: PersonDto) => void; mayEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  const dash = <span className="muted">—</span>;
  const needs = person.specificNeeds;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="person-facts-title">
        <h2 id="person-facts-title" className="section-title">
          {t('registry.person.facts')}
        </h2>
        <dl className="facts facts--grid" data-testid="person-facts">
          <Fact label={t('registry.field.givenName')}>{person.givenName}</Fact>
          <Fact label={t('registry.field.middleName')}>{person.middleName ?? dash}</Fact>
          <Fact label={t('registry.field.familyName')}>{person.familyName ?? dash}</Fact>
          <Fact label={t('registry.field.fullNameOriginal')}>{person.fullNameOriginal ? <bdi>{person.fullNameOriginal}</bdi> : dash}</Fact>
          <Fact label={t('registry.field.aliases')}>{person.aliases.length > 0 ? person.aliases.join(', ') : dash}</Fact>
          <Fact label={t('registry.field.sex')}>{t(`registry.sex.${person.sex}`)}</Fact>
          <Fact label={t('registry.field.dateOfBirth')}>
            {person.dateOfBirth ? (
              <>
                {fmt.date(person.dateOfBirth)}
                {person.dobPrecision !== 'exact' && ` (${t(`registry.dobPrecision.${person.dobPrecision}`)})`}
                {person.age !== null && ` · ${t('registry.ageShort', { age: fmt.number(person.age) })}`}
              </>
            ) : (
              dash
            )}
          </Fact>
          <Fact label={t('registry.field.nationality')}>{person.nationality ? countryName(person.nationality, lang) : dash}</Fact>
          <Fact label={t('registry.field.countryOfBirth')}>{person.countryOfBirth ? countryName(person.countryOfBirth, lang) : dash}</Fact>
          <Fact label={t('registry.field.populationGroup')}>{t(`registry.populationGroup.${person.populationGroup}`)}</Fact>
          <Fact label={t('registry.field.languages')}>{person.languages.length > 0 ? person.languages.map((l) => languageName(l, lang)).join(', ') : dash}</Fact>
          <Fact label={t('registry.field.phones')}>
            {person.phones.length > 0 ? (
              <ul className="inline-list">
                {person.phones.map((p) => (
                  <li key={p} dir="ltr" className="cell-ltr">
                    {p}
                  </li>
                ))}
              </ul>
            ) : (
              dash
            )}
          </Fact>
          <Fact label={t('registry.field.adminAreaCode')}>{person.adminAreaCode ? <span className="code-chip">{person.adminAreaCode}</span> : dash}</Fact>
          <Fact label={t('registry.field.externalId')}>{person.externalId ? <span className="code-chip">{person.externalId}</span> : dash}</Fact>
          <Fact label={t('registry.person.registeredAt')}>{fmt.dateTime(person.createdAt)}</Fact>
          <Fact label={t('registry.person.updatedAt')}>{fmt.dateTime(person.updatedAt)}</Fact>
        </dl>
      </section>

      <section className="card" aria-labelledby="person-household-title">
        <h2 id="person-household-title" className="section-title">
          {t('registry.household.title')}
        </h2>
        {person.householdId ? (
          <p>
            {person.relationship && <>{t('registry.person.relationshipIs', { relationship: t(`registry.relationship.${person.relationship}`) })} </>}
            <Link to={`/registry/households/${person.householdId}`} data-testid="person-household-link">
              {t('registry.person.openHousehold')}
            </Link>
          </p>
        ) : (
          <p className="muted">{t('registry.person.noHousehold')}</p>
        )}
      </section>

      {!person.specificNeedsHidden && needs && (needs.effective.length > 0 || needs.washingtonGroup || needs.note) && (
        <section className="card" aria-labelledby="person-needs-title" data-testid="person-needs">
          <h2 id="person-needs-title" className="section-title">
            {t('registry.step.needs')}
          </h2>
          <div className="stack">
            {needs.effective.length > 0 ? (
              <ul className="inline-list">
                {needs.effective.map((n) => (
                  <li key={n}>
                    <Badge tone="warning">{t(`registry.need.${n}`)}</Badge>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t('registry.needs.noneListed')}</p>
            )}
            {needs.washingtonGroup && (
              <dl className="facts facts--grid">
                {WG_DOMAINS.filter((d) => needs.washingtonGroup?.[d]).map((d) => (
                  <Fact key={d} label={t(`registry.wg.domain.${d}`)}>
                    {t(`registry.wg.level.${needs.washingtonGroup![d]!}`)}
                  </Fact>
                ))}
              </dl>
            )}
            {needs.note && <p className="note">{needs.note}</p>}
          </div>
        </section>
      )}

      <PersonCases personId={person.id} officeId={person.officeId} />

      <DocumentsCard person={person} onChange={onChange} mayEdit={mayEdit} />
      <ConsentsCard person={person} onChange={onChange} mayEdit={mayEdit} />
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function DocumentsCard({ person, onChange, mayEdit }: { person: PersonDto; onChange: (p: PersonDto) => void; mayEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  const [adding, setAdding] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [draft, setDraft] = useState<DocumentDraft>(emptyDocument);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const returnFocusTo = useRef<string | null>(null);

  /** Closes a document's edit form; focus goes back to its Edit button once the list shows it again. */
  function stopEditing(documentId: string) {
    returnFocusTo.current = documentId;
    setEditingId(null);
  }
  useEffect(() => {
    const id = returnFocusTo.current;
    if (editingId !== null || id === null) return;
    returnFocusTo.current = null;
    listRef.current?.querySelector<HTMLElement>(`[data-document-id="${id}"] [data-testid="person-document-edit"]`)?.focus();
  }, [editingId]);

  const docInput = documentInput(draft);
  const parsed = DocumentInputSchema.safeParse(docInput);
  const errors = { ...(submitted && !parsed.success ? issuesToErrors(t, parsed.error.issues, docInput) : {}), ...server };

  async function add(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!parsed.success) return;
    setBusy(true);
    try {
      onChange(await registryApi.addDocument(person.id, parsed.data));
      setAdding(false);
      setDraft(emptyDocument());
      setSubmitted(false);
      setServer({});
    } catch (err) {
      setError(err);
      if (isApiError(err)) setServer(serverErrors(t, err.errors));
    } finally {
      setBusy(false);
    }
  }

  async function remove(documentId: string) {
    setError(null);
    try {
      onChange(await registryApi.removeDocument(person.id, documentId));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card stack" aria-labelledby="person-docs-title" data-testid="person-documents">
      <h2 id="person-docs-title" className="section-title">
        {t('registry.step.documents')}
      </h2>
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      <p className="visually-hidden" role="status" data-testid="person-documents-status">
        {status}
      </p>
      {person.documents.length === 0 ? (
        <p className="muted">{t('registry.document.none')}</p>
      ) : (
        <ul className="item-list" ref={listRef}>
          {person.documents.map((d) =>
            editingId === d.id ? (
              <li key={d.id} className="item-list__item item-list__item--form" data-testid="person-document" data-document-id={d.id}>
                <EditDocument
                  person={person}
                  document={d}
                  onSaved={(p) => {
                    onChange(p);
                    setStatus(t('registry.document.saved'));
                    stopEditing(d.id);
                  }}
                  onChange={onChange}
                  onCancel={() => stopEditing(d.id)}
                />
              </li>
            ) : (
              <li key={d.id} className="item-list__item" data-testid="person-document" data-document-id={d.id}>
                <div className="item-list__main">
                  <strong>{t(`registry.documentType.${d.type}`)}</strong>
                  <span>
                    <span className="code-chip">{d.number}</span>
                    {d.issuingCountry && ` · ${countryName(d.issuingCountry, lang)}`}
                  </span>
                  {(d.issueDate || d.expiryDate) && (
                    <span className="muted">
                      {d.issueDate && t('registry.document.issuedOn', { date: fmt.date(d.issueDate) })}
                      {d.issueDate && d.expiryDate && ' · '}
                      {d.expiryDate && t('registry.document.expiresOn', { date: fmt.date(d.expiryDate) })}
                    </span>
                  )}
                </div>
                {mayEdit && (
                  <div className="button-row">
                    <button
                      type="button"
                      className="btn btn--secondary"
                      onClick={() => {
                        setError(null);
                        setStatus('');
                        setEditingId(d.id);
                      }}
                      data-testid="person-document-edit"
                    >
                      {t('registry.document.edit')}
                      <span className="visually-hidden"> {d.number}</span>
                    </button>
                    <ConfirmButton
                      danger
                      question={t('registry.document.removeQuestion', { number: d.number })}
                      confirmLabel={t('common.remove')}
                      onConfirm={() => remove(d.id)}
                      testId="person-document-remove"
                    >
                      {t('common.remove')}
                    </ConfirmButton>
                  </div>
                )}
              </li>
            ),
          )}
        </ul>
      )}
      {mayEdit &&
        (adding ? (
          <form className="stack" onSubmit={(e) => void add(e)} noValidate aria-labelledby="person-doc-add-title">
            <h3 id="person-doc-add-title" className="subsection-title">
              {t('registry.document.add')}
            </h3>
            <DocumentFields idPrefix="person-doc" value={draft} onChange={setDraft} errors={errors} autoFocus />
            <div className="button-row">
              <button type="submit" className="btn btn--primary" disabled={busy} data-testid="person-doc-save">
                {busy ? t('common.saving') : t('registry.document.save')}
              </button>
              <button type="button" className="btn btn--ghost" onClick={() => setAdding(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        ) : (
          <div>
            <button type="button" className="btn btn--secondary" onClick={() => setAdding(true)} data-testid="person-doc-add">
              {t('registry.document.add')}
            </button>
          </div>
        ))}
    </section>
  );
}

/** An edit form's draft, the fields the user has left, and the server's field errors (dropped at the next change). */
function useEditDraft<T>(initial: T) {
  const [draft, setDraft] = useState<T>(initial);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [server, setServer] = useState<Errors>({});
  const edit = useCallback((next: T) => {
    setDraft(next);
    setServer({});
  }, []);
  const touch = useCallback((field: string) => setTouched((prev) => (prev.has(field) ? prev : new Set(prev).add(field))), []);
  return { draft, setDraft, edit, touched, touch, server, setServer };
}

/** "Changed by someone else" on an edit form: the newer record can be loaded, keeping what the user typed. */
function StaleAlert({ testId, onReload }: { testId: string; onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      tone="warning"
      title={t('registry.person.staleTitle')}
      testId={testId}
      actions={
        <button type="button" className="btn btn--secondary" onClick={onReload} data-testid={`${testId}-reload`}>
          {t('registry.person.staleReload')}
        </button>
      }
    >
      {t('registry.person.stale')}
    </Alert>
  );
}

interface EditDocumentProps {
  person: PersonDto;
  document: PersonDto['documents'][number];
  onSaved: (p: PersonDto) => void;
  /** A newer record of the person (after a stale save). */
  onChange: (p: PersonDto) => void;
  onCancel: () => void;
}

/**
 * One document's edit form: the same fields as adding one, checked as the user types with the same shared schema;
 * only the changed fields are sent, with the person's version. Someone else's save in between gets a 409: the
 * user loads the newer record and keeps their own changes on top of it.
 */
function EditDocument({ person, document: doc, onSaved, onChange, onCancel }: EditDocumentProps) {
  const { t } = useTranslation();
  const [base, setBase] = useState(() => ({ draft: documentDraftFrom(doc), version: person.version }));
  const { draft, setDraft, edit, touched, touch, server, setServer } = useEditDraft<DocumentDraft>(base.draft);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [stale, setStale] = useState<PersonDto | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = `person-doc-edit-title-${doc.id}`;

  // Other changes to the person saved meanwhile on this page raise its version without touching this document: follow them.
  useEffect(() => {
    if (person.version === base.version) return;
    const latest = person.documents.find((d) => d.id === doc.id);
    if (latest && changedDocumentFields(base.draft, documentDraftFrom(latest)).length === 0) setBase((b) => ({ ...b, version: person.version }));
  }, [person, base, doc.id]);

  const input = documentInput(draft);
  const parsed = DocumentInputSchema.safeParse(input);
  const all: Errors = parsed.success ? {} : issuesToErrors(t, parsed.error.issues, input);
  const changed = changedDocumentFields(base.draft, draft);
  const errors: Errors = { ...server };
  // As the user types: the fields changed or left, every field once saving was tried.
  for (const [k, v] of Object.entries(all)) if (submitted || touched.has(k) || (changed as string[]).includes(k)) errors[k] = v;

  async function save(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!parsed.success) {
      requestAnimationFrame(() => window.document.querySelector<HTMLElement>(`[aria-labelledby="${titleId}"] [aria-invalid="true"]`)?.focus());
      return;
    }
    setBusy(true);
    try {
      onSaved(await registryApi.updateDocument(person.id, doc.id, documentUpdateBody(base.draft, draft, parsed.data, base.version)));
    } catch (err) {
      if (isApiError(err) && err.code === 'stale_version') setStale((err.body['current'] as PersonDto | undefined) ?? null);
      else {
        setError(err);
        if (isApiError(err)) setServer(serverErrors(t, err.errors));
      }
    } finally {
      setBusy(false);
    }
  }

  /** Shows the newer record and puts the user's own changes back on top of its version of the document. */
  function loadTheirs() {
    if (!stale) return;
    const latest = stale.documents.find((d) => d.id === doc.id);
    onChange(stale);
    setStale(null);
    if (!latest) {
      onCancel();
      return;
    }
    const latestDraft = documentDraftFrom(latest);
    setDraft(rebaseDocument(base.draft, draft, latestDraft));
    setBase({ draft: latestDraft, version: stale.version });
    setServer({});
  }

  return (
    <form className="stack person-doc-edit" onSubmit={(e) => void save(e)} noValidate aria-labelledby={titleId} data-testid="person-doc-edit-form">
      <h3 id={titleId} className="subsection-title">
        {t('registry.document.editTitle')}
      </h3>
      {stale && <StaleAlert testId="person-doc-stale" onReload={loadTheirs} />}
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      <DocumentFields idPrefix="person-doc-edit" value={draft} onChange={edit} errors={errors} onTouch={touch} autoFocus />
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={busy || changed.length === 0 || stale !== null} data-testid="person-doc-edit-save">
          {busy ? t('common.saving') : t('common.saveChanges')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel} data-testid="person-doc-edit-cancel">
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function ConsentsCard({ person, onChange, mayEdit }: { person: PersonDto; onChange: (p: PersonDto) => void; mayEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  const [adding, setAdding] = useState(false);
  const [purpose, setPurpose] = useState('');
  const [answer, setAnswer] = useState<'' | 'yes' | 'no'>('');
  const [method, setMethod] = useState<ConsentMethod>('verbal');
  const [language, setLanguage] = useState<string>(currentLanguage());
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const languages = useLanguageOptions([language]);

  const consentInput = { purpose: purpose || undefined, granted: answer === '' ? undefined : answer === 'yes', method, language };
  const parsed = ConsentInputSchema.safeParse(consentInput);
  const errors = submitted && !parsed.success ? issuesToErrors(t, parsed.error.issues, consentInput) : {};

  async function record(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!parsed.success) return;
    setBusy(true);
    try {
      onChange(await registryApi.recordConsent(person.id, parsed.data));
      setAdding(false);
      setPurpose('');
      setAnswer('');
      setSubmitted(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function withdraw(consentId: string) {
    setError(null);
    try {
      onChange(await registryApi.withdrawConsent(person.id, consentId));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card stack" aria-labelledby="person-consent-title" data-testid="person-consents">
      <h2 id="person-consent-title" className="section-title">
        {t('registry.step.consent')}
      </h2>
      <p>
        {t('registry.consent.inForce')}{' '}
        {person.consentInForce.length === 0 ? (
          <span className="muted">{t('common.none')}</span>
        ) : (
          person.consentInForce.map((p) => (
            <span key={p}>
              <Badge tone="success">{t(`registry.consentPurpose.${p}`)}</Badge>{' '}
            </span>
          ))
        )}
      </p>
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      {person.consents.length > 0 && (
        <div className="table-wrap" role="region" aria-labelledby="consent-caption" tabIndex={0}>
          <table className="table table--compact table--responsive">
            <caption id="consent-caption" className="visually-hidden">
              {t('registry.consent.records')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('registry.consent.purpose')}</th>
                <th scope="col">{t('registry.consent.answer')}</th>
                <th scope="col">{t('registry.consent.method')}</th>
                <th scope="col">{t('registry.consent.language')}</th>
                <th scope="col">{t('registry.consent.recordedAt')}</th>
                <th scope="col">{t('registry.consent.status')}</th>
              </tr>
            </thead>
            <tbody>
              {person.consents.map((c) => (
                <tr key={c.id} data-testid="person-consent">
                  <td data-label={t('registry.consent.purpose')}>{t(`registry.consentPurpose.${c.purpose}`)}</td>
                  <td data-label={t('registry.consent.answer')}>{c.granted ? t('registry.consent.granted') : t('registry.consent.refused')}</td>
                  <td data-label={t('registry.consent.method')}>{t(`registry.consentMethod.${c.method}`)}</td>
                  <td data-label={t('registry.consent.language')}>{languageName(c.language, lang)}</td>
                  <td data-label={t('registry.consent.recordedAt')}>{fmt.dateTime(c.recordedAt)}</td>
                  <td data-label={t('registry.consent.status')}>
                    {c.withdrawnAt ? (
                      <Badge tone="neutral">{t('registry.consent.withdrawnOn', { date: fmt.date(c.withdrawnAt) })}</Badge>
                    ) : c.granted && mayEdit ? (
                      <ConfirmButton
                        danger
                        question={t('registry.consent.withdrawQuestion', { purpose: t(`registry.consentPurpose.${c.purpose}`) })}
                        confirmLabel={t('registry.consent.withdraw')}
                        onConfirm={() => withdraw(c.id)}
                        testId="person-consent-withdraw"
                      >
                        {t('registry.consent.withdraw')}
                      </ConfirmButton>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {mayEdit &&
        (adding ? (
          <form className="stack" onSubmit={(e) => void record(e)} noValidate aria-labelledby="consent-add-title">
            <h3 id="consent-add-title" className="subsection-title">
              {t('registry.consent.record')}
            </h3>
            <div className="form-grid">
              <SelectField
                id="consent-purpose"
                label={t('registry.consent.purpose')}
                required
                value={purpose}
                autoFocus
                onChange={(e) => setPurpose(e.target.value)}
                error={errors['purpose']}
                data-testid="consent-purpose"
              >
                <option value="">{t('common.choose')}</option>
                {CONSENT_PURPOSES.map((p) => (
                  <option key={p} value={p}>
                    {t(`registry.consentPurpose.${p}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField id="consent-method" label={t('registry.consent.method')} value={method} onChange={(e) => setMethod(e.target.value as ConsentMethod)}>
                {CONSENT_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {t(`registry.consentMethod.${m}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField id="consent-language" label={t('registry.consent.language')} value={language} onChange={(e) => setLanguage(e.target.value)}>
                {languages.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </SelectField>
            </div>
            <RadioGroup<'yes' | 'no'>
              name="consent-answer"
              legend={t('registry.consent.answer')}
              required
              inline
              value={answer}
              options={[
                { value: 'yes', label: t('registry.consent.granted') },
                { value: 'no', label: t('registry.consent.refused') },
              ]}
              onChange={setAnswer}
              error={errors['granted']}
              testId="consent-answer"
            />
            <div className="button-row">
              <button type="submit" className="btn btn--primary" disabled={busy} data-testid="consent-save">
                {busy ? t('common.saving') : t('registry.consent.save')}
              </button>
              <button type="button" className="btn btn--ghost" onClick={() => setAdding(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        ) : (
          <div>
            <button type="button" className="btn btn--secondary" onClick={() => setAdding(true)} data-testid="consent-add">
              {t('registry.consent.record')}
            </button>
          </div>
        ))}
    </section>
  );
}

interface EditProps {
  person: PersonDto;
  onSaved: (p: PersonDto) => void;
  onCancel: () => void;
  reload: () => Promise<PersonDto | null>;
}

/** The edit form. `base` is the record as read (its version is sent); `draft` is what the user typed. */
function EditPerson({ person, onSaved, onCancel, reload }: EditProps) {
  const { t } = useTranslation();
  const { can } = useSession();
  const withNeeds = can('registry.sensitive') && !person.specificNeedsHidden;
  const [base, setBase] = useState<{ draft: PersonDraft; needs: NeedsDraft; version: number }>(() => ({
    draft: draftFromPerson(person),
    needs: needsDraftFromPerson(person),
    version: person.version,
  }));
  const { draft, setDraft, edit, touched, touch, server, setServer } = useEditDraft<PersonDraft>(base.draft);
  const [needs, setNeeds] = useState<NeedsDraft>(base.needs);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const [rebased, setRebased] = useState<{ theirs: string[]; both: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  // Documents and consent saved meanwhile raise the version without touching these fields: follow them.
  useEffect(() => {
    if (person.version === base.version) return;
    const latest = draftFromPerson(person);
    if (changedFields(base.draft, latest).length === 0) setBase((b) => ({ ...b, version: person.version }));
  }, [person, base]);

  const updateInput = { ...personFields(draft), ...(withNeeds ? { specificNeeds: needsInput(needs) } : {}), version: base.version };
  const check = validateUpdate(updateInput);
  const all: Errors = check.success ? {} : issuesToErrors(t, check.error.issues, updateInput);
  // Partial updates treat a missing value as "unchanged"; an emptied required choice is still an error here.
  if (!draft.sex) all['sex'] = t('validation.required');
  if (!draft.populationGroup) all['populationGroup'] = t('validation.required');
  const valid = Object.keys(all).length === 0;
  const errors: Errors = { ...server };
  for (const [k, v] of Object.entries(all)) if (submitted || touched.has(k)) errors[k] = v;
  const dirty = changedFields(base.draft, draft).length > 0 || (withNeeds && JSON.stringify(base.needs) !== JSON.stringify(needs));

  async function save(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!valid) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.person-edit [aria-invalid="true"]')?.focus());
      return;
    }
    const body = updateBody(base.draft, draft, base.version, withNeeds ? { before: base.needs, after: needs } : undefined);
    setBusy(true);
    try {
      onSaved(await registryApi.updatePerson(person.id, body as { version: number }));
    } catch (err) {
      if (isApiError(err) && err.code === 'stale_version') setStale(true);
      else {
        setError(err);
        if (isApiError(err)) setServer(serverErrors(t, err.errors));
      }
    } finally {
      setBusy(false);
    }
  }

  /** Loads the newer record and puts the user's own changes back on top of it. */
  async function reloadKeepingEdits() {
    const latest = await reload();
    if (!latest) return;
    const latestDraft = draftFromPerson(latest);
    const mine = changedFields(base.draft, draft);
    const theirs = changedFields(base.draft, latestDraft);
    setDraft(rebase(base.draft, draft, latestDraft));
    const latestNeeds = needsDraftFromPerson(latest);
    if (JSON.stringify(base.needs) === JSON.stringify(needs)) setNeeds(latestNeeds);
    setBase({ draft: latestDraft, needs: latestNeeds, version: latest.version });
    setRebased({ theirs: theirs.map((f) => t(`registry.field.${f}`)), both: theirs.filter((f) => mine.includes(f)).map((f) => t(`registry.field.${f}`)) });
    setStale(false);
  }

  return (
    <form className="card stack person-edit" onSubmit={(e) => void save(e)} noValidate aria-labelledby="person-edit-title" data-testid="person-edit-form">
      <h2 id="person-edit-title" className="section-title">
        {t('registry.person.editTitle')}
      </h2>
      {stale && <StaleAlert testId="person-stale" onReload={() => void reloadKeepingEdits()} />}
      {rebased && (
        <Alert tone={rebased.both.length > 0 ? 'warning' : 'info'} testId="person-rebased">
          {t('registry.person.rebased', { fields: rebased.theirs.join(', ') || t('common.none') })}
          {rebased.both.length > 0 && ` ${t('registry.person.rebasedBoth', { fields: rebased.both.join(', ') })}`}
        </Alert>
      )}
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      <PersonFields idPrefix="person-edit" value={draft} onChange={edit} errors={errors} onTouch={touch} autoFocus />
      {withNeeds && (
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t('registry.step.needs')}</legend>
          <NeedsEditor idPrefix="person-edit" value={needs} onChange={setNeeds} error={errors['specificNeeds.note']} />
        </fieldset>
      )}
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={busy || !dirty || stale} data-testid="person-edit-save">
          {busy ? t('common.saving') : t('common.saveChanges')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function History({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [items, setItems] = useState<PersonChange[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    registryApi
      .history(personId)
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [personId]);
  if (error) return <Alert tone="error">{errorMessage(t, error)}</Alert>;
  if (!items) return <Loading />;
  if (items.length === 0) return <p className="muted">{t('registry.history.empty')}</p>;
  return (
    <div className="table-wrap" role="region" aria-labelledby="history-caption" tabIndex={0}>
      <table className="table table--compact table--responsive" data-testid="person-history">
        <caption id="history-caption" className="visually-hidden">
          {t('registry.person.tabHistory')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('registry.history.when')}</th>
            <th scope="col">{t('registry.history.who')}</th>
            <th scope="col">{t('registry.history.what')}</th>
            <th scope="col">{t('registry.history.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={`${c.version}-${c.changedAt}-${c.action}`} data-testid="history-row">
              <td data-label={t('registry.history.when')} className="nowrap">
                {fmt.dateTime(c.changedAt)}
              </td>
              <td data-label={t('registry.history.who')}>{c.changedByName ?? <span className="muted">{t('audit.system')}</span>}</td>
              <td data-label={t('registry.history.what')}>{t(`registry.history.action.${c.action.replace(/\./g, '_')}`, { defaultValue: c.action })}</td>
              <td data-label={t('registry.history.changes')}>
                <ul className="change-list">
                  {Object.entries(c.changes).map(([field, change]) => (
                    <li key={field}>
                      <ChangeLine field={field} change={change} t={t} />
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Family name: Hassan → Al-Hassan"; sensitive fields say only that they changed. */
function ChangeLine({ field, change, t }: { field: string; change: unknown; t: TFunction }) {
  const label = t(`registry.field.${field}`, { defaultValue: field });
  const c = (change ?? {}) as Record<string, unknown>;
  if (c['sensitive']) return <>{t('registry.history.sensitiveChanged', { field: label })}</>;
  if (field === 'household') return <>{t('registry.history.householdChanged')}</>;
  if (!('from' in c) && !('to' in c)) {
    // A sub-record change (document, consent): its details, not a before and after.
    const parts: string[] = [];
    if (typeof c['type'] === 'string') parts.push(t(`registry.documentType.${c['type']}`, { defaultValue: c['type'] }));
    if (typeof c['purpose'] === 'string') parts.push(t(`registry.consentPurpose.${c['purpose']}`, { defaultValue: c['purpose'] }));
    if (typeof c['granted'] === 'boolean') parts.push(c['granted'] ? t('registry.consent.granted') : t('registry.consent.refused'));
    // A document changed: which of its fields, from what to what.
    const fields = c['fields'] && typeof c['fields'] === 'object' ? Object.entries(c['fields'] as Record<string, { from?: unknown; to?: unknown }>) : [];
    const docValue = (f: string, v: unknown): string => {
      if (v === null || v === undefined || v === '') return '—';
      return f === 'type' ? t(`registry.documentType.${String(v)}`, { defaultValue: String(v) }) : String(v);
    };
    return (
      <>
        <strong>{label}</strong>
        {parts.length > 0 && `: ${parts.join(', ')}`}
        {fields.length > 0 && (
          <ul className="change-list">
            {fields.map(([f, ch]) => (
              <li key={f}>
                {t(`registry.document.${f}`, { defaultValue: f })}:{' '}
                <del>
                  <bdi>{docValue(f, ch.from)}</bdi>
                </del>{' '}
                →{' '}
                <ins>
                  <bdi>{docValue(f, ch.to)}</bdi>
                </ins>
              </li>
            ))}
          </ul>
        )}
      </>
    );
  }
  const show = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (Array.isArray(v)) {
      if (v.length === 0) return '—';
      return v
        .map((x: unknown) => {
          if (x && typeof x === 'object') {
            const o = x as Record<string, unknown>;
            if (field === 'documents') return `${t(`registry.documentType.${String(o['type'])}`, { defaultValue: String(o['type']) })} ${String(o['number'] ?? '')}`;
            if (field === 'consents') return `${t(`registry.consentPurpose.${String(o['purpose'])}`, { defaultValue: String(o['purpose']) })}: ${o['granted'] ? t('registry.consent.granted') : t('registry.consent.refused')}`;
            return JSON.stringify(x);
          }
          return String(x);
        })
        .join(', ');
    }
    if (typeof v === 'object') return JSON.stringify(v);
    if (field === 'sex') return t(`registry.sex.${String(v)}`, { defaultValue: String(v) });
    if (field === 'populationGroup') return t(`registry.populationGroup.${String(v)}`, { defaultValue: String(v) });
    if (field === 'dobPrecision') return t(`registry.dobPrecision.${String(v)}`, { defaultValue: String(v) });
    return String(v);
  };
  return (
    <>
      <strong>{label}:</strong>{' '}
      {'from' in c && (
        <>
          <del>
            <bdi>{show(c['from'])}</bdi>
          </del>{' '}
          →{' '}
        </>
      )}
      <ins>
        <bdi>{show(c['to'])}</bdi>
      </ins>
    </>
  );
}

function Views({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [items, setItems] = useState<PersonView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    registryApi
      .views(personId)
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [personId]);
  if (error) return <Alert tone="error">{errorMessage(t, error)}</Alert>;
  if (!items) return <Loading />;
  if (items.length === 0) return <p className="muted">{t('registry.views.empty')}</p>;
  return (
    <div className="stack">
      <p className="muted">{t('registry.views.intro')}</p>
      <div className="table-wrap" role="region" aria-labelledby="views-caption" tabIndex={0}>
        <table className="table table--compact table--responsive" data-testid="person-views">
          <caption id="views-caption" className="visually-hidden">
            {t('registry.person.tabViews')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('registry.history.when')}</th>
              <th scope="col">{t('registry.history.who')}</th>
              <th scope="col">{t('registry.views.action')}</th>
              <th scope="col">{t('registry.views.purpose')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((v, i) => (
              <tr key={`${v.at}-${i}`}>
                <td data-label={t('registry.history.when')} className="nowrap">
                  {fmt.dateTime(v.at)}
                </td>
                <td data-label={t('registry.history.who')}>{v.actorName ?? <span className="muted">{v.actorId ?? t('audit.system')}</span>}</td>
                <td data-label={t('registry.views.action')}>
                  <code className="code-chip">{v.action}</code>
                </td>
                <td data-label={t('registry.views.purpose')}>{v.purpose ? ((CONSENT_PURPOSES as readonly string[]).includes(v.purpose) ? t(`registry.consentPurpose.${v.purpose}`) : v.purpose) : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
