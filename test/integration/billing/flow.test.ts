/** Billing rules through the real engine (in-memory driver, real SQLite file): caps, skips, duplicates, closed hours. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startTestEngine, type TestEngine } from '../../support/engine.js';
import { FLOW_CONFIG } from '../../support/flow-config.js';
import type { MemoryCall } from '../../support/memory-driver.js';

const FIRST = 'sip:intake@127.0.0.1:5071';
const SECOND = 'sip:intake@127.0.0.1:5072';

/** FLOW_CONFIG with extra keys for the first buyer and the campaign. */
function config(firstBuyer: string, campaign = ''): string {
  const withBuyer = FLOW_CONFIG.replace('    min_duration_s: 60\n    targets:\n      - id: first_main', `    min_duration_s: 60\n${firstBuyer}    targets:\n      - id: first_main`);
  return campaign ? withBuyer.replace('    ivr: medicare_screen\n', `    ivr: medicare_screen\n${campaign}`) : withBuyer;
}

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function talk(e: TestEngine, opts: { caller?: string; talkMs: number }): Promise<{ call: MemoryCall; row: Awaited<ReturnType<TestEngine['ended']>> }> {
  const call = e.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'], ...(opts.caller ? { caller: opts.caller } : {}) });
  await call.bridged;
  e.clock.advance(opts.talkMs);
  call.callerHangup();
  return { call, row: await e.ended(call) };
}

describe('billing rules in the call flow', () => {
  it('a routed cap of 1 skips the buyer on the next call with the reason in the CDR; a failed attempt gives its slot back', async () => {
    t = await startTestEngine(config('    caps: [{ metric: routed, period: day, limit: 1 }]\n'));
    t.driver.buyers.set(FIRST, { kind: 'busy' });
    t.driver.buyers.set(SECOND, { kind: 'answer' });
    const a = await talk(t, { talkMs: 70_000 });
    expect(a.row.buyer_id).toBe('buyer_second');
    t.driver.buyers.set(FIRST, { kind: 'answer' });
    const b = await talk(t, { talkMs: 70_000 }); // the busy attempt released its slot: the first buyer still has room
    expect(b.row).toMatchObject({ buyer_id: 'buyer_first', billable: 1, revenue_cents: 4000 });
    const c = await talk(t, { talkMs: 70_000 });
    expect(c.row.buyer_id).toBe('buyer_second');
    expect(t.engine.store.calls.skips(c.row.id)).toEqual([{ buyer_id: 'buyer_first', target_id: 'first_main', reason: 'cap_reached:buyer:routed/day' }]);
  });

  it('skips a buyer outside its geography, with the reason', async () => {
    t = await startTestEngine(config('    geography: { states: [TX] }\n'));
    t.driver.buyers.set(SECOND, { kind: 'answer' });
    const { row, call } = await talk(t, { talkMs: 61_000 });
    expect(call.dialled).toEqual([{ uri: SECOND, result: 'answered' }]);
    expect(t.engine.store.calls.skips(row.id)).toEqual([{ buyer_id: 'buyer_first', target_id: 'first_main', reason: 'geo_state' }]);
  });

  it('does not bill a repeat caller to the buyer that had them, also after a restart', async () => {
    const yaml = config('    duplicate: { window: 30d, scope: buyer }\n');
    const dir = mkdtempSync(join(tmpdir(), 'billing-flow-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    t = await startTestEngine(yaml, { dir });
    t.driver.buyers.set(FIRST, { kind: 'answer' });
    const first = await talk(t, { talkMs: 90_000 });
    expect(first.row).toMatchObject({ billable: 1, duplicate: 0, revenue_cents: 4000 });
    await t.close();
    t = await startTestEngine(yaml, { dir });
    t.clock.advance(3 * 86_400_000);
    t.driver.buyers.set(FIRST, { kind: 'answer' });
    const again = await talk(t, { talkMs: 90_000 });
    expect(again.row).toMatchObject({ billable: 0, billable_reason: 'duplicate', duplicate: 1, revenue_cents: 0 });
    const other = await talk(t, { caller: '+13125550100', talkMs: 90_000 });
    expect(other.row).toMatchObject({ billable: 1, duplicate: 0 });
  });

  it('closed campaign: plays the message and hangs up, or rejects with 480 without an action', async () => {
    const hours = '    hours: { timezone: America/New_York, weekly: { mon: ["09:00-17:00"] } }\n'; // the test clock is a Tuesday
    t = await startTestEngine(config('', `${hours}    closed: { action: message, prompt: sorry }\n`));
    const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['1', '94110'] });
    const row = await t.ended(call);
    expect(call.played).toEqual(['sorry']);
    expect(call.dialled).toEqual([]);
    expect(row).toMatchObject({ outcome: 'closed', billable: 0, payout_cents: 0 });
    await t.close();
    t = await startTestEngine(config('', hours));
    const refused = t.driver.placeCall({ did: '+18005550100' });
    expect(refused.rejected?.sipCode).toBe(480);
  });

  it('closed campaign with an after-hours target: screens the caller, then routes only there', async () => {
    const hours = '    hours: { timezone: America/New_York, weekly: { mon: ["09:00-17:00"] } }\n';
    t = await startTestEngine(config('', `${hours}    closed: { action: route, target: second_main }\n`));
    t.driver.buyers.set(FIRST, { kind: 'answer' });
    t.driver.buyers.set(SECOND, { kind: 'answer' });
    const { call, row } = await talk(t, { talkMs: 61_000 });
    expect(call.played).toEqual(['welcome', 'age_q', 'zip_q']);
    expect(call.dialled).toEqual([{ uri: SECOND, result: 'answered' }]);
    expect(row).toMatchObject({ outcome: 'connected', buyer_id: 'buyer_second', billable: 1, revenue_cents: 3500 });
  });
});
