import { describe, expect, it } from 'vitest';
import { eligibility, judgeCandidates, skipText, type RoutingCall, type UsageSnapshot } from '../../../src/core/eligibility.js';
import type { Buyer } from '../../../src/config/schema/index.js';
import type { CapSlot } from '../../../src/core/caps.js';
import { at, makeBuyer, makeCampaign, makePublisher } from './billing-fixtures.js';

const NOW = at('2026-06-01T16:00:00Z'); // Monday 12:00 in New York
const call = (over: Partial<RoutingCall> = {}): RoutingCall => ({
  callId: 'c1', campaign: makeCampaign(), publisher: makePublisher(), inviteAt: NOW, now: NOW,
  tags: { age_65_plus: 'yes', zip: '94110' }, geo: { country: 'US', areaCode: '415', state: 'CA', zip: '94110' }, history: [], ...over,
});
const idle: UsageSnapshot = { used: () => 0, live: () => 0 };
const cand = (b: Buyer, bidCents?: number) => ({ buyer: b, target: b.targets[0]!, bidCents });
const office = { timezone: 'America/New_York', weekly: { mon: ['09:00-17:00'] }, holidays: [] };
const prior = { callId: 'p', campaignId: 'injury', publisherId: 'pub1', buyerId: 'acme', inviteAt: NOW - 3_600_000, billable: true, payable: true };

