/**
 * The publisher-facing bid endpoint (inbound ping-post): a publisher asks what we pay for a caller; we answer a
 * bid, its expiry and the DID to send the call to, and hold a slot on the chosen target until then. The
 * reservation row is the record of the bid (no audit row: this is traffic, not administration).
 */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { e164 } from '../../config/schema/common.js';
import { answerInboundBid } from '../../rtb/inbound.js';
import { principalOf } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { ApiError, errorResponses } from '../errors.js';
import type { ZodTypeProvider } from '../zod.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be an id');

const body = z.strictObject({
  caller: e164.describe('The caller number (E.164); the call must come from it to be paid at the bid.'),
  campaignId: id.optional(),
  /** Operators only: bid on behalf of this publisher. */
  publisherId: id.optional(),
  tags: z.record(z.string().max(64), z.string().max(256)).optional().describe('Caller data such as zip or age_65_plus.'),
});

const answer = z.object({
  bid: z.boolean(),
  bidCents: z.number().int(),
  reservationId: z.string().optional(),
  did: z.string().optional(),
  expiresAt: z.string().optional(),
  expiresInS: z.number().int().optional(),
  reason: z.string().optional(),
});

export const inboundBidRoutes: FastifyPluginCallback<RouteDeps> = (instance, deps, done) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.post('/rtb/bid', {
    config: { roles: ['publisher', 'operator'] },
    schema: { tags: ['rtb'], summary: 'Ask for a bid on a caller before sending the call', body, response: { 200: answer, ...errorResponses } },
  }, (request) => {
    const p = principalOf(request);
    const { caller, campaignId, tags } = request.body;
    if (p.role === 'publisher' && request.body.publisherId !== undefined && request.body.publisherId !== p.party) {
      throw new ApiError(403, 'forbidden', 'a publisher key bids only for its own publisher');
    }
    const publisherId = p.role === 'publisher' ? p.party : request.body.publisherId;
    if (!publisherId) throw new ApiError(400, 'invalid_request', 'publisherId: required with an operator key');
    const r = answerInboundBid(
      { config: deps.engine.config(), reservations: deps.repos.reservations, pauses: deps.repos.pauses, now: deps.now() },
      { publisherId, caller, ...(campaignId ? { campaignId } : {}), ...(tags ? { tags } : {}) },
    );
    return r.bid ? { ...r, expiresAt: r.expiresAt.toISOString() } : r;
  });
  done();
};
