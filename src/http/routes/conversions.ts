/**
 * Conversions reported by the buyer a call was sold to (or by an operator for it). Idempotent by `eventId`: a
 * retried report answers `already_applied` and changes nothing; a later report with a new id updates the revenue.
 */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { principalOf } from '../auth.js';
import { audited, type RouteDeps } from '../context.js';
import { ApiError, errorResponses, notFound } from '../errors.js';
import { canSeeCall } from '../views.js';
import { eventsAfterConversion } from '../../webhooks/index.js';
import type { ZodTypeProvider } from '../zod.js';
import { callIdParams } from './calls.schema.js';

const body = z.strictObject({
  eventId: z.string().min(1).max(128).describe('Your id for this conversion; sending it again is a no-op.'),
  revenueCents: z.number().int().min(0).optional().describe('Sale value in cents; absent = the agreed price.'),
  at: z.iso.datetime({ offset: true }).optional().describe('When the conversion happened; default now.'),
});

const result = z.object({
  status: z.enum(['applied', 'already_applied']),
  first: z.boolean().optional(),
  billable: z.boolean().optional(),
  revenueCents: z.number().int().optional(),
  billableReason: z.string().optional().describe('Why the call is or is not billable after the report, e.g. `duplicate`.'),
});

const REFUSED: Record<string, string> = {
  not_connected: 'the call never reached a buyer, so it cannot convert',
  in_progress: 'the call is still in progress; report the conversion after it ends',
  disputed: 'the call was disputed and reversed; it cannot convert',
  bad_revenue: 'revenueCents must be a whole, non-negative number of cents',
};

export const conversionRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const roles = ['operator', 'buyer'] as const;

  const visibleCall = (callId: string, p: ReturnType<typeof principalOf>) => {
    const row = deps.engine.store.calls.get(callId);
    if (!row || !canSeeCall(p, row)) throw notFound(`call ${callId}`);
    return row;
  };

  app.post('/calls/:callId/conversions', {
    config: { roles },
    schema: { tags: ['billing'], summary: 'Report a conversion for a call', params: callIdParams, body, response: { 200: result, 409: errorResponses[400], ...errorResponses } },
  }, (request) => {
    const p = principalOf(request);
    const callId = request.params.callId;
    visibleCall(callId, p);
    const now = deps.now().getTime();
    const at = request.body.at === undefined ? now : Date.parse(request.body.at);
    const report = { eventId: request.body.eventId, callId, at, ...(request.body.revenueCents !== undefined ? { revenueCents: request.body.revenueCents } : {}) };
    type Out = { status: 'applied' | 'already_applied'; first?: boolean; billable?: boolean; revenueCents?: number; billableReason?: string };
    return audited<Out>(deps, request, () => {
      const before = deps.repos.billing.billing.money(callId);
      const rowBefore = deps.engine.store.calls.get(callId);
      // The config's duplicate policies: a conversion that would bill a repeat caller's call is decided a duplicate.
      const r = deps.repos.billing.conversions.report(report, now, deps.engine.config());
      const d = r.decision;
      if (d.kind === 'already_applied') return { result: { status: 'already_applied' as const }, noop: true as const };
      if (d.kind === 'refused') {
        if (d.reason === 'unknown_call') throw notFound(`call ${callId}`);
        throw new ApiError(d.reason === 'bad_revenue' ? 400 : 409, d.reason === 'bad_revenue' ? 'invalid_request' : 'conflict', REFUSED[d.reason] ?? d.reason);
      }
      const row = deps.engine.store.calls.get(callId);
      // A conversion can be what makes the call billable / payable (conversion pricing): those events go out too.
      const events = row && rowBefore ? eventsAfterConversion(rowBefore, row) : (['call.converted'] as const);
      if (row) deps.engine.webhooks.emitter.enqueue([...events], row, deps.engine.config(), { conversion: { eventId: report.eventId, revenueCents: report.revenueCents ?? null } });
      const money = r.money;
      return {
        action: 'report', resource: 'conversion', resourceId: callId, before, after: { eventId: report.eventId, ...money },
        result: { status: 'applied' as const, first: d.first, ...(money ? { billable: money.billable, revenueCents: money.revenue_cents, ...(row?.billable_reason ? { billableReason: row.billable_reason } : {}) } : {}) },
      };
    });
  });

  app.get('/calls/:callId/conversions', {
    config: { roles },
    schema: {
      tags: ['billing'],
      summary: 'Conversions reported for a call',
      params: callIdParams,
      response: { 200: z.object({ conversions: z.array(z.object({ eventId: z.string(), revenueCents: z.number().int().nullable(), reportedAt: z.string(), receivedAt: z.string() })) }), ...errorResponses },
    },
  }, (request) => {
    visibleCall(request.params.callId, principalOf(request));
    return {
      conversions: deps.repos.billing.conversions.list(request.params.callId).map((c) => ({
        eventId: c.event_id, revenueCents: c.revenue_cents, reportedAt: new Date(c.reported_at).toISOString(), receivedAt: new Date(c.received_at).toISOString(),
      })),
    };
  });
  done();
};
