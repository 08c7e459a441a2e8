/**
 * Webhook deliveries: the outbox as operators (every delivery) and buyers/publishers (their own) see it, each
 * delivery's tries, and a manual re-send (same event id, one more try; audited).
 */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import type { DeliveryFilter, DeliveryView } from '../../store/webhooks.js';
import { principalOf, type Principal } from '../auth.js';
import { audited, type RouteDeps } from '../context.js';
import { errorResponses, notFound } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const delivery = z.object({
  id: z.number().int(),
  eventId: z.string(),
  event: z.string(),
  callId: z.string().nullable(),
  party: z.string(),
  ownerId: z.string(),
  webhookId: z.string(),
  method: z.string(),
  url: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  nextAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const view = (d: DeliveryView) => ({
  id: d.id, eventId: d.event_id, event: d.kind, callId: d.call_id, party: d.party, ownerId: d.owner_id, webhookId: d.webhook_id,
  method: d.method, url: d.url, status: d.status, attempts: d.attempts, maxAttempts: d.max_attempts,
  nextAt: d.status === 'pending' ? iso(d.next_at) : null, lastStatusCode: d.last_status_code, lastError: d.last_error,
  createdAt: new Date(d.created_at).toISOString(), finishedAt: iso(d.finished_at),
});

/** A buyer or publisher key sees only the deliveries to its own endpoints. */
const visible = (p: Principal, d: DeliveryView) => p.role === 'operator' || (d.party === p.role && d.owner_id === p.party);

export const webhookRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const repo = deps.engine.webhooks.repo;
  const roles = ['operator', 'buyer', 'publisher'] as const;

  app.get('/webhooks/deliveries', {
    config: { roles },
    schema: {
      tags: ['webhooks'],
      summary: 'Webhook deliveries, newest first',
      querystring: z.strictObject({
        status: z.enum(['pending', 'delivered', 'dead']).optional(),
        callId: z.string().max(64).optional(),
        before: z.coerce.number().int().min(1).optional().describe('Only ids below this (the last id of the previous page).'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: z.object({ deliveries: z.array(delivery), counts: z.record(z.string(), z.number()).optional() }), ...errorResponses },
    },
  }, (request) => {
    const p = principalOf(request);
    const q = request.query;
    const f: DeliveryFilter = { limit: q.limit };
    if (q.status) f.status = q.status;
    if (q.callId) f.callId = q.callId;
    if (q.before) f.beforeId = q.before;
    if (p.role !== 'operator' && p.party) Object.assign(f, { party: p.role, ownerId: p.party });
    return { deliveries: repo.list(f).map(view), ...(p.role === 'operator' ? { counts: repo.counts() } : {}) };
  });

  app.get('/webhooks/deliveries/:deliveryId', {
    config: { roles },
    schema: {
      tags: ['webhooks'],
      summary: 'One delivery with its tries',
      params: z.strictObject({ deliveryId: z.coerce.number().int().min(1) }),
      response: {
        200: delivery.extend({ tries: z.array(z.object({ attempt: z.number().int(), startedAt: z.string(), latencyMs: z.number(), statusCode: z.number().int().nullable(), error: z.string().nullable(), outcome: z.string() })) }),
        ...errorResponses,
      },
    },
  }, (request) => {
    const d = repo.get(request.params.deliveryId);
    if (!d || !visible(principalOf(request), d)) throw notFound(`delivery ${request.params.deliveryId}`);
    const tries = repo.attemptsOf(d.id).map((a) => ({
      attempt: a.attempt, startedAt: new Date(a.started_at).toISOString(), latencyMs: a.latency_ms, statusCode: a.status_code, error: a.error, outcome: a.outcome,
    }));
    return { ...view(d), tries };
  });

  app.post('/webhooks/deliveries/:deliveryId/resend', {
    schema: {
      tags: ['webhooks'],
      summary: 'Send a delivery again (due now, one more try, same event id)',
      params: z.strictObject({ deliveryId: z.coerce.number().int().min(1) }),
      body: z.strictObject({}).optional(),
      response: { 200: delivery, ...errorResponses },
    },
  }, (request) => {
    const id = request.params.deliveryId;
    return audited(deps, request, () => {
      const before = repo.get(id);
      if (!before || !deps.engine.webhooks.resend(id)) throw notFound(`delivery ${id}`);
      const after = view(repo.get(id)!);
      return { action: 'resend', resource: 'webhook_delivery', resourceId: String(id), before: view(before), after, result: after };
    });
  });
  done();
};
