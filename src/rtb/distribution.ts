/**
 * The distribution step of routing, with its I/O: drops paused buyers (auto or operator pauses from the
 * store), orders the eligible candidates by the campaign's method (round-robin position read and written
 * in one transaction), and for ping_post campaigns runs the auction and puts the bids first.
 * Runs after eligibility; the ordering rules themselves are pure (core/distribution).
 */
import { randomUUID } from 'node:crypto';
import type { Campaign } from '../config/schema/index.js';
import { orderByPriority, orderRoundRobin, orderWeighted } from '../core/distribution/order.js';
import { seededRng, type Rng } from '../core/distribution/rng.js';
import type { Db } from '../store/db.js';
import { AuctionRepository, ReservationRepository, type ReservationRow } from '../store/auctions.js';
import { PauseRepository, RoundRobinRepository } from '../store/distribution.js';
import type { Candidate, RoutePlan, Skip } from '../calls/routing.js';
import type { CallContext } from '../calls/context.js';
import { BidderClient } from './client.js';
import { auctionCandidates } from './post.js';

export interface DistributionService {
  readonly roundRobin: RoundRobinRepository;
  readonly pauses: PauseRepository;
  readonly auctions: AuctionRepository;
  readonly reservations: ReservationRepository;
  /** Null: ping_post campaigns route to their static buyers only. */
  readonly client: BidderClient | null;
  readonly rng: Rng;
  close(): Promise<void>;
}

export interface DistributionOptions {
  /** Seed for weighted draws (tests); default: a random seed per process. */
  seed?: number;
  /** Pass false to disable outbound pings (no HTTP client). */
  bidding?: boolean;
  /** Epoch-ms clock for bid expiry: the engine's, so expiry compares with the call flow's `now`. */
  clock?: () => number;
}

export function createDistribution(db: Db, opts: DistributionOptions = {}): DistributionService {
  const client = opts.bidding === false ? null : new BidderClient(opts.clock ? { clock: opts.clock } : {});
  return {
    roundRobin: new RoundRobinRepository(db),
    pauses: new PauseRepository(db),
    auctions: new AuctionRepository(db),
    reservations: new ReservationRepository(db),
    client,
    rng: seededRng(opts.seed ?? Math.floor(Math.random() * 2 ** 32)),
    close: async () => {
      await client?.close();
    },
  };
}

/** Order static candidates by the campaign's method. ping_post falls back to its routes in priority order. */
export function orderCandidates(svc: DistributionService, campaign: Campaign, candidates: readonly Candidate[], now: number): Candidate[] {
  const keyed = candidates.map((c) => ({ ...c, id: c.target.id }));
  switch (campaign.distribution) {
    case 'weighted':
      return orderWeighted(keyed, svc.rng);
    case 'round_robin': {
      const allIds = campaign.routes.map((r) => r.target);
      return svc.roundRobin.advance(campaign.id, now, (position) => {
        const r = orderRoundRobin(keyed, position, allIds);
        return { result: r.ordered, position: r.position };
      });
    }
    case 'priority':
    case 'ping_post':
      return orderByPriority(keyed);
  }
}

/** Candidates whose buyer has a pause in force (auto or operator) become skips, with the pause's reason. */
export function dropPaused(svc: DistributionService, plan: RoutePlan, now: number): RoutePlan {
  const paused = svc.pauses.activeByBuyer(now);
  if (paused.size === 0) return plan;
  const skipped: Skip[] = [...plan.skipped];
  const candidates = plan.candidates.filter((c) => {
    const p = paused.get(c.buyer.id);
    if (p) skipped.push({ buyerId: c.buyer.id, targetId: c.target.id, reason: `buyer_paused:${p.source}` });
    return !p;
  });
  return { ...plan, candidates, skipped };
}

/** The whole step: paused buyers out, bidders to the auction, the rest ordered by the campaign's method. */
export async function distribute(svc: DistributionService, ctx: CallContext, plan: RoutePlan): Promise<RoutePlan> {
  const now = ctx.deps.now().getTime();
  const reserved = ctx.caller === 'anonymous' ? undefined : svc.reservations.claim(ctx.did, ctx.caller, ctx.id, now);
  if (reserved) {
    ctx.inboundBidCents = reserved.bid_cents;
    ctx.log.info({ reservation: reserved.id, target: reserved.target_id }, 'inbound bid reservation claimed');
    const open = dropPaused(svc, plan, now);
    return { ...open, candidates: reservedFirst(orderCandidates(svc, ctx.campaign, open.candidates.filter((c) => !c.bidder), now), reserved) };
  }
  const open = dropPaused(svc, plan, now);
  const statics = open.candidates.filter((c) => !c.bidder);
  const bidders = open.candidates.filter((c) => c.bidder);
  if (ctx.campaign.distribution !== 'ping_post' || bidders.length === 0 || !svc.client) {
    return { ...open, candidates: orderCandidates(svc, ctx.campaign, statics, now) };
  }
  const auctionId = randomUUID();
  const post = await auctionCandidates(svc.client, ctx, bidders, auctionId);
  svc.auctions.insert(post.record);
  ctx.log.info({ auctionId, bidders: post.record.bids.length, bids: post.candidates.length, winner: post.record.winnerBuyerId }, 'auction done');
  // A buyer that won a bid is not tried a second time through its static route.
  const withBid = new Set(post.candidates.map((c) => c.buyer.id));
  const rest = orderCandidates(svc, ctx.campaign, statics.filter((c) => !withBid.has(c.buyer.id)), now);
  return { candidates: [...post.candidates, ...rest], skipped: [...open.skipped, ...post.skipped], auctionId };
}

/** The target the publisher's bid reserved goes first; the rest stay as failover. */
function reservedFirst(ordered: Candidate[], r: ReservationRow): Candidate[] {
  const i = ordered.findIndex((c) => c.target.id === r.target_id);
  return i <= 0 ? ordered : [ordered[i]!, ...ordered.slice(0, i), ...ordered.slice(i + 1)];
}

const fallback = new WeakMap<object, DistributionService>();

/** The engine's service, or one built once per store (tests and tools that wire deps by hand). */
export function distributionFor(deps: { store: { db: Db }; now: () => Date; distribution?: DistributionService }): DistributionService {
  if (deps.distribution) return deps.distribution;
  let svc = fallback.get(deps.store);
  if (!svc) {
    svc = createDistribution(deps.store.db, { clock: () => deps.now().getTime() });
    fallback.set(deps.store, svc);
  }
  return svc;
}
