/** Prometheus scrape endpoint. No key: labels are bounded and carry no caller data; bind HTTP to a private address. */
import type { FastifyPluginCallback } from 'fastify';
import type { Metrics } from '../../metrics/metrics.js';

export const metricsRoutes: FastifyPluginCallback<{ metrics: Metrics }> = (app, { metrics }, done) => {
  app.get('/metrics', { schema: { tags: ['metrics'], security: [], summary: 'Prometheus text exposition' } }, async (_request, reply) => {
    const text = await metrics.text();
    return reply.type(metrics.contentType()).send(text);
  });
  done();
};
