/** Shared top of the buyer and publisher portals: a range, the party's money per day on a chart, and totals. */
import { useMemo } from 'preact/hooks';
import { qs, type PnlReport } from '../api.js';
import { browserZone } from '../format.js';
import { useApi } from '../use-api.js';
import { Chart, type Series } from '../components/Chart.js';
import type { Range } from '../components/RangePicker.js';

export function usePortalPnl(range: Range) {
  return useApi<PnlReport>(`/reports/pnl${qs({ from: range.from, to: range.to, tz: browserZone(), groupBy: 'day' })}`);
}

export function MoneyChart({ report, label, field, color }: { report: PnlReport; label: string; field: 'revenueCents' | 'payoutCents'; color: string }) {
  const days = useMemo(() => report.rows.map((r) => r.key ?? ''), [report]);
  const series = useMemo<Series[]>(() => [{ label, color, values: report.rows.map((r) => (r[field] ?? 0) / 100) }], [report, label, field, color]);
  return <Chart days={days} series={series} height={220} testId="portal-chart" />;
}
