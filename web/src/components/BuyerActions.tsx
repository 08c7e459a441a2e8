/**
 * Conversions and the dispute of one call. A buyer reports a conversion (idempotent by its event id) and may open a
 * dispute on a billed call until its window closes; an operator decides an open dispute.
 */
import { useState } from 'preact/hooks';
import { postJson, type CallView, type Me } from '../api.js';
import { useBillingState } from '../billing.js';
import { dateTime, money, words } from '../format.js';
import { Badge, Card, Notice } from './ui.js';

const DAY_MS = 86_400_000;

/** Runs one API mutation at a time and keeps its error for display. */
function useAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = (path: string, body: unknown) => {
    setBusy(true);
    postJson(path, body)
      .then(() => {
        setError(undefined);
        onDone();
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return { busy, error, run };
}

function ConversionForm({ call, onDone }: { call: CallView; onDone: () => void }) {
  const [eventId, setEventId] = useState(() => `dash-${Date.now().toString(36)}`);
  const [dollars, setDollars] = useState('');
  const act = useAction(onDone);
  const submit = (e: Event) => {
    e.preventDefault();
    const cents = dollars.trim() === '' ? undefined : Math.round(Number(dollars) * 100);
    act.run(`/calls/${encodeURIComponent(call.id)}/conversions`, { eventId: eventId.trim(), ...(cents === undefined ? {} : { revenueCents: cents }) });
  };
  return (
    <form class="inline-form" onSubmit={submit} data-testid="conversion-form">
      <input aria-label="Conversion event id" value={eventId} onInput={(e) => setEventId(e.currentTarget.value)} required maxLength={128} />
      <input aria-label="Sale value in dollars" placeholder="Sale value $ (optional)" inputMode="decimal" value={dollars} onInput={(e) => setDollars(e.currentTarget.value)} />
      <button type="submit" class="secondary" disabled={act.busy || !eventId.trim()}>Report conversion</button>
      {act.error ? <Notice>{act.error}</Notice> : null}
    </form>
  );
}

function DisputeForm({ call, deadline, onDone }: { call: CallView; deadline: number; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const act = useAction(onDone);
  return (
    <form class="inline-form" data-testid="dispute-form" onSubmit={(e) => { e.preventDefault(); act.run(`/calls/${encodeURIComponent(call.id)}/dispute`, { reason: reason.trim() }); }}>
      <span>May be disputed until <b>{dateTime(new Date(deadline).toISOString())}</b>.</span>
      <input aria-label="Dispute reason" placeholder="Why this call should not be billed" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required maxLength={500} />
      <button type="submit" class="danger" disabled={act.busy || !reason.trim()}>Open dispute</button>
      {act.error ? <Notice>{act.error}</Notice> : null}
    </form>
  );
}

function Decision({ call, onDone }: { call: CallView; onDone: () => void }) {
  const act = useAction(onDone);
  const decide = (accepted: boolean) => act.run(`/calls/${encodeURIComponent(call.id)}/dispute/decision`, { accepted });
  return (
    <div class="inline-form">
      <button type="button" class="danger" disabled={act.busy} onClick={() => decide(true)}>Accept (reverse revenue)</button>
      <button type="button" class="secondary" disabled={act.busy} onClick={() => decide(false)}>Reject</button>
      {act.error ? <Notice>{act.error}</Notice> : null}
    </div>
  );
}

export function BuyerActions({ me, call, onChange }: { me: Me; call: CallView; onChange: () => void }) {
  const [version, setVersion] = useState(0);
  const state = useBillingState([call.id], version)[call.id];
  const done = () => {
    setVersion((v) => v + 1);
    onChange();
  };
  const ended = call.status !== 'in_progress';
  const deadline = call.endAt ? Date.parse(call.endAt) + (me.disputeWindowDays ?? 0) * DAY_MS : null;
  const d = state?.dispute;
  return (
    <Card title="Conversions and disputes" testId="buyer-billing">
      {state?.conversions.length ? (
        <ul class="answers" data-testid="conversions">{state.conversions.map((c) => <li key={c.eventId}><Badge tone="good">converted</Badge> <span class="mono">{c.eventId}</span> {c.revenueCents === null ? '' : money(c.revenueCents)} at {dateTime(c.reportedAt)}</li>)}</ul>
      ) : <p class="muted">No conversion reported.</p>}
      {me.role === 'buyer' && ended && call.buyerAnswerAt ? <ConversionForm call={call} onDone={done} /> : null}
      {d ? (
        <p data-testid="dispute">Dispute <Badge tone={d.state === 'accepted' ? 'good' : d.state === 'rejected' ? 'bad' : 'warn'}>{words(d.state)}</Badge> opened {dateTime(d.openedAt)}{d.reason ? `: ${d.reason}` : ''}</p>
      ) : null}
      {d?.state === 'open' && me.role === 'operator' ? <Decision call={call} onDone={done} /> : null}
      {!d && me.role === 'buyer' && call.billable && deadline !== null && Date.now() <= deadline ? <DisputeForm call={call} deadline={deadline} onDone={done} /> : null}
      {!d && me.role === 'buyer' && !(call.billable && deadline !== null && Date.now() <= deadline) ? (
        <p class="muted">{call.billable ? 'The dispute window has closed.' : 'Not billed, nothing to dispute.'}</p>
      ) : null}
    </Card>
  );
}
