/**
 * Case figures for the offices the user may see: open cases by type, status, risk and age, overdue tasks,
 * people with an open case by sex and age, services delivered by month; and the same as a spreadsheet.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { officeOptionLabel } from '../../lib/offices.ts';
import { isRtl } from '../../i18n/index.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Loading, PageHeader, SelectField } from '../../ui/index.ts';
import { useOfficesWith } from '../registry/office-scope.ts';
import { useLang } from '../registry/labels.ts';
import { casesApi, dashboardXlsxUrl, type CountCell } from './cases-api.ts';
import { ChartCard, type Cell } from './DashboardCharts.tsx';
import { useCaseLabels } from './labels.ts';
import { useLoad } from './use-load.ts';
import '../registry/registry.css';
import './cases.css';

const AGE_KEYS = ['0-30', '31-90', '91-180', '181+'];

/** Distinct values of a key, in first-seen order. */
const distinct = <T,>(rows: readonly T[], key: (r: T) => string) => [...new Set(rows.map(key))];

export default function CaseDashboardPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  const rtl = isRtl(lang);
  const L = useCaseLabels();
  const { offices } = useOfficesWith('cases.stats');
  const [officeId, setOfficeId] = useState('');
  const stats = useLoad(() => casesApi.dashboard(officeId || undefined), officeId);
  const d = stats.data;

  const single = (id: string, title: string, cells: readonly CountCell[], label: (k: string) => string, order?: string[]) => {
    const keys = order ? order.filter((k) => cells.some((c) => c.key === k)).concat(cells.map((c) => c.key).filter((k) => !order.includes(k))) : cells.map((c) => c.key);
    const categories = keys.map((key) => ({ key, label: label(key) }));
    return <ChartCard id={id} title={title} categories={categories} series={[{ key: 'n', label: title, cells: cells.map((c) => ({ ...c, label: label(c.key) })) }]} rtl={rtl} countLabel={t('cases.dashboard.cases')} />;
  };

  const people = useMemo(() => {
    if (!d) return null;
    const bands = distinct(d.peopleServed, (r) => r.band);
    const sexes = distinct(d.peopleServed, (r) => r.sex);
    return {
      categories: bands.map((b) => ({ key: b, label: b === 'unknown' ? t('registry.notKnown') : t(`registry.ageBand.${b}`, { defaultValue: b }) })),
      series: sexes.map((s) => ({ key: s, label: t(`registry.sex.${s}`, { defaultValue: s }), cells: d.peopleServed.filter((r) => r.sex === s).map((r): Cell => ({ key: r.band, label: r.band, count: r.count, masked: r.masked })) })),
    };
  }, [d, t]);

  const services = useMemo(() => {
    if (!d) return null;
    const months = distinct(d.servicesByMonth, (r) => r.month).sort();
    const types = distinct(d.servicesByMonth, (r) => r.type);
    const f = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    return {
      categories: months.map((m) => ({ key: m, label: f.format(new Date(`${m}-01T00:00:00Z`)) })),
      series: types.map((ty) => ({ key: ty, label: L.serviceType(ty), cells: d.servicesByMonth.filter((r) => r.type === ty).map((r): Cell => ({ key: r.month, label: r.month, count: r.count, masked: r.masked })) })),
    };
  }, [d, lang, L]);

  return (
    <div className="page" data-testid="cases-dashboard">
      <PageHeader
        title={t('cases.dashboard.title')}
        description={t('cases.dashboard.intro')}
        actions={
          <a className="btn btn--secondary" href={dashboardXlsxUrl(officeId || undefined)} download data-testid="cases-dashboard-xlsx">
            {t('cases.dashboard.xlsx')}
          </a>
        }
      />
      <div className="filters card">
        <SelectField id="cases-dashboard-office" label={t('cases.case.office')} value={officeId} onChange={(e) => setOfficeId(e.target.value)} data-testid="cases-dashboard-office">
          <option value="">{t('registry.stats.allMyOffices')}</option>
          {(offices ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {officeOptionLabel(o)}
            </option>
          ))}
        </SelectField>
      </div>
      {stats.error ? <Alert tone="error">{errorMessage(t, stats.error)}</Alert> : null}
      {!d && !stats.error && <Loading block />}
      {d && (
        <div className="stack">
          <ul className="stat-grid">
            <li className="card stat">
              <span className="stat__label">{t('cases.dashboard.open')}</span>
              <span className="stat__value" data-testid="cases-dashboard-open">
                {fmt.number(d.open)}
              </span>
            </li>
            <li className="card stat">
              <span className="stat__label">{t('cases.dashboard.overdueTasks')}</span>
              <span className="stat__value" data-testid="cases-dashboard-overdue">
                {fmt.number(d.overdueTasks)}
              </span>
            </li>
          </ul>
          {d.open === 0 && d.servicesByMonth.length === 0 ? (
            <p className="note">{t('cases.dashboard.noData')}</p>
          ) : (
            <div className="chart-grid">
              {single('type', t('cases.dashboard.byType'), d.openByType, L.type)}
              {single('status', t('cases.dashboard.byStatus'), d.openByStatus, L.state)}
              {single('risk', t('cases.dashboard.byRisk'), d.openByRisk, L.risk, ['low', 'medium', 'high', 'critical'])}
              {single('age', t('cases.dashboard.byAge'), d.openByAge, (k) => t(`cases.dashboard.ageBands.${k}`, { defaultValue: k }), AGE_KEYS)}
              {people && <ChartCard id="people" title={t('cases.dashboard.peopleServed')} {...people} rtl={rtl} countLabel={t('cases.dashboard.people')} />}
              {services && <ChartCard id="services" title={t('cases.dashboard.servicesByMonth')} {...services} rtl={rtl} countLabel={t('cases.dashboard.services')} />}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
