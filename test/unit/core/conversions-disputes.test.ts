import { describe, expect, it } from 'vitest';
import { decideConversion, moneyDelta, type ConversionTarget } from '../../../src/core/conversions.js';
import { DAY_MS, decideOpenDispute, settleDispute, type DisputableCall } from '../../../src/core/disputes.js';

const T = 1_780_000_000_000;
const target = (over: Partial<ConversionTarget> = {}): ConversionTarget => ({
  exists: true, connected: true, ended: true, disputeAccepted: false, seenEventIds: new Set(['e1']), hasConversion: true, ...over,
});
describe('conversion reports', () => {
  it.each([
    ['first report', { eventId: 'e1' }, target({ seenEventIds: new Set(), hasConversion: false }), { kind: 'apply', first: true }],
    ['retry of the same event', { eventId: 'e1' }, target(), { kind: 'already_applied' }],
    ['later report updates', { eventId: 'e2', revenueCents: 900 }, target(), { kind: 'apply', first: false }],
    ['unknown call', { eventId: 'e9' }, target({ exists: false }), { kind: 'refused', reason: 'unknown_call' }],
    ['never connected', { eventId: 'e9' }, target({ connected: false }), { kind: 'refused', reason: 'not_connected' }],
    ['still in progress', { eventId: 'e9' }, target({ ended: false }), { kind: 'refused', reason: 'in_progress' }],
    ['disputed and reversed', { eventId: 'e9' }, target({ disputeAccepted: true }), { kind: 'refused', reason: 'disputed' }],
    ['negative revenue', { eventId: 'e9', revenueCents: -1 }, target(), { kind: 'refused', reason: 'bad_revenue' }],
    ['fractional revenue', { eventId: 'e9', revenueCents: 10.5 }, target(), { kind: 'refused', reason: 'bad_revenue' }],
  ] as const)('%s', (_n, r, t, want) => {
    expect(decideConversion({ callId: 'c', at: T, ...r }, t)).toEqual(want);
  });

  it('computes the ledger delta', () => {
    expect(moneyDelta({ revenueCents: 0, payoutCents: 1500, costCents: 7 }, { revenueCents: 9000, payoutCents: 2700, costCents: 7 })).toEqual({ revenueCents: 9000, payoutCents: 1200, costCents: 0 });
  });
});

const billed = (over: Partial<DisputableCall> = {}): DisputableCall => ({ exists: true, billable: true, endAt: T, buyerId: 'acme', alreadyDisputed: false, ...over });
describe('disputes', () => {
  it.each([
    ['inside the window', billed(), T + DAY_MS, { kind: 'open' }],
    ['last millisecond of a 7-day window', billed(), T + 7 * DAY_MS, { kind: 'open' }],
    ['one ms after the window', billed(), T + 7 * DAY_MS + 1, { kind: 'refused', reason: 'window_closed' }],
    ['not billed', billed({ billable: false }), T, { kind: 'refused', reason: 'not_billable' }],
    ['another buyer', billed({ buyerId: 'beta' }), T, { kind: 'refused', reason: 'wrong_buyer' }],
    ['twice', billed({ alreadyDisputed: true }), T, { kind: 'refused', reason: 'already_disputed' }],
    ['unknown', billed({ exists: false }), T, { kind: 'refused', reason: 'unknown_call' }],
    ['in progress', billed({ endAt: null }), T, { kind: 'refused', reason: 'in_progress' }],
  ] as const)('%s', (_n, call, now, want) => {
    expect(decideOpenDispute(call, 'acme', 7, now)).toEqual(want);
  });

  it('an accepted dispute reverses revenue and claws back payout; the cost stays', () => {
    const money = { revenueCents: 5000, payoutCents: 1500, costCents: 12 };
    expect(settleDispute(money, true)).toEqual({ revenueCents: 0, payoutCents: 0, costCents: 12, marginCents: -12 });
    expect(settleDispute(money, false)).toEqual({ ...money, marginCents: 3488 });
  });
});
