/**
 * Duplicate (repeat caller) decisions from the caller's persisted call history.
 *
 * A prior call counts only if it was actually billed (buyer side) or paid (publisher side): a caller who failed the
 * IVR or hung up after ten seconds and calls back is a new sale, not a repeat. It must have started within the window
 * before this call (inclusive: a call exactly `window` earlier still counts) and match the scope:
 * - `campaign`: a prior call in the same campaign;
 * - `buyer`: a prior call that went to the same buyer (any campaign);
 * - `global`: any prior call.
 * At hangup `until` is the call's end, so a call from the same caller that started while this one was live and was
 * billed first also counts: of two overlapping calls the first one billed is the sale, the other the duplicate.
 * `force_new_buyer` narrows a buyer duplicate to "this very buyer already had the caller": routing skips such buyers and
 * a repeat caller sold to a buyer that never had them is billable to it.
 */
import type { DuplicatePolicy } from '../config/schema/index.js';

/** One earlier call from the same caller, as the store reads it back. */
export interface HistoryCall {
  callId: string;
  campaignId: string | null;
  publisherId: string | null;
  buyerId: string | null;
  inviteAt: number;
  /** Billed to its buyer (and not since reversed by an accepted dispute). */
  billable: boolean;
  /** Paid to its publisher (and not since clawed back). */
  payable: boolean;
}

export interface DuplicateContext {
  callId: string;
  campaignId: string;
  /** The buyer the call goes (or would go) to. */
  buyerId?: string;
  /** This call's INVITE time: the window is measured back from it. */
  inviteAt: number;
  /**
   * The latest start that still counts (default `inviteAt`: only calls that started before this one). The hangup
   * decision passes the call's end, so overlapping calls already billed count too.
   */
  until?: number;
}

export type DuplicateDecision = { duplicate: false } | { duplicate: true; priorCallId: string };

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30d` -> milliseconds. The schema guarantees the shape. */
export function windowMs(duration: string): number {
  const m = /^([0-9]+)(s|m|h|d)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

function inWindow(row: HistoryCall, ctx: DuplicateContext, policy: DuplicatePolicy): boolean {
  return row.callId !== ctx.callId && row.inviteAt <= Math.max(ctx.inviteAt, ctx.until ?? ctx.inviteAt) && row.inviteAt >= ctx.inviteAt - windowMs(policy.window);
}

function inScope(row: HistoryCall, ctx: DuplicateContext, policy: DuplicatePolicy): boolean {
  if (policy.scope === 'campaign') return row.campaignId === ctx.campaignId;
  if (policy.scope === 'buyer') return ctx.buyerId !== undefined && row.buyerId === ctx.buyerId;
  return true;
}

function decide(rows: readonly HistoryCall[], match: (r: HistoryCall) => boolean): DuplicateDecision {
  const prior = rows.find(match);
  return prior ? { duplicate: true, priorCallId: prior.callId } : { duplicate: false };
}

/** Whether the call is a duplicate for the buyer it goes to, under the buyer's (or campaign's) policy. */
export function buyerDuplicate(policy: DuplicatePolicy | undefined, history: readonly HistoryCall[], ctx: DuplicateContext): DuplicateDecision {
  if (!policy) return { duplicate: false };
  return decide(
    history,
    (r) =>
      r.billable &&
      inWindow(r, ctx, policy) &&
      inScope(r, ctx, policy) &&
      (!policy.force_new_buyer || (ctx.buyerId !== undefined && r.buyerId === ctx.buyerId)),
  );
}

/** Whether the publisher was already paid for this caller, under the publisher's (or campaign's) policy. */
export function publisherDuplicate(policy: DuplicatePolicy | undefined, history: readonly HistoryCall[], ctx: DuplicateContext): DuplicateDecision {
  if (!policy) return { duplicate: false };
  return decide(history, (r) => r.payable && inWindow(r, ctx, policy) && inScope(r, ctx, policy));
}

/** The longest window any of these policies looks back, so the store reads history once. */
export function lookbackMs(policies: readonly (DuplicatePolicy | undefined)[]): number {
  return policies.reduce((max, p) => (p ? Math.max(max, windowMs(p.window)) : max), 0);
}

/** Where duplicate policies are set: per buyer, else per campaign (the loaded config has this shape). */
export interface DuplicatePolicies {
  buyers: ReadonlyMap<string, { duplicate?: DuplicatePolicy | undefined }>;
  campaigns: ReadonlyMap<string, { duplicate?: DuplicatePolicy | undefined }>;
}

/** The buyer-side policy for a call sold to `buyerId` in `campaignId`: the buyer's own, else the campaign's. */
export function buyerPolicyOf(policies: DuplicatePolicies, campaignId: string | null, buyerId: string | null): DuplicatePolicy | undefined {
  const own = buyerId === null ? undefined : policies.buyers.get(buyerId)?.duplicate;
  return own ?? (campaignId === null ? undefined : policies.campaigns.get(campaignId)?.duplicate);
}

/** The INVITE times a conversion's duplicate decision reads: the window on both sides of the call's INVITE. */
export function conversionSpan(policy: DuplicatePolicy, inviteAt: number): { from: number; until: number } {
  const w = windowMs(policy.window);
  return { from: inviteAt - w, until: inviteAt + w };
}

/**
 * The buyer duplicate decision when a conversion is what bills the call (conversion pricing bills then, not at
 * hangup, so two calls from one caller can both end "awaiting conversion"). The window runs both ways from this
 * call's INVITE: a call from the caller already billed within it, earlier or later, makes this conversion the
 * duplicate. Of two calls converted within one window the first one billed is the sale.
 */
export function conversionDuplicate(policy: DuplicatePolicy | undefined, history: readonly HistoryCall[], ctx: Omit<DuplicateContext, 'until'>): DuplicateDecision {
  if (!policy) return { duplicate: false };
  return buyerDuplicate(policy, history, { ...ctx, until: conversionSpan(policy, ctx.inviteAt).until });
}
