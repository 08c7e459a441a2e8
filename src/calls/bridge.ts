/** Tries the planned buyers one after another until one answers, the caller leaves, or the limits are reached. */
import type { BridgeOutcome } from '../telephony/types.js';
import type { CallContext } from './context.js';
import { enterPhase } from './context.js';
import { describeDestination, toBridgeTarget } from './destination.js';
import { notify } from './observer.js';
import type { Candidate, RoutePlan } from './routing.js';

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
  const started = ctx.deps.now().getTime();
  const deadline = started + ctx.campaign.routing_timeout_s * 1000;
  const limit = Math.min(plan.candidates.length, ctx.campaign.max_attempts);
  for (let i = 0; i < limit; i++) {
    const candidate = plan.candidates[i]!;
    if (ctx.call.endInfo) return { kind: 'caller_gone' };
    const left = deadline - ctx.deps.now().getTime();
    if (left <= 0) return { kind: 'no_buyer', attempts: i };
    if (i === 0) enterPhase(ctx, 'ringing', ctx.deps.now(), { bridge_start_at: ctx.deps.now().getTime() });
    const outcome = await attempt(ctx, candidate, i + 1, Math.min(ctx.campaign.ring_timeout_s * 1000, left));
    if (outcome.result === 'answered') return { kind: 'connected', candidate, answeredAt: outcome.answeredAt };
    if (outcome.result === 'caller_hangup') return { kind: 'caller_gone' };
    ctx.log.info({ buyer: candidate.buyer.id, result: outcome.result, sipCode: outcome.sipCode }, 'buyer attempt failed');
  }
  return { kind: 'no_buyer', attempts: limit };
}
