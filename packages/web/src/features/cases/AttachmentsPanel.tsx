/** Files kept with the case: listed with their scan result, downloaded, and uploaded one at a time. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge } from '../../ui/index.ts';
import { FieldFrame } from '../../ui/Field.tsx';
import { attachmentUrl, casesApi } from './cases-api.ts';
import type { PanelProps } from './panel.ts';
import { ByLine, Listed, PanelTitle } from './parts.tsx';
import { useFormSubmit } from './use-form-submit.ts';
import { useLoad } from './use-load.ts';

export function AttachmentsPanel({ c, reload }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useLoad(() => casesApi.attachments(c.id), c.id);
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const form = useFormSubmit();

  const upload = async () => {
    await casesApi.upload(c.id, file!);
    setFile(null);
    if (input.current) input.current.value = '';
    await Promise.all([list.reload(), reload()]);
  };

  const size = (bytes: number) => (bytes < 1024 * 1024 ? t('cases.attachments.kb', { n: fmt.number(Math.max(1, Math.round(bytes / 1024))) }) : t('cases.attachments.mb', { n: fmt.number(bytes / 1024 / 1024, { maximumFractionDigits: 1 }) }));

  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="case-attachments-title">
        <PanelTitle id="case-attachments-title">{t('cases.attachments.title')}</PanelTitle>
        <Listed state={list} empty={t('cases.attachments.none')}>
          {(items) => (
            <ul className="item-list" data-testid="case-attachments">
              {items.map((a) => (
                <li key={a.id} className="item-list__item" data-testid="case-attachment">
                  <div className="item-list__main">
                    {a.scan === 'infected' ? (
                      <bdi>{a.fileName}</bdi>
                    ) : (
                      <a href={attachmentUrl(a.id)} download={a.fileName} data-testid="case-attachment-link">
                        <bdi>{a.fileName}</bdi>
                      </a>
                    )}
                    <span className="muted">
                      {size(a.bytes)} · <span dir="ltr">{a.mediaType}</span>
                    </span>
                    <ByLine by={a.createdBy} at={a.createdAt} />
                  </div>
                  <Badge tone={a.scan === 'clean' ? 'success' : a.scan === 'infected' ? 'danger' : 'neutral'}>{t(`cases.attachments.scan.${a.scan}`, { defaultValue: a.scan })}</Badge>
                </li>
              ))}
            </ul>
          )}
        </Listed>
      </section>
      {c.access.canWork && !c.closedAt && (
        <form className="card stack" onSubmit={(e) => void form.submit(e, !!file, upload)} noValidate aria-labelledby="case-attachment-add-title" data-testid="case-attachment-form">
          <h2 id="case-attachment-add-title" className="section-title">
            {t('cases.attachments.add')}
          </h2>
          {form.done && <Alert tone="success">{t('cases.attachments.saved')}</Alert>}
          {form.error ? <Alert tone="error">{errorMessage(t, form.error)}</Alert> : null}
          <FieldFrame id="attachment-file" label={t('cases.attachments.file')} hint={t('cases.attachments.hint')} error={form.submitted && !file ? t('validation.required') : undefined} required>
            {(aria) => <input ref={input} id="attachment-file" type="file" className="input" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="attachment-file" {...aria} />}
          </FieldFrame>
          <div className="button-row">
            <button type="submit" className="btn btn--primary" disabled={form.busy} data-testid="attachment-upload">
              {form.busy ? t('cases.attachments.uploading') : t('cases.attachments.upload')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
