/** API keys issued at runtime: create (the key is shown once), list (hashes never leave), revoke. */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import type { ApiKeyRow } from '../../store/api-keys.js';
import { hashKey, newKey, principalOf } from '../auth.js';
import { audited, type RouteDeps } from '../context.js';
import { ApiError, errorResponses, notFound } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const keyView = z.object({
  id: z.string(),
  role: z.enum(['operator', 'buyer', 'publisher']),
  party: z.string().nullable(),
  label: z.string().nullable(),
  source: z.enum(['api', 'config']),
  createdAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const view = (k: ApiKeyRow) => ({
  id: k.id,
  role: k.role,
  party: k.party,
  label: k.label,
  source: 'api' as const,
  createdAt: new Date(k.created_at).toISOString(),
  revokedAt: k.revoked_at === null ? null : new Date(k.revoked_at).toISOString(),
});

const createBody = z
  .strictObject({
    role: z.enum(['operator', 'buyer', 'publisher']),
    party: z.string().min(1).max(64).optional(),
    label: z.string().max(200).optional(),
  })
  .refine((b) => (b.role === 'operator') === (b.party === undefined), {
    message: 'buyer and publisher keys need "party" (the buyer or publisher id); operator keys must not have one',
    path: ['party'],
  });

export const apiKeyRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const repo = deps.repos.apiKeys;

  app.get('/api-keys', {
    schema: { tags: ['api-keys'], summary: 'Every key (config and API); never the key or its hash', response: { 200: z.object({ keys: z.array(keyView) }), ...errorResponses } },
  }, () => {
    const fromConfig = deps.engine.config().raw.api_keys.map((k) => ({
      id: k.id, role: k.role, party: k.party ?? null, label: null, source: 'config' as const, createdAt: null, revokedAt: null,
    }));
    return { keys: [...fromConfig, ...repo.list().map(view)] };
  });

  app.post('/api-keys', {
    schema: {
      tags: ['api-keys'],
      summary: 'Issue a key; the response is the only time the key is shown',
      body: createBody,
      response: { 201: keyView.extend({ key: z.string() }), ...errorResponses },
    },
  }, (request, reply) => {
    const { role, party, label } = request.body;
    const config = deps.engine.config();
    if (party !== undefined && !(role === 'buyer' ? config.buyers : config.publishers).has(party)) {
      throw new ApiError(400, 'invalid_request', `party: no ${role} "${party}" in the config`);
    }
    const key = newKey();
    const row: ApiKeyRow = {
      id: `key_${randomUUID()}`, role, party: party ?? null, key_hash: hashKey(key), label: label ?? null,
      created_at: deps.now().getTime(), created_by: principalOf(request).keyId, revoked_at: null,
    };
    const created = audited(deps, request, () => {
      repo.insert(row);
      return { action: 'create', resource: 'api_key', resourceId: row.id, after: view(row), result: { ...view(row), key } };
    });
    return reply.code(201).send(created);
  });

  app.delete('/api-keys/:keyId', {
    schema: {
      tags: ['api-keys'],
      summary: 'Revoke an API-issued key (config keys are removed by editing the config)',
      params: z.strictObject({ keyId: z.string().min(1).max(100) }),
      response: { 200: keyView, ...errorResponses },
    },
  }, (request) => {
    const id = request.params.keyId;
    if (deps.engine.config().raw.api_keys.some((k) => k.id === id)) {
      throw new ApiError(409, 'conflict', 'this key is defined in the config file; remove it there and reload');
    }
    return audited(deps, request, () => {
      const before = repo.get(id);
      if (!before || !repo.revoke(id, deps.now().getTime())) throw notFound(`active key ${id}`);
      const after = view(repo.get(id)!);
      return { action: 'revoke', resource: 'api_key', resourceId: id, before: view(before), after, result: after };
    });
  });
  done();
};
