/**
 * Inbound bidding (a publisher asks us first), pure: given the targets that could take the call and
 * their spare capacity, pick the one to reserve and the amount we bid to the publisher.
 */
import type { Payout } from '../../config/schema/index.js';

export interface CapacityOption {
  buyerId: string;
  targetId: string;
  /** What the buyer pays us for the call. */
  priceCents: number;
  /** Route priority (1 = first). */
  priority: number;
  /** Free slots after live calls and open reservations; null = no concurrency limit. */
  spare: number | null;
}

export type InboundDecision =
  | { bid: true; cents: number; option: CapacityOption }
  | { bid: false; reason: 'no_capacity' | 'no_margin' };

/**
 * Reserve the best-paying target with room (ties by priority) and bid the publisher's payout for it:
 * a fixed amount, or its percent of the buyer's price. Never bid more than the buyer pays.
 */
export function decideInboundBid(payout: Payout, options: readonly CapacityOption[]): InboundDecision {
  const open = options
    .filter((o) => o.spare === null || o.spare > 0)
    .sort((a, b) => b.priceCents - a.priceCents || a.priority - b.priority);
  const best = open[0];
  if (!best) return { bid: false, reason: 'no_capacity' };
  const cents = payout.type === 'fixed' ? payout.amount_cents : Math.floor((best.priceCents * payout.percent) / 100);
  if (cents <= 0 || cents > best.priceCents) return { bid: false, reason: 'no_margin' };
  return { bid: true, cents, option: best };
}
