/**
 * My work: tasks overdue and due soon, new referrals, cases waiting for a supervisor's approval, and transfers
 * coming to the user's offices (accepted, naming the new owner, or rejected with a reason, right here).
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, Loading, PageHeader } from '../../ui/index.ts';
import { casesApi, type TaskDto } from './cases-api.ts';
import { IncomingTransfer } from './IncomingTransfer.tsx';
import { useCaseLabels } from './labels.ts';
import { useLoad } from './use-load.ts';
import '../registry/registry.css';
import './cases.css';

export default function InboxPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  const inbox = useLoad(() => casesApi.inbox(), 'inbox');
  const data = inbox.data;

  return (
    <div className="page" data-testid="cases-inbox">
      <PageHeader
        title={t('cases.inbox.title')}
        description={t('cases.inbox.intro')}
        actions={
          <Link to="/cases" className="btn btn--secondary">
            {t('cases.list.title')}
          </Link>
        }
      />
      {inbox.error ? <Alert tone="error">{errorMessage(t, inbox.error)}</Alert> : null}
      {!data && !inbox.error && <Loading block />}
      {data && (
        <div className="inbox-grid">
          <InboxSection id="transfers" title={t('cases.inbox.incomingTransfers')} count={data.incomingTransfers.length}>
            <ul className="item-list">
              {data.incomingTransfers.map((tr) => (
                <IncomingTransfer key={tr.id} transfer={tr} onDecided={() => void inbox.reload()} />
              ))}
            </ul>
          </InboxSection>
          <InboxSection id="overdue" title={t('cases.inbox.overdue')} count={data.overdue.length}>
            <TaskList tasks={data.overdue} overdue />
          </InboxSection>
          <InboxSection id="due-soon" title={t('cases.inbox.dueSoon')} count={data.dueSoon.length}>
            <TaskList tasks={data.dueSoon} />
          </InboxSection>
          <InboxSection id="approval" title={t('cases.inbox.awaitingApproval')} count={data.awaitingApproval.length}>
            <ul className="item-list">
              {data.awaitingApproval.map((c) => (
                <li key={c.id} className="item-list__item" data-testid="inbox-approval">
                  <div className="item-list__main">
                    <Link to={`/cases/${c.id}`}>
                      <span dir="ltr">{c.caseNumber}</span>
                    </Link>
                    <span>
                      {L.type(c.type)} · {L.state(c.status)}
                    </span>
                    <span className="muted">{[c.personName, c.owner?.name].filter(Boolean).join(' · ')}</span>
                  </div>
                  <Badge tone="warning">{t('cases.list.awaitingSupervisor')}</Badge>
                </li>
              ))}
            </ul>
          </InboxSection>
          <InboxSection id="referrals" title={t('cases.inbox.newReferrals')} count={data.newReferrals.length}>
            <ul className="item-list">
              {data.newReferrals.map((r) => (
                <li key={r.id} className="item-list__item" data-testid="inbox-referral">
                  <div className="item-list__main">
                    <Link to={`/cases/${r.caseId}?tab=referrals`}>
                      <span dir="ltr">{r.caseNumber}</span>
                    </Link>
                    <span>{t(r.direction === 'incoming' ? 'cases.referrals.from' : 'cases.referrals.to', { partner: r.partner.name })}</span>
                    <span className="muted">{fmt.dateTime(r.createdAt)}</span>
                  </div>
                  <Badge tone={r.urgency === 'urgent' ? 'danger' : 'info'}>{t(`cases.urgency.${r.urgency}`)}</Badge>
                </li>
              ))}
            </ul>
          </InboxSection>
        </div>
      )}
    </div>
  );
}

function InboxSection({ id, title, count, children }: { id: string; title: string; count: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" aria-labelledby={`inbox-${id}-title`} data-testid={`inbox-section-${id}`}>
      <h2 id={`inbox-${id}-title`} className="section-title">
        {title} <Badge tone={count > 0 ? 'info' : 'neutral'}>{count}</Badge>
      </h2>
      {count === 0 ? <p className="muted">{t('cases.inbox.nothing')}</p> : children}
    </section>
  );
}

function TaskList({ tasks, overdue }: { tasks: TaskDto[]; overdue?: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  return (
    <ul className="item-list">
      {tasks.map((task) => (
        <li key={task.id} className="item-list__item" data-testid="inbox-task">
          <div className="item-list__main">
            <Link to={`/cases/${task.caseId}?tab=tasks`}>{L.task(task)}</Link>
            <span className="muted">
              <span dir="ltr">{task.caseNumber}</span>
              {task.assignee && ` · ${task.assignee.name}`}
            </span>
          </div>
          <span className={overdue ? 'case-overdue' : 'muted'}>{t('cases.taskList.due', { date: fmt.date(task.dueOn) })}</span>
        </li>
      ))}
    </ul>
  );
}
