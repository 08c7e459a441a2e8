/** A ping-post call through the flow: the call detail shows its auction (a buyer sees only its own bid) and /metrics counts it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../src/http/auth.js';
import type { CallRow } from '../../src/store/index.js';
import { json as reply, startBidder, type TestBidder } from '../integration/rtb/bidders.js';
import { json, startHarness, type Harness } from './support.js';

const HIGH_DEST = 'sip:high@127.0.0.1:5081';

const yaml = (highUrl: string, lowUrl: string) => `
version: 1
carriers: [{ id: carrier_a, name: Carrier A, sources: [127.0.0.1/32] }]
publishers: [{ id: pub_one, name: Publisher One, payout: { type: fixed, amount_cents: 1000 } }]
buyers:
  - id: high
    name: High Bidder
    bidding: { url: "${highUrl}", secret: high-secret-0123456789, timeout_ms: 3000 }
    targets: [{ id: high_t, destination: { sip: "sip:high-static@127.0.0.1:5091" } }]
  - id: low
    name: Low Bidder
    bidding: { url: "${lowUrl}", secret: low-secret-01234567890, timeout_ms: 3000 }
    targets: [{ id: low_t, destination: { sip: "sip:low-static@127.0.0.1:5092" } }]
campaigns:
  - id: auto
    name: Auto insurance
    dids: [{ number: "+18005550100", publisher: pub_one }]
    distribution: ping_post
    bidders: [high, low]
api_keys:
  - { id: ops, role: operator, key_hash: "${hashKey('op-key')}" }
  - { id: hk, role: buyer, party: high, key_hash: "${hashKey('high-key')}" }
  - { id: lk, role: buyer, party: low, key_hash: "${hashKey('low-key')}" }
`;

let h: Harness;
let high: TestBidder;
let low: TestBidder;
let row: CallRow;

beforeAll(async () => {
  high = await startBidder((_r, res) => reply(res, 200, { bid_cents: 5000, expires_in_s: 120, destination: HIGH_DEST }));
  low = await startBidder((_r, res) => reply(res, 200, { bid_cents: 4500, expires_in_s: 120, destination: 'sip:low@127.0.0.1:5082' }));
  h = await startHarness(yaml(high.url, low.url));
  h.driver.buyers.set(HIGH_DEST, { kind: 'answer' });
  const call = h.driver.placeCall({ did: '+18005550100', caller: '+14155550501' });
  await call.bridged;
  h.clock.advance(150_000);
  call.callerHangup();
  row = await h.ended(call);
});
afterAll(async () => {
  await h.close();
  await Promise.all([high.close(), low.close()]);
});

describe('auctions through the admin API', () => {
  it('shows the whole auction to the operator and only its own bid to the winner', async () => {
    expect(row).toMatchObject({ buyer_id: 'high', bid_cents: 5000 });
    const op = json(await h.req('op-key', { method: 'GET', url: `/calls/${row.id}` }));
    expect(op.auctions).toHaveLength(1);
    expect(op.auctions[0]).toMatchObject({ id: row.auction_id, bidders: 2, validBids: 2, winnerBuyerId: 'high', winnerCents: 5000 });
    expect(op.auctions[0].bids.map((b: { buyerId: string; amountCents: number; rank: number }) => [b.buyerId, b.amountCents, b.rank])).toEqual([
      ['high', 5000, 1],
      ['low', 4500, 2],
    ]);
    const mine = json(await h.req('high-key', { method: 'GET', url: `/calls/${row.id}` }));
    expect(mine.auctions[0].bids.map((b: { buyerId: string }) => b.buyerId)).toEqual(['high']);
    expect((await h.req('low-key', { method: 'GET', url: `/calls/${row.id}` })).statusCode).toBe(404);
  });

  it('counts the auction and its bids in /metrics', async () => {
    const text = (await h.req(null, { method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('callroute_auction_duration_seconds_count{campaign="auto"} 1');
    expect(text).toContain('callroute_auction_bids_total{campaign="auto",valid="true"} 2');
  });
});
