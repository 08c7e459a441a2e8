/** Tries the planned buyers one after another until one answers, the caller leaves, or the limits are reached. */
import type { BridgeOutcome } from '../telephony/types.js';
import type { CallContext } from './context.js';
import { enterPhase } from './context.js';
import { describeDestination, toBridgeTarget } from './destination.js';
import { notify } from './observer.js';
import type { Candidate, RoutePlan } from './routing.js';
import { releaseAttempt, reserveAttempt } from './billing-rules.js';
import { movesOn, nextAttempt, policyFor } from '../core/distribution/failover.js';

export type BridgeResult =
  | { kind: 'connected'; candidate: Candidate; answeredAt: Date }
  | { kind: 'caller_gone' }
  | { kind: 'no_buyer'; attempts: number };

function endOf(outcome: BridgeOutcome): number {
  return (outcome.result === 'answered' ? outcome.answeredAt : outcome.endedAt).getTime();
}

/** One attempt, recorded as a bridge_attempts row from INVITE to its final answer. */
async function attempt(ctx: CallContext, c: Candidate, seq: number, ringTimeoutMs: number): Promise<BridgeOutcome> {
  const calls = ctx.deps.store.calls;
  const attemptId = calls.insertAttempt({
    call_id: ctx.id,
    seq,
    buyer_id: c.buyer.id,
    target_id: c.target.id,
    destination: describeDestination(c.destination),
    invite_at: ctx.deps.now().getTime(),
  });
  const whisperId = ctx.campaign.whisper_prompt;
  const whisper = whisperId === undefined ? undefined : ctx.config.prompts.get(whisperId);
  const target = {
    ...toBridgeTarget(ctx.config, c.destination, ctx.caller === 'anonymous' ? 'anonymous' : ctx.caller, {
      'X-Callroute-Call-Id': ctx.id,
    }),
    ...(whisper ? { whisper } : {}),
  };
  const outcome = await ctx.call.bridge(target, {
    ringTimeoutMs,
    onRinging: (at) => calls.updateAttempt(attemptId, { ring_at: at.getTime() }),
  });
  calls.updateAttempt(attemptId, {
    result: outcome.result,
    sip_code: outcome.sipCode,
    ...(outcome.result === 'answered' ? { answer_at: outcome.answeredAt.getTime() } : { end_at: endOf(outcome) }),
    ...('reason' in outcome ? { reason: outcome.reason } : {}),
  });
  notify(ctx.deps.observers, 'attempt', ctx.id, {
    buyerId: c.buyer.id,
    targetId: c.target.id,
    result: outcome.result,
    sipCode: outcome.sipCode,
  });
  return outcome;
}

export async function bridgeWithFailover(ctx: CallContext, plan: RoutePlan): Promise<BridgeResult> {
  const policy = policyFor(ctx.campaign);
  const started = ctx.deps.now().getTime();
  let attempts = 0;
  for (const candidate of plan.candidates) {
    if (ctx.call.endInfo) return { kind: 'caller_gone' };
    const now = ctx.deps.now().getTime();
    // A fallback bid may run out while earlier buyers ring; the buyer no longer pays it, so skip it.
    if (candidate.bid?.expiresAt !== undefined && candidate.bid.expiresAt <= now) {
      ctx.log.info({ buyer: candidate.buyer.id }, 'bid expired before its turn');
      continue;
    }
    const next = nextAttempt(policy, attempts, started, now);
    if (!next.ok) break;
    // Caps and concurrency are taken atomically; losing the last slot to another call is a skip, not an attempt.
    const held = reserveAttempt(ctx, candidate, attempts + 1);
    if (!held.ok) {
      ctx.deps.store.calls.insertSkips(ctx.id, [{ buyerId: candidate.buyer.id, targetId: candidate.target.id, reason: held.reason }]);
      continue;
    }
    if (attempts === 0) enterPhase(ctx, 'ringing', ctx.deps.now(), { bridge_start_at: now });
    const seq = ++attempts;
    const outcome = await attempt(ctx, candidate, seq, next.ringTimeoutMs).catch((err: unknown) => {
      releaseAttempt(ctx, seq);
      throw err;
    });
    if (outcome.result === 'answered') return { kind: 'connected', candidate, answeredAt: outcome.answeredAt };
    releaseAttempt(ctx, seq);
    if (!movesOn(outcome.result)) return { kind: 'caller_gone' };
    ctx.log.info({ buyer: candidate.buyer.id, result: outcome.result, sipCode: outcome.sipCode }, 'buyer attempt failed');
  }
  return { kind: 'no_buyer', attempts };
}
