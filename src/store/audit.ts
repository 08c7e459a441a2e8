/** The audit trail: one row per mutation made through the admin API. Append-only (enforced by triggers). */
import type { Db } from './db.js';

export interface AuditEntry {
  at: number;
  actorKeyId: string;
  actorRole: string;
  action: string;
  resource: string;
  resourceId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface AuditRow {
  id: number;
  at: number;
  actor_key_id: string;
  actor_role: string;
  action: string;
  resource: string;
  resource_id: string | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export class AuditRepository {
  readonly #db: Db;
  readonly #insert;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO audit_log (at, actor_key_id, actor_role, action, resource, resource_id, before_json, after_json, request_id)
       VALUES (@at, @actorKeyId, @actorRole, @action, @resource, @resourceId, @before, @after, @requestId)`,
    );
  }

  append(e: AuditEntry): number {
    return Number(this.#insert.run({ ...e, before: json(e.before), after: json(e.after) }).lastInsertRowid);
  }

  /** Newest first; `beforeId` is the cursor (rows with a smaller id). */
  list(opts: { limit: number; beforeId?: number; resource?: string }): AuditRow[] {
    return this.#db
      .prepare(
        `SELECT * FROM audit_log WHERE (@beforeId IS NULL OR id < @beforeId) AND (@resource IS NULL OR resource = @resource)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ limit: opts.limit, beforeId: opts.beforeId ?? null, resource: opts.resource ?? null }) as AuditRow[];
  }

  /**
   * Runs `fn` (the mutation) and the audit insert in one transaction: no change without its row, no row without
   * the change. `entry` null = nothing changed, nothing to record.
   */
  withAudit<T>(fn: () => { result: T; entry: AuditEntry | null }): T {
    return this.#db.transaction(() => {
      const { result, entry } = fn();
      if (entry) this.append(entry);
      return result;
    }).immediate();
  }
}
