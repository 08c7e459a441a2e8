/**
 * Closing a call: talk time, the billing decision, and the final CDR write.
 * The money rules are the billing seam: `decideMoney` is where the full rules (duplicates, conversions…) plug in.
 */
import type { CallPatch, CallRow } from '../store/index.js';
import type { HangupInfo } from '../telephony/types.js';
import { record, type CallContext } from './context.js';
import { notify } from './observer.js';
import type { Candidate } from './routing.js';

export type CallOutcome =
  | 'connected'
  | 'not_qualified'
  | 'abandoned_ivr'
  | 'abandoned_routing'
  | 'no_buyer'
  | 'closed'
  | 'error';

export interface Connection {
  candidate: Candidate;
  answeredAt: Date;
}

export interface FinishFacts {
  outcome: CallOutcome;
  end: HangupInfo;
  connection?: Connection;
}

/** Talk time in ms: from the buyer's answer to the end of the call. */
export function talkMs(facts: FinishFacts): number | null {
  if (!facts.connection) return null;
  return Math.max(0, facts.end.at.getTime() - facts.connection.answeredAt.getTime());
}

/** The minimal money rules: qualified, connected, minimum talk time met. */
export function decideMoney(ctx: CallContext, facts: FinishFacts, talk: number | null): CallPatch {
  const c = facts.connection?.candidate;
  const qualified = ctx.qualified !== false;
  const billable = Boolean(c && qualified && talk !== null && talk >= c.minDurationS * 1000);
  const revenue = billable && c ? c.priceCents : 0;
  const pubMinMet = talk !== null && talk >= ctx.publisher.min_duration_s * 1000;
  const payout = ctx.publisher.payout;
  const payable = billable && pubMinMet;
  const payoutCents = !payable ? 0 : payout.type === 'fixed' ? payout.amount_cents : Math.round((revenue * payout.percent) / 100);
  return {
    billable: billable ? 1 : 0,
    billable_reason: billable ? 'ok' : !c ? 'not_connected' : !qualified ? 'not_qualified' : 'below_min_duration',
    payable: payable ? 1 : 0,
    payout_reason: payable ? 'ok' : !billable ? 'not_billable' : 'below_publisher_min_duration',
    revenue_cents: revenue,
    payout_cents: payoutCents,
  };
}

export function finishCall(ctx: CallContext, facts: FinishFacts): CallRow | undefined {
  const talk = talkMs(facts);
  const patch: CallPatch = {
    status: 'completed',
    phase: 'ended',
    outcome: facts.outcome,
    end_at: facts.end.at.getTime(),
    hangup_side: facts.end.side,
    hangup_cause: facts.end.cause,
    talk_ms: talk,
    ...decideMoney(ctx, facts, talk),
  };
  record(ctx, patch);
  const row = ctx.deps.store.calls.get(ctx.id);
  if (row) notify(ctx.deps.observers, 'ended', row);
  ctx.log.info({ outcome: facts.outcome, side: facts.end.side, talkMs: talk, billable: patch.billable === 1 }, 'call ended');
  return row;
}
