/** The call detail records: one row per inbound call, one per bridge attempt. */
import type { Db } from './db.js';

export type CallStatus = 'in_progress' | 'completed' | 'interrupted';

export interface CallRow {
  id: string;
  sip_call_id: string;
  driver: string;
  did: string;
  caller: string;
  carrier_id: string | null;
  source_address: string | null;
  campaign_id: string | null;
  publisher_id: string | null;
  config_digest: string | null;
  status: CallStatus;
  phase: string;
  outcome: string | null;
  invite_at: number;
  answer_at: number | null;
  ivr_end_at: number | null;
  routing_at: number | null;
  bridge_start_at: number | null;
  buyer_answer_at: number | null;
  end_at: number | null;
  last_seen_at: number | null;
  hangup_side: string | null;
  hangup_cause: string | null;
  qualified: number | null;
  /** JSON object of IVR tags. */
  tags: string;
  /** JSON array of `{step, digits, at}`. */
  ivr_answers: string;
  buyer_id: string | null;
  target_id: string | null;
  talk_ms: number | null;
  billable: number;
  billable_reason: string | null;
  payable: number;
  payout_reason: string | null;
  duplicate: number;
  revenue_cents: number;
  payout_cents: number;
  cost_cents: number;
  bid_cents: number | null;
  auction_id: string | null;
  updated_at: number;
}

export type NewCall = Pick<
  CallRow,
  'id' | 'sip_call_id' | 'driver' | 'did' | 'caller' | 'carrier_id' | 'source_address' | 'campaign_id' | 'publisher_id' | 'config_digest' | 'invite_at'
>;

export type CallPatch = Partial<Omit<CallRow, 'id' | 'updated_at'>>;

export interface AttemptRow {
  id: number;
  call_id: string;
  seq: number;
  buyer_id: string;
  target_id: string;
  destination: string;
  invite_at: number;
  ring_at: number | null;
  answer_at: number | null;
  end_at: number | null;
  result: string | null;
  sip_code: number | null;
  reason: string | null;
}

export type NewAttempt = Pick<AttemptRow, 'call_id' | 'seq' | 'buyer_id' | 'target_id' | 'destination' | 'invite_at'>;
export type AttemptPatch = Partial<Pick<AttemptRow, 'ring_at' | 'answer_at' | 'end_at' | 'result' | 'sip_code' | 'reason'>>;

const CALL_COLUMNS = new Set<string>([
  'sip_call_id', 'driver', 'did', 'caller', 'carrier_id', 'source_address', 'campaign_id', 'publisher_id', 'config_digest',
  'status', 'phase', 'outcome', 'invite_at', 'answer_at', 'ivr_end_at', 'routing_at', 'bridge_start_at', 'buyer_answer_at',
  'end_at', 'last_seen_at', 'hangup_side', 'hangup_cause', 'qualified', 'tags', 'ivr_answers', 'buyer_id', 'target_id',
  'talk_ms', 'billable', 'billable_reason', 'payable', 'payout_reason', 'duplicate', 'revenue_cents', 'payout_cents',
  'cost_cents', 'bid_cents', 'auction_id',
]);
const ATTEMPT_COLUMNS = new Set<string>(['ring_at', 'answer_at', 'end_at', 'result', 'sip_code', 'reason']);

