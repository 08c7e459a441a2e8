/** A line chart over days (uPlot), sized to its container and redrawn when the container resizes. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  /** One value per x, in dollars. */
  values: number[];
}

interface Props {
  /** Local dates `YYYY-MM-DD`, one per point. */
  days: string[];
  series: Series[];
  height?: number;
  testId?: string;
}

const toSeconds = (day: string): number => new Date(`${day}T00:00:00`).getTime() / 1000;
const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const DAY_S = 86_400;
const dollars = (v: number | null): string => (v === null ? '' : `$${v.toLocaleString('en-US', { maximumFractionDigits: 0 })}`);

export function Chart({ days, series, height = 260, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      scales: { x: { time: true } },
      axes: [
        // Day ticks only: the points are days, hour labels would only add noise.
        { stroke: '#64748b', grid: { stroke: '#e2e8f0' }, incrs: [DAY_S, 2 * DAY_S, 7 * DAY_S, 14 * DAY_S, 28 * DAY_S], values: (_u, vals) => vals.map((v) => dayFmt.format(new Date(v * 1000))) },
        { stroke: '#64748b', grid: { stroke: '#e2e8f0' }, values: (_u, vals) => vals.map(dollars), size: 64 }],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { size: 6 }, value: (_u: uPlot, v: number | null) => dollars(v) }))],
      legend: { live: false },
    };
    const data: uPlot.AlignedData = [days.map(toSeconds), ...series.map((s) => s.values)];
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [days, series, height]);

  return <div class="chart" ref={box} data-testid={testId} />;
}
