/** Carriers (inbound trunks), outbound trunks, publishers and buyers. */
import { z } from 'zod';
import { cap, cents, duplicatePolicy, duration, e164, geography, hours, id, timeZone } from './common.js';
import { webhook } from './webhook.js';

const cidr = z.string().regex(
  /^(\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-fA-F:]+(\/\d{1,3})?)$/,
  'must be an IPv4/IPv6 address or CIDR such as 203.0.113.0/24',
);

export const carrier = z.strictObject({
  id,
  name: z.string().min(1),
  /** Source addresses allowed to send INVITEs. Anything else is refused (403). */
  sources: z.array(cidr).min(1),
  /** What the carrier charges us per inbound minute, in cents (fractions allowed; a call's cost is rounded to a cent). */
  cost_per_minute_cents: z.number().min(0).default(0),
});

export const trunk = z.strictObject({
  id,
  /** Next hop, `host` or `host:port`. */
  host: z.string().min(1),
  transport: z.enum(['udp', 'tcp']).default('udp'),
  username: z.string().optional(),
  /** Use `${ENV_VAR}` to keep the secret out of the file. */
  password: z.string().optional(),
  cost_per_minute_cents: z.number().min(0).default(0),
  /** Prefix for the dialled number, e.g. `+` kept or stripped. */
  strip_plus: z.boolean().default(false),
});

export const payout = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed'), amount_cents: cents }),
  z.strictObject({ type: z.literal('percent'), percent: z.number().min(0).max(100) }),
]);

export const publisher = z.strictObject({
  id,
  name: z.string().min(1),
  timezone: timeZone.default('UTC'),
  payout,
  /** Talk time (s, after the buyer answers) the call needs for the publisher to be paid. */
  min_duration_s: z.number().int().min(0).default(0),
  duplicate: duplicatePolicy.optional(),
  caps: z.array(cap).default([]),
  concurrency: z.number().int().min(1).optional(),
  /** May see raw caller numbers in its reports and webhooks. */
  can_see_caller: z.boolean().default(false),
  /** Postbacks for this publisher's calls; see docs/webhooks.md. */
  webhooks: z.array(webhook).default([]),
});

/** Where a target's calls go: a SIP URI, or an E.164 number through an outbound trunk. */
const destination = z.union([
  z.strictObject({ sip: z.string().regex(/^sips?:[^\s]+$/, 'must be a SIP URI such as sip:intake@203.0.113.7:5060') }),
  z.strictObject({ number: e164, trunk: id }),
]);

export const target = z.strictObject({
  id,
  name: z.string().optional(),
  destination,
  /** Overrides the buyer's price for calls sent to this target. */
  price_cents: cents.optional(),
  caps: z.array(cap).default([]),
  concurrency: z.number().int().min(1).optional(),
  hours: hours.optional(),
  paused: z.boolean().default(false),
});

export const bidding = z.strictObject({
  /** Ping endpoint (HTTP POST, JSON). */
  url: z.url(),
  /** HMAC-SHA256 key for the signature header. `${ENV_VAR}` recommended. */
  secret: z.string().min(16, 'must be at least 16 characters'),
  timeout_ms: z.number().int().min(50).max(10_000).default(2000),
  /** Bids below this are ignored. */
  floor_cents: cents.default(0),
  /** May receive the raw caller number in pings (otherwise an HMAC of it). */
  can_see_caller: z.boolean().default(false),
});

/** Pause a buyer automatically when it leaves calls unanswered (rings out), e.g. 5 within 10m -> paused 30m. */
export const autoPause = z.strictObject({
  /** Unanswered attempts (ring timeout) that trigger the pause. */
  unanswered: z.number().int().min(1).max(1000),
  /** Counting window, e.g. `10m`. */
  window: duration,
  /** How long the pause lasts, e.g. `30m`; an operator may resume earlier. */
  pause_for: duration,
});

export const buyer = z.strictObject({
  id,
  name: z.string().min(1),
  timezone: timeZone.default('UTC'),
  /** Revenue per billable call (a target may override; a winning bid replaces it). */
  price_cents: cents.default(0),
  /** `duration`: pays when talk time >= min_duration_s; `conversion`: pays only on a reported conversion. */
  pricing: z.enum(['duration', 'conversion']).default('duration'),
  /** Talk time (s, after the buyer answers) the call needs to be billable. */
  min_duration_s: z.number().int().min(0).default(0),
  hours: hours.optional(),
  caps: z.array(cap).default([]),
  concurrency: z.number().int().min(1).optional(),
  duplicate: duplicatePolicy.optional(),
  geography: geography.optional(),
  /** IVR tags the call must carry, e.g. `{age_65_plus: "yes"}`. */
  required_tags: z.record(z.string(), z.string()).default({}),
  paused: z.boolean().default(false),
  auto_pause: autoPause.optional(),
  /** Days after the call during which the buyer may dispute it. */
  dispute_window_days: z.number().int().min(0).default(7),
  /** Real-time bidding: present for buyers that take part in ping-post auctions. */
  bidding: bidding.optional(),
  targets: z.array(target).min(1),
  /** Events for calls connected to this buyer; see docs/webhooks.md. */
  webhooks: z.array(webhook).default([]),
});

export type Carrier = z.infer<typeof carrier>;
export type Trunk = z.infer<typeof trunk>;
export type Publisher = z.infer<typeof publisher>;
export type Buyer = z.infer<typeof buyer>;
export type Target = z.infer<typeof target>;
export type Bidding = z.infer<typeof bidding>;
export type AutoPause = z.infer<typeof autoPause>;
export type Payout = z.infer<typeof payout>;
