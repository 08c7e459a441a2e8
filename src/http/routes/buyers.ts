/** Buyer pause and resume by an operator (or by the buyer itself), with the pause history. */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import type { PauseRow } from '../../store/distribution.js';
import { principalOf, type Principal } from '../auth.js';
import { audited, type RouteDeps } from '../context.js';
import { ApiError, errorResponses, notFound } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const params = z.strictObject({ buyerId: z.string().min(1).max(64) });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const pauseView = z.object({
  id: z.number().int(),
  source: z.string(),
  reason: z.string(),
  pausedAt: z.string(),
  until: z.string().nullable(),
  resumedAt: z.string().nullable(),
  resumedBy: z.string().nullable(),
});

const view = (p: PauseRow) => ({
  id: p.id,
  source: p.source,
  reason: p.reason,
  pausedAt: new Date(p.paused_at).toISOString(),
  until: iso(p.until_at),
  resumedAt: iso(p.resumed_at),
  resumedBy: p.resumed_by,
});

const status = z.object({ buyerId: z.string(), paused: z.boolean(), pause: pauseView.nullable() });
const roles = ['operator', 'buyer'] as const;

export const buyerRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const pauses = deps.repos.pauses;

  /** The buyer named in the path, if the key may act on it (a buyer key only on itself; others get 404). */
  const buyerOf = (p: Principal, id: string) => {
    if (!deps.engine.config().buyers.has(id) || (p.role === 'buyer' && p.party !== id)) throw notFound(`buyer ${id}`);
    return id;
  };
  const statusOf = (buyerId: string) => {
    const pause = pauses.isPaused(buyerId, deps.now().getTime());
    return { buyerId, paused: pause !== undefined, pause: pause ? view(pause) : null };
  };

  app.get('/buyers/:buyerId/pauses', {
    config: { roles },
    schema: {
      tags: ['buyers'],
      summary: 'Pause state and history',
      params,
      response: { 200: status.extend({ history: z.array(pauseView) }), ...errorResponses },
    },
  }, (request) => {
    const id = buyerOf(principalOf(request), request.params.buyerId);
    return { ...statusOf(id), history: pauses.history(id).map(view) };
  });

  app.post('/buyers/:buyerId/pause', {
    config: { roles },
    schema: {
      tags: ['buyers'],
      summary: 'Pause a buyer (its targets are skipped by routing until resumed or until `until`)',
      params,
      body: z.strictObject({ reason: z.string().min(1).max(200), until: z.iso.datetime({ offset: true }).optional() }),
      response: { 200: status, ...errorResponses },
    },
  }, (request) => {
    const id = buyerOf(principalOf(request), request.params.buyerId);
    const now = deps.now().getTime();
    const untilAt = request.body.until === undefined ? null : Date.parse(request.body.until);
    if (untilAt !== null && untilAt <= now) throw new ApiError(400, 'invalid_request', '"until" must be in the future');
    return audited(deps, request, () => {
      const before = statusOf(id);
      pauses.pause({ buyerId: id, source: 'operator', reason: request.body.reason, now, untilAt });
      const after = statusOf(id);
      return { action: 'pause', resource: 'buyer', resourceId: id, before, after, result: after };
    });
  });

  app.post('/buyers/:buyerId/resume', {
    config: { roles },
    schema: {
      tags: ['buyers'],
      summary: 'Resume a paused buyer (ends every pause in force, automatic ones included)',
      params,
      body: z.strictObject({}).optional(),
      response: { 200: status, ...errorResponses },
    },
  }, (request) => {
    const id = buyerOf(principalOf(request), request.params.buyerId);
    const who = principalOf(request);
    return audited(deps, request, () => {
      const before = statusOf(id);
      if (pauses.resume(id, who.keyId, deps.now().getTime()) === 0) return { result: before, noop: true as const };
      const after = statusOf(id);
      return { action: 'resume', resource: 'buyer', resourceId: id, before, after, result: after };
    });
  });
  done();
};
