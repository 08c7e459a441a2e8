import { afterAll, describe, expect, it } from 'vitest';
import { decideBilling, type BillingTerms } from '../../../src/core/billing.js';
import { capSlots } from '../../../src/core/caps.js';
import { insertCall, openTestDb, tempDir } from './helpers.js';

const tmp = tempDir('billing-conv-');
afterAll(() => tmp.cleanup());
const T0 = Date.parse('2026-06-01T15:00:00Z');
const DAY = 86_400_000;
const terms: BillingTerms = {
  pricing: 'conversion', priceCents: 8000, buyerMinDurationS: 0, publisherMinDurationS: 30,
  payout: { type: 'percent', percent: 25 }, carrierCentsPerMinute: 0, trunkCentsPerMinute: 0,
};
const owner = { kind: 'buyer' as const, id: 'acme', timezone: 'UTC', caps: [
  { metric: 'billable' as const, period: 'day' as const, limit: 10 },
  { metric: 'revenue_cents' as const, period: 'day' as const, limit: 100_000 },
] };

function soldCall(db: ReturnType<typeof openTestDb>, id: string) {
  insertCall(db.store, { id, caller: '+14155550100', inviteAt: T0, buyerAnswerAfter: 10_000, endAfter: 130_000 });
  expect(db.repos.caps.reserve({ callId: id, attemptKey: '1', slots: capSlots(owner, T0, terms.priceCents), live: [], now: T0 }).ok).toBe(true);
  const decision = decideBilling({ qualified: true, answerAt: T0 + 1000, buyerAnswerAt: T0 + 10_000, endAt: T0 + 130_000, buyerDuplicate: false, publisherDuplicate: false }, terms);
  db.repos.billing.recordHangup({ callId: id, decision, terms, connected: true, buyerDuplicate: false, publisherDuplicate: false, now: T0 + 130_000 });
}

describe('conversions in the store', () => {
  it('bills a conversion-priced call on its first report, ignores a retried event, updates on a later one', () => {
    const db = openTestDb(tmp.path('conv.db'));
    soldCall(db, 'c1');
    const slots = capSlots(owner, T0, 0);
    expect(db.store.calls.get('c1')).toMatchObject({ billable: 0, billable_reason: 'awaiting_conversion', revenue_cents: 0, payout_cents: 0 });
    expect(slots.map((s) => db.repos.caps.used(s))).toEqual([0, 0]);

    const first = db.repos.conversions.report({ eventId: 'e1', callId: 'c1', at: T0 + DAY }, T0 + DAY);
    expect(first).toEqual({ decision: { kind: 'apply', first: true }, money: { revenue_cents: 8000, payout_cents: 2000, cost_cents: 0, billable: true } });
    expect(db.repos.conversions.report({ eventId: 'e1', callId: 'c1', revenueCents: 1, at: T0 + DAY }, T0 + DAY)).toEqual({ decision: { kind: 'already_applied' } });
    const update = db.repos.conversions.report({ eventId: 'e2', callId: 'c1', revenueCents: 12_000, at: T0 + 2 * DAY }, T0 + 2 * DAY);
    expect(update.money).toEqual({ revenue_cents: 12_000, payout_cents: 3000, cost_cents: 0, billable: true });
    expect(db.store.calls.get('c1')).toMatchObject({ billable: 1, billable_reason: 'billable', revenue_cents: 12_000, payout_cents: 3000, conversion_revenue_cents: 12_000 });
    // Counted in the bucket of the day the call was sold, at the final revenue.
    expect(slots.map((s) => db.repos.caps.used(s))).toEqual([1, 12_000]);
    expect(db.repos.conversions.list('c1').map((c) => c.event_id)).toEqual(['e1', 'e2']);
    expect(db.repos.conversions.report({ eventId: 'e3', callId: 'nope', at: T0 }, T0).decision).toEqual({ kind: 'refused', reason: 'unknown_call' });
    expect(db.repos.billing.unbalancedCalls()).toEqual([]);
    db.store.close();
  });

  it('re-prices a call from a campaign without an IVR (qualified never written) as qualified', () => {
    const db = openTestDb(tmp.path('no-ivr.db'));
    soldCall(db, 'c1');
    db.store.calls.update('c1', { qualified: null }, T0 + 130_000);
    expect(db.repos.conversions.report({ eventId: 'e1', callId: 'c1', at: T0 + DAY }, T0 + DAY).money).toMatchObject({ revenue_cents: 8000, billable: true });
    db.store.close();
  });
});

