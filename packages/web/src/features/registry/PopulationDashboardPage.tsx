/**
 * Population figures for the offices the user may see: totals, a sex-and-age pyramid, and
 * breakdowns by population group, nationality, office and month of registration. Small counts
 * come masked as "<5" and are shown as such, in the charts' labels and in the tables.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { AGE_BANDS } from '@passage/domain/registry/model';
import { isAbort } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { officeOptionLabel } from '../../lib/offices.ts';
import { isRtl } from '../../i18n/index.ts';
import { Alert, Loading, PageHeader, SelectField } from '../../ui/index.ts';
import { EChart, type BarSeriesOption, type ChartOption } from './EChart.tsx';
import { countryName, useLang } from './labels.ts';
import { useOfficesWith } from './office-scope.ts';
import { registryApi, type PopulationStatsDto } from './registry-api.ts';
import './registry.css';

type Count = number | '<5';
interface Row {
  key: string;
  label: string;
  count: Count;
}

const FEMALE = '#b5446e';
const MALE = '#0b4f8a';
const BAR = '#1f6f8b';
const TEXT = '#17202b';
const MUTED = '#4a5668';

/** The value to draw: a masked count is drawn as nothing (its label still says "<5"). */
const plotted = (c: Count): number => (c === '<5' ? 0 : c);

