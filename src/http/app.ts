/**
 * The HTTP edge, built as a fastify instance without listening (only main.ts listens).
 * Health and readiness live here; the admin API and metrics register as plugins.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Engine } from '../engine.js';

export interface AppOptions {
  engine: Engine;
}

export function buildApp({ engine }: AppOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/health', () => ({ status: 'ok' }));
  app.get('/ready', async (_req, reply) => {
    const ready = engine.driver.isReady() && !engine.calls.draining;
    return reply.code(ready ? 200 : 503).send({ ready, driver: engine.driver.name, draining: engine.calls.draining });
  });
  return app;
}
