import { afterAll, describe, expect, it } from 'vitest';
import { decideBilling, type BillingTerms } from '../../../src/core/billing.js';
import { buyerDuplicate, publisherDuplicate } from '../../../src/core/duplicates.js';
import { capSlots } from '../../../src/core/caps.js';
import { insertCall, openTestDb, tempDir } from './helpers.js';

const tmp = tempDir('billing-persist-');
afterAll(() => tmp.cleanup());

const T0 = Date.parse('2026-06-01T15:00:00Z');
const terms: BillingTerms = {
  pricing: 'duration', priceCents: 5000, buyerMinDurationS: 60, publisherMinDurationS: 30,
  payout: { type: 'fixed', amount_cents: 1500 }, carrierCentsPerMinute: 1, trunkCentsPerMinute: 0.5,
};
const owner = { kind: 'buyer' as const, id: 'acme', timezone: 'America/New_York', caps: [
  { metric: 'billable' as const, period: 'day' as const, limit: 10 },
  { metric: 'revenue_cents' as const, period: 'month' as const, limit: 1_000_000 },
  { metric: 'connected' as const, period: 'hour' as const, limit: 10 },
] };
const policy = { window: '30d', scope: 'campaign' as const, force_new_buyer: false };

describe('billing state survives a restart', () => {
  it('reads cap counters and duplicate history back from a reopened file', () => {
    const file = tmp.path('persist.db');
    let db = openTestDb(file);
    insertCall(db.store, { id: 'c1', caller: '+14155550100', inviteAt: T0, buyerAnswerAfter: 20_000, endAfter: 200_000 });
    const slots = capSlots(owner, T0 + 15_000, 5000);
    expect(db.repos.caps.reserve({ callId: 'c1', attemptKey: '1', slots, live: [{ kind: 'buyer', id: 'acme', limit: 3 }], now: T0 }).ok).toBe(true);
    const decision = decideBilling({ qualified: true, answerAt: T0 + 1000, buyerAnswerAt: T0 + 20_000, endAt: T0 + 200_000, buyerDuplicate: false, publisherDuplicate: false }, terms);
    db.repos.billing.recordHangup({ callId: 'c1', decision, terms, connected: true, buyerDuplicate: false, publisherDuplicate: false, now: T0 + 200_000 });
    // A second call that never connects: its connected/billable/revenue reservations are settled to zero.
    insertCall(db.store, { id: 'c2', caller: '+12125550100', inviteAt: T0 + 1, endAfter: 30_000 });
    expect(db.repos.caps.reserve({ callId: 'c2', attemptKey: '1', slots: capSlots(owner, T0 + 1, 5000), live: [], now: T0 }).ok).toBe(true);
    db.repos.billing.recordHangup({ callId: 'c2', decision: decideBilling({ qualified: true, answerAt: T0 + 1000, endAt: T0 + 30_000, buyerDuplicate: false, publisherDuplicate: false }, terms), terms, connected: false, buyerDuplicate: false, publisherDuplicate: false, now: T0 });
    db.store.close();

    db = openTestDb(file);
    const used = slots.map((s) => db.repos.caps.used(s));
    expect(used).toEqual([1, 5000, 1]);
    expect(db.repos.caps.live('buyer', 'acme')).toBe(0);
    const row = db.store.calls.get('c1')!;
    expect([row.billable, row.payable, row.revenue_cents, row.payout_cents, row.cost_cents]).toEqual([1, 1, 5000, 1500, decision.costCents]);
    // The same caller again, a week later: a duplicate for the buyer and for the publisher, decided from the file.
    const later = T0 + 7 * 86_400_000;
    const history = db.repos.billing.callerHistory('+14155550100', later - 30 * 86_400_000, later, 'c3');
    expect(history.map((h) => [h.callId, h.billable, h.payable])).toEqual([['c1', true, true]]);
    const ctx = { callId: 'c3', campaignId: 'injury', buyerId: 'acme', inviteAt: later };
    expect(buyerDuplicate(policy, history, ctx)).toEqual({ duplicate: true, priorCallId: 'c1' });
    expect(publisherDuplicate(policy, history, ctx)).toEqual({ duplicate: true, priorCallId: 'c1' });
    // Another caller has no history; withheld numbers never do.
    expect(db.repos.billing.callerHistory('+13125550100', 0, later, 'c3')).toEqual([]);
    expect(db.repos.billing.callerHistory('anonymous', 0, later, 'c3')).toEqual([]);
    expect(db.repos.billing.unbalancedCalls()).toEqual([]);
    db.store.close();
  });

  it('empties live slots left by a crash at startup', () => {
    const db = openTestDb(tmp.path('live.db'));
    expect(db.repos.caps.reserve({ callId: 'x', attemptKey: '1', slots: [], live: [{ kind: 'target', id: 't' }], now: 0 }).ok).toBe(true);
    expect(db.repos.caps.live('target', 't')).toBe(1);
    expect(db.repos.caps.clearLive()).toBe(1);
    expect(db.repos.caps.live('target', 't')).toBe(0);
    db.store.close();
  });
});
