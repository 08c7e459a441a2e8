/**
 * A seeded replay of synthetic calls through the real billing core and the real store: eligibility, atomic cap and
 * concurrency reservations (released on failed attempts), duplicates decided from stored history, hangup billing,
 * conversions and disputes. Alongside, it keeps its own books from the core decisions; `recount.ts` compares them
 * with what the store's P&L reads back from the call rows.
 */
import type { Buyer, Campaign, Publisher, Target } from '../../src/config/schema/index.js';
import { decideBilling, type BillingDecision, type BillingTerms, type CallFacts } from '../../src/core/billing.js';
import { capOwners, expectedRevenue, judgeCandidates, skipText, type RoutingCall } from '../../src/core/eligibility.js';
import { capSlots, slotLabel } from '../../src/core/caps.js';
import { buyerDuplicate, lookbackMs, publisherDuplicate } from '../../src/core/duplicates.js';
import { callerGeo } from '../../src/core/geo.js';
import { campaignHours } from '../../src/core/hours.js';
import { seededRng, type Rng } from '../../src/core/distribution/rng.js';
import type { Store } from '../../src/store/index.js';
import type { BillingRepos } from '../../src/store/billing-repos.js';
import { buildWorld, callerPool, type World } from './world.js';

/** One call as the replay's own books know it. */
export interface SimCall {
  id: string;
  caller: string;
  campaign: Campaign;
  publisher: Publisher;
  inviteAt: number;
  answerAt: number;
  qualified: boolean;
  tags: Record<string, string>;
  buyer?: Buyer;
  target?: Target;
  buyerAnswerAt?: number;
  endAt: number;
  outcome: string;
  terms: BillingTerms;
  facts?: CallFacts;
  decision?: BillingDecision;
}

