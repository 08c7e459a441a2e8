import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BidderClient } from '../../../src/rtb/client.js';
import { runAuction, type AuctionBidder, type AuctionOutcome } from '../../../src/rtb/auction.js';
import { callerHash, verify } from '../../../src/rtb/sign.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { AuctionRepository } from '../../../src/store/auctions.js';
import { after, json, startBidder, type TestBidder } from './bidders.js';

// Generous: the machine running the suites may be loaded, and a healthy bidder must not look late.
const TIMEOUT_MS = 1000;
const SECRET = 'bidder-secret-0123456789';
const HASH_KEY = 'hash-key-0123456789abcdef';
const CALLER = '+14155550123';

describe('outbound ping-post auction against real HTTP bidders', () => {
  const bidders: Record<string, TestBidder> = {};
  const client = new BidderClient();
  let dir: string;
  let store: Store;
  let outcome: AuctionOutcome;

  beforeAll(async () => {
    const good = { expires_in_s: 60 };
    bidders.fast = await startBidder((_r, res) =>
      json(res, 200, { ...good, bid_cents: 1500, destination: 'sip:intake@127.0.0.1:5099', min_duration_s: 90 }),
    );
    bidders.tie = await startBidder((_r, res) => json(res, 200, { ...good, bid_cents: 1500, destination: '+14155550999' }));
    bidders.slow = await startBidder(after(TIMEOUT_MS + 2000, (_r, res) => json(res, 200, { ...good, bid_cents: 9999 })));
    bidders.failing = await startBidder((_r, res) => json(res, 500, { error: 'boom' }));
    bidders.malformed = await startBidder((_r, res) => json(res, 200, '{"bid_cents": 12'));
    bidders.expired = await startBidder((_r, res) => json(res, 200, { bid_cents: 5000, expires_at: '2020-01-01T00:00:00Z' }));
    bidders.zero = await startBidder((_r, res) => json(res, 200, { bid_cents: 0, reason: 'outside service area' }));
    bidders.cheap = await startBidder((_r, res) => json(res, 200, { ...good, bid_cents: 99 }));
    bidders.second = await startBidder((_r, res) => json(res, 200, { ...good, bid_cents: 1200 }));
    dir = mkdtempSync(join(tmpdir(), 'rtb-auction-'));
    store = openStore(join(dir, 'db.sqlite'));

    const list: AuctionBidder[] = Object.entries(bidders).map(([name, b], i) => ({
      buyerId: name,
      url: b.url,
      secret: SECRET,
      timeoutMs: TIMEOUT_MS,
      floorCents: name === 'cheap' ? 100 : 0,
      // `tie` is listed after `fast` but outranks it: ties go by priority, not arrival or list order.
      priority: name === 'tie' ? 1 : i + 2,
      canSeeCaller: name === 'fast',
    }));
    list.push({ buyerId: 'refused', url: 'http://127.0.0.1:1/ping', secret: SECRET, timeoutMs: TIMEOUT_MS, floorCents: 0, priority: 99, canSeeCaller: false });
    outcome = await runAuction(client, {
      pingId: 'ping-1',
      callId: null,
      campaignId: 'medicare',
      caller: { number: CALLER, areaCode: '415', state: 'CA', zip: '94110' },
      tags: { age_65_plus: 'yes' },
      hashKey: HASH_KEY,
      bidders: list,
    });
    new AuctionRepository(store.db).insert(outcome.record);
  });

  afterAll(async () => {
    await client.close();
    await Promise.all(Object.values(bidders).map((b) => b.close()));
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bid = (name: string) => outcome.record.bids.find((b) => b.buyerId === name)!;

  it('picks the highest valid bid, breaking the tie by priority, and keeps the rest as fallbacks', () => {
    expect(outcome.winner).toMatchObject({ buyerId: 'tie', amountCents: 1500, destination: '+14155550999' });
    expect(outcome.ranked.map((b) => b.buyerId)).toEqual(['tie', 'fast', 'second']);
    expect(outcome.ranked[1]).toMatchObject({ destination: 'sip:intake@127.0.0.1:5099', minDurationS: 90 });
  });

  it('ignores late, failing, malformed, expired, zero, below-floor and unreachable bidders with a reason', () => {
    expect(bid('slow')).toMatchObject({ valid: false, reason: 'late' });
    expect(bid('failing')).toMatchObject({ valid: false, reason: 'http_error', httpStatus: 500 });
    expect(bid('malformed')).toMatchObject({ valid: false, reason: 'malformed', detail: 'not JSON' });
    expect(bid('expired')).toMatchObject({ valid: false, reason: 'expired', amountCents: 5000 });
    expect(bid('zero')).toMatchObject({ valid: false, reason: 'zero_bid', detail: 'outside service area' });
    expect(bid('cheap')).toMatchObject({ valid: false, reason: 'below_floor', amountCents: 99 });
    expect(bid('refused')).toMatchObject({ valid: false, reason: 'transport_error' });
  });

  it('ends at the deadline, not when the slow bidder answers', () => {
    // A correctness guard with generous slack (the bench measures the real overhead).
    expect(outcome.record.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(outcome.record.durationMs).toBeLessThan(TIMEOUT_MS + 250);
    expect(bid('slow').latencyMs).toBeLessThan(TIMEOUT_MS + 250);
  });

  it('signs every ping and sends the raw number only to a bidder allowed to see it', () => {
    for (const [name, b] of Object.entries(bidders)) {
      const r = b.received[0]!;
      const sig = { signature: r.headers['x-callroute-signature'] as string, timestamp: r.headers['x-callroute-timestamp'] as string };
      expect(verify(SECRET, sig, r.body, Date.now())).toBe(true);
      expect(verify('wrong-secret-0123456789', sig, r.body, Date.now())).toBe(false);
      const body = JSON.parse(r.body);
      expect(body).toMatchObject({ ping_id: 'ping-1', campaign: 'medicare', tags: { age_65_plus: 'yes' } });
      expect(body.caller).toMatchObject({ area_code: '415', state: 'CA', zip: '94110', number_hash: callerHash(HASH_KEY, CALLER) });
      if (name === 'fast') expect(body.caller.number).toBe(CALLER);
      else expect(r.body).not.toContain('5550123');
    }
  });

  it('stores the auction with every bid, latency, reason and rank', () => {
    const saved = new AuctionRepository(store.db).get('ping-1')!;
    expect(saved.auction).toMatchObject({ campaign_id: 'medicare', bidders: 10, valid_bids: 3, winner_buyer_id: 'tie', winner_cents: 1500 });
    expect(saved.bids.slice(0, 3).map((b) => [b.buyer_id, b.rank])).toEqual([['tie', 1], ['fast', 2], ['second', 3]]);
    const zero = saved.bids.find((b) => b.buyer_id === 'zero')!;
    expect(zero).toMatchObject({ valid: 0, reason: 'zero_bid', detail: 'outside service area', rank: null });
    for (const b of saved.bids) expect(b.latency_ms).toEqual(expect.any(Number));
  });

  it('reuses keep-alive connections across auctions', async () => {
    const b = bidders.second!;
    const sockets = new Set<number | undefined>([b.received[0]!.remotePort]);
    for (let i = 0; i < 10; i++) {
      await runAuction(client, {
        pingId: `ka-${i}`, callId: null, campaignId: 'medicare',
        caller: { number: CALLER, areaCode: '415', state: null, zip: null }, tags: {}, hashKey: HASH_KEY,
        bidders: [{ buyerId: 'second', url: b.url, secret: SECRET, floorCents: 0, priority: 1, canSeeCaller: false }],
      });
      sockets.add(b.received.at(-1)!.remotePort);
    }
    // Eleven pings over at most two TCP connections (the pool may open a second while the first is
    // finishing its response): no handshake per ping on the hot path.
    expect(b.received).toHaveLength(11);
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});
