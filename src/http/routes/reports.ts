/**
 * P&L by campaign, publisher, buyer or day over a date range in a time zone. Totals are computed by their own
 * query over the same range, not by adding the rows, so a grouping bug cannot hide in them.
 */
import type { FastifyPluginCallback } from 'fastify';
import { DateTime } from 'luxon';
import type { DayRange, PnlGroup, PnlSums } from '../../store/pnl.js';
import { principalOf, type Principal } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { ApiError, errorResponses, forbidden } from '../errors.js';
import { scopedFilter } from '../scope.js';
import type { ZodTypeProvider } from '../zod.js';
import { pnlQuery, pnlReport } from './reports.schema.js';

const MAX_DAYS = 366;

/** Local days from `from` to `to` inclusive as epoch-ms ranges; DST days are 23 or 25 hours long. */
export function dayRanges(from: string, to: string, tz: string): DayRange[] {
  const first = DateTime.fromISO(from, { zone: tz }).startOf('day');
  const last = DateTime.fromISO(to, { zone: tz }).startOf('day');
  if (!first.isValid || !last.isValid) throw new ApiError(400, 'invalid_request', 'from/to must be dates such as 2026-11-01');
  if (last < first) throw new ApiError(400, 'invalid_request', '"to" must not be before "from"');
  const days: DayRange[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) {
    if (days.length >= MAX_DAYS) throw new ApiError(400, 'invalid_request', `a report covers at most ${MAX_DAYS} days`);
    days.push({ day: d.toISODate() ?? '', from: d.toMillis(), to: d.plus({ days: 1 }).toMillis() });
  }
  return days;
}

/** The figures `p` may see: a buyer sees what it was billed, a publisher what it earned. */
export function figures(p: Principal, s: PnlSums) {
  const base = {
    calls: s.calls,
    connected: s.connected,
    billable: s.billable,
    conversions: s.conversions,
    conversionRate: s.calls === 0 ? 0 : Math.round((s.billable / s.calls) * 10_000) / 10_000,
  };
  if (p.role === 'buyer') return { ...base, revenueCents: s.revenue_cents };
  if (p.role === 'publisher') return { ...base, payoutCents: s.payout_cents };
  return {
    ...base,
    revenueCents: s.revenue_cents,
    payoutCents: s.payout_cents,
    costCents: s.cost_cents,
    marginCents: s.revenue_cents - s.payout_cents - s.cost_cents,
  };
}

const EMPTY: PnlSums = { calls: 0, connected: 0, billable: 0, conversions: 0, revenue_cents: 0, payout_cents: 0, cost_cents: 0 };

export const reportRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get('/reports/pnl', {
    config: { roles: ['operator', 'buyer', 'publisher'] },
    schema: {
      tags: ['reports'],
      summary: 'Profit and loss for a date range in a time zone',
      querystring: pnlQuery,
      response: { 200: pnlReport, ...errorResponses },
    },
  }, (request) => {
    const p = principalOf(request);
    const q = request.query;
    if ((p.role === 'buyer' && q.groupBy === 'publisher') || (p.role === 'publisher' && q.groupBy === 'buyer')) {
      throw forbidden(`a ${p.role} key cannot group by ${q.groupBy}`);
    }
    const days = dayRanges(q.from, q.to, q.tz);
    const range = { from: days[0]!.from, to: days.at(-1)!.to };
    // The range comes from the local days; the rest of the filter is pinned to the caller's party.
    const parties = scopedFilter(p, { campaign: q.campaign, publisher: q.publisher, buyer: q.buyer });
    const filter = { ...parties, ...range };
    let rows: { key: string | null; sums: PnlSums }[];
    if (q.groupBy === 'day') {
      const found = new Map(deps.repos.pnl.byDay(days, parties).map((g: PnlGroup) => [Number(g.key), g]));
      rows = days.map((d, i) => ({ key: d.day, sums: found.get(i) ?? EMPTY }));
    } else {
      rows = deps.repos.pnl.byColumn(q.groupBy, filter).map((g) => ({ key: g.key === null ? null : String(g.key), sums: g }));
    }
    return {
      from: q.from,
      to: q.to,
      tz: q.tz,
      groupBy: q.groupBy,
      rows: rows.map((r) => ({ key: r.key, ...figures(p, r.sums) })),
      totals: figures(p, deps.repos.pnl.totals(filter)),
    };
  });
  done();
};
