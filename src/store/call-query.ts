/**
 * Read side of the call records for the admin API: filtered, keyset-paginated listings and a chunked
 * iterator for exports. Chunks are separate short queries, so an export never holds the connection the
 * call flow writes through (better-sqlite3 refuses other statements while an iterator is open).
 */
import type { Db } from './db.js';
import type { CallRow } from './calls.js';

export interface CallFilter {
  /** invite_at >= from (epoch ms). */
  from?: number;
  /** invite_at < to (epoch ms). */
  to?: number;
  campaignId?: string;
  publisherId?: string;
  buyerId?: string;
  outcome?: string;
  billable?: boolean;
}

/** Position after the last row returned: newest-first order is (invite_at DESC, id DESC). */
export interface CallCursor {
  inviteAt: number;
  id: string;
}

export type Order = 'asc' | 'desc';

type Params = Record<string, string | number>;

/** WHERE clauses for the filter; only present filters become clauses, so the planner can use the right index. */
export function filterClauses(f: CallFilter, alias = ''): { clauses: string[]; params: Params } {
  const c = (col: string) => `${alias}${col}`;
  const clauses: string[] = [];
  const params: Params = {};
  const add = (sql: string, name: string, value: string | number | undefined) => {
    if (value === undefined) return;
    clauses.push(sql);
    params[name] = value;
  };
  add(`${c('invite_at')} >= @from`, 'from', f.from);
  add(`${c('invite_at')} < @to`, 'to', f.to);
  add(`${c('campaign_id')} = @campaignId`, 'campaignId', f.campaignId);
  add(`${c('publisher_id')} = @publisherId`, 'publisherId', f.publisherId);
  add(`${c('buyer_id')} = @buyerId`, 'buyerId', f.buyerId);
  add(`${c('outcome')} = @outcome`, 'outcome', f.outcome);
  add(`${c('billable')} = @billable`, 'billable', f.billable === undefined ? undefined : f.billable ? 1 : 0);
  return { clauses, params };
}

export class CallQueryRepository {
  readonly #db: Db;
  readonly #cache = new Map<string, ReturnType<Db['prepare']>>();

  constructor(db: Db) {
    this.#db = db;
  }

  #stmt(sql: string) {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }

  /** One page of calls matching `filter`, after `cursor`, in `order` of (invite_at, id). */
  page(filter: CallFilter, limit: number, cursor?: CallCursor, order: Order = 'desc'): CallRow[] {
    const { clauses, params } = filterClauses(filter);
    if (cursor) {
      // A row-value comparison: SQLite turns it into a range scan on calls_invite_at_id (migration 031).
      clauses.push(`(invite_at, id) ${order === 'desc' ? '<' : '>'} (@cInvite, @cId)`);
      Object.assign(params, { cInvite: cursor.inviteAt, cId: cursor.id });
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const dir = order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT * FROM calls ${where} ORDER BY invite_at ${dir}, id ${dir} LIMIT @limit`;
    return this.#stmt(sql).all({ ...params, limit }) as CallRow[];
  }

  /**
   * Every matching call, oldest first, fetched `chunk` rows at a time. Memory stays at one chunk however
   * many rows match; the event loop gets a turn between chunks.
   */
  async *iterate(filter: CallFilter, chunk = 1000): AsyncGenerator<CallRow> {
    let cursor: CallCursor | undefined;
    for (;;) {
      const rows = this.page(filter, chunk, cursor, 'asc');
      for (const r of rows) yield r;
      const last = rows.at(-1);
      if (!last || rows.length < chunk) return;
      cursor = { inviteAt: last.invite_at, id: last.id };
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
