/**
 * Ping-post auction rules, pure: what a bidder's answer means, which bids count, who wins.
 * The HTTP side (src/rtb) turns each ping into a `PingResult`; everything after that is decided here.
 *
 * Bid response body (JSON object):
 * - `bid_cents` integer >= 0 (0 = no bid; `reason` says why)
 * - `expires_in_s` seconds the bid stays good, or `expires_at` (ISO 8601); required for a non-zero bid
 * - `destination` optional SIP URI (`sip:`/`sips:`) or E.164 number; absent = the buyer's configured target
 * - `min_duration_s` optional talk time the buyer requires for the call to be billable
 * - `reason` optional short text
 */
import { z } from 'zod';

const bidBody = z.object({
  bid_cents: z.number().int().min(0),
  expires_in_s: z.number().optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  destination: z
    .string()
    .regex(/^(sips?:[^\s]+|\+[1-9][0-9]{6,14})$/)
    .optional(),
  min_duration_s: z.number().int().min(0).max(86_400).optional(),
  reason: z.string().max(200).optional(),
});

/** What came back from one bidder, as the HTTP layer saw it. Times are epoch ms. */
export type PingResult =
  | { kind: 'response'; status: number; text: string; receivedAtMs: number }
  | { kind: 'late' }
  | { kind: 'transport_error'; detail: string };

export type RejectReason =
  | 'late'
  | 'transport_error'
  | 'http_error'
  | 'malformed'
  | 'no_expiry'
  | 'expired'
  | 'zero_bid'
  | 'below_floor';

export interface BidderInfo {
  buyerId: string;
  floorCents: number;
  /** Tie-break: lower wins (1 = first). */
  priority: number;
}

export interface Bid {
  buyerId: string;
  priority: number;
  amountCents: number;
  expiresAtMs: number;
  destination: string | null;
  minDurationS: number | null;
}

export type BidVerdict =
  | { valid: true; bid: Bid; bidderReason: string | null }
  | { valid: false; reason: RejectReason; detail: string | null; amountCents: number | null };

/** Judge one bidder's answer. `deadlineMs` is when that bidder's time was up. */
export function judgeBid(bidder: BidderInfo, result: PingResult, deadlineMs: number): BidVerdict {
  if (result.kind === 'late') return reject('late', null);
  if (result.kind === 'transport_error') return reject('transport_error', result.detail);
  if (result.receivedAtMs > deadlineMs) return reject('late', null);
  if (result.status < 200 || result.status > 299) return reject('http_error', `HTTP ${result.status}`);
  const parsed = parseBody(result.text);
  if (!parsed.ok) return reject('malformed', parsed.detail);
  const body = parsed.body;
  const detail = body.reason ?? null;
  if (body.bid_cents === 0) return reject('zero_bid', detail, 0);
  if (body.bid_cents < bidder.floorCents) return reject('below_floor', `floor ${bidder.floorCents}`, body.bid_cents);
  const expiresAtMs = expiry(body, result.receivedAtMs);
  if (expiresAtMs === null) return reject('no_expiry', null, body.bid_cents);
  if (expiresAtMs <= result.receivedAtMs) return reject('expired', null, body.bid_cents);
  const bid: Bid = {
    buyerId: bidder.buyerId,
    priority: bidder.priority,
    amountCents: body.bid_cents,
    expiresAtMs,
    destination: body.destination ?? null,
    minDurationS: body.min_duration_s ?? null,
  };
  return { valid: true, bid, bidderReason: detail };
}

function reject(reason: RejectReason, detail: string | null, amountCents: number | null = null): BidVerdict {
  return { valid: false, reason, detail, amountCents };
}

function parseBody(text: string): { ok: true; body: z.infer<typeof bidBody> } | { ok: false; detail: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'not JSON' };
  }
  const r = bidBody.safeParse(json);
  if (r.success) return { ok: true, body: r.data };
  const first = r.error.issues[0];
  return { ok: false, detail: first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'invalid' };
}

function expiry(body: z.infer<typeof bidBody>, receivedAtMs: number): number | null {
  if (body.expires_at !== undefined) return Date.parse(body.expires_at);
  if (body.expires_in_s !== undefined) return receivedAtMs + body.expires_in_s * 1000;
  return null;
}

/** Highest amount first; equal amounts by priority, then by bidder order (stable). */
export function rankBids(bids: readonly Bid[]): Bid[] {
  return [...bids].sort((a, b) => b.amountCents - a.amountCents || a.priority - b.priority);
}

/** Bids still good at `nowMs`, best first: the winner, then the fallbacks if the winner fails. */
export function usableBids(ranked: readonly Bid[], nowMs: number): Bid[] {
  return ranked.filter((b) => b.expiresAtMs > nowMs);
}

/** Per-bidder timeout: the configured one (default 2000 ms), never under the 50 ms floor, never past a cap. */
export const DEFAULT_BID_TIMEOUT_MS = 2000;
export const MIN_BID_TIMEOUT_MS = 50;
export function effectiveTimeoutMs(configured: number | undefined, capMs?: number): number {
  const t = Math.max(MIN_BID_TIMEOUT_MS, configured ?? DEFAULT_BID_TIMEOUT_MS);
  return capMs === undefined ? t : Math.max(MIN_BID_TIMEOUT_MS, Math.min(t, capMs));
}
