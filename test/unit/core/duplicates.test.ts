import { describe, expect, it } from 'vitest';
import { buyerDuplicate, lookbackMs, publisherDuplicate, windowMs, type HistoryCall } from '../../../src/core/duplicates.js';
import { duplicatePolicy, type DuplicatePolicy } from '../../../src/config/schema/index.js';
import { at } from './billing-fixtures.js';

const NOW = at('2026-06-30T12:00:00Z');
const DAY = 86_400_000;
const pol = (p: object): DuplicatePolicy => duplicatePolicy.parse(p);
const row = (over: Partial<HistoryCall>): HistoryCall => ({
  callId: 'prior', campaignId: 'injury', publisherId: 'pub1', buyerId: 'acme', inviteAt: NOW - DAY, billable: true, payable: true, ...over,
});
const ctx = { callId: 'this', campaignId: 'injury', buyerId: 'acme', inviteAt: NOW };

describe('buyer duplicates', () => {
  it.each([
    ['no policy', undefined, [row({})], false],
    ['no history', pol({ window: '30d' }), [], false],
    ['billed 1 day ago, campaign scope', pol({ window: '30d' }), [row({})], true],
    ['exactly at the window edge counts', pol({ window: '30d' }), [row({ inviteAt: NOW - 30 * DAY })], true],
    ['one ms past the window does not', pol({ window: '30d' }), [row({ inviteAt: NOW - 30 * DAY - 1 })], false],
    ['prior call not billed (failed IVR, short talk)', pol({ window: '30d' }), [row({ billable: false })], false],
    ['the call itself is not its own prior', pol({ window: '30d' }), [row({ callId: 'this' })], false],
    ['a later call is not prior', pol({ window: '30d' }), [row({ inviteAt: NOW + 1 })], false],
    ['campaign scope: other campaign', pol({ window: '30d' }), [row({ campaignId: 'medicare' })], false],
    ['campaign scope: other buyer same campaign', pol({ window: '30d' }), [row({ buyerId: 'other' })], true],
    ['buyer scope: same buyer other campaign', pol({ window: '30d', scope: 'buyer' }), [row({ campaignId: 'medicare' })], true],
    ['buyer scope: other buyer', pol({ window: '30d', scope: 'buyer' }), [row({ buyerId: 'other' })], false],
    ['global scope: anything billed', pol({ window: '30d', scope: 'global' }), [row({ campaignId: 'x', buyerId: 'y' })], true],
    ['force new buyer: other buyer had it -> not a dup for this one', pol({ window: '30d', force_new_buyer: true }), [row({ buyerId: 'other' })], false],
    ['force new buyer: this buyer had it', pol({ window: '30d', force_new_buyer: true }), [row({})], true],
    ['12h window, 13h ago', pol({ window: '12h' }), [row({ inviteAt: NOW - 13 * 3_600_000 })], false],
  ] as const)('%s', (_n, policy, history, want) => {
    const d = buyerDuplicate(policy, history, ctx);
    expect(d.duplicate).toBe(want);
    if (d.duplicate) expect(d.priorCallId).toBeTruthy();
  });
});

describe('publisher duplicates', () => {
  it.each([
    ['paid before in campaign', pol({ window: '7d' }), [row({})], true],
    ['not paid before', pol({ window: '7d' }), [row({ payable: false })], false],
    ['paid before, buyer billed or not does not matter', pol({ window: '7d' }), [row({ billable: false })], true],
    ['paid 8 days ago', pol({ window: '7d' }), [row({ inviteAt: NOW - 8 * DAY })], false],
    ['other campaign, global scope', pol({ window: '7d', scope: 'global' }), [row({ campaignId: 'x' })], true],
  ] as const)('%s', (_n, policy, history, want) => {
    expect(publisherDuplicate(policy, history, ctx).duplicate).toBe(want);
  });
});

describe('windows', () => {
  it('parses durations and finds the longest lookback', () => {
    expect([windowMs('45s'), windowMs('90m'), windowMs('12h'), windowMs('30d')]).toEqual([45_000, 5_400_000, 43_200_000, 30 * DAY]);
    expect(lookbackMs([undefined, pol({ window: '7d' }), pol({ window: '30d' })])).toBe(30 * DAY);
    expect(lookbackMs([])).toBe(0);
    expect(() => windowMs('3w')).toThrow();
  });
});
