/**
 * Conversions: a buyer reports that a call became a sale, optionally with revenue. Idempotent by the buyer's event
 * id (a retried webhook changes nothing); a later report with a new event id updates the revenue. For
 * conversion-priced buyers the conversion is what makes the call billable; for duration-priced buyers it is recorded
 * (and sent on to webhooks) without changing the bill.
 */
import type { BillingDecision } from './billing.js';

export interface ConversionReport {
  eventId: string;
  callId: string;
  /** Reported sale value, cents; absent = the agreed price. */
  revenueCents?: number;
  at: number;
}

/** What the store knows about the call when a report arrives. */
export interface ConversionTarget {
  exists: boolean;
  /** Reported by the buyer the call was sold to: only a connected call can convert. */
  connected: boolean;
  ended: boolean;
  disputeAccepted: boolean;
  /** Event ids already applied to this call. */
  seenEventIds: ReadonlySet<string>;
  hasConversion: boolean;
}

export type ConversionDecision =
  | { kind: 'apply'; first: boolean }
  | { kind: 'already_applied' }
  | { kind: 'refused'; reason: 'unknown_call' | 'not_connected' | 'in_progress' | 'disputed' | 'bad_revenue' };

export function decideConversion(report: ConversionReport, call: ConversionTarget): ConversionDecision {
  if (!call.exists) return { kind: 'refused', reason: 'unknown_call' };
  if (call.seenEventIds.has(report.eventId)) return { kind: 'already_applied' };
  if (report.revenueCents !== undefined && (!Number.isSafeInteger(report.revenueCents) || report.revenueCents < 0)) {
    return { kind: 'refused', reason: 'bad_revenue' };
  }
  if (!call.connected) return { kind: 'refused', reason: 'not_connected' };
  if (!call.ended) return { kind: 'refused', reason: 'in_progress' };
  if (call.disputeAccepted) return { kind: 'refused', reason: 'disputed' };
  return { kind: 'apply', first: !call.hasConversion };
}

/** Money movement from one billing decision to the next, for the ledger. */
export interface MoneyDelta {
  revenueCents: number;
  payoutCents: number;
  costCents: number;
}

export function moneyDelta(before: Pick<BillingDecision, 'revenueCents' | 'payoutCents' | 'costCents'>, after: Pick<BillingDecision, 'revenueCents' | 'payoutCents' | 'costCents'>): MoneyDelta {
  return {
    revenueCents: after.revenueCents - before.revenueCents,
    payoutCents: after.payoutCents - before.payoutCents,
    costCents: after.costCents - before.costCents,
  };
}
