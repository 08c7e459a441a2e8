/** Calls in progress right now, from the call manager's memory (not the store). */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { principalOf } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const liveCall = z.object({
  id: z.string(),
  campaignId: z.string(),
  publisherId: z.string().optional(),
  buyerId: z.string().nullable().optional(),
  phase: z.string(),
  phaseSince: z.string(),
  startedAt: z.string(),
});

export const liveRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get('/calls/live', {
    config: { roles: ['operator', 'buyer', 'publisher'] },
    schema: {
      tags: ['calls'],
      summary: 'Calls in progress',
      response: { 200: z.object({ count: z.number().int(), calls: z.array(liveCall) }), ...errorResponses },
    },
  }, (request) => {
    const p = principalOf(request);
    const calls = deps.engine.calls
      .liveCalls()
      .filter((c) => p.role === 'operator' || (p.role === 'buyer' ? c.buyerId === p.party : c.publisherId === p.party))
      .map((c) => ({
        id: c.id,
        campaignId: c.campaignId,
        ...(p.role !== 'buyer' ? { publisherId: c.publisherId } : {}),
        ...(p.role !== 'publisher' ? { buyerId: c.buyerId } : {}),
        phase: c.phase,
        phaseSince: c.phaseSince.toISOString(),
        startedAt: c.startedAt.toISOString(),
      }));
    return { count: calls.length, calls };
  });
  done();
};
