/**
 * Why calls were or were not billed and paid, for the portals: counts of billable / not-billable reasons, payout
 * reasons and duplicates over a range (scoped to the key's own calls), and the conversions and dispute of a page
 * of calls. Aggregation streams the call rows a chunk at a time, so a long range costs time, not memory.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { principalOf } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { ApiError, errorResponses } from '../errors.js';
import { scopedFilter } from '../scope.js';
import { canSeeCall } from '../views.js';
import type { ZodTypeProvider } from '../zod.js';

const ALL_ROLES = ['operator', 'buyer', 'publisher'] as const;
const MAX_RANGE_MS = 92 * 86_400_000;
const counts = z.record(z.string(), z.number().int());

const reasonsQuery = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });
const reasons = z.object({
  calls: z.number().int(),
  ended: z.number().int(),
  billable: z.number().int().optional(),
  notBillable: counts.optional(),
  paid: z.number().int().optional(),
  notPaid: counts.optional(),
  duplicates: z.number().int(),
});

const billingState = z.object({
  conversions: z.array(z.object({ eventId: z.string(), revenueCents: z.number().int().nullable(), reportedAt: z.string() })),
  dispute: z.object({ state: z.string(), reason: z.string().nullable(), openedAt: z.string(), decidedAt: z.string().nullable() }).nullable(),
});

const bump = (m: Record<string, number>, k: string | null) => {
  const key = k ?? 'unknown';
  m[key] = (m[key] ?? 0) + 1;
};

export const dashboardBillingRoutes: FastifyPluginAsync<RouteDeps> = (instance, deps) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const billing = deps.repos.billing;

  app.get('/reasons', {
    config: { roles: ALL_ROLES },
    schema: { tags: ['dashboard'], summary: 'Billable and payout reasons over a range', querystring: reasonsQuery, response: { 200: reasons, ...errorResponses } },
  }, async (request) => {
    const p = principalOf(request);
    const filter = scopedFilter(p, request.query);
    if ((filter.to ?? 0) - (filter.from ?? 0) > MAX_RANGE_MS) throw new ApiError(400, 'invalid_request', 'a range covers at most 92 days');
    const out = { calls: 0, ended: 0, billable: 0, notBillable: {} as Record<string, number>, paid: 0, notPaid: {} as Record<string, number>, duplicates: 0 };
    for await (const r of deps.repos.callQuery.iterate(filter)) {
      out.calls++;
      if (r.duplicate === 1) out.duplicates++;
      if (r.status === 'in_progress') continue;
      out.ended++;
      if (r.billable === 1) out.billable++;
      else bump(out.notBillable, r.billable_reason);
      if (r.payable === 1) out.paid++;
      else bump(out.notPaid, r.payout_reason);
    }
    const { billable, notBillable, paid, notPaid, ...common } = out;
    if (p.role === 'buyer') return { ...common, billable, notBillable };
    if (p.role === 'publisher') return { ...common, paid, notPaid };
    return out;
  });

  // Conversions and disputes belong to the buyer side: publishers see their outcome in the payout instead.
  app.get('/billing-state', {
    config: { roles: ['operator', 'buyer'] },
    schema: {
      tags: ['dashboard'],
      summary: 'Conversions and dispute of up to 100 calls',
      querystring: z.strictObject({ ids: z.string().min(1).max(100 * 65) }),
      response: { 200: z.object({ calls: z.record(z.string(), billingState) }), ...errorResponses },
    },
  }, (request) => {
    const p = principalOf(request);
    const ids = [...new Set(request.query.ids.split(','))].slice(0, 100);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const calls: Record<string, z.infer<typeof billingState>> = {};
    for (const id of ids) {
      const row = deps.engine.store.calls.get(id);
      if (!row || !canSeeCall(p, row)) continue;
      const d = billing.disputes.get(id);
      calls[id] = {
        conversions: billing.conversions.list(id).map((c) => ({ eventId: c.event_id, revenueCents: c.revenue_cents, reportedAt: new Date(c.reported_at).toISOString() })),
        dispute: d ? { state: d.state, reason: d.reason, openedAt: new Date(d.opened_at).toISOString(), decidedAt: iso(d.decided_at) } : null,
      };
    }
    return { calls };
  });
  return Promise.resolve();
};
