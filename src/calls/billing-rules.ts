/**
 * Glue between the call flow and the billing rules: eligibility before distribution, an atomic cap/concurrency
 * reservation around each bridge attempt, campaign closed hours, and the money decision at hangup. The rules live in
 * src/core; the state in src/store; this file only gathers a call's facts for them.
 */
import type { Db } from '../store/db.js';
import { billingRepos, type BillingRepos } from '../store/billing-repos.js';
import type { HistoryWindow } from '../store/billing.js';
import { decideBilling, type BillingDecision, type BillingTerms } from '../core/billing.js';
import { buyerDuplicate, lookbackMs, publisherDuplicate, type HistoryCall } from '../core/duplicates.js';
import { capOwners, judgeCandidates, skipText, type RoutingCall } from '../core/eligibility.js';
import { capSlots, slotLabel } from '../core/caps.js';
import { callerGeo } from '../core/geo.js';
import { campaignHours, type CampaignHoursDecision } from '../core/hours.js';
import type { CallContext } from './context.js';
import type { Candidate, RoutePlan, Skip } from './routing.js';

const reposByDb = new WeakMap<Db, BillingRepos>();

/**
 * The billing repositories for the engine's database, built on first use. The first use in a process also empties the
 * live-call table: no call outlives the process that carried it.
 */
export function billingFor(ctx: Pick<CallContext, 'deps'>): BillingRepos {
  return billingForDb(ctx.deps.store.db);
}

export function billingForDb(db: Db): BillingRepos {
  let repos = reposByDb.get(db);
  if (!repos) {
    repos = billingRepos(db);
    repos.caps.clearLive();
    reposByDb.set(db, repos);
  }
  return repos;
}

/** The campaign's hours decision for this call, judged at the INVITE. */
export function campaignHoursFor(ctx: CallContext): CampaignHoursDecision {
  return campaignHours(ctx.campaign, ctx.call.receivedAt.getTime());
}

/** Every policy that can look back at this caller, so history is read once. */
function history(ctx: CallContext, inviteAt: number): HistoryCall[] {
  const policies = [ctx.campaign.duplicate, ctx.publisher.duplicate, ...[...ctx.config.buyers.values()].map((b) => b.duplicate)];
  const back = lookbackMs(policies);
  if (back === 0) return [];
  return billingFor(ctx).billing.callerHistory(ctx.caller, inviteAt - back, inviteAt, ctx.id);
}

export function routingCall(ctx: CallContext, now: number): RoutingCall {
  const inviteAt = ctx.call.receivedAt.getTime();
  return {
    callId: ctx.id, campaign: ctx.campaign, publisher: ctx.publisher, inviteAt, now, tags: ctx.tags,
    geo: callerGeo(ctx.caller, ctx.tags), history: history(ctx, inviteAt),
  };
}

/** Drops ineligible candidates from the plan (order kept) and records why in `plan.skipped`. */
export function applyEligibility(ctx: CallContext, plan: RoutePlan): RoutePlan {
  const call = routingCall(ctx, ctx.deps.now().getTime());
  const indexed = plan.candidates.map((c, index) => ({ ...c, bidCents: c.bid?.cents, index }));
  const judged = judgeCandidates(call, indexed, billingFor(ctx).caps.snapshot());
  const keep = new Set(judged.eligible.map((e) => e.index));
  const skipped: Skip[] = judged.skips.map((s) => ({ buyerId: s.buyerId, targetId: s.targetId, reason: skipText(s.skip) }));
  return { ...plan, candidates: plan.candidates.filter((_c, i) => keep.has(i)), skipped: [...plan.skipped, ...skipped] };
}

/**
 * Takes the candidate's cap slots and live slots for this attempt, atomically. A refusal (another call took the last
 * slot since eligibility looked) comes back as a skip reason for the CDR.
 */
export function reserveAttempt(ctx: CallContext, c: Candidate, seq: number): { ok: true } | { ok: false; reason: string } {
  const now = ctx.deps.now().getTime();
  const owners = capOwners(ctx, c);
  const result = billingFor(ctx).caps.reserve({
    callId: ctx.id, attemptKey: String(seq), now,
    slots: owners.flatMap((o) => capSlots(o, now, c.priceCents)),
    live: owners.map((o) => ({ kind: o.kind, id: o.id, ...(o.concurrency !== undefined ? { limit: o.concurrency } : {}) })),
  });
  if (result.ok) return result;
  return { ok: false, reason: 'full' in result ? `cap_reached:${slotLabel(result.full)}` : `concurrency:${result.busy.kind}` };
}

