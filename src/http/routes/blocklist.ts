/** The persisted caller blocklist (admission refuses these numbers with 603, alongside the config's list). */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { normaliseNumber } from '../../calls/admission.js';
import { e164 } from '../../config/schema/common.js';
import { principalOf } from '../auth.js';
import { audited, type RouteDeps } from '../context.js';
import { ApiError, errorResponses, notFound } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const entry = z.object({ number: z.string(), reason: z.string(), createdAt: z.string(), createdBy: z.string(), source: z.enum(['api', 'config']) });

const view = (r: { number: string; reason: string; created_at: number; created_by: string }) => ({
  number: r.number,
  reason: r.reason,
  createdAt: new Date(r.created_at).toISOString(),
  createdBy: r.created_by,
  source: 'api' as const,
});

export const blocklistRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const repo = deps.repos.blocklist;

  app.get('/blocklist', {
    schema: {
      tags: ['blocklist'],
      summary: 'Blocked caller numbers (API-managed, then the config file\'s)',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200), after: z.string().max(20).optional() }),
      response: { 200: z.object({ numbers: z.array(entry), configNumbers: z.array(z.string()) }), ...errorResponses },
    },
  }, (request) => ({
    numbers: repo.list({ limit: request.query.limit, ...(request.query.after ? { after: request.query.after } : {}) }).map(view),
    configNumbers: [...deps.engine.config().blockedNumbers],
  }));

  app.post('/blocklist', {
    schema: {
      tags: ['blocklist'],
      summary: 'Block a caller number',
      body: z.strictObject({ number: e164, reason: z.string().min(1).max(200) }),
      response: { 201: entry, 409: errorResponses[400], ...errorResponses },
    },
  }, (request, reply) => {
    const who = principalOf(request);
    const row = { number: normaliseNumber(request.body.number), reason: request.body.reason, created_at: deps.now().getTime(), created_by: who.keyId };
    const created = audited(deps, request, () => {
      if (!repo.add(row)) throw new ApiError(409, 'conflict', 'number is already blocked');
      return { action: 'create', resource: 'blocklist', resourceId: row.number, after: row, result: view(row) };
    });
    return reply.code(201).send(created);
  });

  app.delete('/blocklist/:number', {
    schema: {
      tags: ['blocklist'],
      summary: 'Unblock a caller number',
      params: z.strictObject({ number: e164 }),
      response: { 200: z.object({ removed: entry }), ...errorResponses },
    },
  }, (request) => {
    const number = request.params.number;
    return audited(deps, request, () => {
      const before = repo.get(number);
      if (!before || !repo.remove(number)) throw notFound('blocked number');
      return { action: 'delete', resource: 'blocklist', resourceId: number, before, result: { removed: view(before) } };
    });
  });
  done();
};
