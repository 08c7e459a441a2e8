/** Publisher portal: payouts over a range, duplicates, and why calls were not paid; callers masked unless allowed. */
import { useState } from 'preact/hooks';
import { qs, type Me } from '../api.js';
import type { Reasons } from '../billing.js';
import { money, ratio } from '../format.js';
import { useApi } from '../use-api.js';
import { CallsTable } from '../components/CallsTable.js';
import { RangePicker, lastDays, type Range } from '../components/RangePicker.js';
import { ReasonList } from '../components/Reasons.js';
import { Card, Empty, Notice, Stat } from '../components/ui.js';
import { rangeInstants, useCalls } from './Calls.js';
import { MoneyChart, usePortalPnl } from './PortalSummary.js';

export function PublisherHome({ me }: { me: Me }) {
  const [range, setRange] = useState<Range>(lastDays(7));
  const pnl = usePortalPnl(range);
  const reasons = useApi<Reasons>(`/dashboard/api/reasons${qs(rangeInstants(range))}`);
  const recent = useCalls(rangeInstants(range));
  const t = pnl.data?.totals;
  const r = reasons.data;
  return (
    <>
      <Card title="Your payouts" actions={<RangePicker value={range} onChange={setRange} />} testId="publisher-payouts">
        {pnl.error ? <Notice>{pnl.error}</Notice> : null}
        <div class="stats">
          <Stat label="Payout" value={money(t?.payoutCents)} testId="payout" />
          <Stat label="Calls sent" value={t ? String(t.calls) : '…'} />
          <Stat label="Paid calls" value={r ? `${r.paid ?? 0} (${ratio(r.paid ?? 0, r.ended)})` : '…'} />
          <Stat label="Duplicates" value={r ? String(r.duplicates) : '…'} testId="duplicates" />
        </div>
        {pnl.data ? <MoneyChart report={pnl.data} label="Payout" field="payoutCents" color="#059669" /> : null}
      </Card>
      <Card title="Why calls were not paid" testId="not-paid">
        {r ? <ReasonList counts={r.notPaid ?? {}} total={r.ended} /> : <Empty>Loading…</Empty>}
      </Card>
      <Card title="Recent calls" testId="recent">
        {me.canSeeCaller ? null : <p class="muted small">Caller numbers are masked for your account.</p>}
        {recent.calls.length ? <CallsTable role="publisher" calls={recent.calls.slice(0, 20)} /> : <Empty>{recent.loading ? 'Loading…' : 'No calls in this range.'}</Empty>}
        <a href="#/calls">All calls</a>
      </Card>
    </>
  );
}