describe('eligibility of a buyer target', () => {
  it.each([
    ['plain buyer', makeBuyer(), call(), idle, undefined],
    ['buyer paused', makeBuyer({ paused: true }), call(), idle, 'buyer_paused'],
    ['target paused', makeBuyer({ targets: [{ id: 't', destination: { sip: 'sip:a@127.0.0.1' }, paused: true }] }), call(), idle, 'target_paused'],
    ['buyer open', makeBuyer({ hours: office }), call(), idle, undefined],
    ['buyer closed', makeBuyer({ hours: office }), call({ now: at('2026-06-01T21:00:00Z') }), idle, 'buyer_closed:outside_hours'],
    ['buyer holiday', makeBuyer({ hours: { ...office, holidays: ['2026-06-01'] } }), call(), idle, 'buyer_closed:holiday'],
    ['target closed', makeBuyer({ targets: [{ id: 't', destination: { sip: 'sip:a@127.0.0.1' }, hours: { ...office, weekly: { tue: ['09:00-17:00'] } } }] }), call(), idle, 'target_closed:outside_hours'],
    ['state outside', makeBuyer({ geography: { states: ['TX'], area_codes: [], zip_prefixes: [] } }), call(), idle, 'geo_state'],
    ['state unknown', makeBuyer({ geography: { states: ['CA'], area_codes: [], zip_prefixes: [] } }), call({ geo: {} }), idle, 'geo_state'],
    ['zip inside', makeBuyer({ geography: { states: [], area_codes: [], zip_prefixes: ['941'] } }), call(), idle, undefined],
    ['required tag present', makeBuyer({ required_tags: { age_65_plus: 'yes' } }), call(), idle, undefined],
    ['required tag wrong', makeBuyer({ required_tags: { age_65_plus: 'yes' } }), call({ tags: { age_65_plus: 'no' } }), idle, 'missing_tag:age_65_plus'],
    ['duplicate, routed anyway (not billed)', makeBuyer({ duplicate: { window: '30d', scope: 'buyer', force_new_buyer: false } }), call({ history: [prior] }), idle, undefined],
    ['duplicate, force new buyer skips the buyer that had it', makeBuyer({ duplicate: { window: '30d', scope: 'campaign', force_new_buyer: true } }), call({ history: [prior] }), idle, 'duplicate:p'],
    ['force new buyer: another buyer had it', makeBuyer({ id: 'beta', duplicate: { window: '30d', scope: 'campaign', force_new_buyer: true } }), call({ history: [prior] }), idle, undefined],
    ['campaign policy applies when the buyer has none', makeBuyer(), call({ campaign: makeCampaign({ duplicate: { window: '30d', scope: 'campaign', force_new_buyer: true } }), history: [prior] }), idle, 'duplicate:p'],
    ['buyer concurrency full', makeBuyer({ concurrency: 2 }), call(), { used: () => 0, live: (k: string) => (k === 'buyer' ? 2 : 0) }, 'concurrency:buyer'],
    ['buyer concurrency free', makeBuyer({ concurrency: 2 }), call(), { used: () => 0, live: () => 1 }, undefined],
    ['campaign concurrency full', makeBuyer(), call({ campaign: makeCampaign({ concurrency: 1 }) }), { used: () => 0, live: (k: string) => (k === 'campaign' ? 1 : 0) }, 'concurrency:campaign'],
    ['buyer daily cap reached', makeBuyer({ caps: [{ metric: 'routed', period: 'day', limit: 5 }] }), call(), { used: () => 5, live: () => 0 }, 'cap_reached:buyer:routed/day'],
    ['buyer daily cap one left', makeBuyer({ caps: [{ metric: 'routed', period: 'day', limit: 5 }] }), call(), { used: () => 4, live: () => 0 }, undefined],
    ['publisher billable cap reached', makeBuyer(), call({ publisher: makePublisher({ caps: [{ metric: 'billable', period: 'month', limit: 100 }] }) }), { used: (s: CapSlot) => (s.ownerKind === 'publisher' ? 100 : 0), live: () => 0 }, 'cap_reached:publisher:billable/month'],
    ['revenue cap would be passed by this price', makeBuyer({ caps: [{ metric: 'revenue_cents', period: 'day', limit: 10_000 }] }), call(), { used: () => 6000, live: () => 0 }, 'cap_reached:buyer:revenue_cents/day'],
  ] as const)('%s', (_n, buyer, c, usage, want) => {
    const e = eligibility(c, cand(buyer), usage);
    expect(e.eligible ? undefined : skipText(e.skip)).toBe(want);
  });

  it('prices by bid, then target, then buyer, and names the slots to reserve', () => {
    const b = makeBuyer({ price_cents: 4000, caps: [{ metric: 'revenue_cents', period: 'day', limit: 100_000 }] });
    const withTargetPrice = makeBuyer({ price_cents: 4000, targets: [{ id: 't', destination: { sip: 'sip:a@127.0.0.1' }, price_cents: 4500 }] });
    const e1 = eligibility(call(), cand(b), idle);
    const e2 = eligibility(call(), cand(withTargetPrice), idle);
    const e3 = eligibility(call(), cand(withTargetPrice, 7300), idle);
    expect([e1, e2, e3].map((e) => (e.eligible ? e.revenueCents : -1))).toEqual([4000, 4500, 7300]);
    expect(e1.eligible && e1.slots.map((s) => [s.ownerKind, s.metric, s.amount])).toEqual([['buyer', 'revenue_cents', 4000]]);
  });

  it('keeps the order of eligible candidates and reports every skip', () => {
    const a = makeBuyer({ id: 'a', targets: [{ id: 'ta', destination: { sip: 'sip:a@127.0.0.1' } }] });
    const p = makeBuyer({ id: 'p', paused: true, targets: [{ id: 'tp', destination: { sip: 'sip:p@127.0.0.1' } }] });
    const z = makeBuyer({ id: 'z', targets: [{ id: 'tz', destination: { sip: 'sip:z@127.0.0.1' } }] });
    const judged = judgeCandidates(call(), [cand(z), cand(p), cand(a)], idle);
    expect(judged.eligible.map((c) => c.buyer.id)).toEqual(['z', 'a']);
    expect(judged.skips.map((s) => [s.buyerId, s.targetId, s.skip.code])).toEqual([['p', 'tp', 'buyer_paused']]);
  });
});
