/**
 * Conversion reports, stored idempotently by event id. Applying one re-prices the call under the terms it was sold on
 * (kept on the call row), writes the money delta to the ledger and re-settles the call's cap buckets, in one
 * transaction. When the conversion is what makes the call billable (conversion pricing), the buyer duplicate decision
 * is made again in that transaction, under its write lock, from the caller's persisted history: two calls from one
 * caller that both ended awaiting a conversion are billed once.
 */
import { decideBilling, type BillingTerms, type CallFacts } from '../core/billing.js';
import { decideConversion, type ConversionDecision, type ConversionReport } from '../core/conversions.js';
import { buyerPolicyOf, conversionDuplicate, conversionSpan, type DuplicatePolicies } from '../core/duplicates.js';
import type { BillingRepository, CallMoneyRow } from './billing.js';
import type { CapRepository } from './caps.js';
import type { Db } from './db.js';

/** The call columns billing re-reads after the fact. */
export interface BilledCallRow extends CallMoneyRow {
  id: string;
  status: string;
  qualified: number | null;
  answer_at: number | null;
  buyer_answer_at: number | null;
  end_at: number | null;
  duplicate: number;
  publisher_duplicate: number;
  billing_terms: string | null;
  buyer_id: string | null;
  billable: number;
}

/** The row as a conversion reads it: what billing needs, and what the caller's history is looked up by. */
type ConvertedCallRow = BilledCallRow & { caller: string; campaign_id: string | null; invite_at: number };

export function callFacts(row: BilledCallRow, conversion?: { revenueCents?: number }): CallFacts {
  return {
    // Campaigns without an IVR never write `qualified`; a call that reached a buyer was routed, so it qualified.
    qualified: row.qualified === 1 || (row.qualified === null && row.buyer_answer_at !== null),
    answerAt: row.answer_at ?? undefined,
    buyerAnswerAt: row.buyer_answer_at ?? undefined,
    endAt: row.end_at ?? row.buyer_answer_at ?? 0,
    buyerDuplicate: row.duplicate === 1,
    publisherDuplicate: row.publisher_duplicate === 1,
    conversion,
  };
}

export interface ConversionResult {
  decision: ConversionDecision;
  /** The call's money after the report (absent when refused or unknown). */
  money?: ConvertedMoney;
}

export type ConvertedMoney = CallMoneyRow & { billable: boolean };

export class ConversionRepository {
  readonly #db: Db;
  readonly #billing: BillingRepository;
  readonly #caps: CapRepository;

  constructor(db: Db, billing: BillingRepository, caps: CapRepository) {
    this.#db = db;
    this.#billing = billing;
    this.#caps = caps;
  }

  /**
   * Applies a report. `policies`: the duplicate policies in force (the loaded config); absent = none applies, as
   * for a config without any. Call at top level or inside another IMMEDIATE transaction.
   */
  report(r: ConversionReport, now: number, policies?: DuplicatePolicies): ConversionResult {
    return this.#db.transaction((): ConversionResult => {
      const row = this.#db.prepare('SELECT * FROM calls WHERE id = ?').get(r.callId) as ConvertedCallRow | undefined;
      const seen = new Set(this.#db.prepare('SELECT event_id FROM conversions WHERE call_id = ?').pluck().all(r.callId) as string[]);
      const dispute = this.#db.prepare('SELECT state FROM disputes WHERE call_id = ?').pluck().get(r.callId) as string | undefined;
      const decision = decideConversion(r, {
        exists: row !== undefined, connected: row?.buyer_answer_at != null, ended: row?.end_at != null,
        disputeAccepted: dispute === 'accepted', seenEventIds: seen, hasConversion: seen.size > 0,
      });
      if (decision.kind !== 'apply' || !row) return { decision };
      this.#db.prepare('INSERT INTO conversions (event_id, call_id, revenue_cents, reported_at, received_at) VALUES (?, ?, ?, ?, ?)')
        .run(r.eventId, r.callId, r.revenueCents ?? null, r.at, now);
      return { decision, money: this.#reprice(row, r, now, policies) };
    }).immediate();
  }

  #reprice(row: ConvertedCallRow, r: ConversionReport, now: number, policies: DuplicatePolicies | undefined): ConvertedMoney {
    this.#db.prepare('UPDATE calls SET converted_at = ?, conversion_revenue_cents = ?, updated_at = ? WHERE id = ?')
      .run(r.at, r.revenueCents ?? null, now, row.id);
    if (!row.billing_terms) return { ...this.#billing.money(row.id)!, billable: row.billable === 1 };
    const terms = JSON.parse(row.billing_terms) as BillingTerms;
    const facts = callFacts(row, { revenueCents: r.revenueCents });
    let d = decideBilling(facts, terms);
    // Only a conversion that would bill a call not billed yet is checked: a later report on a billed call updates it.
    const duplicate = d.billable && row.billable !== 1 && this.#duplicate(row, policies);
    if (duplicate) d = decideBilling({ ...facts, buyerDuplicate: true }, terms);
    this.#db.prepare(
      `UPDATE calls SET billable = ?, billable_reason = ?, payable = ?, payout_reason = ?, revenue_cents = ?, payout_cents = ?,
         cost_cents = ?, duplicate = ? WHERE id = ?`,
    ).run(d.billable ? 1 : 0, d.billableReason, d.payable ? 1 : 0, d.payoutReason, d.revenueCents, d.payoutCents, d.costCents,
      duplicate ? 1 : row.duplicate, row.id);
    const after = { revenue_cents: d.revenueCents, payout_cents: d.payoutCents, cost_cents: d.costCents };
    this.#billing.appendLedger(row.id, 'conversion', row, after, now, r.eventId);
    this.#caps.settleInTransaction(row.id, { connected: true, billable: d.billable, revenueCents: d.revenueCents });
    return { ...after, billable: d.billable };
  }

  /**
   * Whether another call from this caller within the buyer's duplicate window is already billed (read under this
   * transaction's write lock, so of two conversions committing at once the second sees the first one's bill).
   */
  #duplicate(row: ConvertedCallRow, policies: DuplicatePolicies | undefined): boolean {
    const policy = policies && buyerPolicyOf(policies, row.campaign_id, row.buyer_id);
    if (!policy) return false;
    const span = conversionSpan(policy, row.invite_at);
    const history = this.#billing.callerHistory(row.caller, span.from, span.until, row.id);
    const ctx = { callId: row.id, campaignId: row.campaign_id ?? '', buyerId: row.buyer_id ?? undefined, inviteAt: row.invite_at };
    return conversionDuplicate(policy, history, ctx).duplicate;
  }

  list(callId: string): { event_id: string; revenue_cents: number | null; reported_at: number; received_at: number }[] {
    return this.#db.prepare('SELECT event_id, revenue_cents, reported_at, received_at FROM conversions WHERE call_id = ? ORDER BY received_at, event_id').all(callId) as never;
  }
}
