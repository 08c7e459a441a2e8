/** Campaigns: the DIDs a publisher drives calls to, and how their calls are screened, routed and priced. */
import { z } from 'zod';
import { cap, duplicatePolicy, e164, hours, id, timeZone } from './common.js';
import { webhook } from './webhook.js';

export const did = z.strictObject({ number: e164, publisher: id });

/** One routing entry: a buyer's target with its place in the distribution. */
export const route = z.strictObject({
  target: id,
  /** Lower number is tried first (1 = first). */
  priority: z.number().int().min(1).default(1),
  /** Relative weight within a priority level (weighted distribution). */
  weight: z.number().int().min(1).default(1),
});

export const closedAction = z.discriminatedUnion('action', [
  /** Play a message and hang up. */
  z.strictObject({ action: z.literal('message'), prompt: id }),
  /** Send the call to an after-hours target instead. */
  z.strictObject({ action: z.literal('route'), target: id }),
]);

export const campaign = z.strictObject({
  id,
  name: z.string().min(1),
  timezone: timeZone.default('UTC'),
  dids: z.array(did).min(1),
  distribution: z.enum(['priority', 'weighted', 'round_robin', 'ping_post']).default('priority'),
  routes: z.array(route).default([]),
  /** Buyers pinged when distribution is ping_post (their `bidding` block must be set). */
  bidders: z.array(id).default([]),
  ivr: id.optional(),
  /** Campaign open hours; absent = always open. */
  hours: hours.optional(),
  /** What to do with calls outside `hours`. Without it, closed-hours calls are rejected (480). */
  closed: closedAction.optional(),
  /** Buyers tried before giving up. */
  max_attempts: z.number().int().min(1).max(20).default(3),
  /** Seconds to let a buyer ring before moving on. */
  ring_timeout_s: z.number().int().min(5).max(120).default(20),
  /** Overall seconds spent trying buyers before giving up. */
  routing_timeout_s: z.number().int().min(5).max(600).default(90),
  /** Played when every buyer failed. */
  no_buyer_prompt: id.optional(),
  /** Played to the buyer before connecting. */
  whisper_prompt: id.optional(),
  duplicate: duplicatePolicy.optional(),
  caps: z.array(cap).default([]),
  concurrency: z.number().int().min(1).optional(),
  /** Event subscriptions (the operator's own trackers); see docs/webhooks.md. */
  webhooks: z.array(webhook).default([]),
});

export type Campaign = z.infer<typeof campaign>;
export type Route = z.infer<typeof route>;
