/**
 * API keys: `Authorization: Bearer <key>` (or `X-Api-Key`). Keys live hashed (sha256) in the config file and in
 * the store; the presented key's hash is compared with every key's hash in constant time, without an early exit,
 * so neither timing nor the order of keys tells an attacker anything.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiRole } from '../store/api-keys.js';
import { ApiError } from './errors.js';

export interface Principal {
  keyId: string;
  role: ApiRole;
  /** The buyer or publisher the key is scoped to; null for operators. */
  party: string | null;
}

export interface KeyRecord {
  id: string;
  role: ApiRole;
  party: string | null;
  /** `sha256:<hex>`. */
  keyHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent = operator only. */
    roles?: readonly ApiRole[];
  }
}

export function hashKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** A new key: 32 random bytes, URL-safe, with a prefix so leaked keys are easy to spot in scanners. */
export function newKey(): string {
  return `cr_${randomBytes(32).toString('base64url')}`;
}

function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    return m?.[1];
  }
  const h = request.headers['x-api-key'];
  return typeof h === 'string' && h.length > 0 ? h : undefined;
}

/** Finds the key whose hash matches, touching every candidate the same way. */
export function matchKey(presented: string, keys: readonly KeyRecord[]): KeyRecord | undefined {
  const digest = Buffer.from(hashKey(presented).slice(7), 'hex');
  let found: KeyRecord | undefined;
  for (const k of keys) {
    const candidate = Buffer.from(k.keyHash.slice(7), 'hex');
    const equal = candidate.length === digest.length && timingSafeEqual(candidate, digest);
    if (equal && !found) found = k;
  }
  return found;
}

/** onRequest hook for the authenticated part of the API: 401 without a valid key, 403 for a role the route does not allow. */
export function authenticator(keys: () => readonly KeyRecord[]) {
  return (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const key = presentedKey(request);
    if (!key) return Promise.reject(new ApiError(401, 'unauthorized', 'missing API key: send "Authorization: Bearer <key>"'));
    const match = matchKey(key, keys());
    if (!match) return Promise.reject(new ApiError(401, 'unauthorized', 'invalid or revoked API key'));
    request.principal = { keyId: match.id, role: match.role, party: match.party };
    const allowed = request.routeOptions.config.roles ?? ['operator'];
    if (!allowed.includes(match.role)) {
      return Promise.reject(new ApiError(403, 'forbidden', `this endpoint needs a key with role ${allowed.join(' or ')}; yours is ${match.role}`));
    }
    return Promise.resolve();
  };
}

/** The authenticated principal (set by the hook; a route without it is a wiring bug). */
export function principalOf(request: FastifyRequest): Principal {
  const p = request.principal;
  if (!p) throw new Error('route reached without authentication');
  return p;
}
