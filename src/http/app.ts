/**
 * The HTTP edge, built as a fastify instance without listening (only main.ts listens): health, metrics,
 * OpenAPI docs at /docs, and the admin API behind API keys. One plugin per resource under routes/.
 */
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Engine } from '../engine.js';
import { Metrics } from '../metrics/metrics.js';
import { adminRepos } from '../store/admin.js';
import { authenticator, type KeyRecord } from './auth.js';
import type { RouteDeps } from './context.js';
import { dashboard } from './dashboard.js';
import { installErrorHandling } from './errors.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { blocklistRoutes } from './routes/blocklist.js';
import { buyerRoutes } from './routes/buyers.js';
import { callsRoutes } from './routes/calls.js';
import { configRoutes } from './routes/config.js';
import { conversionRoutes } from './routes/conversions.js';
import { disputeRoutes } from './routes/disputes.js';
import { exportRoutes } from './routes/export.js';
import { healthRoutes } from './routes/health.js';
import { inboundBidRoutes } from './routes/inbound-bid.js';
import { liveRoutes } from './routes/live.js';
import { metricsRoutes } from './routes/metrics.js';
import { reportRoutes } from './routes/reports.js';
import { webhookRoutes } from './routes/webhooks.js';
import { openApiTransform, serializerCompiler, validatorCompiler } from './zod.js';

export interface AppOptions {
  engine: Engine;
  /** The registry /metrics serves; a fresh one (process metrics only) when absent. */
  metrics?: Metrics;
  /** Defaults to the engine's logger. */
  logger?: Logger;
  /** Clock for audit rows and pauses; injected in tests. */
  now?: () => Date;
  /** settings.recordingsDir: the dashboard offers a call's recording when the file is there. */
  recordingsDir?: string | undefined;
}

/** Keys from the config (re-read on every request, so a reload applies at once) and from the store. */
function keySource(deps: RouteDeps): () => KeyRecord[] {
  return () => [
    ...deps.engine.config().raw.api_keys.map((k) => ({ id: k.id, role: k.role, party: k.party ?? null, keyHash: k.key_hash })),
    ...deps.repos.apiKeys.active().map((k) => ({ id: k.id, role: k.role, party: k.party, keyHash: k.key_hash })),
  ];
}

export function buildApp(opts: AppOptions): FastifyInstance {
  const { engine } = opts;
  const deps: RouteDeps = { engine, repos: adminRepos(engine.store.db), now: opts.now ?? (() => new Date()) };
  const logger: FastifyBaseLogger = (opts.logger ?? engine.logger).child({ component: 'http' });
  const app = Fastify({
    loggerInstance: logger,
    // Fastify's own request logs print raw URLs, which can hold phone numbers (/blocklist/+1…); ours below do not.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: 6 * 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });

  void app.register(swagger, {
    openapi: {
      info: { title: 'callroute admin API', version: '1' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: openApiTransform,
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });
  void app.register(healthRoutes, deps);
  void app.register(metricsRoutes, { metrics: opts.metrics ?? new Metrics() });
  void app.register(dashboard, { deps, auth: authenticator(keySource(deps)), recordingsDir: opts.recordingsDir });
  void app.register((api, _opts, done) => {
    api.addHook('onRequest', authenticator(keySource(deps)));
    for (const routes of [callsRoutes, exportRoutes, liveRoutes, reportRoutes, configRoutes, blocklistRoutes, buyerRoutes, conversionRoutes, disputeRoutes, inboundBidRoutes, webhookRoutes, apiKeyRoutes, auditRoutes]) {
      void api.register(routes, deps);
    }
    done();
  });
  return app;
}
