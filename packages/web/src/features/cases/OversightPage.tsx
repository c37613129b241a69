/** For data-protection officers: every break-glass grant and every referral made without the person's consent. */
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Loading, PageHeader } from '../../ui/index.ts';
import { casesApi } from './cases-api.ts';
import { useCaseLabels } from './labels.ts';
import { useLoad } from './use-load.ts';
import '../registry/registry.css';
import './cases.css';

export default function OversightPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  const data = useLoad(() => casesApi.oversight(), 'oversight');
  const d = data.data;
  return (
    <div className="page" data-testid="cases-oversight">
      <PageHeader title={t('cases.oversight.title')} description={t('cases.oversight.intro')} />
      {data.error ? <Alert tone="error">{errorMessage(t, data.error)}</Alert> : null}
      {!d && !data.error && <Loading block />}
      {d && (
        <>
          <section className="stack" aria-labelledby="oversight-bg-title">
            <h2 id="oversight-bg-title" className="section-title">
              {t('cases.oversight.breakGlass')}
            </h2>
            {d.breakGlass.length === 0 ? (
              <p className="muted">{t('cases.oversight.noBreakGlass')}</p>
            ) : (
              <div className="table-wrap" role="region" aria-labelledby="oversight-bg-title" tabIndex={0}>
                <table className="table table--compact table--responsive" data-testid="oversight-break-glass">
                  <thead>
                    <tr>
                      <th scope="col">{t('cases.oversight.when')}</th>
                      <th scope="col">{t('cases.oversight.who')}</th>
                      <th scope="col">{t('cases.list.caseNumber')}</th>
                      <th scope="col">{t('cases.oversight.reason')}</th>
                      <th scope="col">{t('cases.oversight.until')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.breakGlass.map((g) => (
                      <tr key={g.id} data-testid="oversight-break-glass-row">
                        <td data-label={t('cases.oversight.when')}>{fmt.dateTime(g.grantedAt)}</td>
                        <td data-label={t('cases.oversight.who')}>{g.user.name}</td>
                        <td data-label={t('cases.list.caseNumber')}>
                          <span className="code-chip">{g.caseNumber}</span>
                        </td>
                        <td data-label={t('cases.oversight.reason')} className="case-text">
                          {g.reason}
                        </td>
                        <td data-label={t('cases.oversight.until')}>{fmt.dateTime(g.expiresAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="stack" aria-labelledby="oversight-consent-title">
            <h2 id="oversight-consent-title" className="section-title">
              {t('cases.oversight.consentOverrides')}
            </h2>
            {d.consentOverrides.length === 0 ? (
              <p className="muted">{t('cases.oversight.noOverrides')}</p>
            ) : (
              <div className="table-wrap" role="region" aria-labelledby="oversight-consent-title" tabIndex={0}>
                <table className="table table--compact table--responsive" data-testid="oversight-overrides">
                  <thead>
                    <tr>
                      <th scope="col">{t('cases.oversight.when')}</th>
                      <th scope="col">{t('cases.oversight.who')}</th>
                      <th scope="col">{t('cases.list.caseNumber')}</th>
                      <th scope="col">{t('cases.partner')}</th>
                      <th scope="col">{t('cases.referrals.services')}</th>
                      <th scope="col">{t('cases.oversight.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.consentOverrides.map((r) => (
                      <tr key={r.id} data-testid="oversight-override-row">
                        <td data-label={t('cases.oversight.when')}>{fmt.dateTime(r.createdAt)}</td>
                        <td data-label={t('cases.oversight.who')}>{r.createdBy?.name ?? '—'}</td>
                        <td data-label={t('cases.list.caseNumber')}>
                          <span className="code-chip">{r.caseNumber}</span>
                        </td>
                        <td data-label={t('cases.partner')}>{r.partner.name}</td>
                        <td data-label={t('cases.referrals.services')}>{r.services.map(L.serviceType).join(', ')}</td>
                        <td data-label={t('cases.oversight.reason')} className="case-text">
                          {r.consentOverrideReason ?? ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}
