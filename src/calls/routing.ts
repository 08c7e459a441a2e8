/**
 * The routing seam: which buyers' targets to try for a call, in order.
 * Eligibility (hours, caps, geography, tags, duplicates) and the distribution methods plug in here.
 */
import type { Buyer, Target } from '../config/schema/index.js';
import type { CallContext } from './context.js';
import type { Destination } from './destination.js';
import { distribute, distributionFor } from '../rtb/distribution.js';
import { bidderCandidates } from '../rtb/post.js';
import { applyEligibility, campaignHoursFor } from './billing-rules.js';

export interface Candidate {
  buyer: Buyer;
  target: Target;
  priority: number;
  weight: number;
  /** Revenue if billable: a winning bid, else the target's or buyer's price. */
  priceCents: number;
  /** Talk time (s) the buyer requires for the call to be billable. */
  minDurationS: number;
  destination: Destination;
  /** Set when the candidate came from a ping-post auction. */
  bid?: { cents: number; auctionId: string; expiresAt?: number };
  /** A ping-post bidder's target: offered through the auction, never dialled without a bid. */
  bidder?: boolean;
}

export interface Skip {
  buyerId: string;
  targetId: string;
  reason: string;
}

export interface RoutePlan {
  candidates: Candidate[];
  skipped: Skip[];
  auctionId?: string;
}

/**
 * Static candidates from the campaign's routes (or only its after-hours target), in priority order, paused ones skipped.
 */
export function staticCandidates(ctx: CallContext, afterHoursTarget?: string): RoutePlan {
  const candidates: Candidate[] = [];
  const skipped: Skip[] = [];
  const routes = afterHoursTarget ? [{ target: afterHoursTarget, priority: 1, weight: 1 }] : ctx.campaign.routes;
  for (const route of routes) {
    const entry = ctx.config.targets.get(route.target);
    if (!entry) continue;
    const { buyer, target } = entry;
    if (buyer.paused || target.paused) {
      skipped.push({ buyerId: buyer.id, targetId: target.id, reason: 'paused' });
      continue;
    }
    candidates.push({
      buyer,
      target,
      priority: route.priority,
      weight: route.weight,
      priceCents: target.price_cents ?? buyer.price_cents,
      minDurationS: buyer.min_duration_s,
      destination: target.destination,
    });
  }
  candidates.sort((a, b) => a.priority - b.priority);
  return { candidates, skipped };
}

export async function planRoute(ctx: CallContext): Promise<RoutePlan> {
  const hours = campaignHoursFor(ctx);
  const afterHours = hours.kind === 'after_hours_target' ? hours.targetId : undefined;
  const plan = staticCandidates(ctx, afterHours);
  if (!afterHours) plan.candidates.push(...bidderCandidates(ctx));
  // Eligibility (hours, geography, tags, duplicates, caps, concurrency) first; then distribution orders the rest.
  return distribute(distributionFor(ctx.deps), ctx, applyEligibility(ctx, plan));
}