export default function PopulationDashboardPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const rtl = isRtl(lang);
  const { offices } = useOfficesWith('registry.stats');
  const [officeId, setOfficeId] = useState('');
  const [stats, setStats] = useState<PopulationStatsDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    registryApi
      .stats(officeId || undefined, ctrl.signal)
      .then(setStats)
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(err);
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [officeId]);

  const show = useCallback((c: Count): string => (c === '<5' ? t('registry.stats.lessThanFive') : new Intl.NumberFormat(lang).format(c)), [t, lang]);
  const unknownLabel = t('registry.notKnown');

  const groups: Row[] = useMemo(
    () => (stats?.byPopulationGroup ?? []).map((r) => ({ key: r.key, label: r.key && r.key !== 'unknown' ? t(`registry.populationGroup.${r.key}`, { defaultValue: r.key }) : unknownLabel, count: r.count })),
    [stats, t, unknownLabel],
  );
  const nationalities: Row[] = useMemo(
    () => (stats?.byNationality ?? []).map((r) => ({ key: r.key, label: r.key && r.key !== 'unknown' ? countryName(r.key, lang) : unknownLabel, count: r.count })),
    [stats, lang, unknownLabel],
  );
  const byOffice: Row[] = useMemo(() => (stats?.byOffice ?? []).map((r) => ({ key: r.key, label: r.label, count: r.count })), [stats]);
  const months: Row[] = useMemo(() => {
    const f = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    return (stats?.byMonth ?? []).map((r) => {
      const d = new Date(`${r.key}-01T00:00:00Z`);
      return { key: r.key, label: Number.isNaN(d.getTime()) ? r.key : f.format(d), count: r.count };
    });
  }, [stats, lang]);

  return (
    <div className="page">
      <PageHeader title={t('registry.stats.title')} description={t('registry.stats.intro')} />

      <div className="filters card">
        <SelectField id="stats-office" label={t('registry.field.office')} value={officeId} onChange={(e) => setOfficeId(e.target.value)} data-testid="stats-office">
          <option value="">{t('registry.stats.allMyOffices')}</option>
          {(offices ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {officeOptionLabel(o)}
            </option>
          ))}
        </SelectField>
      </div>

      {error ? <Alert tone="error">{errorMessage(t, error)}</Alert> : null}
      {loading && !stats && <Loading block />}

      {stats && (
        <div className="stack" aria-busy={loading} data-testid="stats">
          {stats.masked && <p className="note">{t('registry.stats.maskedNote')}</p>}
          <ul className="stat-grid">
            <li className="card stat">
              <span className="stat__label">{t('registry.stats.total')}</span>
              <span className="stat__value" data-testid="stats-total">
                {show(stats.total)}
              </span>
            </li>
            {(['female', 'male'] as const).map((sex) => (
              <li key={sex} className="card stat">
                <span className="stat__label">{t(`registry.sex.${sex}`)}</span>
                <span className="stat__value">{sumShown(stats.pyramid.map((b) => b[sex]), show)}</span>
              </li>
            ))}
            <li className="card stat">
              <span className="stat__label">{t('registry.stats.children')}</span>
              <span className="stat__value">
                {sumShown(
                  stats.pyramid.filter((b) => b.band === '0-4' || b.band === '5-11' || b.band === '12-17').flatMap((b) => [b.female, b.male, b.other, b.unknown]),
                  show,
                )}
              </span>
            </li>
          </ul>

          {stats.total === 0 ? (
            <p className="note" data-testid="stats-empty">
              {t('registry.stats.noData')}
            </p>
          ) : (
            <div className="chart-grid">
              <Pyramid stats={stats} show={show} rtl={rtl} t={t} lang={lang} />
              <BarCard id="groups" title={t('registry.stats.byGroup')} rows={groups} horizontal show={show} rtl={rtl} lang={lang} t={t} />
              <BarCard id="nationality" title={t('registry.stats.byNationality')} rows={nationalities} horizontal show={show} rtl={rtl} lang={lang} t={t} />
              <BarCard id="office" title={t('registry.stats.byOffice')} rows={byOffice} horizontal show={show} rtl={rtl} lang={lang} t={t} />
              <BarCard id="month" title={t('registry.stats.byMonth')} rows={months} show={show} rtl={rtl} lang={lang} t={t} />
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** A sum of counts: exact when nothing is masked, otherwise "at least N". */
function sumShown(counts: Count[], show: (c: Count) => string): string {
  const masked = counts.some((c) => c === '<5');
  const sum = counts.reduce<number>((s, c) => s + plotted(c), 0);
  if (!masked) return show(sum);
  return sum === 0 ? show('<5') : `≥ ${show(sum)}`;
}

function axisNumber(lang: string) {
  const f = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  return (v: number) => f.format(Math.abs(v));
}

function Pyramid({ stats, show, rtl, t, lang }: { stats: PopulationStatsDto; show: (c: Count) => string; rtl: boolean; t: TFunction; lang: string }) {
  const bands = useMemo(() => AGE_BANDS.map((band) => stats.pyramid.find((b) => b.band === band) ?? { band, female: 0, male: 0, other: 0, unknown: 0 }), [stats]);
  const option = useMemo<ChartOption>(() => {
    const fmtAxis = axisNumber(lang);
    // Short band labels on the axis (the table has the long ones): they must fit at 360 px.
    const labels = bands.map((b) => b.band.replace('-', '–'));
    // A symmetric axis with room for the labels at the ends of the longest bar.
    const largest = Math.max(1, ...bands.flatMap((b) => [plotted(b.female), plotted(b.male), b.female === '<5' || b.male === '<5' ? 4 : 0]));
    const bound = Math.max(2, Math.ceil(largest * 1.25));
    // Men to one side, women to the other (the axis mirrors in right-to-left, as the reading order does).
    const side = (sex: 'female' | 'male', sign: number): BarSeriesOption => ({
      type: 'bar',
      name: t(`registry.sex.${sex}`),
      stack: 'pyramid',
      color: sex === 'female' ? FEMALE : MALE,
      barMaxWidth: 28,
      data: bands.map((b) => sign * plotted(b[sex])),
      label: {
        show: true,
        position: (sign < 0) !== rtl ? 'left' : 'right',
        color: TEXT,
        // An empty cell needs no label; a masked one says "<5".
        formatter: (p) => (bands[p.dataIndex]![sex] === 0 ? '' : show(bands[p.dataIndex]![sex])),
      },
      tooltip: {
        formatter: (p) => {
          const i = (p as { dataIndex: number }).dataIndex;
          return `${t(`registry.ageBand.${bands[i]!.band}`)}\n${t(`registry.sex.${sex}`)}: ${show(bands[i]![sex])}`;
        },
      },
    });
    return {
      legend: { top: 0, textStyle: { color: TEXT } },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', inverse: rtl, min: -bound, max: bound, minInterval: 1, axisLabel: { formatter: fmtAxis, color: MUTED, showMinLabel: false, showMaxLabel: false } },
      yAxis: { type: 'category', data: labels, position: rtl ? 'right' : 'left', axisLine: { onZero: false }, axisTick: { show: false }, axisLabel: { color: TEXT } },
      series: [side('male', -1), side('female', 1)],
    };
  }, [bands, lang, rtl, show, t]);

  return (
    <section className="card chart-card" aria-labelledby="chart-pyramid-title">
      <h2 id="chart-pyramid-title" className="section-title">
        {t('registry.stats.pyramid')}
      </h2>
      <EChart option={option} label={t('registry.stats.pyramidAlt')} tall testId="chart-pyramid" />
      <details className="chart-data">
        <summary>{t('registry.stats.showTable')}</summary>
        <div className="table-wrap" role="region" aria-labelledby="pyramid-caption" tabIndex={0}>
          <table className="table table--compact" data-testid="pyramid-table">
            <caption id="pyramid-caption" className="visually-hidden">
              {t('registry.stats.pyramid')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('registry.field.ageBand')}</th>
                {(['female', 'male', 'other', 'unknown'] as const).map((s) => (
                  <th key={s} scope="col" className="num">
                    {t(`registry.sex.${s}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[...bands].reverse().map((b) => (
                <tr key={b.band}>
                  <th scope="row">{t(`registry.ageBand.${b.band}`)}</th>
                  {(['female', 'male', 'other', 'unknown'] as const).map((s) => (
                    <td key={s} className="num">
                      {show(b[s])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

interface BarCardProps {
  id: string;
  title: string;
  rows: Row[];
  horizontal?: boolean;
  show: (c: Count) => string;
  rtl: boolean;
  lang: string;
  t: TFunction;
}

function BarCard({ id, title, rows, horizontal, show, rtl, lang, t }: BarCardProps) {
  const option = useMemo<ChartOption>(() => {
    const fmtAxis = axisNumber(lang);
    // Largest at the top of a horizontal chart: ECharts draws categories from the bottom.
    const ordered = horizontal ? [...rows].reverse() : rows;
    const categories = ordered.map((r) => r.label);
    const series: BarSeriesOption = {
      type: 'bar',
      name: title,
      color: BAR,
      barMaxWidth: 28,
      data: ordered.map((r) => plotted(r.count)),
      label: { show: true, position: horizontal ? (rtl ? 'left' : 'right') : 'top', color: TEXT, formatter: (p) => show(ordered[p.dataIndex]!.count) },
    };
    // Headroom past the longest bar for its label.
    const largest = Math.max(1, ...rows.map((r) => (r.count === '<5' ? 4 : r.count)));
    // The bound itself is an odd number: only the ticks inside it are labelled.
    const valueAxis = { type: 'value' as const, max: Math.ceil(largest * 1.15) + 1, axisLabel: { formatter: fmtAxis, color: MUTED, showMaxLabel: false }, minInterval: 1 };
    const categoryAxis = { type: 'category' as const, data: categories, axisLine: { onZero: false }, axisTick: { show: false }, axisLabel: { color: TEXT, width: 110, overflow: 'truncate' as const } };
    return {
      grid: { left: 16, right: 40, top: 16, bottom: 16, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const r = ordered[(p as { dataIndex: number }).dataIndex]!;
          return `${r.label}: ${show(r.count)}`;
        },
      },
      xAxis: horizontal ? { ...valueAxis, inverse: rtl } : { ...categoryAxis, inverse: rtl },
      yAxis: horizontal ? { ...categoryAxis, position: rtl ? 'right' : 'left' } : { ...valueAxis, position: rtl ? 'right' : 'left' },
      series: [series],
    };
  }, [rows, horizontal, show, rtl, lang, title]);

  return (
    <section className="card chart-card" aria-labelledby={`chart-${id}-title`}>
      <h2 id={`chart-${id}-title`} className="section-title">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="muted">{t('registry.stats.noData')}</p>
      ) : (
        <>
          <EChart option={option} label={t('registry.stats.chartAlt', { title })} testId={`chart-${id}`} />
          <details className="chart-data">
            <summary>{t('registry.stats.showTable')}</summary>
            <div className="table-wrap" role="region" aria-labelledby={`chart-${id}-caption`} tabIndex={0}>
              <table className="table table--compact">
                <caption id={`chart-${id}-caption`} className="visually-hidden">
                  {title}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{title}</th>
                    <th scope="col" className="num">
                      {t('registry.stats.people')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">{r.label}</th>
                      <td className="num">{show(r.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
