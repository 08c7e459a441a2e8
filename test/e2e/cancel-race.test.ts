/**
 * CANCEL against the whole engine. The call flow answers in the same tick the driver offers the call (admission is
 * synchronous, ceilings answer 503 at once), so a CANCEL can never find the engine still deciding; the race that
 * real carriers do produce is a CANCEL crossing our 200. RFC 3261 9.2: it gets a 200 and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DID, startEngineHarness, type EngineHarness } from './support/engine-harness.js';
import { scenario, startCaller } from './support/sipp.js';

describe('CANCEL through the engine (sipp)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('a CANCEL crossing our 200 gets 200, the call stays up until the caller BYEs', async () => {
    const caller = await startCaller({
      scenarioFile: scenario('caller-cancel-after-200.xml', { HANGUP_AFTER_MS: 500 }),
      target: h.target, did: DID.ivr, timeoutS: 60, extra: ['-t', 't1'],
    });
    const c = await caller.done;
    expect(c.code, `${c.errors}\n${c.stderr}`).toBe(0);
    const row = await h.nextRow();
    expect(row).toMatchObject({ outcome: 'abandoned_ivr', hangup_side: 'caller', hangup_cause: 'bye' });
    expect(row.answer_at).not.toBeNull();
  }, 90_000);
});
