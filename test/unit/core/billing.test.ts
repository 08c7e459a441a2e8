import { describe, expect, it } from 'vitest';
import { decideBilling, talkSeconds, telephonyCost, type BillingTerms, type CallFacts } from '../../../src/core/billing.js';

const T0 = 1_780_000_000_000;
const terms = (over: Partial<BillingTerms> = {}): BillingTerms => ({
  pricing: 'duration', priceCents: 5000, buyerMinDurationS: 90, publisherMinDurationS: 60,
  payout: { type: 'fixed', amount_cents: 1500 }, carrierCentsPerMinute: 0, trunkCentsPerMinute: 0, ...over,
});
/** A call answered at T0, IVR for 30 s, buyer answered at T0+30 s, talk for `talkMs`. */
const facts = (talkMs: number, over: Partial<CallFacts> = {}): CallFacts => ({
  qualified: true, answerAt: T0, buyerAnswerAt: T0 + 30_000, endAt: T0 + 30_000 + talkMs, buyerDuplicate: false, publisherDuplicate: false, ...over,
});

describe('billing at hangup', () => {
  it.each([
    ['long call: both sides', facts(120_000), terms(), ['billable', 5000, 'paid', 1500]],
    ['exactly the buyer minimum', facts(90_000), terms(), ['billable', 5000, 'paid', 1500]],
    ['one ms short of the buyer minimum', facts(89_999), terms(), ['below_min_duration', 0, 'paid', 1500]],
    ['IVR time does not count toward the minimum', facts(60_000), terms({ buyerMinDurationS: 61 }), ['below_min_duration', 0, 'paid', 1500]],
    ['publisher minimum not met either', facts(59_999), terms(), ['below_min_duration', 0, 'below_min_duration', 0]],
    ['not qualified', facts(300_000, { qualified: false }), terms(), ['not_qualified', 0, 'not_qualified', 0]],
    ['no buyer answered', facts(0, { buyerAnswerAt: undefined }), terms(), ['not_connected', 0, 'not_connected', 0]],
    ['buyer duplicate, publisher new', facts(120_000, { buyerDuplicate: true }), terms(), ['duplicate', 0, 'paid', 1500]],
    ['publisher duplicate, buyer new', facts(120_000, { publisherDuplicate: true }), terms(), ['billable', 5000, 'duplicate', 0]],
    ['percent payout of revenue', facts(120_000), terms({ payout: { type: 'percent', percent: 40 } }), ['billable', 5000, 'paid', 2000]],
    ['percent payout rounds half up', facts(120_000), terms({ priceCents: 4999, payout: { type: 'percent', percent: 12.5 } }), ['billable', 4999, 'paid', 625]],
    ['percent payout of an unbilled call is 0', facts(60_000), terms({ payout: { type: 'percent', percent: 40 } }), ['below_min_duration', 0, 'paid', 0]],
    ['conversion pricing: no conversion yet', facts(600_000), terms({ pricing: 'conversion' }), ['awaiting_conversion', 0, 'paid', 1500]],
    ['conversion pricing: converted at price', facts(10_000, { conversion: {} }), terms({ pricing: 'conversion' }), ['billable', 5000, 'below_min_duration', 0]],
    ['conversion pricing: reported revenue', facts(120_000, { conversion: { revenueCents: 12_345 } }), terms({ pricing: 'conversion', payout: { type: 'percent', percent: 10 } }), ['billable', 12_345, 'paid', 1235]],
    ['conversion pricing: duplicate still not billed', facts(120_000, { conversion: {}, buyerDuplicate: true }), terms({ pricing: 'conversion' }), ['duplicate', 0, 'paid', 1500]],
    ['duration pricing ignores a conversion', facts(120_000, { conversion: { revenueCents: 99_999 } }), terms(), ['billable', 5000, 'paid', 1500]],
  ] as const)('%s', (_n, f, t, [reason, revenue, payoutReason, payout]) => {
    const d = decideBilling(f, t);
    expect([d.billableReason, d.revenueCents, d.payoutReason, d.payoutCents]).toEqual([reason, revenue, payoutReason, payout]);
    expect(d.billable).toBe(reason === 'billable');
    expect(d.payable).toBe(payoutReason === 'paid');
    expect(d.marginCents).toBe(d.revenueCents - d.payoutCents - d.costCents);
  });

  it('costs the inbound leg from our answer and the outbound leg from the buyer answer, per started second', () => {
    // inbound 30 s IVR + 120.2 s talk = 150.2 s -> 151 s at 1.2 c/min = 3.02 -> 3; outbound 120.2 s -> 121 s at 0.9 = 1.815 -> 2.
    const f = facts(120_200);
    expect(telephonyCost(f, { carrierCentsPerMinute: 1.2, trunkCentsPerMinute: 0.9 })).toBe(5);
    const d = decideBilling(f, terms({ carrierCentsPerMinute: 1.2, trunkCentsPerMinute: 0.9 }));
    expect([d.costCents, d.marginCents]).toEqual([5, 5000 - 1500 - 5]);
    // Never answered: nothing spent.
    expect(telephonyCost({ endAt: T0 }, { carrierCentsPerMinute: 5, trunkCentsPerMinute: 5 })).toBe(0);
  });

  it('floors talk seconds', () => {
    expect([talkSeconds(59_999), talkSeconds(60_000), talkSeconds(-3)]).toEqual([59, 60, 0]);
  });
});
