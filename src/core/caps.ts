/**
 * Caps: at most `limit` routed / connected / billable calls, or revenue cents, per hour, day, month or in total, counted
 * in the owner's time zone. This module names the counter buckets and judges a snapshot; the store makes the
 * check-and-increment atomic.
 *
 * Hour buckets carry the UTC offset, so the repeated hour on a fall-back day is two buckets, as two real hours are.
 */
import type { Cap } from '../config/schema/index.js';
import { localTime } from './hours.js';

export type CapOwnerKind = 'buyer' | 'target' | 'campaign' | 'publisher';
export type CapMetric = Cap['metric'];

export interface CapOwner {
  kind: CapOwnerKind;
  id: string;
  /** IANA zone the owner's periods are counted in (a target uses its buyer's). */
  timezone: string;
  caps: readonly Cap[];
  /** Live calls allowed at once; undefined = unlimited. */
  concurrency?: number;
}

/** One counter to check and bump for a call: the bucket, its limit, and how much the call adds. */
export interface CapSlot {
  ownerKind: CapOwnerKind;
  ownerId: string;
  metric: CapMetric;
  period: Cap['period'];
  periodKey: string;
  limit: number;
  amount: number;
}

/** Bucket key of `now` for a period in `zone`, e.g. `day:2026-03-08`, `hour:2026-11-01T01-05:00`, `total`. */
export function periodKey(period: Cap['period'], now: number, zone: string): string {
  if (period === 'total') return 'total';
  const t = localTime(now, zone);
  if (period === 'month') return `month:${t.toFormat('yyyy-MM')}`;
  if (period === 'day') return `day:${t.toFormat('yyyy-MM-dd')}`;
  return `hour:${t.toFormat("yyyy-MM-dd'T'HHZZ")}`;
}

/** The slots a call takes on `owner`'s caps. `revenueCents` is what the call is expected to bring (price or bid). */
export function capSlots(owner: CapOwner, now: number, revenueCents: number): CapSlot[] {
  return owner.caps.map((cap) => ({
    ownerKind: owner.kind,
    ownerId: owner.id,
    metric: cap.metric,
    period: cap.period,
    periodKey: periodKey(cap.period, now, owner.timezone),
    limit: cap.limit,
    amount: cap.metric === 'revenue_cents' ? revenueCents : 1,
  }));
}

/** A slot is full when it is already at its limit or the call would take it past it (limit 0 = closed). */
export function slotFull(slot: CapSlot, used: number): boolean {
  return used >= slot.limit || used + slot.amount > slot.limit;
}

/** Stable label for CDR skip reasons and logs: `buyer:billable/day`. */
export function slotLabel(slot: Pick<CapSlot, 'ownerKind' | 'metric' | 'period'>): string {
  return `${slot.ownerKind}:${slot.metric}/${slot.period}`;
}

/** The first slot that is full given the counters read, or undefined. */
export function firstFullSlot(slots: readonly CapSlot[], used: (slot: CapSlot) => number): CapSlot | undefined {
  return slots.find((s) => slotFull(s, used(s)));
}
