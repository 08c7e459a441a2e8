/**
 * Billing persistence: caller history for duplicate decisions (read back from the calls table, so duplicates survive
 * restarts), and the money written at hangup together with its ledger row and the cap settlement, in one transaction.
 */
import type { BillingDecision, BillingTerms } from '../core/billing.js';
import type { HistoryCall } from '../core/duplicates.js';
import type { CapRepository } from './caps.js';
import type { BilledCallRow } from './conversions.js';
import type { Db } from './db.js';

export interface HangupBilling {
  callId: string;
  decision: BillingDecision;
  terms: BillingTerms | null;
  /** A buyer answered (cap buckets for `connected` keep the call). */
  connected: boolean;
  buyerDuplicate: boolean;
  publisherDuplicate: boolean;
  now: number;
}

/** The caller's calls a hangup decision looks at: those that started in [from, until]. */
export interface HistoryWindow {
  caller: string;
  from: number;
  until: number;
}

/** What a hangup decision yields: the billing to write (plus whatever the caller wants back with it). */
export type HangupDecided = Omit<HangupBilling, 'callId' | 'now'>;

export interface HangupRequest<D extends HangupDecided> {
  callId: string;
  now: number;
  /** History to read under the write lock; absent when no duplicate policy looks back. */
  history?: HistoryWindow;
  /** The money from that history (pure rules from src/core). */
  decide: (history: HistoryCall[]) => D;
  /** Runs in the same transaction after the billing write: the closing row change and the webhook events it causes. */
  after?: (decided: D) => void;
}

export interface CallMoneyRow {
  revenue_cents: number;
  payout_cents: number;
  cost_cents: number;
}

/** A call a crash closed, with what recovery billing needs. */
export type InterruptedCallRow = BilledCallRow & {
  caller: string;
  campaign_id: string | null;
  publisher_id: string | null;
  carrier_id: string | null;
  invite_at: number;
};

export type LedgerKind = 'hangup' | 'conversion' | 'dispute';

export class BillingRepository {
  readonly #db: Db;
  readonly #caps: CapRepository;
  readonly #history;
  readonly #money;
  readonly #ledger;
  readonly #writeHangup;

