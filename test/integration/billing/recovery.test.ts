import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BillingTerms } from '../../../src/core/billing.js';
import { capSlots } from '../../../src/core/caps.js';
import { startTestEngine } from '../../support/engine.js';
import { openTestDb } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'billing-recovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const terms: BillingTerms = {
  pricing: 'duration', priceCents: 4000, buyerMinDurationS: 60, publisherMinDurationS: 30,
  payout: { type: 'fixed', amount_cents: 1500 }, carrierCentsPerMinute: 1, trunkCentsPerMinute: 0,
};
const owner = { kind: 'buyer' as const, id: 'buyer_first', timezone: 'UTC', caps: [
  { metric: 'connected' as const, period: 'day' as const, limit: 5 },
  { metric: 'billable' as const, period: 'day' as const, limit: 5 },
] };

describe('billing after a crash', () => {
  it('bills interrupted calls under the terms kept at answer, settles their cap slots and frees their live slots', async () => {
    const db = openTestDb(join(dir, 'calls.sqlite'));
    const base = { sip_call_id: 'x', driver: 'memory', did: '+18005550100', carrier_id: 'carrier_a', source_address: '127.0.0.1',
      campaign_id: 'medicare', publisher_id: 'pub_one', config_digest: 'd' };
    const T = Date.parse('2026-11-20T15:00:00Z');
    // Bridged for 100 s before the crash (last heartbeat), then lost.
    db.store.calls.insert({ ...base, id: 'long', caller: '+14155550123', invite_at: T });
    db.store.calls.update('long', { phase: 'bridged', answer_at: T + 500, qualified: 1, buyer_id: 'buyer_first', target_id: 'first_main', buyer_answer_at: T + 30_000, last_seen_at: T + 130_000 }, T + 130_000);
    db.repos.billing.saveTerms('long', terms);
    // A second one that rang a buyer and never connected.
    db.store.calls.insert({ ...base, id: 'ringing', caller: '+13125550100', invite_at: T });
    db.store.calls.update('ringing', { phase: 'ringing', answer_at: T + 500, qualified: 1, last_seen_at: T + 40_000 }, T + 40_000);
    for (const id of ['long', 'ringing']) {
      expect(db.repos.caps.reserve({ callId: id, attemptKey: '1', slots: capSlots(owner, T, 4000), live: [{ kind: 'buyer', id: 'buyer_first', limit: 5 }], now: T }).ok).toBe(true);
    }
    db.store.close();

    const t = await startTestEngine(undefined, { dir });
    const row = t.engine.store.calls.get('long')!;
    expect(row).toMatchObject({ status: 'interrupted', billable: 1, revenue_cents: 4000, payable: 1, payout_cents: 1500, talk_ms: 100_000 });
    expect(row.cost_cents).toBe(2); // 129.5 s inbound at 1 c/min -> 130 s -> 2.17 -> 2
    expect(t.engine.store.calls.get('ringing')).toMatchObject({ status: 'interrupted', billable: 0, billable_reason: 'not_connected', revenue_cents: 0 });
    const after = openTestDb(join(dir, 'calls.sqlite'));
    expect(capSlots(owner, T, 0).map((s) => after.repos.caps.used(s))).toEqual([1, 1]);
    expect(after.repos.caps.live('buyer', 'buyer_first')).toBe(0);
    expect(after.repos.billing.unbalancedCalls()).toEqual([]);
    after.store.close();
    await t.close();
  });
});
