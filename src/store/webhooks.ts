/**
 * The webhook outbox and delivery log. `enqueue` writes with the caller's connection, so called inside
 * `calls.transaction(...)` it commits or rolls back with the call change that caused the event.
 */
import type { Db } from './db.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';
export type AttemptOutcome = 'delivered' | 'retry' | 'dead';

export interface WebhookEventRow {
  id: string;
  kind: string;
  call_id: string | null;
  occurred_at: number;
}

export interface DeliveryRow {
  id: number;
  event_id: string;
  party: 'campaign' | 'buyer' | 'publisher';
  owner_id: string;
  webhook_id: string;
  method: string;
  url: string;
  /** `host:port` of `url` (NULL on rows older than migration 042). */
  host: string | null;
  content_type: string | null;
  body: string | null;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  next_at: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

/** A delivery with its event's kind and call, as the worker and the admin API need it. */
export type DeliveryView = DeliveryRow & { kind: string; call_id: string | null; occurred_at: number };

export interface AttemptLogRow {
  delivery_id: number;
  attempt: number;
  started_at: number;
  latency_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: AttemptOutcome;
}

export type NewDelivery = Pick<DeliveryRow, 'party' | 'owner_id' | 'webhook_id' | 'method' | 'url' | 'host' | 'content_type' | 'body' | 'max_attempts'>;

export interface AttemptResult {
  startedAt: number;
  latencyMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: AttemptOutcome;
  /** When to try again (outcome `retry`). */
  nextAt?: number;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  callId?: string;
  eventId?: string;
  party?: DeliveryRow['party'];
  ownerId?: string;
  /** Page backwards: only ids below this. */
  beforeId?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

const VIEW = `SELECT d.*, e.kind, e.call_id, e.occurred_at FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id`;

export class WebhookRepository {
  readonly #db: Db;
  readonly #insertEvent;
  readonly #insertDelivery;
  readonly #due;
  readonly #insertAttempt;
  readonly #finishAttempt;

