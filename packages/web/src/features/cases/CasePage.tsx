/**
 * One case: its header (who, where, how urgent, how the user sees it), the steps that may be taken now, and
 * tabs for the details, assessments, plan, services, notes, tasks, attachments, referrals, transfer,
 * assignment and timeline. The tab is kept in the address (`?tab=tasks`) so the inbox can link to it.
 */
import { useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { Alert, Loading, PageHeader } from '../../ui/index.ts';
import { Tabs } from '../registry/Tabs.tsx';
import { casesApi, type CaseDto } from './cases-api.ts';
import { caseTypeOf } from './labels.ts';
import { CaseHeader } from './CaseHeader.tsx';
import { CaseActions } from './CaseActions.tsx';
import { BreakGlassButton } from './BreakGlassDialog.tsx';
import { DetailsForm } from './DetailsForm.tsx';
import { AssessmentsPanel } from './AssessmentsPanel.tsx';
import { PlanPanel } from './PlanPanel.tsx';
import { ServicesPanel } from './ServicesPanel.tsx';
import { NotesPanel } from './NotesPanel.tsx';
import { TasksPanel } from './TasksPanel.tsx';
import { AttachmentsPanel } from './AttachmentsPanel.tsx';
import { ReferralsPanel } from './ReferralsPanel.tsx';
import { TransferPanel } from './TransferPanel.tsx';
import { AssignmentPanel } from './AssignmentPanel.tsx';
import { TimelinePanel } from './TimelinePanel.tsx';
import type { PanelProps } from './panel.ts';
import { BackToCases } from './parts.tsx';
import '../registry/registry.css';
import './cases.css';

const TABS = ['details', 'assessments', 'plan', 'services', 'notes', 'tasks', 'attachments', 'referrals', 'transfer', 'assignment', 'timeline'] as const;
type Tab = (typeof TABS)[number];

export default function CasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [c, setCase] = useState<CaseDto | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(async () => {
    try {
      setCase(await casesApi.get(id));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [id]);

  useEffect(() => {
    setCase(null);
    setError(null);
    void reload();
  }, [reload]);

  if (error && !c) return <CaseUnavailable error={error} onOpened={() => void reload()} />;
  if (!c) return <Loading block />;
  const def = caseTypeOf(c.type);
  if (!def) return <Alert tone="error">{t('cases.case.unknownType', { type: c.type })}</Alert>;

  const tabs = TABS.filter((x) => x !== 'assignment' || c.access.canSupervise);
  const asked = params.get('tab') as Tab | null;
  const tab: Tab = asked && tabs.includes(asked) ? asked : 'details';
  const panel: PanelProps = { c, def, onCase: setCase, reload };

  return (
    <div className="page" data-testid="case-page">
      <CaseHeader c={c} />
      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      <CaseActions {...panel} />
      <Tabs
        idPrefix="case"
        label={t('cases.case.tabsLabel')}
        tabs={tabs.map((x) => ({ id: x, label: t(`cases.tabs.${x}`) }))}
        selected={tab}
        onSelect={(next) => {
          const p = new URLSearchParams(params);
          p.set('tab', next);
          setParams(p, { replace: true });
        }}
      >
        {tab === 'details' && <DetailsForm {...panel} />}
        {tab === 'assessments' && <AssessmentsPanel {...panel} />}
        {tab === 'plan' && <PlanPanel {...panel} />}
        {tab === 'services' && <ServicesPanel {...panel} />}
        {tab === 'notes' && <NotesPanel {...panel} />}
        {tab === 'tasks' && <TasksPanel {...panel} />}
        {tab === 'attachments' && <AttachmentsPanel {...panel} />}
        {tab === 'referrals' && <ReferralsPanel {...panel} />}
        {tab === 'transfer' && <TransferPanel {...panel} />}
        {tab === 'assignment' && <AssignmentPanel {...panel} />}
        {tab === 'timeline' && <TimelinePanel {...panel} />}
      </Tabs>
    </div>
  );
}

/** A case that cannot be shown: missing (or out of reach, which looks the same), or restricted with break-glass offered. */
function CaseUnavailable({ error, onOpened }: { error: unknown; onOpened: () => void }) {
  const { t } = useTranslation();
  const restricted = isApiError(error) && error.status === 403 && error.body['breakGlass'] === true;
  const caseNumber = isApiError(error) && typeof error.body['caseNumber'] === 'string' ? error.body['caseNumber'] : '';
  return (
    <div className="page">
      <PageHeader title={t('cases.case.titleUnknown')} back={<BackToCases />} />
      {restricted ? (
        <Alert tone="warning" title={t('cases.case.restrictedTitle')} testId="case-restricted" actions={<BreakGlassButton caseNumber={caseNumber} onOpened={onOpened} />}>
          {t('cases.case.restricted')}
        </Alert>
      ) : (
        <Alert tone="error" testId="case-error">
          {isApiError(error) && error.status === 404 ? t('cases.case.notFound') : errorMessage(t, error)}
        </Alert>
      )}
    </div>
  );
}
