/**
 * Dashboard-only reads, beside the admin API and behind the same keys: who the key belongs to (the SPA picks the
 * role's views from it), the buyers board, and call recordings.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { principalOf } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses, notFound } from '../errors.js';
import { canSeeCall } from '../views.js';
import type { ZodTypeProvider } from '../zod.js';
import { dashboardBillingRoutes } from './dashboard-billing.js';
import { dashboardBuyerRoutes } from './dashboard-buyers.js';

export interface DashboardApiOptions {
  deps: RouteDeps;
  recordingsDir?: string | undefined;
}

const ALL_ROLES = ['operator', 'buyer', 'publisher'] as const;

const me = z.object({
  keyId: z.string(),
  role: z.enum(ALL_ROLES),
  party: z.string().nullable(),
  partyName: z.string().nullable(),
  disputeWindowDays: z.number().int().optional(),
  canSeeCaller: z.boolean().optional(),
});

/** The file the embedded driver writes for a call (named after the SIP Call-ID, unsafe characters replaced). */
export function recordingFile(dir: string, sipCallId: string): string {
  return join(dir, `${sipCallId.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`);
}

export const dashboardApiRoutes: FastifyPluginAsync<DashboardApiOptions> = async (instance, opts) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { deps } = opts;

  app.get('/me', {
    config: { roles: ALL_ROLES },
    schema: { tags: ['dashboard'], summary: 'The signed-in key: role and party', response: { 200: me, ...errorResponses } },
  }, (request) => {
    const p = principalOf(request);
    const config = deps.engine.config();
    if (p.role === 'buyer') {
      const b = p.party === null ? undefined : config.buyers.get(p.party);
      return { keyId: p.keyId, role: p.role, party: p.party, partyName: b?.name ?? null, disputeWindowDays: b?.dispute_window_days ?? 0 };
    }
    if (p.role === 'publisher') {
      const pub = p.party === null ? undefined : config.publishers.get(p.party);
      return { keyId: p.keyId, role: p.role, party: p.party, partyName: pub?.name ?? null, canSeeCaller: pub?.can_see_caller ?? false };
    }
    return { keyId: p.keyId, role: p.role, party: null, partyName: null };
  });

  // Publishers never get the recording: it carries the caller's voice and the buyer's side of the call.
  app.get('/calls/:callId/recording', {
    config: { roles: ['operator', 'buyer'] },
    schema: { tags: ['dashboard'], summary: 'The call recording (WAV), when the engine recorded it', params: z.strictObject({ callId: z.string().min(1).max(64) }) },
  }, (request, reply) => {
    const p = principalOf(request);
    const row = deps.engine.store.calls.get(request.params.callId);
    if (!row || !canSeeCall(p, row)) throw notFound(`call ${request.params.callId}`);
    const file = opts.recordingsDir ? recordingFile(opts.recordingsDir, row.sip_call_id) : undefined;
    if (!file || !existsSync(file)) throw notFound(`recording of call ${row.id}`);
    return reply
      .type('audio/wav')
      .header('content-length', statSync(file).size)
      .header('cache-control', 'private, no-store')
      .send(createReadStream(file));
  });

  await app.register(dashboardBuyerRoutes, deps);
  await app.register(dashboardBillingRoutes, deps);
};
