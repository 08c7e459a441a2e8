/**
 * One call's life after admission: answer -> IVR -> routing -> bridge with failover -> hangup -> CDR.
 * Each phase lives in its own file; this one only sequences them and guarantees the row is closed.
 */
import { once } from 'node:events';
import type { HangupInfo } from '../telephony/types.js';
import { bridgeWithFailover } from './bridge.js';
import { enterPhase, record, type CallContext } from './context.js';
import { finishCall, type CallOutcome, type Connection } from './finish.js';
import { runIvr } from './ivr-runner.js';
import { notify } from './observer.js';
import { planRoute } from './routing.js';
import { campaignHoursFor, rememberTerms } from './billing-rules.js';

/** Seconds between heartbeats on a bridged call, so a crash loses at most this much talk time. */
const HEARTBEAT_MS = 5000;

async function waitEnded(ctx: CallContext): Promise<HangupInfo> {
  const info = ctx.call.endInfo;
  if (info) return info;
  const [ended] = (await once(ctx.call, 'ended')) as [HangupInfo];
  return ended;
}

/** IVR phase. Returns the outcome when the call ends here, undefined when the caller qualified. */
async function screen(ctx: CallContext): Promise<CallOutcome | undefined> {
  const flowId = ctx.campaign.ivr;
  const flow = flowId === undefined ? undefined : ctx.config.ivrFlows.get(flowId);
  if (!flow) {
    ctx.qualified = true;
    return undefined;
  }
  const result = await runIvr(ctx, flow);
  ctx.qualified = result === 'qualified';
  record(ctx, {
    ivr_end_at: ctx.deps.now().getTime(),
    tags: JSON.stringify(ctx.tags),
    ivr_answers: JSON.stringify(ctx.answers),
    qualified: ctx.qualified ? 1 : 0,
  });
  notify(ctx.deps.observers, 'ivrFinished', ctx.id, ctx.campaign.id, result);
  if (result === 'abandoned') return 'abandoned_ivr';
  if (result === 'not_qualified') {
    await ctx.call.hangup('not_qualified');
    return 'not_qualified';
  }
  return undefined;
}

/** Routing and bridging. Returns the outcome and, when a buyer answered, the connection. */
async function route(ctx: CallContext): Promise<{ outcome: CallOutcome; connection?: Connection }> {
  const started = ctx.deps.now();
  enterPhase(ctx, 'routing', started, { routing_at: started.getTime() });
  const plan = await planRoute(ctx);
  ctx.deps.store.calls.insertSkips(ctx.id, plan.skipped);
  notify(ctx.deps.observers, 'routed', ctx.id, {
    campaignId: ctx.campaign.id,
    candidates: plan.candidates.length,
    skipped: plan.skipped.length,
    decisionMs: ctx.deps.now().getTime() - started.getTime(),
  });
  const result = await bridgeWithFailover(ctx, plan);
  if (result.kind === 'caller_gone') return { outcome: 'abandoned_routing' };
  if (result.kind === 'no_buyer') {
    const promptId = ctx.campaign.no_buyer_prompt;
    const prompt = promptId === undefined ? undefined : ctx.config.prompts.get(promptId);
    if (prompt) await ctx.call.play(prompt);
    await ctx.call.hangup('no_buyer');
    return { outcome: 'no_buyer' };
  }
  const { candidate, answeredAt } = result;
  enterPhase(ctx, 'bridged', answeredAt, {
    buyer_answer_at: answeredAt.getTime(),
    buyer_id: candidate.buyer.id,
    target_id: candidate.target.id,
    bid_cents: candidate.bid?.cents ?? null,
    auction_id: candidate.bid?.auctionId ?? null,
  });
  rememberTerms(ctx, candidate);
  ctx.log.info({ buyer: candidate.buyer.id, target: candidate.target.id }, 'call bridged');
  return { outcome: 'connected', connection: { candidate, answeredAt } };
}

/** Campaign closed with a message action: play it and hang up. Undefined when the call goes on. */
async function closedHours(ctx: CallContext): Promise<CallOutcome | undefined> {
  const hours = campaignHoursFor(ctx);
  if (hours.kind === 'open' || hours.kind === 'after_hours_target') return undefined;
  const prompt = hours.kind === 'message' ? ctx.config.prompts.get(hours.prompt) : undefined;
  if (prompt && !ctx.call.endInfo) await ctx.call.play(prompt);
  await ctx.call.hangup('campaign_closed');
  return 'closed';
}

/** Keeps `last_seen_at` fresh while the call is up, so crash recovery knows how long it lasted. */
function heartbeat(ctx: CallContext): () => void {
  const timer = setInterval(() => {
    try {
      record(ctx, { last_seen_at: ctx.deps.now().getTime() });
    } catch (err) {
      ctx.log.warn({ err }, 'heartbeat write failed');
    }
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export async function runSession(ctx: CallContext): Promise<void> {
  let outcome: CallOutcome = 'error';
  let connection: Connection | undefined;
  const stopHeartbeat = heartbeat(ctx);
  try {
    const answeredAt = await ctx.call.answer();
    enterPhase(ctx, 'ivr', answeredAt, { answer_at: answeredAt.getTime() });
    const closed = await closedHours(ctx);
    const screened = closed ?? (ctx.call.endInfo ? 'abandoned_ivr' : await screen(ctx));
    if (screened) outcome = screened;
    else ({ outcome, connection } = await route(ctx));
  } catch (err) {
    ctx.log.error({ err }, 'call flow failed; ending the call');
    outcome = 'error';
    await ctx.call.hangup('engine_error').catch(() => undefined);
  }
  try {
    const end = await waitEnded(ctx);
    finishCall(ctx, { outcome, end, ...(connection ? { connection } : {}) });
  } finally {
    stopHeartbeat();
  }
}
