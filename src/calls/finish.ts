/**
 * Closing a call: talk time, the billing decision, and the final CDR write.
 * The money comes from the billing rules (src/core/billing.ts) through `decideMoney`.
 */
import type { CallPatch, CallRow } from '../store/index.js';
import type { HangupInfo } from '../telephony/types.js';
import { record, type CallContext } from './context.js';
import { notify } from './observer.js';
import type { Candidate } from './routing.js';
import { billingFor, hangupMoney, type HangupMoney } from './billing-rules.js';

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

/** The money by the billing rules (src/core/billing.ts), duplicates decided from persisted history. */
export function decideMoney(ctx: CallContext, facts: FinishFacts): { patch: CallPatch; money: HangupMoney } {
  const answerAt = ctx.deps.store.calls.get(ctx.id)?.answer_at ?? undefined;
  const money = hangupMoney(ctx, facts.connection?.candidate, {
    ...(answerAt != null ? { answerAt } : {}),
    ...(facts.connection ? { buyerAnswerAt: facts.connection.answeredAt.getTime() } : {}),
    endAt: facts.end.at.getTime(),
  });
  const d = money.decision;
  const patch: CallPatch = {
    billable: d.billable ? 1 : 0,
    billable_reason: d.billableReason,
    payable: d.payable ? 1 : 0,
    payout_reason: d.payoutReason,
    duplicate: money.buyerDuplicate ? 1 : 0,
    revenue_cents: d.revenueCents,
    payout_cents: d.payoutCents,
    cost_cents: d.costCents,
  };
  return { patch, money };
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
  };
  const { patch: moneyPatch, money } = decideMoney(ctx, facts);
  Object.assign(patch, moneyPatch);
  // Money, ledger, cap settlement and the closing row change (with its webhook events) land together or not at all.
  ctx.deps.store.calls.transaction(() => {
    billingFor(ctx).billing.recordHangup({ callId: ctx.id, ...money, connected: facts.connection !== undefined, now: facts.end.at.getTime() });
    record(ctx, patch);
  });
  const row = ctx.deps.store.calls.get(ctx.id);
  if (row) notify(ctx.deps.observers, 'ended', row);
  ctx.log.info({ outcome: facts.outcome, side: facts.end.side, talkMs: talk, billable: patch.billable === 1 }, 'call ended');
  return row;
}
