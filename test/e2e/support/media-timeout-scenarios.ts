/**
 * Media timeout end to end, for any driver (embedded: test/e2e/media-timeout.test.ts; freeswitch on a real
 * drachtio + FreeSWITCH: test/e2e/media-timeout-freeswitch.test.ts): the engine (`--media-timeout-s 2`) hangs up a sipp caller whose RTP
 * stops, with a BYE, and the call row closes with cause `media_timeout`. The IVR menu waits 60 s for a digit, so
 * in the first case nothing but the media timeout can end the call before sipp's own limit. In the second the
 * caller's audio (a 7 s pcap) starts 300 ms after its digit, so the loopback bridge is up long before it stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelephonyDriver } from '../../../src/telephony/types.js';
import { DID, type EngineHarness, type EngineHarnessOptions } from './engine-harness.js';
import { rowOrFailure } from './row-or-failure.js';
import { scenario, startBuyer, startCaller, type SippResult } from './sipp.js';

const ok = (r: SippResult): void => expect(r.code, `${r.errors}\n${r.stderr}`).toBe(0);
/** Generous: the machine is shared; sipp's own -timeout ends a stuck scenario first. */
const TEST_MS = 90_000;
/** How long the sipp caller waits for our BYE: far past the 2 s media timeout, well inside the 60 s menu wait. */
const RELEASE_TIMEOUT_MS = 30_000;

/** The harness options these scenarios need: a 2 s media timeout, and a menu that waits far longer. */
export const MEDIA_TIMEOUT_HARNESS: EngineHarnessOptions = { mediaTimeoutS: 2, menuTimeoutS: 60 };

export function mediaTimeoutScenarios<D extends TelephonyDriver>(name: string, start: () => Promise<EngineHarness<D>>): void {
  describe(name, () => {
    let h: EngineHarness<D>;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => {
      await h.close();
    });

    it('a caller that never sends RTP after the answer gets a BYE; row: system, media_timeout', async () => {
      const caller = await startCaller({ scenarioFile: scenario('caller-silent.xml', { RELEASE_TIMEOUT_MS }), target: h.target, did: DID.ivr, timeoutS: 60 });
      const row = await rowOrFailure(h, [caller]);
      ok(await caller.done);
      expect(row).toMatchObject({ outcome: 'abandoned_ivr', hangup_side: 'system', hangup_cause: 'media_timeout', billable: 0 });
      expect(row.answer_at).not.toBeNull();
    }, TEST_MS);

    it('a bridged caller whose RTP stops: both the caller and the buyer get a BYE; row: connected, media_timeout', async () => {
      const buyer = await startBuyer({ port: h.ports.solo, timeoutS: 60 });
      const caller = await startCaller({
        scenarioFile: scenario('caller-ivr-wait-bye.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 300, RELEASE_TIMEOUT_MS }),
        target: h.target, did: DID.ivr, timeoutS: 60,
      });
      const row = await rowOrFailure(h, [caller, buyer.proc]);
      const [c, b] = await Promise.all([caller.done, buyer.proc.done]);
      ok(c);
      ok(b);
      expect(row).toMatchObject({ outcome: 'connected', hangup_side: 'system', hangup_cause: 'media_timeout', buyer_id: 'solo' });
    }, TEST_MS);
  });
}
