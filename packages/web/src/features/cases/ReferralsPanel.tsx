/**
 * Referrals to partner organisations: the list with each one's outcome, and a referral form over the office's
 * partner directory. A referral needs the person's consent to referral; without it the server refuses (409),
 * and a user who may override consent can give the reason it cannot wait (audited, reported).
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { Alert, Badge } from '../../ui/index.ts';
import { casesApi, type ReferralDto } from './cases-api.ts';
import { useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';
import { ByLine, Listed, PanelTitle } from './parts.tsx';
import { ReferralForm } from './ReferralForm.tsx';
import { useItemChange, useLoad } from './use-load.ts';

/** The outcomes that may follow a status. */
const NEXT: Record<ReferralDto['status'], ('accepted' | 'declined' | 'completed' | 'withdrawn')[]> = {
  sent: ['accepted', 'declined', 'withdrawn'],
  accepted: ['completed', 'declined', 'withdrawn'],
  declined: [],
  completed: [],
  withdrawn: [],
};

export function ReferralsPanel(props: PanelProps) {
  const { c, reload } = props;
  const { t } = useTranslation();
  const L = useCaseLabels();
  const list = useLoad(() => casesApi.referrals(c.id), c.id);
  const change = useItemChange(list.reload, reload);
  // Seeing an incoming referral here answers the inbox's "new referral".
  const incoming = list.data?.some((r) => r.direction === 'incoming') ?? false;
  useEffect(() => {
    if (incoming && c.access.canWork) casesApi.acknowledgeReferrals(c.id).catch(() => undefined);
  }, [incoming, c.access.canWork, c.id]);

  const setStatus = (r: ReferralDto, status: (typeof NEXT)['sent'][number]) => change.run(() => casesApi.updateReferral(r.id, { version: r.version, status }));

  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="case-referrals-title">
        <PanelTitle id="case-referrals-title">{t('cases.referrals.title')}</PanelTitle>
        {change.error ? <Alert tone="error">{errorMessage(t, change.error)}</Alert> : null}
        <Listed state={list} empty={t('cases.referrals.none')}>
          {(items) => (
            <ul className="item-list" data-testid="case-referrals">
              {items.map((r) => (
                <li key={r.id} className="item-list__item" data-testid="case-referral" data-status={r.status}>
                  <div className="item-list__main">
                    <strong>{t(r.direction === 'incoming' ? 'cases.referrals.from' : 'cases.referrals.to', { partner: r.partner.name })}</strong>
                    <span>{r.services.map(L.serviceType).join(', ')}</span>
                    <p className="case-text">{r.reason}</p>
                    {r.consent === 'overridden' && (
                      <p className="note" data-testid="case-referral-override">
                        {t('cases.referrals.overridden', { reason: r.consentOverrideReason ?? '' })}
                      </p>
                    )}
                    <ByLine by={r.createdBy} at={r.createdAt} />
                  </div>
                  <div className="button-row">
                    {r.urgency === 'urgent' && <Badge tone="danger">{t('cases.urgency.urgent')}</Badge>}
                    <span data-testid="case-referral-status">
                      <Badge tone={r.status === 'completed' || r.status === 'accepted' ? 'success' : r.status === 'sent' ? 'info' : 'neutral'}>{t(`cases.referralStatus.${r.status}`)}</Badge>
                    </span>
                    {c.access.canWork &&
                      NEXT[r.status].map((s) => (
                        <button key={s} type="button" className="btn btn--secondary btn--small" onClick={() => void setStatus(r, s)} data-testid={`case-referral-${s}`}>
                          {t(`cases.referrals.mark.${s}`)}
                          <span className="visually-hidden">: {r.partner.name}</span>
                        </button>
                      ))}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Listed>
      </section>
      {c.access.canWork && !c.closedAt && <ReferralForm {...props} onSent={() => void list.reload()} />}
    </div>
  );
}
