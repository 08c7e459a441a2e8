/** On a buyer's call: the conversions it reported and the dispute, if any, with the deadline for raising one. */
import type { CallView, Me } from '../api.js';
import { useBillingState } from '../billing.js';
import { dateTime, money, words } from '../format.js';
import { Badge, Card } from './ui.js';

const DAY_MS = 86_400_000;

export function BuyerActions({ me, call }: { me: Me; call: CallView; onChange: () => void }) {
  const state = useBillingState([call.id])[call.id];
  const deadline = call.endAt ? Date.parse(call.endAt) + (me.disputeWindowDays ?? 0) * DAY_MS : null;
  const open = call.billable && deadline !== null && Date.now() <= deadline;
  return (
    <Card title="Conversions and disputes" testId="buyer-billing">
      {state?.conversions.length ? (
        <ul class="answers">{state.conversions.map((c) => <li key={c.eventId}>Conversion <span class="mono">{c.eventId}</span> {c.revenueCents === null ? '' : money(c.revenueCents)} at {dateTime(c.reportedAt)}</li>)}</ul>
      ) : <p class="muted">No conversion reported.</p>}
      {state?.dispute ? (
        <p>Dispute <Badge tone={state.dispute.state === 'accepted' ? 'good' : 'warn'}>{words(state.dispute.state)}</Badge> opened {dateTime(state.dispute.openedAt)}{state.dispute.reason ? `: ${state.dispute.reason}` : ''}</p>
      ) : open ? (
        <p>This billed call may be disputed until <b>{dateTime(new Date(deadline).toISOString())}</b>.</p>
      ) : (
        <p class="muted">{call.billable ? 'The dispute window has closed.' : 'Not billed, nothing to dispute.'}</p>
      )}
    </Card>
  );
}
