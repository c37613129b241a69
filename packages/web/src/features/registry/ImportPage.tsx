/**
 * Importing people from a spreadsheet: upload a file, check the detected columns and the automatic
 * mapping (adjust it, or apply a saved template, or save this one), run a dry run that lists the
 * problems by row and column, then import "all or nothing" or "only the valid rows" while a
 * progress bar follows the job (which can be cancelled).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { officeOptionLabel } from '../../lib/offices.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, Loading, PageHeader, SelectField, TextField } from '../../ui/index.ts';
import { FieldFrame } from '../../ui/Field.tsx';
import { Checkbox, RadioGroup } from './FormControls.tsx';
import { useOfficesWith } from './office-scope.ts';
import { isFinished, registryApi, uploadContentType, type ImportJob, type ImportTemplate, type ImportUpload } from './registry-api.ts';
import { problemMessage } from './validation.ts';
import './registry.css';

const POLL_MS = 1000;
const SHOWN_PROBLEMS = 200;

type RealMode = 'all_or_nothing' | 'valid_rows';

/** Follows a job until it finishes; returns its latest state. */
function useJob(initial: ImportJob | null): [ImportJob | null, (j: ImportJob | null) => void, unknown] {
  const [job, setJob] = useState<ImportJob | null>(initial);
  const [error, setError] = useState<unknown>(null);
  const id = job?.id;
  const running = job ? !isFinished(job.status) : false;
  useEffect(() => {
    if (!id || !running) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const next = await registryApi.importJob(id);
        if (stopped) return;
        setError(null);
        setJob(next);
        if (!isFinished(next.status)) timer = setTimeout(() => void tick(), POLL_MS);
      } catch (err) {
        if (stopped) return;
        setError(err);
        timer = setTimeout(() => void tick(), POLL_MS * 3);
      }
    };
    timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, running]);
  return [job, setJob, error];
}