export interface Env {
  rng: Rng;
  world: World;
  store: Store;
  repos: BillingRepos;
  callers: string[];
  recent: string[];
  seq: number;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const ZIPS = ['94110', '10001', '80202', '60601', '33101', '98101', '19104', '85004'];

export function createEnv(seed: number, store: Store, repos: BillingRepos): Env {
  const rng = seededRng(seed);
  return { rng, world: buildWorld(), store, repos, callers: callerPool(rng, 4000), recent: [], seq: 0 };
}

function termsFor(env: Env, c: { buyer?: Buyer; target?: Target; publisher: Publisher }): BillingTerms {
  const dest = c.target?.destination;
  const trunk = dest && 'trunk' in dest ? env.world.trunks.get(dest.trunk) : undefined;
  return {
    pricing: c.buyer?.pricing ?? 'duration',
    priceCents: c.buyer && c.target ? expectedRevenue({ buyer: c.buyer, target: c.target }) : 0,
    buyerMinDurationS: c.buyer?.min_duration_s ?? 0,
    publisherMinDurationS: c.publisher.min_duration_s,
    payout: c.publisher.payout,
    carrierCentsPerMinute: env.world.carrier.cost_per_minute_cents,
    trunkCentsPerMinute: trunk?.cost_per_minute_cents ?? 0,
  };
}

/** Who calls: about a third are repeat callers from the recent past, a few withhold their number. */
function nextCaller(env: Env): string {
  const r = env.rng();
  if (r < 0.02) return 'anonymous';
  const caller = r < 0.37 && env.recent.length > 0 ? pick(env.rng, env.recent) : pick(env.rng, env.callers);
  env.recent.push(caller);
  if (env.recent.length > 500) env.recent.shift();
  return caller;
}

/** Writes the INVITE, answer and IVR result as the call flow does; returns the call as far as it got. */
export function arrive(env: Env, inviteAt: number): SimCall {
  const { rng, world, store } = env;
  const campaign = pick(rng, world.campaigns);
  const did = pick(rng, campaign.dids);
  const publisher = world.publishers.find((p) => p.id === did.publisher)!;
  const id = `sim-${String(++env.seq).padStart(6, '0')}`;
  const caller = nextCaller(env);
  store.calls.insert({ id, sip_call_id: `${id}@sim`, driver: 'simulate', did: did.number, caller, carrier_id: world.carrier.id,
    source_address: '127.0.0.1', campaign_id: campaign.id, publisher_id: publisher.id, config_digest: 'simulate', invite_at: inviteAt });
  const answerAt = inviteAt + between(rng, 200, 1500);
  const call: SimCall = { id, caller, campaign, publisher, inviteAt, answerAt, qualified: false, tags: {}, endAt: answerAt, outcome: 'closed', terms: termsFor(env, { publisher }) };
  if (campaignHours(campaign, inviteAt).kind !== 'open') {
    call.endAt = answerAt + 9000; // the closed-hours message
    store.calls.update(id, { answer_at: answerAt, phase: 'ivr' }, answerAt);
    return call;
  }
  const ivrEnd = answerAt + between(rng, 15_000, 70_000);
  call.qualified = rng() < 0.85;
  call.tags = { age_65_plus: rng() < 0.7 ? 'yes' : 'no', ...(rng() < 0.9 ? { zip: pick(rng, ZIPS) } : {}) };
  store.calls.update(id, { answer_at: answerAt, ivr_end_at: ivrEnd, qualified: call.qualified ? 1 : 0, tags: JSON.stringify(call.tags), phase: 'routing', routing_at: ivrEnd }, ivrEnd);
  call.endAt = ivrEnd + 2000;
  call.outcome = call.qualified ? 'no_buyer' : 'not_qualified';
  if (call.qualified) route(env, call, ivrEnd);
  return call;
}

function routingCall(env: Env, call: SimCall, now: number): RoutingCall {
  const policies = [call.campaign.duplicate, call.publisher.duplicate, ...env.world.buyers.map((b) => b.duplicate)];
  const back = lookbackMs(policies);
  const history = env.repos.billing.callerHistory(call.caller, call.inviteAt - back, call.inviteAt, call.id);
  return { callId: call.id, campaign: call.campaign, publisher: call.publisher, inviteAt: call.inviteAt, now, tags: call.tags, geo: callerGeo(call.caller, call.tags), history };
}

/** Eligibility, then a waterfall of attempts, each holding its cap slots atomically until it fails or connects. */
function route(env: Env, call: SimCall, startAt: number): void {
  const { rng, store, repos, world } = env;
  const routes = [...call.campaign.routes].sort((a, b) => a.priority - b.priority);
  const candidates = routes.map((r) => ({ buyer: world.buyerOfTarget.get(r.target)!, target: world.buyerOfTarget.get(r.target)!.targets.find((t) => t.id === r.target)! }));
  const judged = judgeCandidates(routingCall(env, call, startAt), candidates, repos.caps.snapshot());
  store.calls.insertSkips(call.id, judged.skips.map((s) => ({ buyerId: s.buyerId, targetId: s.targetId, reason: skipText(s.skip) })));
  let now = startAt;
  let attempts = 0;
  for (const c of judged.eligible) {
    if (attempts >= call.campaign.max_attempts) break;
    const owners = capOwners(call, c);
    const held = repos.caps.reserve({ callId: call.id, attemptKey: String(attempts + 1), now, slots: owners.flatMap((o) => capSlots(o, now, c.revenueCents)),
      live: owners.map((o) => ({ kind: o.kind, id: o.id, ...(o.concurrency !== undefined ? { limit: o.concurrency } : {}) })) });
    if (!held.ok) {
      store.calls.insertSkips(call.id, [{ buyerId: c.buyer.id, targetId: c.target.id, reason: 'full' in held ? `cap_reached:${slotLabel(held.full)}` : `concurrency:${held.busy.kind}` }]);
      continue;
    }
    attempts++;
    const ring = between(rng, 2000, 18_000);
    const attemptId = store.calls.insertAttempt({ call_id: call.id, seq: attempts, buyer_id: c.buyer.id, target_id: c.target.id, destination: 'sim', invite_at: now });
    if (rng() < 0.72) {
      call.buyer = c.buyer;
      call.target = c.target;
      call.buyerAnswerAt = now + ring;
      call.endAt = call.buyerAnswerAt + talkTime(rng);
      call.outcome = 'connected';
      call.terms = termsFor(env, call);
      store.calls.updateAttempt(attemptId, { result: 'answered', sip_code: 200, answer_at: call.buyerAnswerAt });
      store.calls.update(call.id, { phase: 'bridged', bridge_start_at: startAt, buyer_answer_at: call.buyerAnswerAt, buyer_id: c.buyer.id, target_id: c.target.id }, call.buyerAnswerAt);
      return;
    }
    now += ring;
    store.calls.updateAttempt(attemptId, { result: rng() < 0.5 ? 'busy' : 'no_answer', sip_code: 486, end_at: now });
    repos.caps.release(call.id, String(attempts));
  }
  call.endAt = now + 4000; // the no-buyer message
}

/** Talk time: many short calls around the minimums, a long tail. */
function talkTime(rng: Rng): number {
  const r = rng();
  if (r < 0.15) return between(rng, 1000, 29_999);
  if (r < 0.35) return between(rng, 30_000, 95_000);
  return between(rng, 95_000, 1_200_000);
}

/** Hangup: duplicates from stored history, the billing decision, and the closing row write. */
export function hangup(env: Env, call: SimCall): void {
  const { repos, store } = env;
  const history = call.buyer ? routingCall(env, call, call.endAt).history : [];
  const dup = { callId: call.id, campaignId: call.campaign.id, buyerId: call.buyer?.id, inviteAt: call.inviteAt };
  const buyerDup = call.buyer ? buyerDuplicate(call.buyer.duplicate ?? call.campaign.duplicate, history, dup).duplicate : false;
  const pubDup = call.buyer ? publisherDuplicate(call.publisher.duplicate ?? call.campaign.duplicate, history, dup).duplicate : false;
  call.facts = { qualified: call.qualified, answerAt: call.answerAt, ...(call.buyerAnswerAt !== undefined ? { buyerAnswerAt: call.buyerAnswerAt } : {}), endAt: call.endAt, buyerDuplicate: buyerDup, publisherDuplicate: pubDup };
  call.decision = decideBilling(call.facts, call.terms);
  store.calls.transaction(() => {
    repos.billing.recordHangup({ callId: call.id, decision: call.decision!, terms: call.terms, connected: call.buyerAnswerAt !== undefined, buyerDuplicate: buyerDup, publisherDuplicate: pubDup, now: call.endAt });
    store.calls.update(call.id, { status: 'completed', phase: 'ended', outcome: call.outcome, end_at: call.endAt, hangup_side: 'caller', hangup_cause: 'normal' }, call.endAt);
  });
}
