/** The case's tasks (default ones named in the user's language), marked done or cancelled, and new ones added. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TaskInputSchema } from '@passage/domain/cases/api';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, SelectField, TextField } from '../../ui/index.ts';
import { casesApi, type TaskDto } from './cases-api.ts';
import { todayIso, useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';
import { Listed, PanelTitle } from './parts.tsx';
import { useFormSubmit } from './use-form-submit.ts';
import { useItemChange, useLoad } from './use-load.ts';

/** Due before today and still open. */
export const isOverdue = (task: TaskDto) => task.status === 'open' && task.dueOn < todayIso();

export function TasksPanel({ c, reload }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  const list = useLoad(() => casesApi.tasks(c.id), c.id);
  const assignees = useLoad(() => casesApi.assignees(c.officeId, c.type).catch(() => []), `${c.officeId}|${c.type}`);
  const [draft, setDraft] = useState({ title: '', dueOn: todayIso(), assigneeId: '', remindOn: '' });
  const form = useFormSubmit();
  const change = useItemChange(list.reload, reload);
  const editable = c.access.canWork && !c.closedAt;

  const input = { title: draft.title, dueOn: draft.dueOn, assigneeId: draft.assigneeId || null, remindOn: draft.remindOn || null };
  const parsed = TaskInputSchema.safeParse(input);
  const errors = form.errorsOf(parsed, input);
  const save = async () => {
    await casesApi.addTask(c.id, parsed.data!);
    setDraft({ title: '', dueOn: todayIso(), assigneeId: '', remindOn: '' });
    await Promise.all([list.reload(), reload()]);
  };

  const setStatus = (task: TaskDto, status: TaskDto['status']) => change.run(() => casesApi.updateTask(task.id, { version: task.version, status }));

  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="case-tasks-title">
        <PanelTitle id="case-tasks-title">{t('cases.taskList.title')}</PanelTitle>
        {change.error ? <Alert tone="error">{errorMessage(t, change.error)}</Alert> : null}
        <Listed state={list} empty={t('cases.taskList.none')}>
          {(items) => (
            <ul className="item-list" data-testid="case-tasks">
              {items.map((task) => (
                <li key={task.id} className="item-list__item" data-testid="case-task" data-status={task.status}>
                  <div className="item-list__main">
                    <strong>{L.task(task)}</strong>
                    <span className={isOverdue(task) ? 'case-overdue' : 'muted'}>
                      {t('cases.taskList.due', { date: fmt.date(task.dueOn) })}
                      {isOverdue(task) && ` · ${t('cases.taskList.overdue')}`}
                      {task.assignee && ` · ${t('cases.taskList.assignedTo', { name: task.assignee.name })}`}
                    </span>
                  </div>
                  <div className="button-row">
                    <Badge tone={task.status === 'done' ? 'success' : task.status === 'cancelled' ? 'neutral' : 'info'}>{t(`cases.taskStatus.${task.status}`)}</Badge>
                    {editable && task.status === 'open' && (
                      <>
                        <button type="button" className="btn btn--secondary btn--small" onClick={() => void setStatus(task, 'done')} data-testid="case-task-done">
                          {t('cases.taskList.markDone')}
                          <span className="visually-hidden">: {L.task(task)}</span>
                        </button>
                        <button type="button" className="btn btn--ghost btn--small" onClick={() => void setStatus(task, 'cancelled')}>
                          {t('cases.taskList.cancel')}
                          <span className="visually-hidden">: {L.task(task)}</span>
                        </button>
                      </>
                    )}
                    {editable && task.status !== 'open' && (
                      <button type="button" className="btn btn--ghost btn--small" onClick={() => void setStatus(task, 'open')}>
                        {t('cases.taskList.reopen')}
                        <span className="visually-hidden">: {L.task(task)}</span>
                      </button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Listed>
      </section>
      {editable && (
        <form className="card stack" onSubmit={(e) => void form.submit(e, parsed.success, save)} noValidate aria-labelledby="case-task-add-title" data-testid="case-task-form">
          <h2 id="case-task-add-title" className="section-title">
            {t('cases.taskList.add')}
          </h2>
          {form.error ? <Alert tone="error">{errorMessage(t, form.error)}</Alert> : null}
          <div className="form-grid">
            <TextField id="task-title" label={t('cases.taskList.taskTitle')} required value={draft.title} maxLength={200} dir="auto" onChange={(e) => setDraft((d) => ({ ...d, title: e.target.value }))} error={errors['title']} data-testid="task-title" />
            <TextField id="task-due" type="date" label={t('cases.taskList.dueOn')} required value={draft.dueOn} onChange={(e) => setDraft((d) => ({ ...d, dueOn: e.target.value }))} error={errors['dueOn']} data-testid="task-due" />
            <TextField id="task-remind" type="date" label={t('cases.taskList.remindOn')} value={draft.remindOn} onChange={(e) => setDraft((d) => ({ ...d, remindOn: e.target.value }))} error={errors['remindOn']} />
            <SelectField id="task-assignee" label={t('cases.taskList.assignee')} value={draft.assigneeId} onChange={(e) => setDraft((d) => ({ ...d, assigneeId: e.target.value }))} error={errors['assigneeId']}>
              <option value="">{t('cases.taskList.assigneeOwner')}</option>
              {(assignees.data ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="button-row">
            <button type="submit" className="btn btn--primary" disabled={form.busy} data-testid="task-save">
              {form.busy ? t('common.saving') : t('cases.taskList.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
