/**
 * Closing a call: talk time, the billing decision, and the final CDR write.
 * The money comes from the billing rules (src/core/billing.ts) through `settleHangup`.
 */
import type { CallPatch, CallRow } from '../store/index.js';
import type { HangupInfo } from '../telephony/types.js';
import { record, type CallContext } from './context.js';
import { notify } from './observer.js';
import type { Candidate } from './routing.js';
import { settleHangup, type HangupMoney, type HangupTimes } from './billing-rules.js';

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

/** The CDR columns for a money decision. */
export function moneyPatch(money: HangupMoney): CallPatch {
  const d = money.decision;
  return {
    billable: d.billable ? 1 : 0,
    billable_reason: d.billableReason,
    payable: d.payable ? 1 : 0,
    payout_reason: d.payoutReason,
    duplicate: money.buyerDuplicate ? 1 : 0,
    revenue_cents: d.revenueCents,
    payout_cents: d.payoutCents,
    cost_cents: d.costCents,
  };
}

function hangupTimes(ctx: CallContext, facts: FinishFacts): HangupTimes {
  const answerAt = ctx.deps.store.calls.get(ctx.id)?.answer_at ?? undefined;
  return {
    ...(answerAt != null ? { answerAt } : {}),
    ...(facts.connection ? { buyerAnswerAt: facts.connection.answeredAt.getTime() } : {}),
    endAt: facts.end.at.getTime(),
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
  };
  // Duplicate decision, money, ledger, cap settlement and the closing row change (with its webhook events) land
  // together under one write lock, or not at all: two calls from one caller ending at once are never both billed.
  const money = settleHangup(ctx, facts.connection?.candidate, hangupTimes(ctx, facts), (m) => record(ctx, { ...patch, ...moneyPatch(m) }));
  const row = ctx.deps.store.calls.get(ctx.id);
  if (row) notify(ctx.deps.observers, 'ended', row);
  ctx.log.info({ outcome: facts.outcome, side: facts.end.side, talkMs: talk, billable: money.decision.billable }, 'call ended');
  return row;
}
