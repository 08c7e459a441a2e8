/** Profit and loss aggregates over the call records, grouped by campaign, publisher, buyer or day. */
import type { Db } from './db.js';
import { filterClauses, type CallFilter } from './call-query.js';

export type PnlDimension = 'campaign' | 'publisher' | 'buyer' | 'day';

export interface PnlSums {
  calls: number;
  connected: number;
  billable: number;
  /** Calls a buyer reported a conversion for. */
  conversions: number;
  revenue_cents: number;
  payout_cents: number;
  cost_cents: number;
}

export interface PnlGroup extends PnlSums {
  /** Campaign/publisher/buyer id (null: calls without one, e.g. never connected), or the day's index in `days`. */
  key: string | number | null;
}

/** A local day in the report's time zone as an epoch-ms half-open range. */
export interface DayRange {
  day: string;
  from: number;
  to: number;
}

const SUMS = `COUNT(c.id) AS calls,
  COALESCE(SUM(c.buyer_answer_at IS NOT NULL), 0) AS connected,
  COALESCE(SUM(c.billable), 0) AS billable,
  COALESCE(SUM(c.converted_at IS NOT NULL), 0) AS conversions,
  COALESCE(SUM(c.revenue_cents), 0) AS revenue_cents,
  COALESCE(SUM(c.payout_cents), 0) AS payout_cents,
  COALESCE(SUM(c.cost_cents), 0) AS cost_cents`;

const COLUMN: Record<Exclude<PnlDimension, 'day'>, string> = {
  campaign: 'c.campaign_id',
  publisher: 'c.publisher_id',
  buyer: 'c.buyer_id',
};

export class PnlRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Sums for every call in `filter` (from/to required by the caller for a bounded scan). */
  totals(filter: CallFilter): PnlSums {
    const { clauses, params } = filterClauses(filter, 'c.');
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    return this.#db.prepare(`SELECT ${SUMS} FROM calls c ${where}`).get(params) as PnlSums;
  }

  /** Sums per campaign, publisher or buyer. */
  byColumn(dimension: Exclude<PnlDimension, 'day'>, filter: CallFilter): PnlGroup[] {
    const { clauses, params } = filterClauses(filter, 'c.');
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const col = COLUMN[dimension];
    return this.#db.prepare(`SELECT ${col} AS key, ${SUMS} FROM calls c ${where} GROUP BY ${col} ORDER BY ${col}`).all(params) as PnlGroup[];
  }

  /**
   * Sums per local day. Day boundaries come from the caller (computed in the report's time zone, DST-aware),
   * joined as a JSON table so one indexed query covers the whole range.
   */
  byDay(days: readonly DayRange[], filter: Omit<CallFilter, 'from' | 'to'>): PnlGroup[] {
    const { clauses, params } = filterClauses(filter, 'c.');
    const extra = clauses.length ? `AND ${clauses.join(' AND ')}` : '';
    const sql = `WITH d AS (
        SELECT CAST(key AS INTEGER) AS i, json_extract(value, '$.from') AS lo, json_extract(value, '$.to') AS hi FROM json_each(@days)
      )
      SELECT d.i AS key, ${SUMS} FROM d JOIN calls c ON c.invite_at >= d.lo AND c.invite_at < d.hi ${extra}
      GROUP BY d.i ORDER BY d.i`;
    return this.#db.prepare(sql).all({ ...params, days: JSON.stringify(days) }) as PnlGroup[];
  }
}