  constructor(db: Db) {
    this.#db = db;
    this.#insertEvent = db.prepare('INSERT INTO webhook_events (id, kind, call_id, occurred_at) VALUES (@id, @kind, @call_id, @occurred_at)');
    this.#insertDelivery = db.prepare(
      `INSERT INTO webhook_deliveries (event_id, call_id, party, owner_id, webhook_id, method, url, host, content_type, body,
         status, max_attempts, next_at, created_at)
       VALUES (@event_id, @call_id, @party, @owner_id, @webhook_id, @method, @url, @host, @content_type, @body,
         'pending', @max_attempts, 0, @created_at)`,
    );
    this.#due = db.prepare(
      // INDEXED BY: walk the due index in order and stop at LIMIT (the planner otherwise sorts the whole backlog).
      `SELECT d.*, e.kind, e.call_id, e.occurred_at FROM webhook_deliveries d INDEXED BY webhook_deliveries_due
         JOIN webhook_events e ON e.id = d.event_id
       WHERE d.status = 'pending' AND d.next_at <= @now AND d.id NOT IN (SELECT value FROM json_each(@busy))
         AND (d.host IS NULL OR d.host NOT IN (SELECT value FROM json_each(@fullHosts)))
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.status = 'pending' AND p.call_id = d.call_id
           AND p.party = d.party AND p.owner_id = d.owner_id AND p.webhook_id = d.webhook_id AND p.id < d.id)
       ORDER BY d.next_at, d.id LIMIT @limit`,
    );
    this.#insertAttempt = db.prepare(
      `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, latency_ms, status_code, error, outcome)
       VALUES (@delivery_id, @attempt, @started_at, @latency_ms, @status_code, @error, @outcome)`,
    );
    this.#finishAttempt = db.prepare(
      `UPDATE webhook_deliveries SET attempts = @attempt, status = @status, next_at = @next_at,
         last_status_code = @status_code, last_error = @error, finished_at = @finished_at
       WHERE id = @id`,
    );
  }

  /** Stores an event and its deliveries (due at once). Call inside the transaction of the change that caused it. */
  enqueue(event: WebhookEventRow, deliveries: readonly NewDelivery[], createdAt: number): void {
    if (deliveries.length === 0) return;
    this.#db.transaction(() => {
      this.#insertEvent.run(event);
      for (const d of deliveries) this.#insertDelivery.run({ ...d, event_id: event.id, call_id: event.call_id, created_at: createdAt });
    })();
  }

  /**
   * Pending deliveries due at `now`, oldest first, skipping the ids already being sent, hosts at their limit, and any
   * delivery whose predecessor (same call, same subscription) is still pending: a subscriber gets a call's events
   * in order.
   */
  due(now: number, limit: number, busy: readonly number[] = [], fullHosts: readonly string[] = []): DeliveryView[] {
    return this.#due.all({ now, limit, busy: JSON.stringify(busy), fullHosts: JSON.stringify(fullHosts) }) as DeliveryView[];
  }

  /** Earliest `next_at` among pending deliveries, or null when the queue is empty. */
  nextDueAt(): number | null {
    return this.#db.prepare("SELECT MIN(next_at) FROM webhook_deliveries WHERE status = 'pending'").pluck().get() as number | null;
  }

  /** Logs one try and moves the delivery on (delivered, retry at `nextAt`, or dead), atomically. */
  recordAttempt(d: Pick<DeliveryRow, 'id' | 'attempts'>, r: AttemptResult): void {
    const attempt = d.attempts + 1;
    const status: DeliveryStatus = r.outcome === 'retry' ? 'pending' : r.outcome;
    this.#db.transaction(() => {
      this.#insertAttempt.run({
        delivery_id: d.id, attempt, started_at: r.startedAt, latency_ms: r.latencyMs,
        status_code: r.statusCode, error: r.error, outcome: r.outcome,
      });
      this.#finishAttempt.run({
        id: d.id, attempt, status, next_at: r.nextAt ?? 0, status_code: r.statusCode, error: r.error,
        finished_at: status === 'pending' ? null : r.startedAt + r.latencyMs,
      });
    })();
  }

  get(id: number): DeliveryView | undefined {
    return this.#db.prepare(`${VIEW} WHERE d.id = ?`).get(id) as DeliveryView | undefined;
  }

  attemptsOf(deliveryId: number): AttemptLogRow[] {
    return this.#db.prepare('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt').all(deliveryId) as AttemptLogRow[];
  }

  /** Newest first. */
  list(f: DeliveryFilter = {}): DeliveryView[] {
    const where: string[] = [];
    if (f.status) where.push('d.status = @status');
    if (f.callId) where.push('e.call_id = @callId');
    if (f.eventId) where.push('d.event_id = @eventId');
    if (f.party) where.push('d.party = @party');
    if (f.ownerId) where.push('d.owner_id = @ownerId');
    if (f.beforeId !== undefined) where.push('d.id < @beforeId');
    const limit = Math.min(Math.max(f.limit ?? 100, 1), 1000);
    const sql = `${VIEW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT ${limit}`;
    return this.#db.prepare(sql).all({ ...f }) as DeliveryView[];
  }

  /**
   * Manual re-send: the delivery becomes pending and due at once with one more try allowed
   * (same event id, so receivers that already have it can drop it). False when the id is unknown.
   */
  resend(id: number): boolean {
    const r = this.#db
      .prepare(
        `UPDATE webhook_deliveries SET status = 'pending', next_at = 0, finished_at = NULL,
           max_attempts = MAX(max_attempts, attempts + 1) WHERE id = ?`,
      )
      .run(id);
    return r.changes > 0;
  }

  /** Deliveries by state: `pending` is the queue depth. */
  counts(): Record<DeliveryStatus, number> {
    const rows = this.#db.prepare('SELECT status, COUNT(*) AS n FROM webhook_deliveries GROUP BY status').all() as { status: DeliveryStatus; n: number }[];
    const out: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, dead: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }
}
