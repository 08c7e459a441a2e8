/**
 * Disputes: opened by the buyer within its window, decided by the operator. Accepting one reverses the revenue and
 * claws back the payout on the call row (the ledger keeps the history), and takes the call out of its billable and
 * revenue cap buckets. The call also stops counting as "billed" for duplicate decisions.
 */
import { decideOpenDispute, settleDispute, type OpenDisputeDecision } from '../core/disputes.js';
import type { BillingRepository } from './billing.js';
import type { CapRepository } from './caps.js';
import type { BilledCallRow } from './conversions.js';
import type { Db } from './db.js';

export interface DisputeRow {
  call_id: string;
  buyer_id: string;
  reason: string | null;
  state: 'open' | 'accepted' | 'rejected';
  opened_at: number;
  decided_at: number | null;
  reversed_revenue_cents: number | null;
  clawed_payout_cents: number | null;
}

export type DecideDisputeResult = { ok: true; dispute: DisputeRow } | { ok: false; reason: 'no_open_dispute' };

export class DisputeRepository {
  readonly #db: Db;
  readonly #billing: BillingRepository;
  readonly #caps: CapRepository;

  constructor(db: Db, billing: BillingRepository, caps: CapRepository) {
    this.#db = db;
    this.#billing = billing;
    this.#caps = caps;
  }

  get(callId: string): DisputeRow | undefined {
    return this.#db.prepare('SELECT * FROM disputes WHERE call_id = ?').get(callId) as DisputeRow | undefined;
  }

  /** `windowDays` is the buyer's `dispute_window_days` from the config. */
  open(a: { callId: string; buyerId: string; reason?: string; windowDays: number; now: number }): OpenDisputeDecision {
    return this.#db.transaction((): OpenDisputeDecision => {
      const row = this.#db.prepare('SELECT * FROM calls WHERE id = ?').get(a.callId) as BilledCallRow | undefined;
      const decision = decideOpenDispute(
        { exists: row !== undefined, billable: row?.billable === 1, endAt: row?.end_at ?? null, buyerId: row?.buyer_id ?? null, alreadyDisputed: this.get(a.callId) !== undefined },
        a.buyerId, a.windowDays, a.now,
      );
      if (decision.kind === 'open') {
        this.#db.prepare("INSERT INTO disputes (call_id, buyer_id, reason, state, opened_at) VALUES (?, ?, ?, 'open', ?)")
          .run(a.callId, a.buyerId, a.reason ?? null, a.now);
      }
      return decision;
    }).immediate();
  }

  decide(a: { callId: string; accepted: boolean; now: number }): DecideDisputeResult {
    return this.#db.transaction((): DecideDisputeResult => {
      const dispute = this.get(a.callId);
      const row = this.#db.prepare('SELECT * FROM calls WHERE id = ?').get(a.callId) as BilledCallRow | undefined;
      if (!dispute || dispute.state !== 'open' || !row) return { ok: false, reason: 'no_open_dispute' };
      const before = { revenueCents: row.revenue_cents, payoutCents: row.payout_cents, costCents: row.cost_cents };
      const after = settleDispute(before, a.accepted);
      this.#db.prepare('UPDATE disputes SET state = ?, decided_at = ?, reversed_revenue_cents = ?, clawed_payout_cents = ? WHERE call_id = ?')
        .run(a.accepted ? 'accepted' : 'rejected', a.now, before.revenueCents - after.revenueCents, before.payoutCents - after.payoutCents, a.callId);
      if (a.accepted) {
        this.#db.prepare(
          `UPDATE calls SET billable = 0, billable_reason = 'disputed', payable = 0, payout_reason = 'clawed_back',
             revenue_cents = ?, payout_cents = ?, updated_at = ? WHERE id = ?`,
        ).run(after.revenueCents, after.payoutCents, a.now, a.callId);
        const moneyAfter = { revenue_cents: after.revenueCents, payout_cents: after.payoutCents, cost_cents: after.costCents };
        this.#billing.appendLedger(a.callId, 'dispute', row, moneyAfter, a.now, null);
        this.#caps.settleInTransaction(a.callId, { connected: true, billable: false, revenueCents: 0 });
      }
      return { ok: true, dispute: this.get(a.callId)! };
    }).immediate();
  }
}