  constructor(db: Db, caps: CapRepository) {
    this.#db = db;
    this.#caps = caps;
    this.#history = db.prepare(
      `SELECT id, campaign_id, publisher_id, buyer_id, invite_at, billable, payable FROM calls
       WHERE caller = ? AND invite_at >= ? AND invite_at <= ? AND id <> ? ORDER BY invite_at DESC`,
    );
    this.#money = db.prepare('SELECT revenue_cents, payout_cents, cost_cents FROM calls WHERE id = ?');
    this.#ledger = db.prepare(
      `INSERT INTO billing_ledger (call_id, kind, revenue_cents, payout_cents, cost_cents, at, ref) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#writeHangup = db.prepare(
      `UPDATE calls SET talk_ms = @talk_ms, billable = @billable, billable_reason = @billable_reason, payable = @payable,
         payout_reason = @payout_reason, duplicate = @duplicate, publisher_duplicate = @publisher_duplicate,
         revenue_cents = @revenue_cents, payout_cents = @payout_cents, cost_cents = @cost_cents,
         billing_terms = COALESCE(@billing_terms, billing_terms), updated_at = @now
       WHERE id = @id`,
    );
  }

  /**
   * The caller's calls that started in [from, until], newest first, excluding `callId`. Withheld numbers have no
   * history: every anonymous caller is someone new.
   */
  callerHistory(caller: string, from: number, until: number, callId: string): HistoryCall[] {
    if (!caller.startsWith('+')) return [];
    const rows = this.#history.all(caller, from, until, callId) as {
      id: string; campaign_id: string | null; publisher_id: string | null; buyer_id: string | null; invite_at: number; billable: number; payable: number;
    }[];
    return rows.map((r) => ({
      callId: r.id, campaignId: r.campaign_id, publisherId: r.publisher_id, buyerId: r.buyer_id,
      inviteAt: r.invite_at, billable: r.billable === 1, payable: r.payable === 1,
    }));
  }

  /**
   * Calls closed as `interrupted` that no billing decision has been written for yet (a decision always sets
   * `billable_reason`): those this start closed, and any a crash between closing and billing left behind.
   */
  unbilledInterrupted(): InterruptedCallRow[] {
    return this.#db
      .prepare("SELECT * FROM calls WHERE status = 'interrupted' AND billable_reason IS NULL ORDER BY invite_at, id")
      .all() as InterruptedCallRow[];
  }

  saveTerms(callId: string, terms: BillingTerms): void {
    this.#db.prepare('UPDATE calls SET billing_terms = ? WHERE id = ?').run(JSON.stringify(terms), callId);
  }

  money(callId: string): CallMoneyRow | undefined {
    return this.#money.get(callId) as CallMoneyRow | undefined;
  }

  /** Appends the difference between `before` and `after` to the ledger (nothing when equal). Call inside a transaction. */
  appendLedger(callId: string, kind: LedgerKind, before: CallMoneyRow, after: CallMoneyRow, at: number, ref: string | null): void {
    const d = [after.revenue_cents - before.revenue_cents, after.payout_cents - before.payout_cents, after.cost_cents - before.cost_cents];
    if (d.every((x) => x === 0) && kind !== 'hangup') return;
    this.#ledger.run(callId, kind, d[0], d[1], d[2], at, ref);
  }

  /** Writes the hangup decision, its ledger delta and the cap settlement atomically. */
  recordHangup(b: HangupBilling): void {
    this.#db.transaction(() => this.#record(b)).immediate();
  }

  /**
   * Reads the caller's history, decides and records the hangup in one IMMEDIATE transaction. The write lock is taken
   * before the history is read, so of two calls from one caller finishing at once (two engines, threads or
   * connections) the second sees the first one's bill and is decided a duplicate: never both billed. Call at top
   * level: nested in another transaction, the outer one decides when the lock is taken.
   */
  decideHangup<D extends HangupDecided>(req: HangupRequest<D>): D {
    return this.#db.transaction((): D => {
      const h = req.history;
      const decided = req.decide(h ? this.callerHistory(h.caller, h.from, h.until, req.callId) : []);
      this.#record({ ...decided, callId: req.callId, now: req.now });
      req.after?.(decided);
      return decided;
    }).immediate();
  }

  /** `decideHangup` for crash recovery: nothing (undefined) when the call already has a decision (another engine). */
  decideInterrupted<D extends HangupDecided>(req: HangupRequest<D>): D | undefined {
    return this.#db.transaction((): D | undefined => {
      const reason = this.#db.prepare('SELECT billable_reason FROM calls WHERE id = ?').pluck().get(req.callId);
      return reason === null ? this.decideHangup(req) : undefined;
    }).immediate();
  }

  #record(b: HangupBilling): void {
    const before = this.money(b.callId);
    if (!before) throw new Error(`no call row for ${b.callId}`);
    const d = b.decision;
    this.#writeHangup.run({
      id: b.callId, now: b.now, talk_ms: d.talkMs, billable: d.billable ? 1 : 0, billable_reason: d.billableReason,
      payable: d.payable ? 1 : 0, payout_reason: d.payoutReason, duplicate: b.buyerDuplicate ? 1 : 0,
      publisher_duplicate: b.publisherDuplicate ? 1 : 0, revenue_cents: d.revenueCents, payout_cents: d.payoutCents,
      cost_cents: d.costCents, billing_terms: b.terms ? JSON.stringify(b.terms) : null,
    });
    const after = { revenue_cents: d.revenueCents, payout_cents: d.payoutCents, cost_cents: d.costCents };
    this.appendLedger(b.callId, 'hangup', before, after, b.now, null);
    this.#caps.settleInTransaction(b.callId, { connected: b.connected, billable: d.billable, revenueCents: d.revenueCents });
  }

  /** How often each skip reason was recorded (duplicate skips grouped without their prior call id), most first. */
  skipReasonCounts(): { reason: string; n: number }[] {
    return this.#db
      .prepare(
        `SELECT CASE WHEN reason LIKE 'duplicate:%' THEN 'duplicate' ELSE reason END AS reason, COUNT(*) AS n
         FROM routing_skips GROUP BY 1 ORDER BY n DESC, reason`,
      )
      .all() as { reason: string; n: number }[];
  }

  /** Ledger totals per call that differ from the call row: empty when the books balance. */
  unbalancedCalls(): { call_id: string; row_revenue: number; ledger_revenue: number }[] {
    return this.#db
      .prepare(
        `SELECT c.id AS call_id, c.revenue_cents AS row_revenue, COALESCE(SUM(l.revenue_cents), 0) AS ledger_revenue,
           c.payout_cents AS row_payout, COALESCE(SUM(l.payout_cents), 0) AS ledger_payout,
           c.cost_cents AS row_cost, COALESCE(SUM(l.cost_cents), 0) AS ledger_cost
         FROM calls c LEFT JOIN billing_ledger l ON l.call_id = c.id GROUP BY c.id
         HAVING row_revenue <> ledger_revenue OR row_payout <> ledger_payout OR row_cost <> ledger_cost`,
      )
      .all() as never;
  }
}
