/**
 * Dial a buyer for one inbound call: a second FreeSWITCH endpoint on the caller's media server, a UAC toward the
 * buyer offering that endpoint's SDP, then uuid_bridge of the two endpoints so media stays on FreeSWITCH
 * (talk time measured where the audio flows; recording possible there).
 */
import type pino from 'pino';
import type Srf from 'drachtio-srf';
import type MediaServer from 'drachtio-fsmrf/lib/mediaserver.js';
import type { Endpoint } from 'drachtio-fsmrf/lib/mediaserver.js';
import type { BridgeOptions, BridgeOutcome, BridgeTarget } from '../types.js';
import { outcomeOfStatus } from './sip-info.js';
import { bounded } from './settle.js';

export const RINGBACK = 'tone_stream://%(2000,4000,440,480);loops=-1';

export interface BuyerLeg {
  ep: Endpoint;
  dialog: Srf.Dialog;
}

export interface DialContext {
  srf: Srf;
  ms: MediaServer;
  callerEp: Endpoint;
  logger: pino.Logger;
  /** Resolves when the caller hangs up (or the call ends otherwise). */
  ended: Promise<unknown>;
  endpointHeaders: Record<string, string>;
}

type UacOptions = Srf.CreateUACOptions & { callingNumber?: string };

function uacOptions(target: BridgeTarget, localSdp: string): { uri: string; opts: UacOptions } {
  let uri = target.uri;
  if (target.transport === 'tcp' && !/;transport=/i.test(uri)) uri += ';transport=tcp';
  const opts: UacOptions = { localSdp, callingNumber: target.callerId, headers: { ...target.headers } };
  if (target.proxy) opts.proxy = `sip:${target.proxy}${target.transport === 'tcp' ? ';transport=tcp' : ''}`;
  if (target.auth) opts.auth = { ...target.auth };
  return { uri, opts };
}

/** Stop whatever the caller's endpoint is playing (ringback). */
async function stopPlayback(ep: Endpoint): Promise<void> {
  await bounded(ep.api('uuid_break', [ep.uuid, 'all']), 2000);
}

/**
 * Ringback on the caller's endpoint. This runs inside drachtio-srf's message handler: an endpoint FreeSWITCH already
 * dropped makes drachtio-fsmrf throw synchronously there, which would take the whole process down.
 */
function startRingback(ctx: DialContext): void {
  if (!ctx.callerEp.connected) return;
  try {
    ctx.callerEp.executeAsync('playback', RINGBACK);
  } catch (err) {
    ctx.logger.warn({ err }, 'ringback not started: caller endpoint gone');
  }
}

interface Ringing {
  req?: Srf.SrfRequest;
  cancelWanted?: 'timeout' | 'caller';
  ringing: boolean;
}

function cancelInvite(state: Ringing, why: 'timeout' | 'caller'): void {
  if (state.cancelWanted) return;
  state.cancelWanted = why;
  state.req?.cancel(() => {});
}

/** Place the UAC; resolves with the dialog or rejects with drachtio-srf's SipError (`status`). */
async function placeUac(ctx: DialContext, target: BridgeTarget, opts: BridgeOptions, sdp: string, st: Ringing, t: { invitedAt: Date }): Promise<Srf.Dialog> {
  const { uri, opts: uacOpts } = uacOptions(target, sdp);
  const timer = setTimeout(() => cancelInvite(st, 'timeout'), opts.ringTimeoutMs);
  void ctx.ended.then(() => cancelInvite(st, 'caller'));
  try {
    // drachtio-srf calls cbRequest(err, req) although its typings say cbRequest(req)
    const cbRequest = ((_err: unknown, req: Srf.SrfRequest) => {
      t.invitedAt = new Date();
      st.req = req;
      if (st.cancelWanted) req.cancel(() => {});
    }) as unknown as (req: Srf.SrfRequest) => void;
    return await ctx.srf.createUAC(uri, uacOpts, {
      cbRequest,
      cbProvisional: (res) => {
        if ((res.status !== 180 && res.status !== 183) || st.ringing) return;
        st.ringing = true;
        opts.onRinging?.(new Date());
        startRingback(ctx);
      },
    });
  } finally {
    clearTimeout(timer);
  }
}

