/** The running config: what is loaded, validate a candidate without applying it, reload from its file. */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { loadConfigText } from '../../config/load.js';
import { audited, type RouteDeps } from '../context.js';
import { ApiError, errorResponses } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const issue = z.object({ path: z.string(), line: z.number().int(), column: z.number().int(), message: z.string() });

const summary = z.object({
  digest: z.string(),
  sourcePath: z.string(),
  campaigns: z.number().int(),
  publishers: z.number().int(),
  buyers: z.number().int(),
  dids: z.number().int(),
});

export const configRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const current = () => {
    const c = deps.engine.config();
    return { digest: c.digest, sourcePath: c.sourcePath, campaigns: c.campaigns.size, publishers: c.publishers.size, buyers: c.buyers.size, dids: c.dids.size };
  };

  app.get('/config', {
    schema: { tags: ['config'], summary: 'The config in force', response: { 200: summary, ...errorResponses } },
  }, current);

  app.post('/config/validate', {
    schema: {
      tags: ['config'],
      summary: 'Validate a config (YAML text) without applying it',
      body: z.strictObject({ yaml: z.string().min(1).max(5_000_000) }),
      response: { 200: z.object({ valid: z.boolean(), digest: z.string().nullable(), issues: z.array(issue) }), ...errorResponses },
    },
  }, (request) => {
    // Relative prompt paths resolve against the running config's directory, as they would after a reload.
    const r = loadConfigText(request.body.yaml, deps.engine.config().sourcePath);
    return r.ok ? { valid: true, digest: r.config.digest, issues: [] } : { valid: false, digest: null, issues: r.issues };
  });

  app.post('/config/reload', {
    schema: {
      tags: ['config'],
      summary: 'Reload the config file; the running config stays when the file is invalid (422)',
      body: z.strictObject({}).optional(),
      response: { 200: summary.extend({ previousDigest: z.string() }), 422: errorResponses[400], ...errorResponses },
    },
  }, (request) => {
    const before = deps.engine.config().digest;
    return audited(deps, request, () => {
      const r = deps.engine.reload();
      if (!r.ok) throw new ApiError(422, 'config_invalid', `config has ${r.issues.length} problem(s); the running config was kept`, r.issues);
      const after = current();
      return { action: 'reload', resource: 'config', resourceId: null, before: { digest: before }, after: { digest: after.digest }, result: { ...after, previousDigest: before } };
    });
  });
  done();
};
