/**
 * Disputes: the buyer a call was billed to opens one within its dispute window; an operator accepts (revenue
 * reversed, payout clawed back) or rejects it. One dispute per call.
 */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import type { DisputeRow } from '../../store/disputes.js';
import { principalOf, type Principal } from '../auth.js';
import { audited, type RouteDeps } from '../context.js';
import { ApiError, errorResponses, notFound } from '../errors.js';
import { canSeeCall } from '../views.js';
import type { ZodTypeProvider } from '../zod.js';
import { callIdParams } from './calls.schema.js';

const DEFAULT_WINDOW_DAYS = 7;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const disputeView = z.object({
  callId: z.string(),
  buyerId: z.string(),
  reason: z.string().nullable(),
  state: z.enum(['open', 'accepted', 'rejected']),
  openedAt: z.string(),
  decidedAt: z.string().nullable(),
  reversedRevenueCents: z.number().int().nullable(),
  clawedPayoutCents: z.number().int().nullable().optional(),
});

/** A buyer does not see the publisher's clawback. */
const view = (p: Principal, d: DisputeRow) => ({
  callId: d.call_id,
  buyerId: d.buyer_id,
  reason: d.reason,
  state: d.state,
  openedAt: new Date(d.opened_at).toISOString(),
  decidedAt: iso(d.decided_at),
  reversedRevenueCents: d.reversed_revenue_cents,
  ...(p.role === 'operator' ? { clawedPayoutCents: d.clawed_payout_cents } : {}),
});

const REFUSED: Record<string, string> = {
  in_progress: 'the call is still in progress',
  not_billable: 'the call was not billed, so there is nothing to dispute',
  window_closed: "the buyer's dispute window for this call has closed",
  already_disputed: 'the call has already been disputed',
};

export const disputeRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const repo = deps.repos.billing.disputes;
  const roles = ['operator', 'buyer'] as const;

  const visibleCall = (p: Principal, callId: string) => {
    const row = deps.engine.store.calls.get(callId);
    if (!row || !canSeeCall(p, row)) throw notFound(`call ${callId}`);
    return row;
  };
  const emit = (callId: string, status: 'opened' | 'accepted' | 'rejected', reason: string | null) => {
    const row = deps.engine.store.calls.get(callId);
    if (row) deps.engine.webhooks.emitter.enqueue(['call.disputed'], row, deps.engine.config(), { dispute: { status, reason } });
  };

  app.get('/disputes', {
    config: { roles },
    schema: {
      tags: ['billing'],
      summary: 'Disputes, newest first (a buyer key sees its own)',
      querystring: z.strictObject({ state: z.enum(['open', 'accepted', 'rejected']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: z.object({ disputes: z.array(disputeView) }), ...errorResponses },
    },
  }, (request) => {
    const p = principalOf(request);
    const rows = deps.repos.disputeQuery.list({
      limit: request.query.limit,
      ...(request.query.state ? { state: request.query.state } : {}),
      ...(p.role === 'buyer' && p.party ? { buyerId: p.party } : {}),
    });
    return { disputes: rows.map((d) => view(p, d)) };
  });

  app.get('/calls/:callId/dispute', {
    config: { roles },
    schema: { tags: ['billing'], summary: "The call's dispute", params: callIdParams, response: { 200: disputeView, ...errorResponses } },
  }, (request) => {
    const p = principalOf(request);
    visibleCall(p, request.params.callId);
    const d = repo.get(request.params.callId);
    if (!d) throw notFound('dispute');
    return view(p, d);
  });

  app.post('/calls/:callId/dispute', {
    config: { roles },
    schema: {
      tags: ['billing'],
      summary: 'Open a dispute on a billed call (within the buyer\'s dispute window)',
      params: callIdParams,
      body: z.strictObject({ reason: z.string().min(1).max(500) }),
      response: { 201: disputeView, 409: errorResponses[400], ...errorResponses },
    },
  }, (request, reply) => {
    const p = principalOf(request);
    const row = visibleCall(p, request.params.callId);
    const buyerId = row.buyer_id;
    if (!buyerId) throw new ApiError(409, 'conflict', REFUSED.not_billable ?? 'not billable');
    const windowDays = deps.engine.config().buyers.get(buyerId)?.dispute_window_days ?? DEFAULT_WINDOW_DAYS;
    const created = audited(deps, request, () => {
      const d = repo.open({ callId: row.id, buyerId, reason: request.body.reason, windowDays, now: deps.now().getTime() });
      if (d.kind === 'refused') {
        if (d.reason === 'unknown_call' || d.reason === 'wrong_buyer') throw notFound(`call ${row.id}`);
        throw new ApiError(409, 'conflict', REFUSED[d.reason] ?? d.reason);
      }
      emit(row.id, 'opened', request.body.reason);
      const after = view(p, repo.get(row.id)!);
      return { action: 'open', resource: 'dispute', resourceId: row.id, after, result: after };
    });
    return reply.code(201).send(created);
  });

  app.post('/calls/:callId/dispute/decision', {
    schema: {
      tags: ['billing'],
      summary: 'Accept (reverse revenue, claw back payout) or reject an open dispute',
      params: callIdParams,
      body: z.strictObject({ accepted: z.boolean() }),
      response: { 200: disputeView, 409: errorResponses[400], ...errorResponses },
    },
  }, (request) => {
    const p = principalOf(request);
    const callId = request.params.callId;
    return audited(deps, request, () => {
      const before = repo.get(callId);
      const r = repo.decide({ callId, accepted: request.body.accepted, now: deps.now().getTime() });
      if (!r.ok) {
        if (!before) throw notFound('dispute');
        throw new ApiError(409, 'conflict', `the dispute is already ${before.state}`);
      }
      emit(callId, r.dispute.state === 'accepted' ? 'accepted' : 'rejected', r.dispute.reason);
      const after = view(p, r.dispute);
      return { action: 'decide', resource: 'dispute', resourceId: callId, before: before ? view(p, before) : null, after, result: after };
    });
  });
  done();
};
