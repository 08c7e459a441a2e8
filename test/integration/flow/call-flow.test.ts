import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../support/engine.js';

const FIRST = 'sip:intake@127.0.0.1:5071';
const SECOND = 'sip:intake@127.0.0.1:5072';

describe('call flow through the in-memory driver', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  it('a qualified caller is bridged to the second buyer after the first is busy, and billed', async () => {
    t.driver.buyers.set(FIRST, { kind: 'busy' });
    t.driver.buyers.set(SECOND, { kind: 'answer', ringMs: 4000 });
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'] });
    await call.bridged;
    t.clock.advance(95_000);
    call.callerHangup();
    const row = await t.ended(call);

    expect(call.played).toEqual(['welcome', 'age_q', 'zip_q']);
    expect(call.dialled).toEqual([
      { uri: FIRST, result: 'busy' },
      { uri: SECOND, result: 'answered' },
    ]);
    expect(row).toMatchObject({
      status: 'completed', outcome: 'connected', qualified: 1, buyer_id: 'buyer_second', target_id: 'second_main',
      hangup_side: 'caller', talk_ms: 95_000, billable: 1, revenue_cents: 3500, payable: 1, payout_cents: 1500,
      campaign_id: 'medicare', publisher_id: 'pub_one', carrier_id: 'carrier_a', caller: '+14155550123',
    });
    expect(JSON.parse(row.tags)).toEqual({ age_65_plus: 'yes', zip: '94110' });
    expect(JSON.parse(row.ivr_answers).map((a: { digits: string }) => a.digits)).toEqual(['1', '94110']);

    const attempts = t.engine.store.calls.attempts(row.id);
    expect(attempts.map((a) => [a.seq, a.buyer_id, a.result, a.sip_code])).toEqual([
      [1, 'buyer_first', 'busy', 486],
      [2, 'buyer_second', 'answered', 200],
    ]);
    expect(attempts[1]!.answer_at! - attempts[1]!.invite_at).toBe(4000);
  });

  it('the CDR row holds every phase, in order', async () => {
    t.driver.buyers.set(FIRST, { kind: 'answer', ringMs: 2000 });
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'] });
    await call.bridged;
    t.clock.advance(61_000);
    call.buyerHangup();
    const row = await t.ended(call);
    const phases = [row.invite_at, row.answer_at, row.ivr_end_at, row.routing_at, row.bridge_start_at, row.buyer_answer_at, row.end_at];
    expect(phases.every((p) => typeof p === 'number')).toBe(true);
    for (let i = 1; i < phases.length; i++) expect(phases[i]!).toBeGreaterThanOrEqual(phases[i - 1]!);
    expect(row.buyer_answer_at! - row.bridge_start_at!).toBe(2000);
    expect(row).toMatchObject({ hangup_side: 'buyer', talk_ms: 61_000, billable: 1, phase: 'ended' });
  });

  it('talk time below the buyer minimum is not billable; the publisher is paid by its own (30 s) minimum', async () => {
    t.driver.buyers.set(FIRST, { kind: 'answer' });
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'] });
    await call.bridged;
    t.clock.advance(59_999);
    call.callerHangup();
    const row = await t.ended(call);
    // SPEC: payout follows the publisher's own duration and duplicate rules, not the buyer's bill.
    expect(row).toMatchObject({ billable: 0, billable_reason: 'below_min_duration', revenue_cents: 0, payable: 1, payout_cents: 1500, talk_ms: 59_999 });
  });

  it('a caller who fails the IVR is not routed and not billable', async () => {
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['2'] });
    const row = await t.ended(call);
    expect(call.dialled).toEqual([]);
    expect(call.played).toEqual(['welcome', 'age_q', 'sorry']);
    expect(row).toMatchObject({ outcome: 'not_qualified', qualified: 0, billable: 0, revenue_cents: 0, hangup_side: 'system' });
    expect(t.engine.store.calls.attempts(row.id)).toEqual([]);
  });

  it('no input at the menu, after its retries, is a failed qualification', async () => {
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: [] });
    const row = await t.ended(call);
    expect(call.played).toEqual(['welcome', 'age_q', 'age_q', 'sorry']);
    expect(row.outcome).toBe('not_qualified');
  });

  it('a bad ZIP (too short) is retried, then routes on a good one', async () => {
    t.driver.buyers.set(FIRST, { kind: 'answer' });
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '941', '94110'] });
    await call.bridged;
    call.callerHangup();
    const row = await t.ended(call);
    expect(JSON.parse(row.tags)).toEqual({ age_65_plus: 'yes', zip: '94110' });
  });

  it('a caller who hangs up during the IVR is recorded as abandoned', async () => {
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', 'hangup'] });
    const row = await t.ended(call);
    expect(row).toMatchObject({ outcome: 'abandoned_ivr', hangup_side: 'caller', billable: 0 });
  });

  it('a caller who hangs up while a buyer rings ends routing', async () => {
    t.driver.buyers.set(FIRST, { kind: 'ring_forever' });
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'] });
    await new Promise<void>((r) => {
      const check = () => (t.engine.store.calls.attempts(t.engine.calls.liveCalls()[0]?.id ?? '').length ? r() : setImmediate(check));
      check();
    });
    call.callerHangup();
    const row = await t.ended(call);
    expect(row).toMatchObject({ outcome: 'abandoned_routing', hangup_side: 'caller', billable: 0 });
    expect(call.dialled).toEqual([{ uri: FIRST, result: 'caller_hangup' }]);
  });

  it('when every buyer fails, the caller hears the no-buyer message and is released', async () => {
    t.driver.buyers.set(FIRST, { kind: 'no_answer' });
    t.driver.buyers.set(SECOND, { kind: 'fail', sipCode: 503 });
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'] });
    const row = await t.ended(call);
    expect(call.played.at(-1)).toBe('no_agents');
    expect(row).toMatchObject({ outcome: 'no_buyer', hangup_side: 'system', hangup_cause: 'no_buyer' });
    const attempts = t.engine.store.calls.attempts(row.id);
    expect(attempts.map((a) => [a.result, a.sip_code])).toEqual([['no_answer', 487], ['failed', 503]]);
    expect(attempts[0]!.end_at! - attempts[0]!.invite_at).toBe(20_000);
  });

  it('a failure inside one call ends that call only; the next call is served', async () => {
    t.driver.buyers.set(FIRST, { kind: 'throw' });
    const bad = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'] });
    const badRow = await t.ended(bad);
    expect(badRow).toMatchObject({ status: 'completed', outcome: 'error', hangup_cause: 'engine_error' });

    t.driver.buyers.set(FIRST, { kind: 'answer' });
    const good = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'] });
    await good.bridged;
    good.callerHangup();
    expect((await t.ended(good)).outcome).toBe('connected');
  });
});
