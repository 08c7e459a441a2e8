/**
 * Which events a call-row change causes. Pure, so the call flow can decide inside its write transaction:
 * the change and the events it causes commit together.
 */
import type { WebhookEvent } from '../config/schema/index.js';
import type { CallPatch, CallRow } from '../store/index.js';

/**
 * - `call.qualified`: the IVR passed the caller (`qualified` set to 1); for campaigns without an IVR, when routing starts.
 * - `call.routed`: the first buyer is being dialled (phase `ringing`).
 * - `call.connected`: a buyer answered (`buyer_answer_at` set).
 * - `call.ended`: the row closed (status `completed`); with it `call.billable` / `payout.earned` when the bill says so.
 */
export function eventsForPatch(patch: CallPatch, campaignHasIvr: boolean): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  if (patch.qualified === 1) events.push('call.qualified');
  if (patch.phase === 'routing' && !campaignHasIvr) events.push('call.qualified');
  if (patch.phase === 'ringing') events.push('call.routed');
  if (patch.buyer_answer_at !== undefined && patch.buyer_answer_at !== null) events.push('call.connected');
  if (patch.status === 'completed') events.push('call.ended');
  if (patch.billable === 1) events.push('call.billable');
  if (patch.payable === 1) events.push('payout.earned');
  return events;
}

/**
 * Events for a conversion report applied to a call (`before` / `after`: the row around the report): always
 * `call.converted`; plus `call.billable` / `payout.earned` when the conversion is what made the call billable /
 * payable (conversion-priced buyers). Queue them in the transaction that applied the report.
 */
export function eventsAfterConversion(before: Pick<CallRow, 'billable' | 'payable'>, after: Pick<CallRow, 'billable' | 'payable'>): WebhookEvent[] {
  const events: WebhookEvent[] = ['call.converted'];
  if (before.billable !== 1 && after.billable === 1) events.push('call.billable');
  if (before.payable !== 1 && after.payable === 1) events.push('payout.earned');
  return events;
}
