/** Schemas for the call records: list filters, the call as each role sees it, one call in detail. */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be an id (lower-case letters, digits, _ or -)');
const boolText = z.enum(['true', 'false']).transform((v) => v === 'true');

export const callFilterQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().describe('Calls whose INVITE arrived at or after this instant (ISO 8601).'),
  to: z.iso.datetime({ offset: true }).optional().describe('Calls whose INVITE arrived before this instant (ISO 8601).'),
  campaign: id.optional(),
  publisher: id.optional(),
  buyer: id.optional(),
  outcome: z.enum(['connected', 'not_qualified', 'abandoned_ivr', 'abandoned_routing', 'no_buyer', 'closed', 'error', 'interrupted']).optional(),
  billable: boolText.optional(),
});

export const callListQuery = callFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional().describe('`nextCursor` from the previous page.'),
});

export const callIdParams = z.strictObject({ callId: z.string().min(1).max(64) });

const ts = z.string().nullable();

export const callView = z.object({
  id: z.string(),
  campaignId: z.string().nullable(),
  did: z.string(),
  caller: z.string().describe('E.164; masked for publishers not allowed to see caller numbers.'),
  status: z.string(),
  phase: z.string(),
  outcome: z.string().nullable(),
  inviteAt: z.string(),
  answerAt: ts,
  ivrEndAt: ts,
  routingAt: ts,
  bridgeStartAt: ts,
  buyerAnswerAt: ts,
  endAt: ts,
  hangupSide: z.string().nullable(),
  hangupCause: z.string().nullable(),
  qualified: z.boolean().nullable(),
  duplicate: z.boolean(),
  talkMs: z.number().nullable(),
  billable: z.boolean(),
  billableReason: z.string().nullable(),
  // Buyer side (operators and buyers).
  buyerId: z.string().nullable().optional(),
  targetId: z.string().nullable().optional(),
  revenueCents: z.number().int().optional(),
  bidCents: z.number().int().nullable().optional(),
  // Publisher side (operators and publishers).
  publisherId: z.string().nullable().optional(),
  payable: z.boolean().optional(),
  payoutReason: z.string().nullable().optional(),
  payoutCents: z.number().int().optional(),
  // Operators only.
  costCents: z.number().int().optional(),
  marginCents: z.number().int().optional(),
  auctionId: z.string().nullable().optional(),
  sipCallId: z.string().optional(),
  driver: z.string().optional(),
  carrierId: z.string().nullable().optional(),
  configDigest: z.string().nullable().optional(),
});

export const callList = z.object({
  calls: z.array(callView),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
});

export const attemptView = z.object({
  seq: z.number().int(),
  buyerId: z.string(),
  targetId: z.string(),
  inviteAt: z.string(),
  ringAt: ts,
  answerAt: ts,
  endAt: ts,
  result: z.string().nullable(),
  sipCode: z.number().int().nullable(),
  reason: z.string().nullable(),
});

export const bidView = z.object({
  buyerId: z.string(),
  amountCents: z.number().int().nullable(),
  valid: z.boolean(),
  reason: z.string().nullable(),
  latencyMs: z.number().nullable(),
  rank: z.number().int().nullable(),
});

export const auctionView = z.object({
  id: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  bidders: z.number().int(),
  validBids: z.number().int(),
  winnerBuyerId: z.string().nullable(),
  winnerCents: z.number().int().nullable(),
  bids: z.array(bidView),
});

export const callDetail = z.object({
  call: callView,
  ivrAnswers: z.array(z.object({ step: z.string(), digits: z.string(), at: z.string() })),
  tags: z.record(z.string(), z.string()),
  attempts: z.array(attemptView),
  skips: z.array(z.object({ buyerId: z.string(), targetId: z.string(), reason: z.string() })),
  auctions: z.array(auctionView),
});
