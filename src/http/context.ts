/** What every route plugin gets: the engine, the admin repositories, the clock, and the audit helper. */
import type { FastifyRequest } from 'fastify';
import type { Engine } from '../engine.js';
import type { AdminRepos } from '../store/admin.js';
import { principalOf } from './auth.js';

export interface RouteDeps {
  engine: Engine;
  repos: AdminRepos;
  now: () => Date;
}

export interface Change<T> {
  action: string;
  resource: string;
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
  result: T;
}

/**
 * Runs a mutation and writes its audit row (who, what, when, before/after) in the same transaction.
 * `fn` returns the change it made, or `{result, noop: true}` when nothing changed (not audited).
 */
export function audited<T>(deps: RouteDeps, request: FastifyRequest, fn: () => Change<T> | { result: T; noop: true }): T {
  const who = principalOf(request);
  return deps.repos.audit.withAudit(() => {
    const c = fn();
    if ('noop' in c) return { result: c.result, entry: null };
    const entry = {
      at: deps.now().getTime(),
      actorKeyId: who.keyId,
      actorRole: who.role,
      action: c.action,
      resource: c.resource,
      resourceId: c.resourceId,
      before: c.before,
      after: c.after,
      requestId: request.id,
    };
    return { result: c.result, entry };
  });
}
