/** Distribution state: round-robin positions and buyer pauses (automatic or by an operator). */
import type { Db } from './db.js';

export type RoundRobinPosition = Record<number, string>;

export class RoundRobinRepository {
  readonly #get;
  readonly #put;
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
    this.#get = db.prepare('SELECT level, last_target_id FROM rr_positions WHERE campaign_id = ?');
    this.#put = db.prepare(
      `INSERT INTO rr_positions (campaign_id, level, last_target_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (campaign_id, level) DO UPDATE SET last_target_id = excluded.last_target_id, updated_at = excluded.updated_at`,
    );
  }

  get(campaignId: string): RoundRobinPosition {
    const rows = this.#get.all(campaignId) as { level: number; last_target_id: string }[];
    return Object.fromEntries(rows.map((r) => [r.level, r.last_target_id]));
  }

  put(campaignId: string, position: RoundRobinPosition, now: number): void {
    this.#db.transaction(() => {
      for (const [level, id] of Object.entries(position)) this.#put.run(campaignId, Number(level), id, now);
    })();
  }

  /**
   * Read, order, write as one step so two calls routed at the same moment never take the same turn
   * (better-sqlite3 is synchronous: nothing else runs in this process between the read and the write).
   */
  advance<T>(campaignId: string, now: number, order: (p: RoundRobinPosition) => { result: T; position: RoundRobinPosition }): T {
    return this.#db.transaction(() => {
      const { result, position } = order(this.get(campaignId));
      this.put(campaignId, position, now);
      return result;
    }).immediate();
  }
}

export interface PauseRow {
  id: number;
  buyer_id: string;
  source: 'auto' | 'operator';
  reason: string;
  paused_at: number;
  until_at: number | null;
  resumed_at: number | null;
  resumed_by: string | null;
}

export class PauseRepository {
  readonly #db: Db;
  readonly #active;
  readonly #insert;

  constructor(db: Db) {
    this.#db = db;
    this.#active = db.prepare(
      `SELECT * FROM buyer_pauses WHERE resumed_at IS NULL AND (until_at IS NULL OR until_at > @now) ORDER BY paused_at`,
    );
    this.#insert = db.prepare(
      `INSERT INTO buyer_pauses (buyer_id, source, reason, paused_at, until_at) VALUES (@buyer_id, @source, @reason, @paused_at, @until_at)`,
    );
  }

  /** Pauses in force at `now`, every buyer (for the eligibility filter and the admin API). */
  active(now: number): PauseRow[] {
    return this.#active.all({ now }) as PauseRow[];
  }

  /** Buyer id -> the pause in force (the latest one when several overlap). */
  activeByBuyer(now: number): Map<string, PauseRow> {
    return new Map(this.active(now).map((p) => [p.buyer_id, p]));
  }

  isPaused(buyerId: string, now: number): PauseRow | undefined {
    return this.activeByBuyer(now).get(buyerId);
  }

  /** Operator pause (`untilAt` null = until resumed) or automatic pause. Returns the pause id. */
  pause(p: { buyerId: string; source: 'auto' | 'operator'; reason: string; now: number; untilAt: number | null }): number {
    const r = this.#insert.run({ buyer_id: p.buyerId, source: p.source, reason: p.reason, paused_at: p.now, until_at: p.untilAt });
    return Number(r.lastInsertRowid);
  }

  /** Operator resume: ends every pause of the buyer in force now. Returns how many were ended. */
  resume(buyerId: string, by: string, now: number): number {
    return this.#db
      .prepare(
        `UPDATE buyer_pauses SET resumed_at = @now, resumed_by = @by
         WHERE buyer_id = @buyerId AND resumed_at IS NULL AND (until_at IS NULL OR until_at > @now)`,
      )
      .run({ buyerId, by, now }).changes;
  }

  history(buyerId: string, limit = 50): PauseRow[] {
    return this.#db.prepare('SELECT * FROM buyer_pauses WHERE buyer_id = ? ORDER BY paused_at DESC LIMIT ?').all(buyerId, limit) as PauseRow[];
  }

  /** When the buyer's last pause stopped counting (ended or resumed); misses before it are forgiven. */
  lastPauseEnded(buyerId: string): number | null {
    const v = this.#db
      .prepare(
        // Multi-argument MIN is NULL when an argument is NULL, hence the COALESCE chain.
        `SELECT MAX(COALESCE(MIN(resumed_at, until_at), resumed_at, until_at, paused_at))
         FROM buyer_pauses WHERE buyer_id = ?`,
      )
      .pluck()
      .get(buyerId) as number | null;
    return v ?? null;
  }

  /** Times of the buyer's unanswered attempts (ring timeout) since `sinceMs`, from the call records. */
  unansweredSince(buyerId: string, sinceMs: number): number[] {
    return this.#db
      .prepare(`SELECT invite_at FROM bridge_attempts WHERE buyer_id = ? AND result = 'no_answer' AND invite_at > ? ORDER BY invite_at`)
      .pluck()
      .all(buyerId, sinceMs) as number[];
  }
}