/** Builds `UPDATE … SET a = @a, b = @b` for a whitelisted set of columns, caching one statement per column set. */
function patcher(db: Db, table: string, allowed: Set<string>, extra: string) {
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  return (id: string | number, patch: Record<string, unknown>, extraValues: Record<string, unknown>): number => {
    const cols = Object.keys(patch).filter((k) => patch[k] !== undefined).sort();
    for (const c of cols) if (!allowed.has(c)) throw new Error(`not a ${table} column: ${c}`);
    if (cols.length === 0 && !extra) return 0;
    const key = cols.join(',');
    let stmt = cache.get(key);
    if (!stmt) {
      const sets = cols.map((c) => `${c} = @${c}`);
      if (extra) sets.push(extra);
      stmt = db.prepare(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = @id`);
      cache.set(key, stmt);
    }
    return stmt.run({ ...patch, ...extraValues, id }).changes;
  };
}

export class CallRepository {
  readonly #db: Db;
  readonly #insert;
  readonly #insertAttempt;
  readonly #patchCall;
  readonly #patchAttempt;
  readonly #get;
  readonly #attempts;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO calls (id, sip_call_id, driver, did, caller, carrier_id, source_address, campaign_id, publisher_id,
         config_digest, status, phase, invite_at, updated_at)
       VALUES (@id, @sip_call_id, @driver, @did, @caller, @carrier_id, @source_address, @campaign_id, @publisher_id,
         @config_digest, 'in_progress', 'accepted', @invite_at, @invite_at)`,
    );
    this.#insertAttempt = db.prepare(
      `INSERT INTO bridge_attempts (call_id, seq, buyer_id, target_id, destination, invite_at)
       VALUES (@call_id, @seq, @buyer_id, @target_id, @destination, @invite_at)`,
    );
    this.#patchCall = patcher(db, 'calls', CALL_COLUMNS, 'updated_at = @updated_at');
    this.#patchAttempt = patcher(db, 'bridge_attempts', ATTEMPT_COLUMNS, '');
    this.#get = db.prepare('SELECT * FROM calls WHERE id = ?');
    this.#attempts = db.prepare('SELECT * FROM bridge_attempts WHERE call_id = ? ORDER BY seq');
  }

  insert(call: NewCall): void {
    this.#insert.run(call);
  }

  update(id: string, patch: CallPatch, now: number): void {
    this.#patchCall(id, patch, { updated_at: now });
  }

  /** Returns the attempt's row id. */
  insertAttempt(a: NewAttempt): number {
    return Number(this.#insertAttempt.run(a).lastInsertRowid);
  }

  updateAttempt(id: number, patch: AttemptPatch): void {
    this.#patchAttempt(id, patch, {});
  }

  insertSkips(callId: string, skips: readonly { buyerId: string; targetId: string; reason: string }[]): void {
    if (skips.length === 0) return;
    const stmt = this.#db.prepare('INSERT INTO routing_skips (call_id, buyer_id, target_id, reason) VALUES (?, ?, ?, ?)');
    this.#db.transaction(() => {
      for (const s of skips) stmt.run(callId, s.buyerId, s.targetId, s.reason);
    })();
  }

  get(id: string): CallRow | undefined {
    return this.#get.get(id) as CallRow | undefined;
  }

  attempts(callId: string): AttemptRow[] {
    return this.#attempts.all(callId) as AttemptRow[];
  }

  skips(callId: string): { buyer_id: string; target_id: string; reason: string }[] {
    return this.#db.prepare('SELECT buyer_id, target_id, reason FROM routing_skips WHERE call_id = ?').all(callId) as never;
  }

  /** Runs several writes as one transaction (a call change and, say, the event it causes). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  /**
   * Closes rows a crash left `in_progress`: status `interrupted`, end time = the last timestamp known for the
   * call (the latest phase or heartbeat), open attempts ended likewise. Returns the ids closed, for billing review.
   */
  reconcileInterrupted(now: number): string[] {
    const ids = this.#db.prepare("SELECT id FROM calls WHERE status = 'in_progress'").pluck().all() as string[];
    if (ids.length === 0) return ids;
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `UPDATE calls SET status = 'interrupted', phase = 'ended',
             outcome = COALESCE(outcome, 'interrupted'), hangup_side = COALESCE(hangup_side, 'system'),
             hangup_cause = COALESCE(hangup_cause, 'engine_restart'),
             end_at = COALESCE(end_at, MAX(invite_at, COALESCE(answer_at, 0), COALESCE(ivr_end_at, 0), COALESCE(routing_at, 0),
                      COALESCE(bridge_start_at, 0), COALESCE(buyer_answer_at, 0), COALESCE(last_seen_at, 0))),
             updated_at = @now
           WHERE status = 'in_progress'`,
        )
        .run({ now });
      this.#db
        .prepare(
          `UPDATE bridge_attempts SET end_at = (SELECT end_at FROM calls WHERE calls.id = bridge_attempts.call_id),
             result = COALESCE(result, 'interrupted')
           WHERE end_at IS NULL AND call_id IN (SELECT id FROM calls WHERE status = 'interrupted')`,
        )
        .run();
    })();
    return ids;
  }
}
