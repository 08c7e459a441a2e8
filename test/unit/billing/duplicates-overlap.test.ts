/** The hangup decision's view of duplicates: calls that overlapped this one and were billed first count too. */
import { describe, expect, it } from 'vitest';
import { buyerDuplicate, publisherDuplicate, type HistoryCall } from '../../../src/core/duplicates.js';
import { duplicatePolicy } from '../../../src/config/schema/index.js';

const T = Date.parse('2026-11-20T15:00:00Z');
const policy = duplicatePolicy.parse({ window: '30d' });
const other = (over: Partial<HistoryCall>): HistoryCall => ({
  callId: 'other', campaignId: 'medicare', publisherId: 'pub_one', buyerId: 'buyer_first', inviteAt: T + 1000, billable: true, payable: true, ...over,
});
const routing = { callId: 'this', campaignId: 'medicare', buyerId: 'buyer_first', inviteAt: T };
const hangup = { ...routing, until: T + 150_000 };

describe('duplicates at hangup (until = end of the call)', () => {
  it('a call that started after this one and was billed while it was live makes this one the duplicate', () => {
    expect(buyerDuplicate(policy, [other({})], routing).duplicate).toBe(false);
    expect(buyerDuplicate(policy, [other({})], hangup)).toEqual({ duplicate: true, priorCallId: 'other' });
    expect(publisherDuplicate(policy, [other({})], hangup)).toEqual({ duplicate: true, priorCallId: 'other' });
  });

  it('still only billed / paid calls, in scope, and nothing that started after this call ended', () => {
    expect(buyerDuplicate(policy, [other({ billable: false })], hangup).duplicate).toBe(false);
    expect(publisherDuplicate(policy, [other({ payable: false })], hangup).duplicate).toBe(false);
    expect(buyerDuplicate(policy, [other({ campaignId: 'auto' })], hangup).duplicate).toBe(false);
    expect(buyerDuplicate(policy, [other({ inviteAt: T + 150_001 })], hangup).duplicate).toBe(false);
  });

  it('an `until` before the invite never narrows the window below the invite', () => {
    expect(buyerDuplicate(policy, [other({ inviteAt: T })], { ...routing, until: T - 5 }).duplicate).toBe(true);
  });
});
