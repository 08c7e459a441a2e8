/** A ping_post campaign end to end: engine + in-memory telephony + real HTTP bidders on loopback. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuctionRepository } from '../../../src/store/auctions.js';
import { startTestEngine, type TestEngine } from '../../support/engine.js';
import { json, startBidder, type TestBidder } from './bidders.js';

const HIGH_DEST = 'sip:high@127.0.0.1:5081';
const LOW_DEST = 'sip:low@127.0.0.1:5082';
const STATIC_DEST = 'sip:static@127.0.0.1:5083';

function yaml(highUrl: string, lowUrl: string): string {
  return `
version: 1
carriers: [{ id: carrier_a, name: Carrier A, sources: [127.0.0.1/32] }]
publishers: [{ id: pub_one, name: Publisher One, payout: { type: fixed, amount_cents: 1000 } }]
buyers:
  - id: high
    name: High Bidder
    min_duration_s: 60
    bidding: { url: "${highUrl}", secret: high-secret-0123456789, timeout_ms: 3000 }
    targets: [{ id: high_t, destination: { sip: "sip:high-static@127.0.0.1:5091" } }]
  - id: low
    name: Low Bidder
    min_duration_s: 60
    bidding: { url: "${lowUrl}", secret: low-secret-01234567890, timeout_ms: 3000 }
    targets: [{ id: low_t, destination: { sip: "sip:low-static@127.0.0.1:5092" } }]
  - id: fixed
    name: Static Buyer
    price_cents: 2000
    targets: [{ id: static_t, destination: { sip: "${STATIC_DEST}" } }]
campaigns:
  - id: auto
    name: Auto insurance
    dids: [{ number: "+18005550100", publisher: pub_one }]
    distribution: ping_post
    bidders: [high, low]
    routes: [{ target: static_t }]
`;
}

describe('ping_post campaign', () => {
  let high: TestBidder;
  let low: TestBidder;
  let t: TestEngine;
  let lowExpiresInS = 120;

  beforeAll(async () => {
    high = await startBidder((_r, res) => json(res, 200, { bid_cents: 5000, expires_in_s: 120, destination: HIGH_DEST, min_duration_s: 120 }));
    low = await startBidder((_r, res) =>
      json(res, 200, { bid_cents: 4500, expires_in_s: lowExpiresInS, destination: LOW_DEST, min_duration_s: 90 }),
    );
  });
  afterAll(async () => {
    await Promise.all([high.close(), low.close()]);
  });
  afterEach(async () => {
    lowExpiresInS = 120;
    await t.close();
  });

  it('bridges the winning bid, falls back to the next bid, and bills at the bid with its duration', async () => {
    t = await startTestEngine(yaml(high.url, low.url));
    t.driver.buyers.set(HIGH_DEST, { kind: 'busy' });
    t.driver.buyers.set(LOW_DEST, { kind: 'answer' });
    const call = t.driver.placeCall({ did: '+18005550100', caller: '+14155550123' });
    await call.bridged;
    t.clock.advance(95_000);
    call.callerHangup();
    const row = await t.ended(call);

    expect(call.dialled).toEqual([{ uri: HIGH_DEST, result: 'busy' }, { uri: LOW_DEST, result: 'answered' }]);
    // 95 s meets the low bid's 90 s requirement.
    expect(row).toMatchObject({ buyer_id: 'low', target_id: 'low_t', bid_cents: 4500, billable: 1, revenue_cents: 4500 });
    const saved = new AuctionRepository(t.engine.store.db).get(row.auction_id!)!;
    expect(saved.auction).toMatchObject({ call_id: row.id, campaign_id: 'auto', winner_buyer_id: 'high', winner_cents: 5000, valid_bids: 2 });
    expect(JSON.parse(high.received.at(-1)!.body).caller.number).toBeUndefined();
  });

  it('applies the bid minimum duration: talk time under it is not billable', async () => {
    t = await startTestEngine(yaml(high.url, low.url));
    t.driver.buyers.set(HIGH_DEST, { kind: 'answer' });
    const call = t.driver.placeCall({ did: '+18005550100', caller: '+14155550123' });
    await call.bridged;
    t.clock.advance(100_000);
    call.callerHangup();
    const row = await t.ended(call);
    expect(row).toMatchObject({ buyer_id: 'high', bid_cents: 5000, billable: 0, revenue_cents: 0 });
  });

  it('falls back to the static buyers when every bid fails', async () => {
    t = await startTestEngine(yaml(high.url, 'http://127.0.0.1:1/unreachable'));
    t.driver.buyers.set(HIGH_DEST, { kind: 'no_answer' });
    t.driver.buyers.set(STATIC_DEST, { kind: 'answer' });
    const call = t.driver.placeCall({ did: '+18005550100', caller: '+14155550123' });
    await call.bridged;
    t.clock.advance(70_000);
    call.callerHangup();
    const row = await t.ended(call);
    expect(call.dialled).toEqual([{ uri: HIGH_DEST, result: 'no_answer' }, { uri: STATIC_DEST, result: 'answered' }]);
    expect(row).toMatchObject({ buyer_id: 'fixed', bid_cents: null, revenue_cents: 2000 });
    const saved = new AuctionRepository(t.engine.store.db).forCall(row.id);
    expect(saved).toHaveLength(1);
    expect(new AuctionRepository(t.engine.store.db).get(saved[0]!.id)!.bids.find((b) => b.buyer_id === 'low')).toMatchObject({ reason: 'transport_error' });
  });

  it('skips a fallback bid that expired while the winner rang', async () => {
    lowExpiresInS = 10;
    t = await startTestEngine(yaml(high.url, low.url));
    t.driver.buyers.set(HIGH_DEST, { kind: 'no_answer' }); // rings the campaign's 20 s ring timeout
    t.driver.buyers.set(STATIC_DEST, { kind: 'answer' });
    const call = t.driver.placeCall({ did: '+18005550100', caller: '+14155550123' });
    await call.bridged;
    call.callerHangup();
    await t.ended(call);
    expect(call.dialled).toEqual([{ uri: HIGH_DEST, result: 'no_answer' }, { uri: STATIC_DEST, result: 'answered' }]);
  });
});
