/**
 * The embedded driver against real sipp on loopback, without the engine: a small script answers, collects
 * RFC 2833 digits, bridges to sipp buyers. Asserts sipp exit codes, outcomes and RTP relayed both ways.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeOutcome, CollectResult } from '../../src/telephony/types.js';
import { startHarness, type Harness } from './support/driver-harness.js';
import { scenario, startBuyer, startCaller } from './support/sipp.js';

import { collect, driverSippScenarios } from './support/driver-scenarios.js';

driverSippScenarios('embedded driver with sipp: scenarios shared with the freeswitch driver', () => startHarness());

describe('embedded driver with sipp', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('IVR digit from an RFC 2833 pcap, bridge, RTP relayed both ways, caller hangs up, recording written', async () => {
    const buyer = await startBuyer();
    let digits: CollectResult | undefined;
    let outcome: BridgeOutcome | undefined;
    let stats: { toBuyer: number; toCaller: number } | undefined;
    h.onCall(async (call) => {
      await call.answer();
      digits = await call.playCollect({ ...collect, prompt: h.prompt });
      outcome = await call.bridge({ uri: buyer.uri, callerId: call.caller }, { ringTimeoutMs: 5000 });
      call.once('ended', () => undefined);
      const poll = setInterval(() => (stats = h.driver.relayStats(call.id) ?? stats), 100);
      call.once('ended', () => clearInterval(poll));
    });
    const caller = await startCaller({
      scenarioFile: scenario('caller-ivr.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 700, TALK_MS: 1500 }),
      target: h.target, did: '18005550100',
    });
    const [c, b, { call, end }] = await Promise.all([caller.done, buyer.proc.done, h.nextEnd()]);
    expect(c.code, c.errors || c.stderr).toBe(0);
    expect(b.code, b.errors || b.stderr).toBe(0);
    expect(digits).toEqual({ digits: '1', reason: 'max_digits' });
    expect(outcome?.result).toBe('answered');
    expect(end).toMatchObject({ side: 'caller', cause: 'bye' });
    expect(call.caller).toBe('+14155550123');
    expect(call.did).toBe('18005550100');
    expect(stats?.toBuyer).toBeGreaterThan(20);
    expect(stats?.toCaller).toBeGreaterThan(20);
    expect(statSync(join(h.dir, `${call.id.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`)).size).toBeGreaterThan(44 + 8000);
  });

  it('caller CANCELs while the buyer rings: 180 to the caller, CANCEL to the buyer', async () => {
    const silent = await startBuyer({ scenarioFile: scenario('buyer-noanswer.xml') });
    let outcome: BridgeOutcome | undefined;
    h.onCall(async (call) => {
      outcome = await call.bridge({ uri: silent.uri, callerId: call.caller }, { ringTimeoutMs: 20000 });
    });
    const caller = await startCaller({ scenarioFile: scenario('caller-cancel.xml', { CANCEL_AFTER_MS: 300 }), target: h.target, did: '18005550101' });
    const [c, b, { end }] = await Promise.all([caller.done, silent.proc.done, h.nextEnd()]);
    expect(c.code, c.errors || c.stderr).toBe(0);
    expect(b.code, b.errors).toBe(0);
    expect(end).toMatchObject({ side: 'caller', cause: 'cancel', sipCode: 487 });
    await expect.poll(() => outcome?.result).toBe('caller_hangup');
  });

  it('rejects with the script code; malformed INVITE gets 400 and OPTIONS 200; caller hangs up in the IVR over TCP', async () => {
    h.onCall((call) => call.reject(404));
    const rejected = await startCaller({ scenarioFile: scenario('caller-rejected.xml', { EXPECTED_CODE: 404 }), target: h.target, did: '19995550000' });
    expect((await rejected.done).code).toBe(0);
    expect((await h.nextEnd()).end).toMatchObject({ side: 'system', cause: 'rejected', sipCode: 404 });
    const bad = await startCaller({ scenarioFile: scenario('malformed.xml'), target: h.target, did: '18005550100' });
    expect((await bad.done).code).toBe(0);

    let played: boolean | undefined;
    h.onCall(async (call) => {
      await call.answer();
      played = (await call.play(h.prompt)).completed;
    });
    const tcp = await startCaller({ scenarioFile: scenario('caller-hangup-in-ivr.xml', { HANGUP_AFTER_MS: 300 }), target: h.target, did: '18005550100', extra: ['-t', 't1'] });
    const [t, { end }] = await Promise.all([tcp.done, h.nextEnd()]);
    expect(t.code, t.errors || t.stderr).toBe(0);
    expect(end).toMatchObject({ side: 'caller', cause: 'bye' });
    await expect.poll(() => played).toBe(false);
  });

  it('re-INVITE hold (sendonly -> our recvonly) and unhold, UPDATE answered 405, SIP INFO digit reported', async () => {
    const digits: string[] = [];
    h.onCall(async (call) => {
      call.on('dtmf', (d) => digits.push(d.digit));
      await call.answer();
    });
    const caller = await startCaller({ scenarioFile: scenario('caller-hold.xml'), target: h.target, did: '18005550100' });
    const c = await caller.done;
    expect(c.code, c.errors || c.stderr).toBe(0);
    const { end } = await h.nextEnd();
    expect(digits).toEqual(['7']);
    expect(end).toMatchObject({ side: 'caller', cause: 'bye' });
  });
});