describe('disputes in the store', () => {
  it('reverses revenue, claws back payout and frees the cap buckets when accepted', () => {
    const db = openTestDb(tmp.path('disp.db'));
    soldCall(db, 'c1');
    db.repos.conversions.report({ eventId: 'e1', callId: 'c1', at: T0 + DAY }, T0 + DAY);
    const end = T0 + 130_000;
    expect(db.repos.disputes.open({ callId: 'c1', buyerId: 'beta', windowDays: 7, now: end })).toEqual({ kind: 'refused', reason: 'wrong_buyer' });
    expect(db.repos.disputes.open({ callId: 'c1', buyerId: 'acme', windowDays: 7, now: end + 7 * DAY + 1 })).toEqual({ kind: 'refused', reason: 'window_closed' });
    expect(db.repos.disputes.open({ callId: 'c1', buyerId: 'acme', reason: 'wrong number', windowDays: 7, now: end + 7 * DAY })).toEqual({ kind: 'open' });
    expect(db.repos.disputes.open({ callId: 'c1', buyerId: 'acme', windowDays: 7, now: end + 7 * DAY })).toEqual({ kind: 'refused', reason: 'already_disputed' });
    const decided = db.repos.disputes.decide({ callId: 'c1', accepted: true, now: end + 8 * DAY });
    expect(decided).toMatchObject({ ok: true, dispute: { state: 'accepted', reversed_revenue_cents: 8000, clawed_payout_cents: 2000 } });
    expect(db.store.calls.get('c1')).toMatchObject({ billable: 0, billable_reason: 'disputed', payable: 0, payout_reason: 'clawed_back', revenue_cents: 0, payout_cents: 0 });
    expect(capSlots(owner, T0, 0).map((s) => db.repos.caps.used(s))).toEqual([0, 0]);
    expect(db.repos.disputes.decide({ callId: 'c1', accepted: true, now: end + 9 * DAY })).toEqual({ ok: false, reason: 'no_open_dispute' });
    expect(db.repos.conversions.report({ eventId: 'e9', callId: 'c1', at: end + 9 * DAY }, end + 9 * DAY).decision).toEqual({ kind: 'refused', reason: 'disputed' });
    // The ledger keeps the history: sale, then reversal; it still sums to the call row.
    const ledger = db.store.db.prepare('SELECT kind, revenue_cents, payout_cents FROM billing_ledger WHERE call_id = ? ORDER BY id').all('c1');
    expect(ledger).toEqual([
      { kind: 'hangup', revenue_cents: 0, payout_cents: 0 },
      { kind: 'conversion', revenue_cents: 8000, payout_cents: 2000 },
      { kind: 'dispute', revenue_cents: -8000, payout_cents: -2000 },
    ]);
    expect(db.repos.billing.unbalancedCalls()).toEqual([]);
    db.store.close();
  });

  it('a rejected dispute changes no money', () => {
    const db = openTestDb(tmp.path('rej.db'));
    soldCall(db, 'c1');
    db.repos.conversions.report({ eventId: 'e1', callId: 'c1', at: T0 + DAY }, T0 + DAY);
    expect(db.repos.disputes.open({ callId: 'c1', buyerId: 'acme', windowDays: 7, now: T0 + DAY }).kind).toBe('open');
    expect(db.repos.disputes.decide({ callId: 'c1', accepted: false, now: T0 + 2 * DAY })).toMatchObject({ ok: true, dispute: { state: 'rejected' } });
    expect(db.store.calls.get('c1')).toMatchObject({ billable: 1, revenue_cents: 8000, payout_cents: 2000 });
    db.store.close();
  });
});
