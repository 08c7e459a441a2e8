/**
 * Inbound bidding, the logic behind the publisher-facing endpoint: a publisher pings us with caller data;
 * we answer a bid, its expiry and the DID to send the call to, and hold a slot on the chosen target.
 * The call that then arrives on that DID from that caller before the expiry claims the reservation
 * (distribution routes it to the reserved target first; billing pays the publisher the bid).
 * Unclaimed reservations simply expire: capacity queries only count unexpired ones.
 */
import { randomUUID } from 'node:crypto';
import type { LoadedConfig } from '../config/model.js';
import type { Campaign, Publisher } from '../config/schema/index.js';
import { decideInboundBid, type CapacityOption } from '../core/distribution/inbound.js';
import { callerGeo, geoSkip } from '../core/geo.js';
import { hoursState } from '../core/hours.js';
import type { ReservationRepository } from '../store/auctions.js';
import type { PauseRepository } from '../store/distribution.js';

export interface InboundAsk {
  publisherId: string;
  /** Optional: which of the publisher's campaigns; default the first with a DID for it. */
  campaignId?: string;
  /** E.164 caller number. */
  caller: string;
  tags?: Record<string, string>;
}

export type InboundAnswer =
  | { bid: true; reservationId: string; bidCents: number; did: string; expiresAt: Date; expiresInS: number }
  | { bid: false; bidCents: 0; reason: string };

export interface InboundDeps {
  config: LoadedConfig;
  reservations: ReservationRepository;
  pauses: PauseRepository;
  now: Date;
  /** How long the bid and the reservation hold. Default 60 s. */
  expiresInS?: number;
}

export function answerInboundBid(deps: InboundDeps, ask: InboundAsk): InboundAnswer {
  const publisher = deps.config.publishers.get(ask.publisherId);
  const found = publisher && findCampaign(deps.config, publisher, ask.campaignId);
  if (!publisher || !found) return { bid: false, bidCents: 0, reason: 'no_campaign' };
  const decision = decideInboundBid(publisher.payout, capacity(deps, found.campaign, ask));
  if (!decision.bid) return { bid: false, bidCents: 0, reason: decision.reason };
  const expiresInS = deps.expiresInS ?? 60;
  const now = deps.now.getTime();
  const id = randomUUID();
  deps.reservations.insert({
    id, publisher_id: publisher.id, campaign_id: found.campaign.id, did: found.did, caller: ask.caller,
    buyer_id: decision.option.buyerId, target_id: decision.option.targetId, bid_cents: decision.cents,
    created_at: now, expires_at: now + expiresInS * 1000,
  });
  return { bid: true, reservationId: id, bidCents: decision.cents, did: found.did, expiresAt: new Date(now + expiresInS * 1000), expiresInS };
}

function findCampaign(config: LoadedConfig, publisher: Publisher, campaignId?: string): { campaign: Campaign; did: string } | undefined {
  for (const campaign of config.campaigns.values()) {
    if (campaignId !== undefined && campaign.id !== campaignId) continue;
    const did = campaign.dids.find((d) => d.publisher === publisher.id);
    if (did) return { campaign, did: did.number };
  }
  return undefined;
}

/** The campaign's routes a call could go to now, with their spare concurrency. */
function capacity(deps: InboundDeps, campaign: Campaign, ask: InboundAsk): CapacityOption[] {
  const now = deps.now.getTime();
  const tags = ask.tags ?? {};
  const geo = callerGeo(ask.caller, tags);
  const paused = deps.pauses.activeByBuyer(now);
  const live = deps.reservations.liveByTarget();
  const held = deps.reservations.heldByTarget(now);
  return campaign.routes.flatMap((route) => {
    const entry = deps.config.targets.get(route.target);
    if (!entry) return [];
    const { buyer, target } = entry;
    if (buyer.paused || target.paused || paused.has(buyer.id) || buyer.bidding) return [];
    if (!hoursState(buyer.hours, now).open || !hoursState(target.hours, now).open) return [];
    if (geoSkip(buyer.geography, geo)) return [];
    if (Object.entries(buyer.required_tags).some(([k, v]) => tags[k] !== v)) return [];
    const used = (live.get(target.id) ?? 0) + (held.get(target.id) ?? 0);
    const spare = target.concurrency === undefined ? null : target.concurrency - used;
    return [{ buyerId: buyer.id, targetId: target.id, priceCents: target.price_cents ?? buyer.price_cents, priority: route.priority, spare }];
  });
}
