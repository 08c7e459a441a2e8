/**
 * Bridging the caller to a buyer: dial with a ring timeout, ringback (tone if the caller is answered, else 180),
 * optional whisper to the buyer, then join the two media legs (relay, optional recording) until one side leaves.
 */
import { join } from 'node:path';
import type { BridgeOptions, BridgeOutcome, BridgeTarget } from '../types.js';
import type { InboundLeg } from './inbound-call.js';
import { BuyerLeg, type DialResult } from './buyer-leg.js';
import { nextHop } from './resolve.js';
import { PromptSource, RingbackSource } from './media/sources.js';
import { Recorder } from './media/recorder.js';
import { loadPrompt } from './media/wav.js';

const BUSY = new Set([486, 600, 603]);
const NO_ANSWER = new Set([408, 480, 487]);

export async function runBridge(call: InboundLeg, target: BridgeTarget, opts: BridgeOptions): Promise<BridgeOutcome> {
  const invitedAt = new Date();
  if (call.ended) return { result: 'caller_hangup', sipCode: null, invitedAt, endedAt: new Date() };
  if (call.buyer) throw new Error('bridge already in progress');
  let leg: BuyerLeg;
  try {
    const dest = await nextHop(target.uri, target.proxy, target.transport);
    leg = new BuyerLeg(call.ctx, await call.ctx.newMedia(), target, dest);
  } catch (err) {
    call.log.warn({ err }, 'buyer leg not started');
    return { result: 'failed', sipCode: null, reason: 'unreachable', invitedAt, endedAt: new Date() };
  }
  if (call.ended) {
    leg.close();
    return { result: 'caller_hangup', sipCode: null, invitedAt, endedAt: new Date() };
  }
  call.buyer = leg;
  const r = await dialWithRingback(call, leg, opts);
  if (r.kind !== 'answered' || call.ended) return failed(call, leg, r, invitedAt);
  return connect(call, leg, target, invitedAt, r);
}

async function dialWithRingback(call: InboundLeg, leg: BuyerLeg, opts: BridgeOptions): Promise<DialResult & { timedOut?: boolean }> {
  let rang = false;
  leg.on('ringing', (at) => {
    if (rang) return;
    rang = true;
    opts.onRinging?.(at);
    if (call.state === 'up') void call.media.play(new RingbackSource());
    else call.ringing();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    leg.cancel();
  }, opts.ringTimeoutMs);
  const r = await leg.dial();
  clearTimeout(timer);
  if (rang && !call.ended) call.media.stopPlayback();
  return { ...r, timedOut };
}

function failed(call: InboundLeg, leg: BuyerLeg, r: DialResult & { timedOut?: boolean }, invitedAt: Date): BridgeOutcome {
  const endedAt = new Date();
  if (call.buyer === leg) call.buyer = undefined;
  if (r.kind === 'answered') void leg.bye();
  else leg.close();
  if (call.ended) return { result: 'caller_hangup', sipCode: r.sipCode, invitedAt, endedAt };
  if (r.kind === 'cancelled') return { result: 'no_answer', sipCode: r.sipCode, reason: r.timedOut ? 'ring_timeout' : 'cancelled', invitedAt, endedAt };
  if (r.kind === 'answered') return { result: 'failed', sipCode: r.sipCode, reason: 'caller gone', invitedAt, endedAt };
  const code = r.sipCode;
  const result = code !== null && BUSY.has(code) ? 'busy' : code !== null && NO_ANSWER.has(code) ? 'no_answer' : 'failed';
  return { result, sipCode: code, reason: r.reason, invitedAt, endedAt };
}

async function connect(call: InboundLeg, leg: BuyerLeg, target: BridgeTarget, invitedAt: Date, r: { sipCode: number; at: Date }): Promise<BridgeOutcome> {
  leg.on('bye', () => call.finish('buyer', 'bye', true));
  leg.media.on('timeout', () => call.finish('system', 'media_timeout', true));
  if (call.state === 'ringing') await call.answer();
  if (target.whisper && !call.ended) {
    try {
      await leg.media.play(new PromptSource(loadPrompt(target.whisper.file)));
    } catch (err) {
      call.log.error({ err, prompt: target.whisper.id }, 'whisper unreadable');
    }
  }
  if (call.ended) return { result: 'caller_hangup', sipCode: r.sipCode, invitedAt, endedAt: new Date() };
  call.media.peer = leg.media;
  leg.media.peer = call.media;
  startRecording(call, leg);
  call.log.info({ sipCode: r.sipCode }, 'call bridged');
  return { result: 'answered', sipCode: r.sipCode, invitedAt, answeredAt: r.at };
}

function startRecording(call: InboundLeg, leg: BuyerLeg): void {
  const dir = call.ctx.settings.recordingsDir;
  if (!dir) return;
  const rec = new Recorder(join(dir, `${call.id.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`));
  call.media.recorder = { rec, side: 0 };
  leg.media.recorder = { rec, side: 1 };
  call.once('ended', () => void rec.close());
}
