import { describe, expect, it } from 'vitest';
import { effectiveTimeoutMs, judgeBid, rankBids, usableBids, type Bid } from '../../../src/core/distribution/auction.js';

const bidder = { buyerId: 'b1', floorCents: 500, priority: 1 };
const at = 1_700_000_000_000;
const ok = (body: unknown, status = 200) => ({ kind: 'response' as const, status, text: JSON.stringify(body), receivedAtMs: at });

describe('judging a bid', () => {
  it('accepts a valid bid with its destination, duration and expiry', () => {
    const v = judgeBid(bidder, ok({ bid_cents: 1200, expires_in_s: 30, destination: 'sips:q@x.example', min_duration_s: 60 }), at + 10);
    expect(v).toEqual({
      valid: true,
      bidderReason: null,
      bid: { buyerId: 'b1', priority: 1, amountCents: 1200, expiresAtMs: at + 30_000, destination: 'sips:q@x.example', minDurationS: 60 },
    });
  });

  it.each([
    ['late', { kind: 'late' as const }, 'late'],
    ['answer after the deadline', { ...ok({ bid_cents: 900, expires_in_s: 5 }), receivedAtMs: at + 11 }, 'late'],
    ['HTTP error', ok({}, 503), 'http_error'],
    ['not JSON', { kind: 'response' as const, status: 200, text: '<html>', receivedAtMs: at }, 'malformed'],
    ['negative bid', ok({ bid_cents: -1, expires_in_s: 5 }), 'malformed'],
    ['fractional cents', ok({ bid_cents: 10.5, expires_in_s: 5 }), 'malformed'],
    ['bad destination', ok({ bid_cents: 900, expires_in_s: 5, destination: 'tel:555' }), 'malformed'],
    ['no expiry', ok({ bid_cents: 900 }), 'no_expiry'],
    ['expired', ok({ bid_cents: 900, expires_in_s: 0 }), 'expired'],
    ['zero', ok({ bid_cents: 0, reason: 'capped' }), 'zero_bid'],
    ['below floor', ok({ bid_cents: 499, expires_in_s: 5 }), 'below_floor'],
  ])('ignores %s', (_name, result, reason) => {
    const v = judgeBid(bidder, result, at + 10);
    expect(v.valid).toBe(false);
    if (!v.valid) expect(v.reason).toBe(reason);
  });
});

describe('ranking', () => {
  const bid = (buyerId: string, amountCents: number, priority: number, expiresAtMs = at + 1000): Bid =>
    ({ buyerId, amountCents, priority, expiresAtMs, destination: null, minDurationS: null });

  it('highest first, ties by priority', () => {
    expect(rankBids([bid('a', 100, 2), bid('b', 300, 3), bid('c', 100, 1)]).map((b) => b.buyerId)).toEqual(['b', 'c', 'a']);
  });

  it('drops bids that expired before the call could use them', () => {
    expect(usableBids([bid('a', 100, 1, at), bid('b', 50, 1, at + 1)], at).map((b) => b.buyerId)).toEqual(['b']);
  });

  it('applies the default and floor timeouts', () => {
    expect(effectiveTimeoutMs(undefined)).toBe(2000);
    expect(effectiveTimeoutMs(10)).toBe(50);
    expect(effectiveTimeoutMs(3000, 1000)).toBe(1000);
  });
});
