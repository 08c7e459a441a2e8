/** Operator home: calls in progress (polled every second) and today's money so far. */
import type { LiveCall, PnlReport } from '../api.js';
import { qs } from '../api.js';
import { browserZone, duration, localDate, money, pct, time, words } from '../format.js';
import { useApi } from '../use-api.js';
import { Badge, Card, Empty, Notice, Scroll, Stat } from '../components/ui.js';

const PHASE_TONE: Record<string, 'info' | 'warn' | 'good'> = { accepted: 'info', ivr: 'info', routing: 'warn', ringing: 'warn', bridged: 'good' };

function LiveTable({ calls }: { calls: LiveCall[] }) {
  const now = Date.now();
  if (calls.length === 0) return <Empty>No calls in progress.</Empty>;
  return (
    <Scroll>
      <table data-testid="live-table">
        <thead>
          <tr><th>Call</th><th>Campaign</th><th>Publisher</th><th>Buyer</th><th>Phase</th><th class="num">In phase</th><th>Started</th></tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id} data-testid="live-row" data-call={c.id}>
              <td><a href={`#/calls/${c.id}`} class="mono">{c.id.slice(0, 8)}</a></td>
              <td>{c.campaignId}</td>
              <td>{c.publisherId ?? '—'}</td>
              <td>{c.buyerId ?? '—'}</td>
              <td><Badge tone={PHASE_TONE[c.phase] ?? 'muted'}>{words(c.phase)}</Badge></td>
              <td class="num">{duration(now - Date.parse(c.phaseSince))}</td>
              <td>{time(c.startedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function Today() {
  const today = localDate(new Date());
  const { data } = useApi<PnlReport>(`/reports/pnl${qs({ from: today, to: today, tz: browserZone(), groupBy: 'campaign' })}`, 5000);
  const t = data?.totals;
  return (
    <div class="stats" data-testid="today">
      <Stat label="Calls today" value={t ? String(t.calls) : '…'} />
      <Stat label="Revenue" value={money(t?.revenueCents)} />
      <Stat label="Payout" value={money(t?.payoutCents)} />
      <Stat label="Margin" value={money(t?.marginCents)} />
      <Stat label="Billable rate" value={t ? pct(t.conversionRate) : '…'} />
    </div>
  );
}

export function LiveView() {
  const live = useApi<{ count: number; calls: LiveCall[] }>('/calls/live', 1000);
  return (
    <>
      <Today />
      <Card title={`Live calls${live.data ? ` (${live.data.count})` : ''}`} testId="live">
        {live.error ? <Notice>{live.error}</Notice> : null}
        {live.data ? <LiveTable calls={live.data.calls} /> : <Empty>Loading…</Empty>}
      </Card>
    </>
  );
}
