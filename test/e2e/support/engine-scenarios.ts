/**
 * The engine's call-flow scenarios driven by real sipp carriers and buyers on loopback, for any telephony driver:
 * the embedded driver always (test/e2e/engine-sipp.test.ts), the freeswitch driver against a real drachtio-server +
 * FreeSWITCH when the environment names them (test/e2e/engine-sipp-freeswitch.test.ts). Asserts sipp exit codes,
 * the stored call rows and attempts, and RTP relayed both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRow } from '../../../src/store/index.js';
import type { TelephonyDriver } from '../../../src/telephony/types.js';
import { DID, type EngineHarness } from './engine-harness.js';
import { scenario, startBuyer, startCaller, type SippResult } from './sipp.js';

const ok = (r: SippResult): void => expect(r.code, `${r.errors}\n${r.stderr}`).toBe(0);

type RelayingDriver = TelephonyDriver & { relayStats(callId: string): { toBuyer: number; toCaller: number } | undefined };

export function engineSippScenarios<D extends RelayingDriver>(name: string, start: () => Promise<EngineHarness<D>>): void {
  describe(name, () => {
    let h: EngineHarness<D>;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => {
      await h.close();
    });
    const attempts = (row: CallRow): Array<[string | null, number | null]> =>
      h.engine.store.calls.attempts(row.id).map((a) => [a.result, a.sip_code]);

    it('DTMF from a pcap qualifies, bridged, talks ~3 s, caller hangs up: billable, RTP both ways', async () => {
      const buyer = await startBuyer({ port: h.ports.solo });
      const caller = await startCaller({
        scenarioFile: scenario('caller-ivr.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 1000, TALK_MS: 2000 }),
        target: h.target, did: DID.ivr,
      });
      const [c, b, row] = await Promise.all([caller.done, buyer.proc.done, h.nextRow()]);
      ok(c);
      ok(b);
      expect(row).toMatchObject({ outcome: 'connected', qualified: 1, billable: 1, hangup_side: 'caller', buyer_id: 'solo', driver: h.driver.name });
      expect(JSON.parse(row.tags)).toEqual({ interested: 'yes' });
      // The caller sends BYE 3.0 s after its digit; the buyer answered a moment after that digit.
      expect(Math.abs((row.talk_ms ?? 0) - 3000)).toBeLessThan(1000);
      expect(attempts(row)).toEqual([['answered', 200]]);
      const stats = h.driver.relayStats(row.sip_call_id);
      expect(stats?.toBuyer).toBeGreaterThan(50);
      expect(stats?.toCaller).toBeGreaterThan(50);
    });

    it('first buyer busy (486) -> second buyer answers and hangs up first', async () => {
      const busy = await startBuyer({ port: h.ports.first, scenarioFile: scenario('buyer-busy.xml') });
      const second = await startBuyer({ port: h.ports.second, scenarioFile: scenario('buyer-hangup.xml', { TALK_MS: 1500 }) });
      const caller = await startCaller({
        scenarioFile: scenario('caller-ivr-wait-bye.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 500, RELEASE_TIMEOUT_MS: 15000 }),
        target: h.target, did: DID.failover,
      });
      const [c, b1, b2, row] = await Promise.all([caller.done, busy.proc.done, second.proc.done, h.nextRow()]);
      [c, b1, b2].forEach(ok);
      expect(row).toMatchObject({ outcome: 'connected', hangup_side: 'buyer', buyer_id: 'second' });
      expect(attempts(row)).toEqual([['busy', 486], ['answered', 200]]);
    });

    it('first buyer never answers -> CANCEL after the 5 s ring timeout -> second buyer', async () => {
      const silent = await startBuyer({ port: h.ports.first, scenarioFile: scenario('buyer-noanswer.xml') });
      const second = await startBuyer({ port: h.ports.second });
      const caller = await startCaller({
        scenarioFile: scenario('caller-ivr.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 6000, TALK_MS: 1000 }),
        target: h.target, did: DID.failover,
      });
      const [c, b1, b2, row] = await Promise.all([caller.done, silent.proc.done, second.proc.done, h.nextRow()]);
      [c, b1, b2].forEach(ok);
      expect(row).toMatchObject({ outcome: 'connected', hangup_side: 'caller', buyer_id: 'second' });
      expect(attempts(row)).toEqual([['no_answer', 487], ['answered', 200]]);
    });

    it('every buyer fails -> the caller hears the message and is released', async () => {
      const busy = await startBuyer({ port: h.ports.solo, scenarioFile: scenario('buyer-busy.xml') });
      const caller = await startCaller({
        scenarioFile: scenario('caller-ivr-wait-bye.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 300, RELEASE_TIMEOUT_MS: 15000 }),
        target: h.target, did: DID.ivr,
      });
      const [c, b, row] = await Promise.all([caller.done, busy.proc.done, h.nextRow()]);
      ok(c);
      ok(b);
      expect(row).toMatchObject({ outcome: 'no_buyer', hangup_side: 'system', billable: 0 });
      expect(attempts(row)).toEqual([['busy', 486]]);
    });

    it('caller hangs up during the IVR', async () => {
      const caller = await startCaller({ scenarioFile: scenario('caller-hangup-in-ivr.xml', { HANGUP_AFTER_MS: 300 }), target: h.target, did: DID.ivr });
      const [c, row] = await Promise.all([caller.done, h.nextRow()]);
      ok(c);
      expect(row).toMatchObject({ outcome: 'abandoned_ivr', hangup_side: 'caller', billable: 0 });
    });

    it('unknown DID -> 404, carrier not allowed -> 403, malformed -> 400 (or dropped by drachtio), and the next call is served', async () => {
      const unknown = await startCaller({ scenarioFile: scenario('caller-rejected.xml', { EXPECTED_CODE: 404 }), target: h.target, did: DID.unknown });
      ok(await unknown.done);
      const stranger = await startCaller({ scenarioFile: scenario('caller-rejected.xml', { EXPECTED_CODE: 403 }), target: h.target, did: DID.ivr, local: '127.0.0.2' });
      ok(await stranger.done);
      const bad = await startCaller({ scenarioFile: scenario(h.malformedScenario), target: h.target, did: DID.ivr });
      ok(await bad.done);
      const next = await startCaller({ scenarioFile: scenario('caller-hangup-in-ivr.xml', { HANGUP_AFTER_MS: 200 }), target: h.target, did: DID.ivr, extra: ['-t', 't1'] });
      const [c, row] = await Promise.all([next.done, h.nextRow()]);
      ok(c);
      expect(row).toMatchObject({ outcome: 'abandoned_ivr', did: DID.ivr });
    });
  });
}
