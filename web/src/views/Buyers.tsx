/** Operator buyers board: paused or active (pause/resume), open hours, live calls, caps used and left. */
import { useState } from 'preact/hooks';
import { postJson } from '../api.js';
import { money, words } from '../format.js';
import { useApi } from '../use-api.js';
import { Badge, Card, Empty, Notice } from '../components/ui.js';

export interface CapUse { owner: string; ownerId: string; metric: string; period: string; limit: number; used: number; left: number }
export interface BuyerBoard {
  id: string;
  name: string;
  timezone: string;
  pricing: string;
  priceCents: number;
  paused: boolean;
  pausedInConfig: boolean;
  pause: { source: string; reason: string; pausedAt: string; until: string | null } | null;
  hours: { open: boolean; reason: string | null };
  live: number;
  concurrency: number | null;
  caps: CapUse[];
}

function CapBar({ cap }: { cap: CapUse }) {
  const share = cap.limit === 0 ? 1 : Math.min(1, cap.used / cap.limit);
  const fmt = (n: number) => (cap.metric === 'revenue_cents' ? money(n) : String(n));
  return (
    <div class="cap" data-testid="cap">
      <div class="cap-head">
        <span>{cap.owner === 'target' ? `${cap.ownerId}: ` : ''}{words(cap.metric.replace('_cents', ''))} / {cap.period}</span>
        <span class="mono">{fmt(cap.used)} of {fmt(cap.limit)} · {fmt(cap.left)} left</span>
      </div>
      <div class="bar"><span style={{ width: `${Math.round(share * 100)}%` }} class={share >= 1 ? 'full' : share > 0.8 ? 'high' : ''} /></div>
    </div>
  );
}

function PauseControl({ buyer, onDone }: { buyer: BuyerBoard; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('paused from the dashboard');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const act = (path: string, body: unknown) => {
    setBusy(true);
    postJson(`/buyers/${encodeURIComponent(buyer.id)}/${path}`, body)
      .then(() => {
        setAsking(false);
        setError(undefined);
        onDone();
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  if (buyer.pausedInConfig) return <span class="muted">paused in config</span>;
  if (buyer.paused) return <button type="button" class="secondary" disabled={busy} onClick={() => act('resume', {})}>Resume</button>;
  if (!asking) return <button type="button" class="danger" onClick={() => setAsking(true)}>Pause</button>;
  return (
    <form class="pause-form" onSubmit={(e) => { e.preventDefault(); act('pause', { reason }); }}>
      <input aria-label="Pause reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required maxLength={200} />
      <button type="submit" class="danger" disabled={busy || !reason.trim()}>Confirm pause</button>
      <button type="button" class="link" onClick={() => setAsking(false)}>Cancel</button>
      {error ? <Notice>{error}</Notice> : null}
    </form>
  );
}

function BuyerCard({ b, reload }: { b: BuyerBoard; reload: () => void }) {
  return (
    <article class="buyer" data-testid="buyer" data-buyer={b.id}>
      <header>
        <div>
          <h3>{b.name}</h3>
          <span class="muted mono">{b.id} · {b.pricing === 'conversion' ? 'pays on conversion' : `${money(b.priceCents)} per call`} · {b.timezone}</span>
        </div>
        <PauseControl buyer={b} onDone={reload} />
      </header>
      <div class="chips">
        {b.paused ? <Badge tone="bad">paused</Badge> : <Badge tone="good">active</Badge>}
        {b.hours.open ? <Badge tone="good">open</Badge> : <Badge tone="muted">closed ({words(b.hours.reason)})</Badge>}
        <Badge tone="info">{b.live} live{b.concurrency ? ` / ${b.concurrency}` : ''}</Badge>
      </div>
      {b.pause ? <p class="muted small" data-testid="pause-reason">{b.pause.source === 'auto' ? 'Auto-paused' : 'Paused'}: {b.pause.reason}{b.pause.until ? ` until ${new Date(b.pause.until).toLocaleString()}` : ''}</p> : null}
      {b.caps.length ? b.caps.map((c) => <CapBar key={`${c.ownerId}${c.metric}${c.period}`} cap={c} />) : <p class="muted small">No caps.</p>}
    </article>
  );
}

export function BuyersView() {
  const res = useApi<{ buyers: BuyerBoard[] }>('/dashboard/api/buyers', 5000);
  return (
    <Card title="Buyers" testId="buyers">
      {res.error ? <Notice>{res.error}</Notice> : null}
      {!res.data ? <Empty>Loading…</Empty> : <div class="buyers">{res.data.buyers.map((b) => <BuyerCard key={b.id} b={b} reload={res.reload} />)}</div>}
    </Card>
  );
}
