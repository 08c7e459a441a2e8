/**
 * Ping-post for one call: which bidders take part, the auction, and the winning bids turned into
 * routing candidates (the bid's price, destination and required duration apply to the call).
 */
import type { Buyer } from '../config/schema/index.js';
import { usableBids, type Bid } from '../core/distribution/auction.js';
import { callerGeo } from '../core/geo.js';
import type { CallContext } from '../calls/context.js';
import type { Candidate, Skip } from '../calls/routing.js';
import type { Destination } from '../calls/destination.js';
import type { AuctionRecord } from '../store/auctions.js';
import type { BidderClient } from './client.js';
import { runAuction, type AuctionBidder } from './auction.js';

/**
 * One candidate per target of each campaign bidder (buyers with a `bidding` block), marked `bidder`, so
 * eligibility judges bidders like any other buyer before anyone is pinged. Priority = place in `bidders`.
 */
export function bidderCandidates(ctx: CallContext): Candidate[] {
  if (ctx.campaign.distribution !== 'ping_post') return [];
  return ctx.campaign.bidders.flatMap((buyerId, i) => {
    const buyer = ctx.config.buyers.get(buyerId);
    if (!buyer?.bidding) return [];
    return buyer.targets.map((target) => ({
      buyer,
      target,
      priority: i + 1,
      weight: 1,
      priceCents: target.price_cents ?? buyer.price_cents,
      minDurationS: buyer.min_duration_s,
      destination: target.destination,
      bidder: true,
    }));
  });
}

export interface PostResult {
  record: AuctionRecord;
  /** Usable bids as candidates, best first. */
  candidates: Candidate[];
  skipped: Skip[];
}

/** Ping each eligible bidder once (its first eligible target stands for it) and rank the answers. */
export async function auctionCandidates(client: BidderClient, ctx: CallContext, eligible: readonly Candidate[], auctionId: string): Promise<PostResult> {
  const byBuyer = new Map<string, Candidate>();
  for (const c of eligible) if (!byBuyer.has(c.buyer.id)) byBuyer.set(c.buyer.id, c);
  const bidders: AuctionBidder[] = [...byBuyer.values()].map((c) => toBidder(c.buyer, c.priority));
  const geo = callerGeo(ctx.caller, ctx.tags);
  const outcome = await runAuction(client, {
    pingId: auctionId,
    callId: ctx.id,
    campaignId: ctx.campaign.id,
    caller: { number: ctx.caller, areaCode: geo.areaCode ?? null, state: geo.state ?? null, zip: geo.zip ?? null },
    tags: ctx.tags,
    hashKey: ctx.deps.hashSecret,
    bidders,
  });
  const candidates: Candidate[] = [];
  const skipped: Skip[] = [];
  for (const bid of usableBids(outcome.ranked, client.clock())) {
    const base = byBuyer.get(bid.buyerId)!;
    const destination = bidDestination(ctx, base, bid);
    if (!destination) skipped.push({ buyerId: bid.buyerId, targetId: base.target.id, reason: 'bid_destination_undialable' });
    else candidates.push(fromBid(base, bid, destination, auctionId));
  }
  return { record: outcome.record, candidates, skipped };
}

function toBidder(buyer: Buyer, priority: number): AuctionBidder {
  const b = buyer.bidding!;
  return {
    buyerId: buyer.id,
    url: b.url,
    secret: b.secret,
    timeoutMs: b.timeout_ms,
    floorCents: b.floor_cents,
    canSeeCaller: b.can_see_caller,
    priority,
  };
}

/** SIP URI as is; an E.164 number goes out through the trunk the buyer's target uses, else the first trunk. */
function bidDestination(ctx: CallContext, base: Candidate, bid: Bid): Destination | null {
  if (bid.destination === null) return base.destination;
  if (!bid.destination.startsWith('+')) return { sip: bid.destination };
  const trunk = 'trunk' in base.destination ? base.destination.trunk : ctx.config.trunks.keys().next().value;
  return trunk === undefined ? null : { number: bid.destination, trunk };
}

function fromBid(base: Candidate, bid: Bid, destination: Destination, auctionId: string): Candidate {
  return {
    ...base,
    bidder: true,
    priceCents: bid.amountCents,
    minDurationS: bid.minDurationS ?? base.minDurationS,
    destination,
    bid: { cents: bid.amountCents, auctionId, expiresAt: bid.expiresAtMs },
  };
}