export default function ImportPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { offices, defaultId } = useOfficesWith('registry.import');
  const [officeId, setOfficeId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [templates, setTemplates] = useState<ImportTemplate[]>([]);
  const [templateId, setTemplateId] = useState('');
  const [saveTemplate, setSaveTemplate] = useState(false);
  const [templateName, setTemplateName] = useState('');
  const [dryRun, setDryRun, dryRunPollError] = useJob(null);
  const [job, setJob, jobPollError] = useJob(null);
  const [mode, setMode] = useState<RealMode | ''>('');
  const [startError, setStartError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const fileId = useId();
  const resultRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (officeId || !offices) return;
    setOfficeId(offices.some((o) => o.id === defaultId) ? defaultId : (offices[0]?.id ?? ''));
  }, [offices, defaultId, officeId]);

  useEffect(() => {
    if (!officeId) return;
    registryApi
      .templates(officeId)
      .then((r) => setTemplates(r.items))
      .catch(() => setTemplates([]));
  }, [officeId]);

  // Announce finished runs by moving focus to their result.
  const dryDone = dryRun ? isFinished(dryRun.status) : false;
  const jobDone = job ? isFinished(job.status) : false;
  useEffect(() => {
    if (dryDone || jobDone) resultRef.current?.focus();
  }, [dryDone, jobDone]);

  function reset() {
    setUpload(null);
    setMapping({});
    setTemplateId('');
    setDryRun(null);
    setJob(null);
    setMode('');
    setStartError(null);
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setFileError(t('registry.import.chooseFile'));
      return;
    }
    setFileError(null);
    setUploadError(null);
    reset();
    setUploading(true);
    try {
      const u = await registryApi.upload(file, uploadContentType(file));
      setUpload(u);
      setMapping({ ...u.suggestedMapping });
      setTemplateName(file.name.replace(/\.[^.]+$/, ''));
    } catch (err) {
      setUploadError(err);
    } finally {
      setUploading(false);
    }
  }

  function applyTemplate(id: string) {
    setTemplateId(id);
    const tpl = templates.find((x) => x.id === id);
    if (!tpl || !upload) return;
    const columns = new Set(upload.columns);
    setMapping(Object.fromEntries(upload.targets.map((tg) => [tg.key, tpl.mapping[tg.key] && columns.has(tpl.mapping[tg.key]!) ? tpl.mapping[tg.key]! : null])));
    setDryRun(null);
  }

  const missing = upload ? upload.targets.filter((tg) => tg.required && !mapping[tg.key]).map((tg) => tg.label) : [];
  const usedTwice = new Set(
    Object.values(mapping)
      .filter((c): c is string => Boolean(c))
      .filter((c, i, all) => all.indexOf(c) !== i),
  );

  async function start(runMode: 'dry_run' | RealMode) {
    if (!upload) return;
    setStartError(null);
    setStarting(true);
    try {
      const body = {
        uploadId: upload.uploadId,
        officeId,
        mapping,
        mode: runMode,
        ...(saveTemplate && templateName.trim() && runMode !== 'dry_run' ? { saveTemplateAs: templateName.trim() } : {}),
      };
      const started = await registryApi.startImport(body);
      if (runMode === 'dry_run') {
        setDryRun(started);
        setJob(null);
      } else setJob(started);
      // The matching just saved is offered for the next file uploaded on this page; saving again is asked afresh.
      if (body.saveTemplateAs) {
        setSaveTemplate(false);
        setTemplateName('');
        registryApi
          .templates(officeId)
          .then((r) => setTemplates(r.items))
          .catch(() => undefined);
      }
    } catch (err) {
      setStartError(err);
    } finally {
      setStarting(false);
    }
  }

  async function cancel() {
    if (!job) return;
    setCancelling(true);
    try {
      setJob(await registryApi.cancelImport(job.id));
    } catch (err) {
      setStartError(err);
    } finally {
      setCancelling(false);
    }
  }

  const locked = Boolean(job && !isFinished(job.status));

  return (
    <div className="page">
      <PageHeader
        title={t('registry.import.title')}
        description={t('registry.import.intro')}
        back={
          <Link to="/registry" className="back-link">
            {t('registry.search.title')}
          </Link>
        }
      />

      <form className="card stack" onSubmit={(e) => void send(e)} noValidate aria-labelledby="import-file-title">
        <h2 id="import-file-title" className="section-title">
          {t('registry.import.step1')}
        </h2>
        <div className="form-grid">
          <SelectField id="import-office" label={t('registry.import.office')} required value={officeId} onChange={(e) => setOfficeId(e.target.value)} disabled={locked} data-testid="import-office">
            {(offices ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {officeOptionLabel(o)}
              </option>
            ))}
          </SelectField>
          <FieldFrame id={fileId} label={t('registry.import.file')} hint={t('registry.import.fileHint')} error={fileError} required>
            {(aria) => (
              <input
                id={fileId}
                type="file"
                className="input"
                accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                disabled={locked}
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setFileError(null);
                }}
                data-testid="import-file"
                {...aria}
              />
            )}
          </FieldFrame>
        </div>
        {uploadError ? (
          <Alert tone="error" testId="import-upload-error">
            {isApiError(uploadError) && uploadError.errors && uploadError.errors.length > 0
              ? uploadError.errors.map((fe) => problemMessage(t, { message: fe.message })).join(' ')
              : errorMessage(t, uploadError)}
          </Alert>
        ) : null}
        <div>
          <button type="submit" className="btn btn--primary" disabled={uploading || locked} data-testid="import-upload">
            {uploading ? t('registry.import.uploading') : t('registry.import.upload')}
          </button>
        </div>
      </form>

      {upload && (
        <section className="card stack" aria-labelledby="import-mapping-title" data-testid="import-mapping">
          <h2 id="import-mapping-title" className="section-title">
            {t('registry.import.step2')}
          </h2>
          <ul className="file-facts">
            <li>
              <strong>{t('registry.import.fileName')}:</strong> <bdi>{upload.fileName}</bdi>
            </li>
            <li>
              <strong>{t('registry.import.format')}:</strong> <span className="code-chip">{upload.format}</span>
            </li>
            {upload.encoding && (
              <li>
                <strong>{t('registry.import.encoding')}:</strong> <span className="code-chip">{upload.encoding}</span>
              </li>
            )}
            {upload.delimiter && (
              <li>
                <strong>{t('registry.import.delimiter')}:</strong> <span className="code-chip">{upload.delimiter === '\t' ? 'TAB' : upload.delimiter}</span>
              </li>
            )}
            <li>
              <strong>{t('registry.import.columns')}:</strong> {fmt.number(upload.columns.length)}
            </li>
          </ul>
          {templates.length > 0 && (
            <SelectField id="import-template" label={t('registry.import.template')} value={templateId} onChange={(e) => applyTemplate(e.target.value)} disabled={locked} data-testid="import-template">
              <option value="">{t('registry.import.autoMapping')}</option>
              {templates.map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.name}
                </option>
              ))}
            </SelectField>
          )}
          <div className="table-wrap" role="region" aria-labelledby="mapping-caption" tabIndex={0}>
            <table className="table table--compact table--responsive mapping-table">
              <caption id="mapping-caption" className="visually-hidden">
                {t('registry.import.step2')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('registry.import.target')}</th>
                  <th scope="col">{t('registry.import.column')}</th>
                </tr>
              </thead>
              <tbody>
                {upload.targets.map((tg) => {
                  const value = mapping[tg.key] ?? '';
                  const problem = tg.required && !value ? t('registry.import.requiredTarget') : value && usedTwice.has(value) ? t('registry.import.usedTwice') : undefined;
                  return (
                    <tr key={tg.key} data-testid="mapping-row">
                      <th scope="row" data-label={t('registry.import.target')}>
                        <label htmlFor={`map-${tg.key}`}>{t(`registry.import.targets.${tg.key}`, { defaultValue: tg.label })}</label>
                        {tg.required && (
                          <>
                            {' '}
                            <Badge tone="warning">{t('registry.import.required')}</Badge>
                          </>
                        )}
                      </th>
                      <td data-label={t('registry.import.column')}>
                        <select
                          id={`map-${tg.key}`}
                          className="input select"
                          value={value}
                          disabled={locked}
                          aria-invalid={problem ? true : undefined}
                          aria-describedby={problem ? `map-${tg.key}-error` : undefined}
                          onChange={(e) => {
                            setMapping((m) => ({ ...m, [tg.key]: e.target.value || null }));
                            setDryRun(null);
                          }}
                          data-testid={`map-${tg.key}`}
                        >
                          <option value="">{t('registry.import.notMapped')}</option>
                          {upload.columns.map((c) => (
                            <option key={c} value={c}>
                              {c}
                            </option>
                          ))}
                        </select>
                        {problem && (
                          <p id={`map-${tg.key}-error`} className="field__error">
                            {problem}
                          </p>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {missing.length > 0 && <Alert tone="warning">{t('registry.import.missing', { fields: missing.join(', ') })}</Alert>}
          <Checkbox id="import-save-template" label={t('registry.import.saveTemplate')} checked={saveTemplate} onChange={setSaveTemplate} disabled={locked} testId="import-save-template" />
          {saveTemplate && (
            <TextField
              id="import-template-name"
              label={t('registry.import.templateName')}
              hint={t('registry.import.templateNameHint')}
              value={templateName}
              maxLength={100}
              onChange={(e) => setTemplateName(e.target.value)}
              error={templateName.trim() ? undefined : t('validation.required')}
              data-testid="import-template-name"
            />
          )}
          <div>
            <button
              type="button"
              className="btn btn--secondary"
              disabled={starting || locked || missing.length > 0 || usedTwice.size > 0 || Boolean(dryRun && !isFinished(dryRun.status))}
              onClick={() => void start('dry_run')}
              data-testid="import-dry-run"
            >
              {t('registry.import.runDry')}
            </button>
          </div>
        </section>
      )}

      {startError ? <Alert tone="error">{errorMessage(t, startError)}</Alert> : null}
      {dryRunPollError || jobPollError ? <Alert tone="warning">{t('registry.import.pollTrouble')}</Alert> : null}

      {dryRun && (
        <section className="card stack" aria-labelledby="import-dry-title" data-testid="import-dry-result">
          <h2 id="import-dry-title" ref={job ? undefined : resultRef} tabIndex={-1} className="section-title">
            {t('registry.import.step3')}
          </h2>
          {!isFinished(dryRun.status) ? (
            <JobProgress job={dryRun} expected={null} />
          ) : (
            <>
              <JobCounts job={dryRun} />
              {/* The server's message explains failures; a finished run speaks through the counts above. */}
              {dryRun.message && dryRun.status !== 'succeeded' && <Alert tone="error">{dryRun.message}</Alert>}
              <Problems job={dryRun} />
              {dryRun.status === 'succeeded' && (
                <div className="stack">
                  <RadioGroup<RealMode>
                    name="import-mode"
                    legend={t('registry.import.mode')}
                    required
                    value={mode}
                    options={[
                      { value: 'all_or_nothing', label: t('registry.import.modeAll') },
                      { value: 'valid_rows', label: t('registry.import.modeValid', { n: fmt.number(dryRun.rowsValid) }) },
                    ]}
                    onChange={setMode}
                    hint={dryRun.rowsInvalid > 0 ? t('registry.import.modeHintProblems') : t('registry.import.modeHint')}
                    testId="import-mode"
                  />
                  <div>
                    <button
                      type="button"
                      className="btn btn--primary"
                      disabled={!mode || starting || locked || (mode === 'all_or_nothing' && dryRun.rowsInvalid > 0) || (saveTemplate && !templateName.trim())}
                      onClick={() => mode && void start(mode)}
                      data-testid="import-run"
                    >
                      {t('registry.import.run')}
                    </button>
                  </div>
                  {mode === 'all_or_nothing' && dryRun.rowsInvalid > 0 && <p className="field__hint">{t('registry.import.allBlocked')}</p>}
                </div>
              )}
            </>
          )}
        </section>
      )}

      {job && (
        <section className="card stack" aria-labelledby="import-job-title" data-testid="import-job">
          <h2 id="import-job-title" ref={resultRef} tabIndex={-1} className="section-title">
            {t('registry.import.step4')}
          </h2>
          {!isFinished(job.status) ? (
            <>
              <JobProgress job={job} expected={dryRun?.rowsRead ?? null} />
              <div>
                <button type="button" className="btn btn--danger-outline" onClick={() => void cancel()} disabled={cancelling} data-testid="import-cancel">
                  {cancelling ? t('registry.import.cancelling') : t('registry.import.cancel')}
                </button>
              </div>
            </>
          ) : (
            <>
              <Alert tone={job.status === 'succeeded' ? 'success' : job.status === 'cancelled' ? 'warning' : 'error'} testId="import-job-status">
                {t(`registry.import.status.${job.status}`)}
                {job.message && job.status !== 'succeeded' ? ` — ${job.message}` : ''}
              </Alert>
              <JobCounts job={job} />
              <Problems job={job} />
              {job.rowsCreated > 0 && (
                <p>
                  <Link to="/registry?sort=-registered">{t('registry.import.seeImported')}</Link>
                </p>
              )}
            </>
          )}
        </section>
      )}

      {isApiError(startError) && startError.errors && startError.errors.length > 0 && (
        <ul className="field__error">
          {startError.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function JobProgress({ job, expected }: { job: ImportJob; expected: number | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const max = expected && expected > 0 ? expected : undefined;
  return (
    <div className="import-progress" data-testid="import-progress">
      <label htmlFor={`progress-${job.id}`}>
        {t(`registry.import.status.${job.status}`)} — {max ? t('registry.import.progressOf', { done: fmt.number(job.rowsRead), total: fmt.number(max) }) : t('registry.import.progressRows', { done: fmt.number(job.rowsRead) })}
      </label>
      {max ? <progress id={`progress-${job.id}`} value={Math.min(job.rowsRead, max)} max={max} /> : <progress id={`progress-${job.id}`} />}
      <Loading label={t('registry.import.working')} />
    </div>
  );
}

function JobCounts({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const items: [string, number][] = [
    ['rowsRead', job.rowsRead],
    ['rowsValid', job.rowsValid],
    ['rowsInvalid', job.rowsInvalid],
    ...(job.rowsCreated || job.rowsExisting ? ([['rowsCreated', job.rowsCreated], ['rowsExisting', job.rowsExisting]] as [string, number][]) : []),
  ];
  return (
    <dl className="facts facts--inline" data-testid="import-counts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{t(`registry.import.${k}`)}</dt>
          <dd>{fmt.number(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Problems({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (job.problems.length === 0) return job.status === 'succeeded' ? <p className="muted">{t('registry.import.noProblems')}</p> : null;
  const shown = job.problems.slice(0, SHOWN_PROBLEMS);
  return (
    <div className="stack">
      <h3 className="subsection-title">{t('registry.import.problems', { n: fmt.number(job.problemCount) })}</h3>
      <div className="table-wrap" role="region" aria-labelledby={`problems-${job.id}`} tabIndex={0}>
        <table className="table table--compact table--responsive" data-testid="import-problems">
          <caption id={`problems-${job.id}`} className="visually-hidden">
            {t('registry.import.problems', { n: fmt.number(job.problemCount) })}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('registry.import.row')}
              </th>
              <th scope="col">{t('registry.import.column')}</th>
              <th scope="col">{t('registry.import.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p, i) => (
              <tr key={`${p.row}-${p.column ?? ''}-${i}`}>
                <td className="num" data-label={t('registry.import.row')}>
                  {fmt.number(p.row)}
                </td>
                <td data-label={t('registry.import.column')}>{p.column ? <bdi>{p.column}</bdi> : <span className="muted">—</span>}</td>
                <td data-label={t('registry.import.problem')}>{problemMessage(t, { message: p.message })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {job.problemCount > shown.length && <p className="muted">{t('registry.import.moreProblems', { n: fmt.number(job.problemCount - shown.length) })}</p>}
    </div>
  );
}
