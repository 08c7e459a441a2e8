/** Ping-post auctions with every bid (stored whole for audits and disputes), and inbound bid reservations. */
import type { Db } from './db.js';

export interface AuctionRecord {
  id: string;
  callId: string | null;
  campaignId: string;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  winnerBuyerId: string | null;
  winnerCents: number | null;
  bids: readonly BidRecord[];
}

export interface BidRecord {
  buyerId: string;
  latencyMs: number | null;
  httpStatus: number | null;
  amountCents: number | null;
  valid: boolean;
  reason: string | null;
  detail: string | null;
  expiresAt: number | null;
  destination: string | null;
  minDurationS: number | null;
  rank: number | null;
}

export interface AuctionRow {
  id: string;
  call_id: string | null;
  campaign_id: string;
  started_at: number;
  ended_at: number;
  duration_ms: number;
  bidders: number;
  valid_bids: number;
  winner_buyer_id: string | null;
  winner_cents: number | null;
}

export interface AuctionBidRow {
  auction_id: string;
  buyer_id: string;
  latency_ms: number | null;
  http_status: number | null;
  amount_cents: number | null;
  valid: number;
  reason: string | null;
  detail: string | null;
  expires_at: number | null;
  destination: string | null;
  min_duration_s: number | null;
  rank: number | null;
}

export class AuctionRepository {
  readonly #db: Db;
  readonly #insert;
  readonly #insertBid;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO auctions (id, call_id, campaign_id, started_at, ended_at, duration_ms, bidders, valid_bids, winner_buyer_id, winner_cents)
       VALUES (@id, @callId, @campaignId, @startedAt, @endedAt, @durationMs, @bidders, @validBids, @winnerBuyerId, @winnerCents)`,
    );
    this.#insertBid = db.prepare(
      `INSERT INTO auction_bids (auction_id, buyer_id, latency_ms, http_status, amount_cents, valid, reason, detail, expires_at,
         destination, min_duration_s, rank)
       VALUES (@auctionId, @buyerId, @latencyMs, @httpStatus, @amountCents, @valid, @reason, @detail, @expiresAt,
         @destination, @minDurationS, @rank)`,
    );
  }

  insert(a: AuctionRecord): void {
    this.#db.transaction(() => {
      const { bids, ...head } = a;
      this.#insert.run({ ...head, bidders: bids.length, validBids: bids.filter((b) => b.valid).length });
      for (const b of bids) this.#insertBid.run({ ...b, auctionId: a.id, valid: b.valid ? 1 : 0 });
    })();
  }

  get(id: string): { auction: AuctionRow; bids: AuctionBidRow[] } | undefined {
    const auction = this.#db.prepare('SELECT * FROM auctions WHERE id = ?').get(id) as AuctionRow | undefined;
    if (!auction) return undefined;
    const bids = this.#db
      .prepare('SELECT * FROM auction_bids WHERE auction_id = ? ORDER BY rank IS NULL, rank, buyer_id')
      .all(id) as AuctionBidRow[];
    return { auction, bids };
  }

  forCall(callId: string): AuctionRow[] {
    return this.#db.prepare('SELECT * FROM auctions WHERE call_id = ? ORDER BY started_at').all(callId) as AuctionRow[];
  }
}

export interface ReservationRow {
  id: string;
  publisher_id: string;
  campaign_id: string;
  did: string;
  caller: string;
  buyer_id: string;
  target_id: string;
  bid_cents: number;
  created_at: number;
  expires_at: number;
  call_id: string | null;
  claimed_at: number | null;
}

export type NewReservation = Omit<ReservationRow, 'call_id' | 'claimed_at'>;

export class ReservationRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  insert(r: NewReservation): void {
    this.#db
      .prepare(
        `INSERT INTO bid_reservations (id, publisher_id, campaign_id, did, caller, buyer_id, target_id, bid_cents, created_at, expires_at)
         VALUES (@id, @publisher_id, @campaign_id, @did, @caller, @buyer_id, @target_id, @bid_cents, @created_at, @expires_at)`,
      )
      .run(r);
  }

  /** Open (unclaimed, unexpired) reservations per target: capacity they hold. */
  heldByTarget(now: number): Map<string, number> {
    const rows = this.#db
      .prepare('SELECT target_id, COUNT(*) AS n FROM bid_reservations WHERE call_id IS NULL AND expires_at > ? GROUP BY target_id')
      .all(now) as { target_id: string; n: number }[];
    return new Map(rows.map((r) => [r.target_id, r.n]));
  }

  /**
   * A call arrived on `did` from `caller`: claim the newest open reservation, atomically, so one
   * reservation pays one call. Returns it, or undefined when none is open.
   */
  claim(did: string, caller: string, callId: string, now: number): ReservationRow | undefined {
    return this.#db.transaction(() => {
      const row = this.#db
        .prepare(
          `SELECT * FROM bid_reservations WHERE did = ? AND caller = ? AND call_id IS NULL AND expires_at > ?
           ORDER BY created_at DESC LIMIT 1`,
        )
        .get(did, caller, now) as ReservationRow | undefined;
      if (!row) return undefined;
      this.#db.prepare('UPDATE bid_reservations SET call_id = ?, claimed_at = ? WHERE id = ?').run(callId, now, row.id);
      return { ...row, call_id: callId, claimed_at: now };
    }).immediate();
  }

  /** Calls in progress per target (bridged or ringing through to it), for inbound capacity. */
  liveByTarget(): Map<string, number> {
    const rows = this.#db
      .prepare("SELECT target_id, COUNT(*) AS n FROM calls WHERE status = 'in_progress' AND target_id IS NOT NULL GROUP BY target_id")
      .all() as { target_id: string; n: number }[];
    return new Map(rows.map((r) => [r.target_id, r.n]));
  }

  /** The reservation a call claimed: its publisher is paid `bid_cents`. */
  forCall(callId: string): ReservationRow | undefined {
    return this.#db.prepare('SELECT * FROM bid_reservations WHERE call_id = ?').get(callId) as ReservationRow | undefined;
  }

  get(id: string): ReservationRow | undefined {
    return this.#db.prepare('SELECT * FROM bid_reservations WHERE id = ?').get(id) as ReservationRow | undefined;
  }
}
