/**
 * Whether a buyer's target may take a call, checked in a fixed order (cheapest and most stable first) so the CDR
 * names one clear reason per skipped target. Caps and concurrency are judged here on a snapshot; the store's atomic
 * reservation is the final word when two calls race for the last slot.
 */
import type { Buyer, Campaign, Publisher, Target } from '../config/schema/index.js';
import { capSlots, firstFullSlot, slotLabel, type CapOwner, type CapOwnerKind, type CapSlot } from './caps.js';
import { buyerDuplicate, type DuplicateDecision, type HistoryCall } from './duplicates.js';
import { geoSkip, type CallerGeo, type GeoSkipReason } from './geo.js';
import { hoursState } from './hours.js';
import type { Tags } from './ivr.js';

export type SkipCode =
  | 'buyer_paused'
  | 'target_paused'
  | 'buyer_closed'
  | 'target_closed'
  | GeoSkipReason
  | 'missing_tag'
  | 'duplicate'
  | 'concurrency'
  | 'cap_reached';

export interface Skip {
  code: SkipCode;
  /** Which rule, e.g. `holiday`, `age_65_plus`, `buyer:routed/day`, a prior call id. Never a phone number. */
  detail?: string;
}

/** What routing knows about the call when it judges buyers. */
export interface RoutingCall {
  callId: string;
  campaign: Campaign;
  publisher: Publisher;
  inviteAt: number;
  now: number;
  tags: Tags;
  geo: CallerGeo;
  /** The caller's earlier calls within the longest duplicate window (from the store). */
  history: readonly HistoryCall[];
}

/** Counters and live calls as last read from the store. */
export interface UsageSnapshot {
  used(slot: CapSlot): number;
  live(kind: CapOwnerKind, id: string): number;
}

export interface Candidate {
  buyer: Buyer;
  target: Target;
  /** A winning bid replaces the price. */
  bidCents?: number;
}

export type Eligibility =
  | { eligible: true; revenueCents: number; duplicate: DuplicateDecision; slots: CapSlot[]; owners: CapOwner[] }
  | { eligible: false; skip: Skip };

/** `cap_reached:buyer:routed/day` — the text stored in routing_skips.reason. */
export function skipText(skip: Skip): string {
  return skip.detail ? `${skip.code}:${skip.detail}` : skip.code;
}

/** Revenue the call brings this buyer if billable: the bid, else the target's price, else the buyer's. */
export function expectedRevenue(c: Candidate): number {
  return c.bidCents ?? c.target.price_cents ?? c.buyer.price_cents;
}

/** Everyone whose caps and concurrency a call to this target counts against. */
export function capOwners(call: Pick<RoutingCall, 'campaign' | 'publisher'>, c: Candidate): CapOwner[] {
  const { buyer, target, campaign, publisher } = { ...c, ...call };
  return [
    { kind: 'target', id: target.id, timezone: buyer.timezone, caps: target.caps, concurrency: target.concurrency },
    { kind: 'buyer', id: buyer.id, timezone: buyer.timezone, caps: buyer.caps, concurrency: buyer.concurrency },
    { kind: 'campaign', id: campaign.id, timezone: campaign.timezone, caps: campaign.caps, concurrency: campaign.concurrency },
    { kind: 'publisher', id: publisher.id, timezone: publisher.timezone, caps: publisher.caps, concurrency: publisher.concurrency },
  ];
}

function staticSkip(call: RoutingCall, { buyer, target }: Candidate): Skip | undefined {
  if (buyer.paused) return { code: 'buyer_paused' };
  if (target.paused) return { code: 'target_paused' };
  const bh = hoursState(buyer.hours, call.now);
  if (!bh.open) return { code: 'buyer_closed', detail: bh.reason };
  const th = hoursState(target.hours, call.now);
  if (!th.open) return { code: 'target_closed', detail: th.reason };
  const geo = geoSkip(buyer.geography, call.geo);
  if (geo) return { code: geo };
  for (const [tag, want] of Object.entries(buyer.required_tags)) {
    if (call.tags[tag] !== want) return { code: 'missing_tag', detail: tag };
  }
  return undefined;
}

/** Judge one candidate. */
export function eligibility(call: RoutingCall, c: Candidate, usage: UsageSnapshot): Eligibility {
  const skip = staticSkip(call, c);
  if (skip) return { eligible: false, skip };
  const policy = c.buyer.duplicate ?? call.campaign.duplicate;
  const duplicate = buyerDuplicate(policy, call.history, {
    callId: call.callId, campaignId: call.campaign.id, buyerId: c.buyer.id, inviteAt: call.inviteAt,
  });
  // Only `force_new_buyer` keeps a repeat caller away; otherwise the call is routed and simply not billed.
  if (duplicate.duplicate && policy?.force_new_buyer) return { eligible: false, skip: { code: 'duplicate', detail: duplicate.priorCallId } };
  const owners = capOwners(call, c);
  const busy = owners.find((o) => o.concurrency !== undefined && usage.live(o.kind, o.id) >= o.concurrency);
  if (busy) return { eligible: false, skip: { code: 'concurrency', detail: busy.kind } };
  const revenueCents = expectedRevenue(c);
  const slots = owners.flatMap((o) => capSlots(o, call.now, revenueCents));
  const full = firstFullSlot(slots, (s) => usage.used(s));
  if (full) return { eligible: false, skip: { code: 'cap_reached', detail: slotLabel(full) } };
  return { eligible: true, revenueCents, duplicate, slots, owners };
}

export interface Judged<C extends Candidate> {
  eligible: (C & { revenueCents: number; duplicate: DuplicateDecision; slots: CapSlot[]; owners: CapOwner[] })[];
  skips: { buyerId: string; targetId: string; skip: Skip }[];
}

/** Split candidates into the eligible (order kept, for the distribution step) and the skipped (with reasons). */
export function judgeCandidates<C extends Candidate>(call: RoutingCall, candidates: readonly C[], usage: UsageSnapshot): Judged<C> {
  const out: Judged<C> = { eligible: [], skips: [] };
  for (const c of candidates) {
    const e = eligibility(call, c, usage);
    if (e.eligible) out.eligible.push({ ...c, revenueCents: e.revenueCents, duplicate: e.duplicate, slots: e.slots, owners: e.owners });
    else out.skips.push({ buyerId: c.buyer.id, targetId: c.target.id, skip: e.skip });
  }
  return out;
}
