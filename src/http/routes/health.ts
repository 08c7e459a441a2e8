/** Liveness and readiness: no key needed (load balancers and orchestrators call them). */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../context.js';
import type { ZodTypeProvider } from '../zod.js';

const readyBody = z.object({ ready: z.boolean(), driver: z.string(), draining: z.boolean() });

export const healthRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get('/health', {
    schema: { tags: ['health'], security: [], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, () => ({ status: 'ok' as const }));

  app.get('/ready', {
    schema: {
      tags: ['health'],
      security: [],
      summary: 'The engine takes calls (driver ready, not draining); 503 otherwise',
      response: { 200: readyBody, 503: readyBody },
    },
  }, (_request, reply) => {
    const { engine } = deps;
    const ready = engine.driver.isReady() && !engine.calls.draining;
    return reply.code(ready ? 200 : 503).send({ ready, driver: engine.driver.name, draining: engine.calls.draining });
  });
  done();
};
