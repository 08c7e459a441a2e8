/** Listing disputes for the admin API (the billing repository owns opening and deciding them). */
import type { Db } from './db.js';
import type { DisputeRow } from './disputes.js';

export class DisputeQueryRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Newest first; `before` is the opened_at/call_id of the last row of the previous page. */
  list(f: { state?: string; buyerId?: string; limit: number; before?: { openedAt: number; callId: string } }): DisputeRow[] {
    return this.#db
      .prepare(
        `SELECT * FROM disputes
         WHERE (@state IS NULL OR state = @state) AND (@buyerId IS NULL OR buyer_id = @buyerId)
           AND (@bOpened IS NULL OR opened_at < @bOpened OR (opened_at = @bOpened AND call_id < @bCall))
         ORDER BY opened_at DESC, call_id DESC LIMIT @limit`,
      )
      .all({
        state: f.state ?? null,
        buyerId: f.buyerId ?? null,
        bOpened: f.before?.openedAt ?? null,
        bCall: f.before?.callId ?? null,
        limit: f.limit,
      }) as DisputeRow[];
  }
}
