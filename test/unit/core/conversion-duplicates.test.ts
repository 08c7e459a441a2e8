import { describe, expect, it } from 'vitest';
import { buyerPolicyOf, conversionDuplicate, conversionSpan, type HistoryCall } from '../../../src/core/duplicates.js';
import { duplicatePolicy, type DuplicatePolicy } from '../../../src/config/schema/index.js';
import { at } from './billing-fixtures.js';

const INVITE = at('2026-06-30T12:00:00Z');
const DAY = 86_400_000;
const pol = (p: object): DuplicatePolicy => duplicatePolicy.parse(p);
const row = (over: Partial<HistoryCall>): HistoryCall => ({
  callId: 'other', campaignId: 'injury', publisherId: 'pub1', buyerId: 'acme', inviteAt: INVITE, billable: true, payable: true, ...over,
});
const ctx = { callId: 'this', campaignId: 'injury', buyerId: 'acme', inviteAt: INVITE };

describe('duplicates when a conversion bills the call', () => {
  it.each([
    ['no policy', undefined, [row({})], false],
    ['billed call a day earlier', pol({ window: '30d' }), [row({ inviteAt: INVITE - DAY })], true],
    ['billed call a day later (converted first)', pol({ window: '30d' }), [row({ inviteAt: INVITE + DAY })], true],
    ['exactly one window later counts', pol({ window: '30d' }), [row({ inviteAt: INVITE + 30 * DAY })], true],
    ['one ms past the window after does not', pol({ window: '30d' }), [row({ inviteAt: INVITE + 30 * DAY + 1 })], false],
    ['one ms past the window before does not', pol({ window: '30d' }), [row({ inviteAt: INVITE - 30 * DAY - 1 })], false],
    ['a later call not billed (still awaiting) does not', pol({ window: '30d' }), [row({ inviteAt: INVITE + DAY, billable: false })], false],
    ['the call itself is not its own duplicate', pol({ window: '30d' }), [row({ callId: 'this' })], false],
    ['campaign scope: other campaign', pol({ window: '30d' }), [row({ campaignId: 'medicare', inviteAt: INVITE + DAY })], false],
    ['force new buyer: another buyer had it', pol({ window: '30d', force_new_buyer: true }), [row({ buyerId: 'other', inviteAt: INVITE + DAY })], false],
  ] as const)('%s', (_name, policy, history, expected) => {
    expect(conversionDuplicate(policy, history, ctx).duplicate).toBe(expected);
  });

  it('reads history a window either side of the INVITE', () => {
    expect(conversionSpan(pol({ window: '2d' }), INVITE)).toEqual({ from: INVITE - 2 * DAY, until: INVITE + 2 * DAY });
  });

  it("takes the buyer's own policy, else the campaign's", () => {
    const own = pol({ window: '7d', scope: 'buyer' });
    const campaign = pol({ window: '30d' });
    const policies = { buyers: new Map([['acme', { duplicate: own }], ['plain', {}]]), campaigns: new Map([['injury', { duplicate: campaign }]]) };
    expect(buyerPolicyOf(policies, 'injury', 'acme')).toBe(own);
    expect(buyerPolicyOf(policies, 'injury', 'plain')).toBe(campaign);
    expect(buyerPolicyOf(policies, 'injury', null)).toBe(campaign);
    expect(buyerPolicyOf(policies, null, 'plain')).toBeUndefined();
    expect(buyerPolicyOf(policies, 'gone', 'gone')).toBeUndefined();
  });
});
