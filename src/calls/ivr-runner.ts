/** Runs a campaign's IVR flow on a live call: plays prompts, collects DTMF, turns answers into tags. */
import type { IvrFlow, IvrStep } from '../config/schema/ivr.js';
import { branchNext, gatherAccepts, menuChoice, MAX_IVR_HOPS, resolveNext, stepOf } from '../core/ivr.js';
import type { CollectResult, PromptRef } from '../telephony/types.js';
import type { CallContext } from './context.js';

export type IvrResult = 'qualified' | 'not_qualified' | 'abandoned';

type Collecting = Extract<IvrStep, { type: 'menu' | 'gather' }>;

function prompt(ctx: CallContext, id: string | undefined): PromptRef | undefined {
  return id === undefined ? undefined : ctx.config.prompts.get(id);
}

/** Plays the step's prompt and collects until a valid answer or the retries run out. */
async function collect(ctx: CallContext, name: string, step: Collecting): Promise<{ next: string } | 'abandoned'> {
  const isMenu = step.type === 'menu';
  for (let attempt = 0; attempt <= step.retries; attempt++) {
    const p = prompt(ctx, step.prompt);
    const r: CollectResult = await ctx.call.playCollect({
      ...(p ? { prompt: p } : {}),
      minDigits: isMenu ? 1 : step.min_digits,
      maxDigits: isMenu ? 1 : step.max_digits,
      firstDigitTimeoutMs: step.timeout_s * 1000,
      interDigitTimeoutMs: step.inter_digit_timeout_s * 1000,
      terminators: isMenu ? '' : step.terminators,
    });
    if (r.reason === 'hangup') return 'abandoned';
    ctx.answers.push({ step: name, digits: r.digits, at: ctx.deps.now().getTime() });
    if (step.type === 'menu') {
      const choice = menuChoice(step, r.digits);
      if (choice) {
        Object.assign(ctx.tags, choice.tags);
        return { next: choice.next };
      }
    } else if (gatherAccepts(step, r.digits)) {
      ctx.tags[step.tag] = r.digits;
      return { next: step.next };
    }
  }
  return { next: step.on_fail };
}

/** Walks the flow from its start to `route` (qualified), `reject`/a hangup step (not qualified), or the caller leaving. */
export async function runIvr(ctx: CallContext, flow: IvrFlow): Promise<IvrResult> {
  let name = flow.start;
  for (let hop = 0; hop < MAX_IVR_HOPS; hop++) {
    const next = resolveNext(name);
    if (next.kind === 'route') return 'qualified';
    if (next.kind === 'reject') {
      const p = prompt(ctx, flow.reject_prompt);
      if (p && !(await ctx.call.play(p)).completed) return 'abandoned';
      return 'not_qualified';
    }
    const step = stepOf(flow, next.name);
    switch (step.type) {
      case 'say': {
        const p = prompt(ctx, step.prompt);
        if (p && !(await ctx.call.play(p)).completed) return 'abandoned';
        name = step.next;
        break;
      }
      case 'menu':
      case 'gather': {
        const r = await collect(ctx, next.name, step);
        if (r === 'abandoned') return 'abandoned';
        name = r.next;
        break;
      }
      case 'branch':
        name = branchNext(step, ctx.tags);
        break;
      case 'hangup': {
        const p = prompt(ctx, step.prompt);
        if (p && !(await ctx.call.play(p)).completed) return 'abandoned';
        return 'not_qualified';
      }
    }
    if (ctx.call.endInfo) return 'abandoned';
  }
  ctx.log.warn({ flow: flow.id }, 'IVR flow exceeded its hop limit; treating caller as not qualified');
  return 'not_qualified';
}