export async function dialBuyer(
  ctx: DialContext,
  target: BridgeTarget,
  opts: BridgeOptions,
  isEnded: () => boolean,
): Promise<{ outcome: BridgeOutcome; leg?: BuyerLeg }> {
  const t = { invitedAt: new Date() };
  const ep = await ctx.ms.createEndpoint({ headers: ctx.endpointHeaders });
  const st: Ringing = { ringing: false };
  let dialog: Srf.Dialog;
  try {
    dialog = await placeUac(ctx, target, opts, ep.local.sdp, st, t);
  } catch (err) {
    const endedAt = new Date();
    await Promise.all([freeEndpoint(ep), st.ringing ? stopPlayback(ctx.callerEp) : undefined]);
    const status = (err as { status?: number }).status ?? null;
    if (st.cancelWanted === 'caller' || isEnded()) {
      return { outcome: { result: 'caller_hangup', sipCode: status, invitedAt: t.invitedAt, endedAt } };
    }
    const result = st.cancelWanted === 'timeout' ? 'no_answer' : outcomeOfStatus(status);
    const reason = st.cancelWanted === 'timeout' ? 'ring_timeout' : err instanceof Error ? err.message : String(err);
    return { outcome: { result, sipCode: status, reason, invitedAt: t.invitedAt, endedAt } };
  }
  const answeredAt = new Date();
  const leg = { ep, dialog };
  if (isEnded()) {
    await releaseLeg(leg, true);
    return { outcome: { result: 'caller_hangup', sipCode: 200, invitedAt: t.invitedAt, endedAt: answeredAt } };
  }
  await joinLegs(ctx, leg, target);
  return { outcome: { result: 'answered', sipCode: 200, invitedAt: t.invitedAt, answeredAt }, leg };
}

/** Point the buyer endpoint at the buyer's media, whisper, then bridge it with the caller's endpoint. */
async function joinLegs(ctx: DialContext, leg: BuyerLeg, target: BridgeTarget): Promise<void> {
  await leg.ep.modify(leg.dialog.remote.sdp);
  if (target.whisper) await leg.ep.play(target.whisper.file);
  await stopPlayback(ctx.callerEp);
  await ctx.callerEp.bridge(leg.ep);
  ctx.logger.info({ ms: ctx.ms.address }, 'buyer leg bridged on media server');
}

/**
 * Free an endpoint: break what it is playing first, because FreeSWITCH queues the `hangup` app that
 * Endpoint#destroy sends behind a running playback (a looping ringback would hold it forever).
 */
export async function freeEndpoint(ep: Endpoint, sipGone = false): Promise<void> {
  if (!ep.connected) return;
  // without drachtio, Endpoint#destroy would wait for a BYE that cannot come: kill the channel over ESL instead
  if (sipGone) return bounded(ep.api('uuid_kill', [ep.uuid]), 1000);
  await bounded(ep.api('uuid_break', [ep.uuid, 'all']), 1000);
  await bounded(ep.destroy(), 4000);
}

/** RTP packets through the buyer's endpoint, caller->buyer and buyer->caller (what `relayStats` reports). */
export interface RelayStats {
  toBuyer: number;
  toCaller: number;
}

/**
 * Read the buyer endpoint's RTP counters before it is freed. FreeSWITCH counts per endpoint: what it sent the buyer
 * is the caller's audio handed over by the bridge (plus any whisper), what it received is the buyer's audio the bridge
 * hands to the caller. Undefined when the media server does not answer in time.
 */
export async function legRelayStats(leg: BuyerLeg): Promise<RelayStats | undefined> {
  if (!leg.ep.connected) return undefined;
  let vars: Record<string, string> | undefined;
  await bounded(leg.ep.getChannelVariables(true).then((v: Record<string, string>) => (vars = v)), 2000);
  const count = (name: string): number => Number(vars?.[`variable_rtp_audio_${name}_packet_count`]);
  const stats = { toBuyer: count('out'), toCaller: count('in') };
  return Number.isFinite(stats.toBuyer) && Number.isFinite(stats.toCaller) ? stats : undefined;
}

/** BYE the buyer (unless it already hung up) and free its endpoint. */
export async function releaseLeg(leg: BuyerLeg, sendBye: boolean, sipGone = false): Promise<void> {
  await Promise.all([
    sendBye && !sipGone ? bounded(leg.dialog.destroy() as unknown as Promise<unknown>, 4000) : Promise.resolve(),
    freeEndpoint(leg.ep, sipGone),
  ]);
}
