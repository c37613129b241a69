/**
 * One ECharts chart, imported piece by piece (core, bar chart, grid, tooltip, legend, canvas) so only
 * what the dashboard draws is bundled — and only with the dashboard's lazy chunk.
 *
 * Tooltips render on the canvas (renderMode "richText"): the HTML tooltip writes inline style
 * attributes, which the server's Content-Security-Policy forbids. The chart is an image to assistive
 * technology (role="img" with a label); the numbers are in a table next to it.
 */
import { useEffect, useRef } from 'react';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { cx } from '../../ui/cx.ts';

use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
export type { BarSeriesOption };

interface EChartProps {
  option: ChartOption;
  /** What the chart shows, for screen readers. */
  label: string;
  tall?: boolean;
  testId?: string;
}

export function EChart({ option, label, tall, testId }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option, tooltip: { renderMode: 'richText', ...(option.tooltip as object | undefined) } }, { notMerge: true });
  }, [option]);

  return <div ref={ref} className={cx('chart', tall && 'chart--tall')} role="img" aria-label={label} data-testid={testId} />;
}
