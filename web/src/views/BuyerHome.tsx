/** Buyer portal: spend over a range, why calls were not billable, and the billed calls it may still dispute. */
import { useState } from 'preact/hooks';
import { qs, type CallView, type Me } from '../api.js';
import { useBillingState, type BillingState, type Reasons } from '../billing.js';
import { dateTime, money, pct, ratio, words } from '../format.js';
import { useApi } from '../use-api.js';
import { CallsTable, type Column } from '../components/CallsTable.js';
import { RangePicker, lastDays, type Range } from '../components/RangePicker.js';
import { ReasonList } from '../components/Reasons.js';
import { Badge, Card, Empty, Notice, Stat } from '../components/ui.js';
import { rangeInstants, useCalls } from './Calls.js';
import { MoneyChart, usePortalPnl } from './PortalSummary.js';

const DAY_MS = 86_400_000;

function disputeColumns(windowDays: number, state: Record<string, BillingState>): Column[] {
  return [
    { head: 'Dispute by', cell: (c: CallView) => (c.endAt ? dateTime(new Date(Date.parse(c.endAt) + windowDays * DAY_MS).toISOString()) : '—') },
    { head: 'Conversion', cell: (c: CallView) => (state[c.id]?.conversions.length ? <Badge tone="good">converted</Badge> : <span class="muted">none</span>) },
    {
      head: 'Dispute',
      cell: (c: CallView) => {
        const d = state[c.id]?.dispute;
        return d ? <Badge tone={d.state === 'accepted' ? 'good' : d.state === 'rejected' ? 'bad' : 'warn'}>{words(d.state)}</Badge> : <a href={`#/calls/${c.id}`}>review</a>;
      },
    },
  ];
}

function Disputable({ me }: { me: Me }) {
  const windowDays = me.disputeWindowDays ?? 0;
  // Fixed when the view opens: a `since` recomputed on every render would be a new query each time.
  const [since] = useState(() => new Date(Date.now() - windowDays * DAY_MS).toISOString());
  const list = useCalls({ from: since, billable: 'true' });
  const state = useBillingState(list.calls.map((c) => c.id));
  return (
    <Card title={`Billed calls you may dispute (${windowDays}-day window)`} testId="disputable">
      {list.error ? <Notice>{list.error}</Notice> : null}
      {list.calls.length ? <CallsTable role="buyer" calls={list.calls} extra={disputeColumns(windowDays, state)} /> : <Empty>{list.loading ? 'Loading…' : 'No billed calls within the dispute window.'}</Empty>}
    </Card>
  );
}

export function BuyerHome({ me }: { me: Me }) {
  const [range, setRange] = useState<Range>(lastDays(7));
  const pnl = usePortalPnl(range);
  const reasons = useApi<Reasons>(`/dashboard/api/reasons${qs(rangeInstants(range))}`);
  const t = pnl.data?.totals;
  return (
    <>
      <Card title="Your spend" actions={<RangePicker value={range} onChange={setRange} />} testId="buyer-spend">
        {pnl.error ? <Notice>{pnl.error}</Notice> : null}
        <div class="stats">
          <Stat label="Spend" value={money(t?.revenueCents)} testId="spend" />
          <Stat label="Calls received" value={t ? String(t.calls) : '…'} />
          <Stat label="Answered" value={t ? ratio(t.connected, t.calls) : '…'} />
          <Stat label="Billable" value={t ? `${t.billable} (${pct(t.conversionRate)})` : '…'} />
        </div>
        {pnl.data ? <MoneyChart report={pnl.data} label="Spend" field="revenueCents" color="#2563eb" /> : null}
      </Card>
      <Card title="Why calls were not billable" testId="not-billable">
        {reasons.data ? <ReasonList counts={reasons.data.notBillable ?? {}} total={reasons.data.ended} /> : <Empty>Loading…</Empty>}
      </Card>
      <Disputable me={me} />
    </>
  );
}
