/**
 * The money decision at hangup (and again when a conversion or dispute changes it). Pure: the caller supplies the
 * call's facts, the terms agreed when it was routed, and the duplicate decisions made from persisted history.
 *
 * - Buyer: billable if the caller qualified, the buyer answered, the call is not a duplicate for that buyer, and
 *   talk time after the buyer answered >= the buyer's minimum (duration pricing) or a conversion was reported
 *   (conversion pricing). Revenue = the winning bid, else the target's price, else the buyer's; a conversion's
 *   reported revenue replaces it for conversion-priced buyers.
 * - Publisher: paid if the caller qualified, the buyer answered, talk time >= the publisher's own minimum and it is not
 *   a duplicate by the publisher's own policy. Fixed amount, or a percent of this call's revenue.
 * - Cost: inbound carrier minutes (our answer to end) + outbound trunk minutes (buyer answer to end), each leg billed
 *   per started second and rounded to the cent. Margin = revenue - payout - cost.
 */
import type { Payout } from '../config/schema/index.js';
import { billedSeconds, perMinuteCost, percentOf } from './money.js';

/** What was agreed with the buyer and publisher when the call was routed (kept on the CDR). */
export interface BillingTerms {
  pricing: 'duration' | 'conversion';
  /** Bid or target/buyer price, cents. */
  priceCents: number;
  buyerMinDurationS: number;
  publisherMinDurationS: number;
  payout: Payout;
  carrierCentsPerMinute: number;
  /** 0 when the target is a SIP URI (no outbound trunk). */
  trunkCentsPerMinute: number;
}

export interface CallFacts {
  qualified: boolean;
  /** When we answered the caller (IVR start); undefined if never answered. */
  answerAt?: number;
  /** When the buyer answered; undefined if no buyer did. */
  buyerAnswerAt?: number;
  endAt: number;
  buyerDuplicate: boolean;
  publisherDuplicate: boolean;
  /** A reported conversion, if any; `revenueCents` when the buyer sent one. */
  conversion?: { revenueCents?: number };
}

export type BillableReason = 'billable' | 'not_qualified' | 'not_connected' | 'duplicate' | 'below_min_duration' | 'awaiting_conversion';
export type PayoutReason = 'paid' | 'not_qualified' | 'not_connected' | 'duplicate' | 'below_min_duration';

export interface BillingDecision {
  talkMs: number;
  billable: boolean;
  billableReason: BillableReason;
  revenueCents: number;
  payable: boolean;
  payoutReason: PayoutReason;
  payoutCents: number;
  costCents: number;
  marginCents: number;
}

/** Whole seconds of talk, floored: 59.999 s of talk does not meet a 60 s minimum. */
export function talkSeconds(talkMs: number): number {
  return Math.floor(Math.max(0, talkMs) / 1000);
}

function buyerSide(f: CallFacts, t: BillingTerms, talkMs: number): { reason: BillableReason; revenueCents: number } {
  if (!f.qualified) return { reason: 'not_qualified', revenueCents: 0 };
  if (f.buyerAnswerAt === undefined) return { reason: 'not_connected', revenueCents: 0 };
  if (f.buyerDuplicate) return { reason: 'duplicate', revenueCents: 0 };
  if (t.pricing === 'conversion') {
    if (!f.conversion) return { reason: 'awaiting_conversion', revenueCents: 0 };
    return { reason: 'billable', revenueCents: f.conversion.revenueCents ?? t.priceCents };
  }
  if (talkSeconds(talkMs) < t.buyerMinDurationS) return { reason: 'below_min_duration', revenueCents: 0 };
  return { reason: 'billable', revenueCents: t.priceCents };
}

function publisherSide(f: CallFacts, t: BillingTerms, talkMs: number, revenueCents: number): { reason: PayoutReason; payoutCents: number } {
  if (!f.qualified) return { reason: 'not_qualified', payoutCents: 0 };
  if (f.buyerAnswerAt === undefined) return { reason: 'not_connected', payoutCents: 0 };
  if (f.publisherDuplicate) return { reason: 'duplicate', payoutCents: 0 };
  if (talkSeconds(talkMs) < t.publisherMinDurationS) return { reason: 'below_min_duration', payoutCents: 0 };
  const payoutCents = t.payout.type === 'fixed' ? t.payout.amount_cents : percentOf(revenueCents, t.payout.percent);
  return { reason: 'paid', payoutCents };
}

export function telephonyCost(f: Pick<CallFacts, 'answerAt' | 'buyerAnswerAt' | 'endAt'>, t: Pick<BillingTerms, 'carrierCentsPerMinute' | 'trunkCentsPerMinute'>): number {
  const inbound = f.answerAt === undefined ? 0 : perMinuteCost(billedSeconds(f.endAt - f.answerAt), t.carrierCentsPerMinute);
  const outbound = f.buyerAnswerAt === undefined ? 0 : perMinuteCost(billedSeconds(f.endAt - f.buyerAnswerAt), t.trunkCentsPerMinute);
  return inbound + outbound;
}

export function decideBilling(f: CallFacts, t: BillingTerms): BillingDecision {
  const talkMs = f.buyerAnswerAt === undefined ? 0 : Math.max(0, f.endAt - f.buyerAnswerAt);
  const buyer = buyerSide(f, t, talkMs);
  const publisher = publisherSide(f, t, talkMs, buyer.revenueCents);
  const costCents = telephonyCost(f, t);
  return {
    talkMs,
    billable: buyer.reason === 'billable',
    billableReason: buyer.reason,
    revenueCents: buyer.revenueCents,
    payable: publisher.reason === 'paid',
    payoutReason: publisher.reason,
    payoutCents: publisher.payoutCents,
    costCents,
    marginCents: buyer.revenueCents - publisher.payoutCents - costCents,
  };
}
