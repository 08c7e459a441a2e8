/**
 * Cap counters and live-call slots. `reserve` checks and bumps every bucket a call attempt counts against inside one
 * IMMEDIATE transaction: the write lock is taken before the first read, so two engines (or threads) racing for the
 * last slot are serialised by SQLite and exactly one sees room. Reservations are rows, so a failed attempt releases
 * precisely what it took and later billing changes adjust the bucket the call was counted in.
 */
import type { CapOwnerKind, CapSlot } from '../core/caps.js';
import { slotFull } from '../core/caps.js';
import type { UsageSnapshot } from '../core/eligibility.js';
import type { Db } from './db.js';

export interface LiveSlot {
  kind: CapOwnerKind;
  id: string;
  /** Live calls allowed at once; undefined = unlimited (still tracked for the live view). */
  limit?: number;
}

export interface ReserveRequest {
  callId: string;
  /** Distinguishes the attempts of one call (e.g. the bridge attempt's seq). */
  attemptKey: string;
  slots: readonly CapSlot[];
  live: readonly LiveSlot[];
  now: number;
}

export type ReserveResult = { ok: true } | { ok: false; full: CapSlot } | { ok: false; busy: LiveSlot };

/** What the call turned out to be; decides how much of each reservation stays counted. */
export interface CapOutcome {
  connected: boolean;
  billable: boolean;
  revenueCents: number;
}

interface ReservationRow {
  id: number;
  owner_kind: string;
  owner_id: string;
  metric: string;
  period_key: string;
  reserved: number;
  amount: number;
  state: 'held' | 'released' | 'settled';
}

/** What a reservation should count once the outcome is known. */
function settledAmount(row: ReservationRow, o: CapOutcome): number {
  if (row.metric === 'connected') return o.connected ? row.reserved : 0;
  if (row.metric === 'billable') return o.billable ? row.reserved : 0;
  if (row.metric === 'revenue_cents') return o.billable ? o.revenueCents : 0;
  return row.reserved; // routed
}

export class CapRepository {
  readonly #db: Db;
  readonly #used;
  readonly #bump;
  readonly #live;
  readonly #insertRes;
  readonly #insertLive;
  readonly #callRes;
  readonly #setRes;

  constructor(db: Db) {
    this.#db = db;
    this.#used = db.prepare('SELECT used FROM cap_counters WHERE owner_kind = ? AND owner_id = ? AND metric = ? AND period_key = ?').pluck();
    this.#bump = db.prepare(
      `INSERT INTO cap_counters (owner_kind, owner_id, metric, period_key, used) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (owner_kind, owner_id, metric, period_key) DO UPDATE SET used = used + excluded.used`,
    );
    this.#live = db.prepare('SELECT COUNT(DISTINCT call_id) FROM live_calls WHERE owner_kind = ? AND owner_id = ?').pluck();
    this.#insertRes = db.prepare(
      `INSERT INTO cap_reservations (call_id, attempt_key, owner_kind, owner_id, metric, period_key, reserved, amount, state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'held', ?)`,
    );
    this.#insertLive = db.prepare('INSERT OR IGNORE INTO live_calls (call_id, attempt_key, owner_kind, owner_id, since) VALUES (?, ?, ?, ?, ?)');
    this.#callRes = db.prepare('SELECT * FROM cap_reservations WHERE call_id = ? ORDER BY id');
    this.#setRes = db.prepare('UPDATE cap_reservations SET amount = ?, state = ? WHERE id = ?');
  }

  used(slot: Pick<CapSlot, 'ownerKind' | 'ownerId' | 'metric' | 'periodKey'>): number {
    return (this.#used.get(slot.ownerKind, slot.ownerId, slot.metric, slot.periodKey) as number | undefined) ?? 0;
  }

  live(kind: CapOwnerKind, id: string): number {
    return this.#live.get(kind, id) as number;
  }

  /** A read-only view for eligibility (advisory: `reserve` has the final word). */
  snapshot(): UsageSnapshot {
    return { used: (s) => this.used(s), live: (k, id) => this.live(k, id) };
  }

  /** Check every bucket and live limit, then take them all — or nothing. */
  reserve(req: ReserveRequest): ReserveResult {
    const run = this.#db.transaction((): ReserveResult => {
      for (const l of req.live) {
        if (l.limit !== undefined && this.live(l.kind, l.id) >= l.limit) return { ok: false, busy: l };
      }
      for (const s of req.slots) if (slotFull(s, this.used(s))) return { ok: false, full: s };
      for (const s of req.slots) {
        this.#bump.run(s.ownerKind, s.ownerId, s.metric, s.periodKey, s.amount);
        this.#insertRes.run(req.callId, req.attemptKey, s.ownerKind, s.ownerId, s.metric, s.periodKey, s.amount, s.amount, req.now);
      }
      for (const l of req.live) this.#insertLive.run(req.callId, req.attemptKey, l.kind, l.id, req.now);
      return { ok: true };
    });
    return run.immediate();
  }

  #setAmount(row: ReservationRow, amount: number, state: ReservationRow['state']): void {
    if (amount !== row.amount) this.#bump.run(row.owner_kind, row.owner_id, row.metric, row.period_key, amount - row.amount);
    this.#setRes.run(amount, state, row.id);
  }

  /** An attempt failed (busy, no answer, error, caller gone): give back everything it held. */
  release(callId: string, attemptKey: string): void {
    this.#db.transaction(() => {
      for (const row of this.#callRes.all(callId) as (ReservationRow & { attempt_key: string })[]) {
        if (row.attempt_key === attemptKey && row.state === 'held') this.#setAmount(row, 0, 'released');
      }
      this.#db.prepare('DELETE FROM live_calls WHERE call_id = ? AND attempt_key = ?').run(callId, attemptKey);
    }).immediate();
  }

  /**
   * The call ended (or its billing changed later through a conversion or dispute): count each reservation by the
   * outcome, and free its live slots. Safe to call again with a new outcome.
   */
  settle(callId: string, outcome: CapOutcome): void {
    this.#db.transaction(() => this.settleInTransaction(callId, outcome)).immediate();
  }

  /** For callers already inside a transaction (billing writes the call row and the counters together). */
  settleInTransaction(callId: string, outcome: CapOutcome): void {
    for (const row of this.#callRes.all(callId) as ReservationRow[]) {
      if (row.state !== 'released') this.#setAmount(row, settledAmount(row, outcome), 'settled');
    }
    this.#db.prepare('DELETE FROM live_calls WHERE call_id = ?').run(callId);
  }

  /** At startup: no call survives a restart, so no live slot does either. Held reservations are settled by billing. */
  clearLive(): number {
    return this.#db.prepare('DELETE FROM live_calls').run().changes;
  }
}
