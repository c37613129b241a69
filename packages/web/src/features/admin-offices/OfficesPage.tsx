import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { buildOfficeTree, flattenOfficeTree, officeOptionLabel, useOffices, type OfficeNode } from '../../lib/offices.ts';
import { OFFICE_KINDS, type Office, type OfficeKind } from '../../lib/types.ts';
import { useSession } from '../../app/session.tsx';
import { Alert, Badge, Loading, PageHeader, SelectField, TextField } from '../../ui/index.ts';

type Notice = { tone: 'success' | 'error'; text: string; stale?: boolean } | null;

function CreateOfficeForm({ offices, onCreated, onCancel }: { offices: Office[]; onCreated: (o: Office) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const flat = useMemo(() => flattenOfficeTree(buildOfficeTree(offices)), [offices]);
  const [parentId, setParentId] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OfficeKind>(offices.length === 0 ? 'global' : 'country');
  const [countryCode, setCountryCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const cc = countryCode.trim().toUpperCase();
    if (!code.trim()) errs['code'] = t('validation.required');
    else if (!/^[A-Za-z0-9_-]{2,32}$/.test(code.trim())) errs['code'] = t('validation.officeCode');
    if (!name.trim()) errs['name'] = t('validation.required');
    if (kind !== 'global' && !parentId) errs['parentId'] = t('validation.required');
    if (kind !== 'global' && !cc) errs['countryCode'] = t('validation.required');
    else if (cc && !/^[A-Z]{3}$/.test(cc)) errs['countryCode'] = t('validation.countryCode');
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length > 0) {
      setFormError(t('validation.fixErrors'));
      return;
    }
    setBusy(true);
    try {
      const created = await api.post<Office>('/api/offices', {
        parentId: parentId || null,
        code: code.trim(),
        name: name.trim(),
        kind,
        countryCode: cc || null,
      });
      onCreated(created);
    } catch (err) {
      setFormError(errorMessage(t, err));
      if (isApiError(err)) setErrors(err.fieldErrors());
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="office-create-title">
      <h2 id="office-create-title" className="section-title">
        {t('offices.createTitle')}
      </h2>
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="form-grid">
        <SelectField
          id="office-create-kind"
          label={t('offices.field.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as OfficeKind)}
          error={errors['kind']}
          data-testid="office-create-kind"
        >
          {OFFICE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`officeKinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="office-create-parent"
          label={t('offices.field.parent')}
          value={parentId}
          onChange={(e) => setParentId(e.target.value)}
          error={errors['parentId']}
          required={kind !== 'global'}
          data-testid="office-create-parent"
        >
          <option value="">{t('offices.noParent')}</option>
          {flat.map((o) => (
            <option key={o.id} value={o.id}>
              {officeOptionLabel(o)}
            </option>
          ))}
        </SelectField>
        <TextField
          id="office-create-code"
          label={t('offices.field.code')}
          hint={t('offices.codeHint')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={errors['code']}
          required
          dir="ltr"
          autoComplete="off"
          data-testid="office-create-code"
        />
        <TextField
          id="office-create-name"
          label={t('offices.field.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors['name']}
          required
          autoComplete="off"
          data-testid="office-create-name"
        />
        <TextField
          id="office-create-country"
          label={t('offices.field.countryCode')}
          hint={t('offices.countryHint')}
          value={countryCode}
          onChange={(e) => setCountryCode(e.target.value.toUpperCase())}
          error={errors['countryCode']}
          required={kind !== 'global'}
          maxLength={3}
          dir="ltr"
          autoComplete="off"
          className="input--short"
          data-testid="office-create-country"
        />
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="office-create-submit">
          {busy ? t('common.saving') : t('offices.create')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

interface OfficeItemProps {
  node: OfficeNode;
  manage: boolean;
  onChanged: (o: Office) => void;
  onError: (err: unknown) => void;
}

function OfficeItem({ node, manage, onChanged, onError }: OfficeItemProps) {
  const { t } = useTranslation();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(node.name);
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function patch(body: { name?: string; active?: boolean }) {
    setBusy(true);
    try {
      const updated = await api.patch<Office>(`/api/offices/${encodeURIComponent(node.id)}`, { ...body, version: node.version });
      onChanged(updated);
      setRenaming(false);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  }

  function submitRename(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(t('validation.required'));
      return;
    }
    setNameError(null);
    void patch({ name: name.trim() });
  }

  const headingId = `office-${node.id}-name`;
  return (
    <li className="tree__item" data-testid="office-item" data-office-code={node.code}>
      <div className="tree__row">
        <div className="tree__main">
          {renaming ? (
            <form className="inline-form" onSubmit={submitRename} noValidate>
              <TextField
                id={`office-${node.id}-rename`}
                label={t('offices.newName', { code: node.code })}
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={nameError}
                autoFocus
                required
                data-testid="office-rename-input"
              />
              <div className="button-row">
                <button type="submit" className="btn btn--primary btn--small" disabled={busy} data-testid="office-rename-save">
                  {t('common.save')}
                </button>
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  onClick={() => {
                    setRenaming(false);
                    setName(node.name);
                    setNameError(null);
                  }}
                >
                  {t('common.cancel')}
                </button>
              </div>
            </form>
          ) : (
            <p className="tree__title" id={headingId}>
              <span className="tree__name">{node.name}</span> <span className="code-chip">{node.code}</span>
            </p>
          )}
          <p className="tree__meta">
            <Badge tone="info">{t(`officeKinds.${node.kind}`)}</Badge>
            {node.countryCode && (
              <span className="muted">
                {t('offices.country')}: <span dir="ltr">{node.countryCode}</span>
              </span>
            )}
            <Badge tone={node.active ? 'success' : 'neutral'}>{node.active ? t('offices.active') : t('offices.inactive')}</Badge>
          </p>
        </div>
        {manage && !renaming && (
          <div className="tree__actions" role="group" aria-labelledby={headingId}>
            <button
              type="button"
              className="btn btn--secondary btn--small"
              onClick={() => {
                setName(node.name);
                setRenaming(true);
              }}
              data-testid="office-rename"
            >
              {t('offices.rename')}
            </button>
            <button
              type="button"
              className={node.active ? 'btn btn--danger-outline btn--small' : 'btn btn--secondary btn--small'}
              disabled={busy}
              onClick={() => void patch({ active: !node.active })}
              data-testid={node.active ? 'office-deactivate' : 'office-activate'}
            >
              {node.active ? t('offices.deactivate') : t('offices.activate')}
            </button>
          </div>
        )}
      </div>
      {node.children.length > 0 && (
        <ul className="tree">
          {node.children.map((c) => (
            <OfficeItem key={c.id} node={c} manage={manage} onChanged={onChanged} onError={onError} />
          ))}
        </ul>
      )}
    </li>
  );
}

export default function OfficesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const manage = can('offices.manage');
  const { offices, error, reload } = useOffices();
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [local, setLocal] = useState<Office[] | null>(null);
  const list = local ?? offices;
  const tree = useMemo(() => buildOfficeTree(list ?? []), [list]);

  function upsert(o: Office) {
    const base = list ?? [];
    const exists = base.some((x) => x.id === o.id);
    setLocal(exists ? base.map((x) => (x.id === o.id ? o : x)) : [...base, o]);
  }

  function onError(err: unknown) {
    if (isApiError(err) && err.code === 'stale_version') setNotice({ tone: 'error', text: t('offices.stale'), stale: true });
    else setNotice({ tone: 'error', text: errorMessage(t, err) });
  }

  async function reloadAll() {
    setNotice(null);
    setLocal(null);
    await reload();
  }

  return (
    <div className="page">
      <PageHeader
        title={t('offices.title')}
        description={t('offices.intro')}
        actions={
          manage &&
          !creating && (
            <button type="button" className="btn btn--primary" onClick={() => setCreating(true)} data-testid="office-new">
              {t('offices.new')}
            </button>
          )
        }
      />
      {notice && (
        <Alert
          tone={notice.tone}
          actions={
            notice.stale && (
              <button type="button" className="btn btn--secondary" onClick={() => void reloadAll()}>
                {t('common.reload')}
              </button>
            )
          }
        >
          {notice.text}
        </Alert>
      )}
      {creating && list && (
        <CreateOfficeForm
          offices={list}
          onCancel={() => setCreating(false)}
          onCreated={(o) => {
            upsert(o);
            setCreating(false);
            setNotice({ tone: 'success', text: t('offices.created', { name: o.name }) });
          }}
        />
      )}
      {error ? (
        <Alert
          tone="error"
          actions={
            <button type="button" className="btn btn--secondary" onClick={() => void reloadAll()}>
              {t('common.retry')}
            </button>
          }
        >
          {errorMessage(t, error)}
        </Alert>
      ) : !list ? (
        <Loading />
      ) : tree.length === 0 ? (
        <p className="muted">{t('offices.empty')}</p>
      ) : (
        <section className="card" aria-labelledby="offices-tree-title">
          <h2 id="offices-tree-title" className="section-title">
            {t('offices.treeTitle')}
          </h2>
          <ul className="tree tree--root" data-testid="offices-tree">
            {tree.map((n) => (
              <OfficeItem key={n.id} node={n} manage={manage} onChanged={upsert} onError={onError} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
