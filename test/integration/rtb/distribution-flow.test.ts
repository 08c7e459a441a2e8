/** Round robin across restarts, buyer auto-pause and resume, inbound bid reservations: engine + real SQLite. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerInboundBid } from '../../../src/rtb/inbound.js';
import { PauseRepository } from '../../../src/store/distribution.js';
import { ReservationRepository } from '../../../src/store/auctions.js';
import { startTestEngine, type TestEngine } from '../../support/engine.js';

const dest = (n: number) => `sip:b${n}@127.0.0.1:50${60 + n}`;

function yaml(distribution: string, extraBuyer = ''): string {
  const buyers = [1, 2, 3].map((n) => `
  - id: buyer${n}
    name: Buyer ${n}
    price_cents: ${n * 1000}
    ${n === 1 ? extraBuyer : ''}
    targets: [{ id: t${n}, destination: { sip: "${dest(n)}" }${n === 3 ? ', concurrency: 1' : ''} }]`).join('');
  return `
version: 1
carriers: [{ id: carrier_a, name: Carrier A, sources: [127.0.0.1/32] }]
publishers: [{ id: pub_one, name: Publisher One, payout: { type: percent, percent: 40 } }]
buyers:${buyers}
campaigns:
  - id: home
    name: Home services
    dids: [{ number: "+18005550100", publisher: pub_one }]
    distribution: ${distribution}
    max_attempts: 1
    routes: [{ target: t1 }, { target: t2 }, { target: t3 }]
`;
}

describe('distribution through the engine', () => {
  let t: TestEngine | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.close();
    t = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function route(engine: TestEngine, caller = '+14155550123') {
    for (const n of [1, 2, 3]) engine.driver.buyers.set(dest(n), { kind: 'answer' });
    const call = engine.driver.placeCall({ did: '+18005550100', caller });
    await call.bridged;
    call.callerHangup();
    return (await engine.ended(call)).buyer_id;
  }

  it('round robin keeps its position when the SQLite file is reopened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-'));
    dirs.push(dir);
    t = await startTestEngine(yaml('round_robin'), { dir });
    const before = [await route(t), await route(t)];
    await t.close();
    t = await startTestEngine(yaml('round_robin'), { dir });
    const after = [await route(t), await route(t)];
    expect([...before, ...after]).toEqual(['buyer1', 'buyer2', 'buyer3', 'buyer1']);
  });

  it('auto-pauses a buyer after N unanswered calls, skips it with the reason, and an operator resumes it', async () => {
    t = await startTestEngine(yaml('priority', 'auto_pause: { unanswered: 2, window: 10m, pause_for: 30m }'));
    const pauses = new PauseRepository(t.engine.store.db);
    for (let i = 0; i < 2; i++) {
      t.driver.buyers.set(dest(1), { kind: 'no_answer' });
      const call = t.driver.placeCall({ did: '+18005550100', caller: '+14155550123' });
      await t.ended(call);
      t.clock.advance(60_000);
    }
    const paused = pauses.isPaused('buyer1', t.clock.now().getTime());
    expect(paused).toMatchObject({ source: 'auto', reason: '2 unanswered calls within 600s' });
    expect(paused!.until_at! - paused!.paused_at).toBe(30 * 60_000);

    const callId = (await routeRow(t)).id;
    expect(t.engine.store.calls.skips(callId)).toContainEqual({ buyer_id: 'buyer1', target_id: 't1', reason: 'buyer_paused:auto' });

    expect(pauses.resume('buyer1', 'operator:alice', t.clock.now().getTime())).toBe(1);
    expect(await route(t)).toBe('buyer1');
    expect(pauses.history('buyer1')[0]).toMatchObject({ resumed_by: 'operator:alice' });
    // Misses from before the resume are forgiven: one new miss does not pause it again.
    t.driver.buyers.set(dest(1), { kind: 'no_answer' });
    await t.ended(t.driver.placeCall({ did: '+18005550100', caller: '+14155550123' }));
    expect(pauses.isPaused('buyer1', t.clock.now().getTime())).toBeUndefined();
  });

  async function routeRow(engine: TestEngine) {
    for (const n of [1, 2, 3]) engine.driver.buyers.set(dest(n), { kind: 'answer' });
    const call = engine.driver.placeCall({ did: '+18005550100', caller: '+14155550123' });
    await call.bridged;
    call.callerHangup();
    return engine.ended(call);
  }

  it('inbound bid: answers bid, DID and expiry, holds capacity, and the call that follows claims it', async () => {
    t = await startTestEngine(yaml('priority'));
    const db = t.engine.store.db;
    const deps = () => ({
      config: t!.engine.config(), reservations: new ReservationRepository(db), pauses: new PauseRepository(db), now: t!.clock.now(), expiresInS: 30,
    });
    const first = answerInboundBid(deps(), { publisherId: 'pub_one', caller: '+14155550123' });
    // Best-paying target with room is t3 (3000 cents); 40 % payout -> 1200 cents.
    expect(first).toMatchObject({ bid: true, bidCents: 1200, did: '+18005550100', expiresInS: 30 });
    // t3 has concurrency 1, now held by the reservation: the next ask gets t2's price.
    expect(answerInboundBid(deps(), { publisherId: 'pub_one', caller: '+14155550199' })).toMatchObject({ bid: true, bidCents: 800 });
    expect(answerInboundBid(deps(), { publisherId: 'nobody', caller: '+14155550199' })).toMatchObject({ bid: false, reason: 'no_campaign' });

    // The call arrives within the expiry: routed to the reserved target first (priority would pick buyer1).
    const row = await routeRow(t);
    expect(row.buyer_id).toBe('buyer3');
    expect(new ReservationRepository(db).forCall(row.id)).toMatchObject({ bid_cents: 1200, target_id: 't3' });

    // Unused reservations expire and free their capacity.
    t.clock.advance(31_000);
    expect(new ReservationRepository(db).heldByTarget(t.clock.now().getTime()).size).toBe(0);
    expect(answerInboundBid(deps(), { publisherId: 'pub_one', caller: '+14155550100' })).toMatchObject({ bid: true, bidCents: 1200 });
  });

  it('inbound bid: the publisher is paid the bid, even when its payout terms change before the call arrives', async () => {
    t = await startTestEngine(yaml('priority'));
    const db = t.engine.store.db;
    const bid = answerInboundBid(
      { config: t.engine.config(), reservations: new ReservationRepository(db), pauses: new PauseRepository(db), now: t.clock.now(), expiresInS: 30 },
      { publisherId: 'pub_one', caller: '+14155550123' },
    );
    expect(bid).toMatchObject({ bid: true, bidCents: 1200 });
    // The operator raises the publisher to 50 % before the call lands: 1500 cents by percent, but the bid was 1200.
    const file = join(t.dir, 'campaigns.yaml');
    writeFileSync(file, yaml('priority').replace('percent: 40', 'percent: 50'));
    expect(t.engine.reload(file)).toMatchObject({ ok: true });
    const row = await routeRow(t);
    expect(row).toMatchObject({ buyer_id: 'buyer3', revenue_cents: 3000, payable: 1, payout_cents: 1200 });
    // A later call from another caller, with no reservation, is paid by the new terms.
    const other = t.driver.placeCall({ did: '+18005550100', caller: '+14155550177' });
    await other.bridged;
    other.callerHangup();
    expect(await t.ended(other)).toMatchObject({ buyer_id: 'buyer1', revenue_cents: 1000, payout_cents: 500 });
  });
});
