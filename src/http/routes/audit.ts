/** The audit trail, read-only: there is no route that edits or deletes it (and triggers refuse it in SQLite). */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../context.js';
import { errorResponses } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

const row = z.object({
  id: z.number().int(),
  at: z.string(),
  actorKeyId: z.string(),
  actorRole: z.string(),
  action: z.string(),
  resource: z.string(),
  resourceId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});

export const auditRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get('/audit', {
    schema: {
      tags: ['audit'],
      summary: 'Audit rows, newest first',
      querystring: z.strictObject({
        limit: z.coerce.number().int().min(1).max(500).default(100),
        before: z.coerce.number().int().min(1).optional().describe('Return rows with a smaller id (the last id of the previous page).'),
        resource: z.string().max(64).optional(),
      }),
      response: { 200: z.object({ entries: z.array(row) }), ...errorResponses },
    },
  }, (request) => {
    const q = request.query;
    const rows = deps.repos.audit.list({ limit: q.limit, ...(q.before ? { beforeId: q.before } : {}), ...(q.resource ? { resource: q.resource } : {}) });
    return {
      entries: rows.map((r) => ({
        id: r.id, at: new Date(r.at).toISOString(), actorKeyId: r.actor_key_id, actorRole: r.actor_role, action: r.action,
        resource: r.resource, resourceId: r.resource_id, before: parse(r.before_json), after: parse(r.after_json), requestId: r.request_id,
      })),
    };
  });
  done();
};
