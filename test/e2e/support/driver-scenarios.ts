/**
 * Driver-level sipp scenarios any telephony driver must pass (no engine: a small script answers, collects RFC 2833
 * digits and bridges): the embedded driver (test/e2e/embedded-driver.test.ts) and the freeswitch driver on a real
 * drachtio-server + FreeSWITCH (test/e2e/freeswitch-driver.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeOutcome, TelephonyDriver } from '../../../src/telephony/types.js';
import type { Harness } from './driver-harness.js';
import { scenario, startBuyer, startCaller } from './sipp.js';

export const collect = { minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000, terminators: '#' };

export function driverSippScenarios<D extends TelephonyDriver>(name: string, start: () => Promise<Harness<D>>): void {
  describe(name, () => {
    let h: Harness<D>;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('busy buyer, then a second buyer that answers and hangs up first', async () => {
      const busy = await startBuyer({ scenarioFile: scenario('buyer-busy.xml') });
      const good = await startBuyer({ scenarioFile: scenario('buyer-hangup.xml', { TALK_MS: 1000 }) });
      const outcomes: BridgeOutcome[] = [];
      h.onCall(async (call) => {
        await call.answer();
        await call.playCollect({ ...collect, prompt: h.prompt });
        outcomes.push(await call.bridge({ uri: busy.uri, callerId: call.caller }, { ringTimeoutMs: 5000 }));
        outcomes.push(await call.bridge({ uri: good.uri, callerId: call.caller }, { ringTimeoutMs: 5000 }));
      });
      const caller = await startCaller({
        scenarioFile: scenario('caller-ivr-wait-bye.xml', { DTMF_DELAY_MS: 200, BRIDGE_WAIT_MS: 300, RELEASE_TIMEOUT_MS: 10000 }),
        target: h.target, did: '18005550100',
      });
      const [c, b1, b2, { end }] = await Promise.all([caller.done, busy.proc.done, good.proc.done, h.nextEnd()]);
      expect(c.code, c.errors || c.stderr).toBe(0);
      expect(b1.code, b1.errors).toBe(0);
      expect(b2.code, b2.errors).toBe(0);
      expect(outcomes.map((o) => [o.result, o.sipCode])).toEqual([['busy', 486], ['answered', 200]]);
      expect(end).toMatchObject({ side: 'buyer', cause: 'bye' });
    });


    it('buyer never answers: CANCEL after the ring timeout, then the caller is released', async () => {
      const silent = await startBuyer({ scenarioFile: scenario('buyer-noanswer.xml') });
      let outcome: BridgeOutcome | undefined;
      let rang = false;
      h.onCall(async (call) => {
        await call.answer();
        await call.playCollect({ ...collect, prompt: h.prompt });
        outcome = await call.bridge({ uri: silent.uri, callerId: call.caller }, { ringTimeoutMs: 800, onRinging: () => (rang = true) });
        await call.play(h.prompt);
        await call.hangup('no_buyer');
      });
      const caller = await startCaller({
        scenarioFile: scenario('caller-ivr-wait-bye.xml', { DTMF_DELAY_MS: 200, BRIDGE_WAIT_MS: 300, RELEASE_TIMEOUT_MS: 10000 }),
        target: h.target, did: '18005550100',
      });
      const [c, b, { end }] = await Promise.all([caller.done, silent.proc.done, h.nextEnd()]);
      expect(c.code, c.errors || c.stderr).toBe(0);
      expect(b.code, b.errors).toBe(0);
      expect(rang).toBe(true);
      expect(outcome).toMatchObject({ result: 'no_answer', sipCode: 487, reason: 'ring_timeout' });
      expect(end).toMatchObject({ side: 'system', cause: 'no_buyer' });
    });


    it('buyer through an outbound proxy that challenges (401): digest with qop=auth accepted, X-headers sent', async () => {
      const trunk = await startBuyer({ scenarioFile: scenario('buyer-auth.xml') });
      let outcome: BridgeOutcome | undefined;
      h.onCall(async (call) => {
        await call.answer();
        outcome = await call.bridge({
          uri: 'sip:+15551234567@trunk.example', proxy: `127.0.0.1:${trunk.port}`, auth: { username: 'trunkuser', password: 'trunkpass' },
          callerId: call.caller, headers: { 'X-Call-Id': call.id },
        }, { ringTimeoutMs: 5000 });
      });
      const caller = await startCaller({ scenarioFile: scenario('caller-hangup-in-ivr.xml', { HANGUP_AFTER_MS: 1500 }), target: h.target, did: '18005550100' });
      const [c, t, { end }] = await Promise.all([caller.done, trunk.proc.done, h.nextEnd()]);
      expect(c.code, c.errors || c.stderr).toBe(0);
      expect(t.code, t.errors || t.stderr).toBe(0);
      expect(outcome).toMatchObject({ result: 'answered', sipCode: 200 });
      expect(end).toMatchObject({ side: 'caller', cause: 'bye' });
    });
  });
}
