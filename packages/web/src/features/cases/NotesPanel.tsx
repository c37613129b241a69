/** Case notes, newest first; a sensitive note the user may not read shows only that it exists. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_NOTE_MAX } from '@passage/domain/cases/api';
import { errorMessage } from '../../lib/errors.ts';
import { Alert, Badge } from '../../ui/index.ts';
import { Checkbox, TextAreaField } from '../registry/FormControls.tsx';
import { casesApi } from './cases-api.ts';
import type { PanelProps } from './panel.ts';
import { ByLine, Listed, PanelTitle } from './parts.tsx';
import { useFormSubmit } from './use-form-submit.ts';
import { useLoad } from './use-load.ts';

export function NotesPanel({ c, reload }: PanelProps) {
  const { t } = useTranslation();
  const list = useLoad(() => casesApi.notes(c.id), c.id);
  const [body, setBody] = useState('');
  const [sensitive, setSensitive] = useState(false);
  const form = useFormSubmit();
  const empty = body.trim() === '';

  const save = async () => {
    await casesApi.addNote(c.id, { body, sensitive });
    setBody('');
    setSensitive(false);
    await Promise.all([list.reload(), reload()]);
  };

  return (
    <div className="stack">
      {c.access.canWork && (
        <form className="card stack" onSubmit={(e) => void form.submit(e, !empty, save)} noValidate aria-labelledby="case-note-add-title" data-testid="case-note-form">
          <h2 id="case-note-add-title" className="section-title">
            {t('cases.notes.add')}
          </h2>
          {form.error ? <Alert tone="error">{errorMessage(t, form.error)}</Alert> : null}
          <TextAreaField
            id="note-body"
            label={t('cases.notes.body')}
            required
            rows={4}
            dir="auto"
            maxLength={CASE_NOTE_MAX}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            error={form.submitted && empty ? t('validation.required') : undefined}
            data-testid="note-body"
          />
          <Checkbox id="note-sensitive" label={t('cases.notes.sensitive')} hint={t('cases.notes.sensitiveHint')} checked={sensitive} onChange={setSensitive} testId="note-sensitive" />
          <div className="button-row">
            <button type="submit" className="btn btn--primary" disabled={form.busy} data-testid="note-save">
              {form.busy ? t('common.saving') : t('cases.notes.save')}
            </button>
          </div>
        </form>
      )}
      <section className="card stack" aria-labelledby="case-notes-title">
        <PanelTitle id="case-notes-title">{t('cases.notes.title')}</PanelTitle>
        <Listed state={list} empty={t('cases.notes.none')}>
          {(items) => (
            <ul className="item-list" data-testid="case-notes">
              {items.map((n) => (
                <li key={n.id} className="item-list__item" data-testid="case-note">
                  <div className="item-list__main">
                    {n.hidden ? <p className="muted">{t('cases.notes.hidden')}</p> : <p className="case-text">{n.body}</p>}
                    <ByLine by={n.createdBy} at={n.createdAt} />
                  </div>
                  {n.sensitive && <Badge tone="warning">{t('cases.notes.sensitiveBadge')}</Badge>}
                </li>
              ))}
            </ul>
          )}
        </Listed>
      </section>
    </div>
  );
}
