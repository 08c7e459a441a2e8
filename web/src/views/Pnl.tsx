/** Operator P&L for a range: totals, revenue/payout/margin per day on a chart, and a table by campaign, publisher or buyer. */
import { useMemo, useState } from 'preact/hooks';
import { qs, type GroupBy, type PnlFigures, type PnlReport } from '../api.js';
import { browserZone, money, pct, ratio } from '../format.js';
import { useApi } from '../use-api.js';
import { Chart, type Series } from '../components/Chart.js';
import { RangePicker, lastDays, type Range } from '../components/RangePicker.js';
import { Card, Empty, Notice, Scroll, Stat } from '../components/ui.js';

const GROUPS: [GroupBy, string][] = [['campaign', 'Campaign'], ['publisher', 'Publisher'], ['buyer', 'Buyer']];

function Totals({ t }: { t: PnlFigures }) {
  return (
    <div class="stats" data-testid="pnl-totals">
      <Stat label="Calls" value={String(t.calls)} />
      <Stat label="Answer rate" value={ratio(t.connected, t.calls)} hint={`${t.connected} connected`} />
      <Stat label="Billable rate" value={pct(t.conversionRate)} hint={`${t.billable} billable`} />
      <Stat label="Revenue" value={money(t.revenueCents)} />
      <Stat label="Payout" value={money(t.payoutCents)} />
      <Stat label="Margin" value={money(t.marginCents)} hint={`cost ${money(t.costCents)}`} />
    </div>
  );
}

function DayChart({ report }: { report: PnlReport }) {
  const days = useMemo(() => report.rows.map((r) => r.key ?? ''), [report]);
  const series = useMemo<Series[]>(() => [
    { label: 'Revenue', color: '#2563eb', values: report.rows.map((r) => (r.revenueCents ?? 0) / 100) },
    { label: 'Payout', color: '#d97706', values: report.rows.map((r) => (r.payoutCents ?? 0) / 100) },
    { label: 'Margin', color: '#059669', values: report.rows.map((r) => (r.marginCents ?? 0) / 100) },
  ], [report]);
  return <Chart days={days} series={series} testId="pnl-chart" />;
}

export function PnlTable({ report, label }: { report: PnlReport; label: string }) {
  if (report.rows.length === 0) return <Empty>No calls in this range.</Empty>;
  const row = (key: string, r: PnlFigures, cls = '') => (
    <tr key={key} class={cls}>
      <td>{key}</td>
      <td class="num">{r.calls}</td>
      <td class="num">{ratio(r.connected, r.calls)}</td>
      <td class="num">{pct(r.conversionRate)}</td>
      <td class="num">{money(r.revenueCents)}</td>
      <td class="num">{money(r.payoutCents)}</td>
      <td class="num hide-sm">{money(r.costCents)}</td>
      <td class="num">{money(r.marginCents)}</td>
    </tr>
  );
  return (
    <Scroll>
      <table data-testid="pnl-table">
        <thead>
          <tr><th>{label}</th><th class="num">Calls</th><th class="num">Answered</th><th class="num">Billable</th><th class="num">Revenue</th><th class="num">Payout</th><th class="num hide-sm">Cost</th><th class="num">Margin</th></tr>
        </thead>
        <tbody>
          {report.rows.map((r) => row(r.key ?? '(none)', r))}
          {row('Total', report.totals, 'total')}
        </tbody>
      </table>
    </Scroll>
  );
}

export function PnlView() {
  const [range, setRange] = useState<Range>(lastDays(7));
  const [group, setGroup] = useState<GroupBy>('campaign');
  const base = { from: range.from, to: range.to, tz: browserZone() };
  const byDay = useApi<PnlReport>(`/reports/pnl${qs({ ...base, groupBy: 'day' })}`);
  const byGroup = useApi<PnlReport>(`/reports/pnl${qs({ ...base, groupBy: group })}`);
  const label = GROUPS.find(([g]) => g === group)?.[1] ?? group;
  return (
    <>
      <Card title="Profit & loss" actions={<RangePicker value={range} onChange={setRange} />} testId="pnl">
        {byDay.error ? <Notice>{byDay.error}</Notice> : null}
        {byDay.data ? <Totals t={byDay.data.totals} /> : null}
        {byDay.data ? <DayChart report={byDay.data} /> : <Empty>Loading…</Empty>}
      </Card>
      <Card
        title={`By ${label.toLowerCase()}`}
        actions={
          <div class="seg" role="tablist">
            {GROUPS.map(([g, l]) => <button type="button" key={g} role="tab" aria-selected={g === group} class={g === group ? 'on' : ''} onClick={() => setGroup(g)}>{l}</button>)}
          </div>
        }
      >
        {byGroup.error ? <Notice>{byGroup.error}</Notice> : null}
        {byGroup.data ? <PnlTable report={byGroup.data} label={label} /> : <Empty>Loading…</Empty>}
      </Card>
    </>
  );
}
