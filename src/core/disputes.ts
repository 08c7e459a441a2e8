/**
 * Disputes: a buyer may dispute a billed call within its dispute window (days after the call ended, inclusive to the
 * millisecond). An accepted dispute reverses the revenue and claws back the publisher's payout; the telephony cost
 * stays (it was spent). A rejected dispute changes nothing. A call is disputed at most once.
 */
export const DAY_MS = 86_400_000;

export interface DisputableCall {
  exists: boolean;
  billable: boolean;
  endAt: number | null;
  /** The buyer the call was billed to; only that buyer may dispute it. */
  buyerId: string | null;
  alreadyDisputed: boolean;
}

export type OpenDisputeDecision =
  | { kind: 'open' }
  | { kind: 'refused'; reason: 'unknown_call' | 'not_billable' | 'wrong_buyer' | 'window_closed' | 'already_disputed' | 'in_progress' };

export function decideOpenDispute(call: DisputableCall, buyerId: string, windowDays: number, now: number): OpenDisputeDecision {
  if (!call.exists) return { kind: 'refused', reason: 'unknown_call' };
  if (call.endAt === null) return { kind: 'refused', reason: 'in_progress' };
  if (call.buyerId !== buyerId) return { kind: 'refused', reason: 'wrong_buyer' };
  if (call.alreadyDisputed) return { kind: 'refused', reason: 'already_disputed' };
  if (!call.billable) return { kind: 'refused', reason: 'not_billable' };
  if (now > call.endAt + windowDays * DAY_MS) return { kind: 'refused', reason: 'window_closed' };
  return { kind: 'open' };
}

export interface CallMoney {
  revenueCents: number;
  payoutCents: number;
  costCents: number;
}

/** The call's money after the dispute is decided. */
export function settleDispute(money: CallMoney, accepted: boolean): CallMoney & { marginCents: number } {
  const after = accepted ? { ...money, revenueCents: 0, payoutCents: 0 } : money;
  return { ...after, marginCents: after.revenueCents - after.payoutCents - after.costCents };
}
