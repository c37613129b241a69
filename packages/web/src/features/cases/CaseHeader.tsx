/** The case's header: number, type, status, risk, who works it, where, who it is about, consent and access. */
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, PageHeader } from '../../ui/index.ts';
import type { CaseDto } from './cases-api.ts';
import { ltr, riskTone, useCaseLabels } from './labels.ts';
import { BackToCases, Fact } from './parts.tsx';

export function CaseHeader({ c }: { c: CaseDto }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  const dash = <span className="muted">—</span>;
  return (
    <>
      <PageHeader
        title={t('cases.case.title', { number: ltr(c.caseNumber) })}
        back={<BackToCases />}
        description={
          <span className="person-header__ids">
            <span className="code-chip" data-testid="case-number">
              {c.caseNumber}
            </span>
            <Badge tone="neutral">{L.type(c.type)}</Badge>
            <span data-testid="case-status">
              <Badge tone={c.closedAt ? 'neutral' : c.awaitingSupervisor ? 'warning' : 'info'}>{L.state(c.status)}</Badge>
            </span>
            <span data-testid="case-risk">
              <Badge tone={riskTone(c.riskLevel)}>{t('cases.case.riskIs', { risk: L.risk(c.riskLevel) })}</Badge>
            </span>
          </span>
        }
      />
      {c.access.via === 'break_glass' && (
        <Alert tone="warning" title={t('cases.breakGlass.bannerTitle')} testId="case-break-glass-banner">
          {c.access.until ? t('cases.breakGlass.banner', { until: fmt.dateTime(c.access.until) }) : t('cases.breakGlass.bannerNoExpiry')}
        </Alert>
      )}
      {c.pendingTransfer && (
        <Alert tone="info" testId="case-pending-transfer">
          {t('cases.transfer.pendingBanner', { office: ltr(c.pendingTransfer.toOfficeCode), date: fmt.dateTime(c.pendingTransfer.requestedAt) })}
        </Alert>
      )}
      <section className="card" aria-labelledby="case-facts-title">
        <h2 id="case-facts-title" className="visually-hidden">
          {t('cases.case.facts')}
        </h2>
        <dl className="facts facts--grid" data-testid="case-facts">
          <Fact label={t('cases.case.person')}>
            <Link to={`/registry/people/${c.person.id}`} data-testid="case-person-link">
              {c.person.name}
            </Link>
            {c.person.fullNameOriginal && (
              <div>
                <bdi dir="auto" data-testid="case-person-original">
                  {c.person.fullNameOriginal}
                </bdi>
              </div>
            )}
            <div className="muted">
              <span className="code-chip">{c.person.registrationId}</span>
              {' · '}
              {t(`registry.sex.${c.person.sex}`)}
              {c.person.age !== null && `, ${t('registry.ageShort', { age: fmt.number(c.person.age) })}`}
            </div>
          </Fact>
          <Fact label={t('cases.case.consentToReferral')}>
            <span data-testid="case-consent">
              {c.person.consentToReferral ? <Badge tone="success">{t('cases.case.consentGiven')}</Badge> : <Badge tone="warning">{t('cases.case.consentMissing')}</Badge>}
            </span>
          </Fact>
          <Fact label={t('cases.case.owner')}>{c.owner ? <span data-testid="case-owner">{c.owner.name}</span> : dash}</Fact>
          <Fact label={t('cases.case.supervisor')}>{c.supervisor ? <span data-testid="case-supervisor">{c.supervisor.name}</span> : dash}</Fact>
          <Fact label={t('cases.case.office')}>
            <span className="code-chip" data-testid="case-office">
              {c.officeCode}
            </span>
          </Fact>
          <Fact label={t('cases.case.opened')}>{fmt.date(c.openedAt)}</Fact>
          {c.closedAt && (
            <Fact label={t('cases.case.closed')}>
              {fmt.date(c.closedAt)}
              {c.closureReason && ` · ${L.closureReason(c.closureReason)}`}
            </Fact>
          )}
          <Fact label={t('cases.case.access')}>{t(`cases.access.${c.access.via}`)}</Fact>
          {c.members.length > 0 && <Fact label={t('cases.case.members')}>{c.members.map((m) => m.name).join(', ')}</Fact>}
        </dl>
      </section>
    </>
  );
}
