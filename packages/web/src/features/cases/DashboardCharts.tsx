/**
 * The case dashboard's charts: one bar a count, or bars stacked by a second key. Masked counts (fewer than
 * five, for users who may only see aggregates) are drawn as nothing and labelled "<5"; each chart has its
 * numbers in a table beside it.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart, type BarSeriesOption, type ChartOption } from '../registry/EChart.tsx';

export interface Cell {
  key: string;
  label: string;
  count: number | null;
  masked: boolean;
}

const COLOURS = ['#1f6f8b', '#b5446e', '#0b4f8a', '#6a5acd', '#2e7d32', '#a0522d', '#5e4200', '#455a64', '#8e24aa', '#00796b', '#c62828', '#283593'];
const TEXT = '#17202b';
const MUTED = '#4a5668';

/** "<5" for a masked count, else the number. */
export function useShowCount(): (c: { count: number | null; masked: boolean }) => string {
  const { t, i18n } = useTranslation();
  return useMemo(() => {
    const f = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language);
    return (c) => (c.masked || c.count === null ? t('cases.dashboard.lessThanFive') : f.format(c.count));
  }, [t, i18n.resolvedLanguage, i18n.language]);
}

interface ChartCardProps {
  id: string;
  title: string;
  /** Categories (x) with, per series, a cell each. One series: a plain bar chart. */
  categories: { key: string; label: string }[];
  series: { key: string; label: string; cells: Cell[] }[];
  rtl: boolean;
  /** Label of the counts column when there is one series. */
  countLabel: string;
}

export function ChartCard({ id, title, categories, series, rtl, countLabel }: ChartCardProps) {
  const { t } = useTranslation();
  const show = useShowCount();
  const stacked = series.length > 1;
  const option = useMemo<ChartOption>(() => {
    const bars: BarSeriesOption[] = series.map((s, i) => ({
      type: 'bar',
      name: s.label,
      stack: stacked ? 'all' : undefined,
      color: COLOURS[i % COLOURS.length],
      barMaxWidth: 32,
      data: categories.map((c) => s.cells.find((x) => x.key === c.key)?.count ?? 0),
      label: stacked ? { show: false } : { show: true, position: 'top', color: TEXT, formatter: (p) => show(s.cells.find((x) => x.key === categories[p.dataIndex]?.key) ?? { count: 0, masked: false }) },
    }));
    return {
      legend: stacked ? { top: 0, type: 'scroll', textStyle: { color: TEXT } } : undefined,
      grid: { left: 16, right: 16, top: stacked ? 40 : 24, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item', formatter: (p) => { const q = p as { seriesIndex: number; dataIndex: number }; const s = series[q.seriesIndex]; const c = categories[q.dataIndex]; const cell = s?.cells.find((x) => x.key === c?.key); return `${c?.label ?? ''}${stacked ? ` · ${s?.label ?? ''}` : ''}: ${show(cell ?? { count: 0, masked: false })}`; } },
      xAxis: { type: 'category', data: categories.map((c) => c.label), inverse: rtl, axisTick: { show: false }, axisLabel: { color: TEXT, interval: 0, width: 96, overflow: 'break' } },
      yAxis: { type: 'value', position: rtl ? 'right' : 'left', minInterval: 1, axisLabel: { color: MUTED } },
      series: bars,
    };
  }, [categories, series, stacked, rtl, show]);

  const empty = series.every((s) => s.cells.length === 0);
  return (
    <section className="card chart-card" aria-labelledby={`chart-${id}-title`} data-testid={`cases-chart-${id}`}>
      <h2 id={`chart-${id}-title`} className="section-title">
        {title}
      </h2>
      {empty ? (
        <p className="muted">{t('cases.dashboard.noData')}</p>
      ) : (
        <>
          <EChart option={option} label={t('cases.dashboard.chartAlt', { title })} />
          <details className="chart-data">
            <summary>{t('cases.dashboard.showTable')}</summary>
            <div className="table-wrap" role="region" aria-labelledby={`chart-${id}-caption`} tabIndex={0}>
              <table className="table table--compact" data-testid={`cases-table-${id}`}>
                <caption id={`chart-${id}-caption`} className="visually-hidden">
                  {title}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{title}</th>
                    {series.map((s) => (
                      <th key={s.key} scope="col" className="num">
                        {stacked ? s.label : countLabel}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {categories.map((c) => (
                    <tr key={c.key}>
                      <th scope="row">{c.label}</th>
                      {series.map((s) => {
                        const cell = s.cells.find((x) => x.key === c.key);
                        return (
                          <td key={s.key} className="num">
                            {cell ? show(cell) : '0'}
                          </td>
                        );
                      })}
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
