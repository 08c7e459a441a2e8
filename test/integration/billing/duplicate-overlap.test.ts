/**
 * Two overlapping calls from one caller through the real engine (in-memory driver, real SQLite file): the first one
 * billed is the sale, even when it started second; the other ends a duplicate for the buyer and the publisher.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../support/engine.js';
import { FLOW_CONFIG } from '../../support/flow-config.js';

const FIRST = 'sip:intake@127.0.0.1:5071';
const CALLER = '+14155550123';
const YAML = FLOW_CONFIG.replace('    ivr: medicare_screen\n', '    ivr: medicare_screen\n    duplicate: { window: 30d, scope: campaign }\n');

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('overlapping calls from one caller', () => {
  it('bills the one that ends first and marks the earlier-started, later-ending one duplicate', async () => {
    t = await startTestEngine(YAML);
    t.driver.buyers.set(FIRST, { kind: 'answer' });
    const early = t.driver.placeCall({ did: '+18005550100', caller: CALLER, dtmf: ['1', '94110'] });
    await early.bridged;
    t.clock.advance(5_000);
    const late = t.driver.placeCall({ did: '+18005550100', caller: CALLER, dtmf: ['1', '94110'] });
    await late.bridged;
    t.clock.advance(90_000);
    late.callerHangup();
    const lateRow = await t.ended(late);
    expect(lateRow).toMatchObject({ billable: 1, payable: 1, duplicate: 0, revenue_cents: 4000 });
    t.clock.advance(30_000);
    early.callerHangup();
    const earlyRow = await t.ended(early);
    expect(earlyRow.invite_at).toBeLessThan(lateRow.invite_at);
    expect(earlyRow).toMatchObject({ billable: 0, billable_reason: 'duplicate', duplicate: 1, payable: 0, payout_reason: 'duplicate', revenue_cents: 0, payout_cents: 0 });
  });
});