/** The attempt failed: give its slots back. */
export function releaseAttempt(ctx: CallContext, seq: number): void {
  billingFor(ctx).caps.release(ctx.id, String(seq));
}

/** Terms the call is sold on: kept on the row so conversions and disputes re-price under them. */
export function billingTerms(ctx: CallContext, c: Candidate | undefined): BillingTerms {
  const dest = c?.destination;
  const trunk = dest && 'trunk' in dest ? ctx.config.trunks.get(dest.trunk) : undefined;
  return {
    pricing: c?.buyer.pricing ?? 'duration',
    priceCents: c?.priceCents ?? 0,
    buyerMinDurationS: c?.minDurationS ?? 0,
    publisherMinDurationS: ctx.publisher.min_duration_s,
    payout: ctx.inboundBidCents === undefined ? ctx.publisher.payout : { type: 'fixed', amount_cents: ctx.inboundBidCents },
    carrierCentsPerMinute: ctx.carrier.cost_per_minute_cents,
    trunkCentsPerMinute: trunk?.cost_per_minute_cents ?? 0,
  };
}

/** Keeps the terms on the row as soon as a buyer answers, so a crash mid-call can still be billed under them. */
export function rememberTerms(ctx: CallContext, c: Candidate): void {
  billingFor(ctx).billing.saveTerms(ctx.id, billingTerms(ctx, c));
}

export interface HangupMoney {
  decision: BillingDecision;
  terms: BillingTerms;
  buyerDuplicate: boolean;
  publisherDuplicate: boolean;
}

export interface HangupTimes {
  answerAt?: number;
  buyerAnswerAt?: number;
  endAt: number;
}

/**
 * The caller's calls the hangup decision looks at: back the longest window of the policies that apply to this call,
 * and forward to its end (an overlapping call billed first makes this one the duplicate).
 */
function hangupHistory(ctx: CallContext, c: Candidate | undefined, endAt: number): HistoryWindow | undefined {
  if (!c) return undefined;
  const back = lookbackMs([c.buyer.duplicate ?? ctx.campaign.duplicate, ctx.publisher.duplicate ?? ctx.campaign.duplicate]);
  if (back === 0) return undefined;
  const inviteAt = ctx.call.receivedAt.getTime();
  return { caller: ctx.caller, from: inviteAt - back, until: Math.max(inviteAt, endAt) };
}

/** The money decision at hangup from the caller's history (`past`, read by the store under its write lock). */
export function hangupMoney(ctx: CallContext, c: Candidate | undefined, times: HangupTimes, past: readonly HistoryCall[]): HangupMoney {
  const inviteAt = ctx.call.receivedAt.getTime();
  const dupCtx = { callId: ctx.id, campaignId: ctx.campaign.id, buyerId: c?.buyer.id, inviteAt, until: times.endAt };
  const buyerDup = c ? buyerDuplicate(c.buyer.duplicate ?? ctx.campaign.duplicate, past, dupCtx).duplicate : false;
  const publisherDup = c ? publisherDuplicate(ctx.publisher.duplicate ?? ctx.campaign.duplicate, past, dupCtx).duplicate : false;
  const terms = billingTerms(ctx, c);
  const decision = decideBilling({ qualified: ctx.qualified === true, ...times, buyerDuplicate: buyerDup, publisherDuplicate: publisherDup }, terms);
  return { decision, terms, buyerDuplicate: buyerDup, publisherDuplicate: publisherDup };
}

/**
 * Decides and records the money at hangup in one write transaction (history read, decision, CDR money, ledger, cap
 * settlement), then runs `after` in it too: the closing row change and its webhook events commit with the bill.
 */
export function settleHangup(ctx: CallContext, c: Candidate | undefined, times: HangupTimes, after: (money: HangupMoney) => void): HangupMoney {
  return billingFor(ctx).billing.decideHangup<HangupMoney & { connected: boolean }>({
    callId: ctx.id,
    now: times.endAt,
    history: hangupHistory(ctx, c, times.endAt),
    decide: (past) => ({ ...hangupMoney(ctx, c, times, past), connected: c !== undefined }),
    after,
  });
}

