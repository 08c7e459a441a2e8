/**
 * Webhook (postback) subscriptions: on a campaign, a buyer or a publisher. Each names the call events it wants,
 * where to send them, and optional templates for the body and query string (see docs/webhooks.md).
 */
import { z } from 'zod';
import { id } from './common.js';

export const WEBHOOK_EVENTS = [
  'call.started',
  'call.qualified',
  'call.routed',
  'call.connected',
  'call.ended',
  'call.billable',
  'payout.earned',
  'call.converted',
  'call.disputed',
] as const;

export const webhookEvent = z.enum(WEBHOOK_EVENTS);

export const webhook = z.strictObject({
  id,
  events: z.array(webhookEvent).min(1),
  /** Receiver URL (http or https). Query parameters from `query` are appended to any already in it. */
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
  /** Body template; absent = the standard JSON event document. Ignored for GET. */
  body: z.string().optional(),
  /** Content-Type header for a templated body. */
  content_type: z.string().min(1).default('application/json'),
  /** Query parameter name -> template; values are URL-encoded after rendering. */
  query: z.record(z.string().min(1), z.string()).default({}),
  /** HMAC-SHA256 key for the signature header. `${ENV_VAR}` recommended. */
  secret: z.string().min(16, 'must be at least 16 characters'),
  /** Milliseconds to wait for the receiver's answer. */
  timeout_ms: z.number().int().min(100).max(60_000).default(10_000),
  /** Tries before the delivery is dead-lettered (the first try counts). */
  max_attempts: z.number().int().min(1).max(30).default(10),
});

export type WebhookEvent = z.infer<typeof webhookEvent>;
export type Webhook = z.infer<typeof webhook>;
