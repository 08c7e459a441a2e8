/**
 * One inbound call on the freeswitch driver: the caller's SIP dialog lives in drachtio (UAS), its media on a
 * FreeSWITCH endpoint. Every timestamp is taken when the SIP/ESL event reaches this process.
 */
import { EventEmitter } from 'node:events';
import { basename, posix } from 'node:path';
import type pino from 'pino';
import type Srf from 'drachtio-srf';
import type { Endpoint } from 'drachtio-fsmrf/lib/mediaserver.js';
import type {
  BridgeOptions, BridgeOutcome, BridgeTarget, CollectResult, HangupInfo, InboundCall, InboundCallEvents,
  PlayCollectOptions, PlayResult, PromptRef, SourceAddress,
} from '../types.js';
import type { MediaPool } from './media-pool.js';
import type { MediaServerLink } from './media-server-link.js';
import { callerOf, didOf, headersOf, sourceOf } from './sip-info.js';
import { bounded, unlessEnded } from './settle.js';
import { onEndpointGone } from './endpoint-gone.js';
import { startFromTypeahead, TYPEAHEAD_MAX } from './typeahead.js';
import { dialBuyer, freeEndpoint, legRelayStats, releaseLeg, type BuyerLeg, type RelayStats } from './buyer-leg.js';

export interface CallDeps {
  srf: Srf;
  pool: MediaPool;
  logger: pino.Logger;
  retryAfterS: number;
  /** Headers for every endpoint this call creates (media timeout for the dialplan). */
  endpointHeaders: Record<string, string>;
  /** Where FreeSWITCH sees the prompt files; when set, a prompt's file name is looked up there. */
  promptsDir?: string;
  onEnd: (call: FsInboundCall) => void;
}

/** How long an endpoint FreeSWITCH ended for no stated reason waits for its partner's reason. */
const GONE_SETTLE_MS = 500;

/** Digits FreeSWITCH's play_and_get_digits may return (its regexp argument; no spaces allowed). */
const DIGITS_RE = '^[0-9*#A-D]+$';

export class FsInboundCall extends EventEmitter<InboundCallEvents> implements InboundCall {
  readonly id: string;
  readonly caller: string;
  readonly did: string;
  readonly source: SourceAddress;
  readonly headers: Readonly<Record<string, string>>;
  readonly receivedAt: Date;
  private info: HangupInfo | undefined;
  private readonly endedP: Promise<HangupInfo>;
  private answering = false;
  private link: MediaServerLink | undefined;
  private ep: Endpoint | undefined;
  private uas: Srf.Dialog | undefined;
  private leg: BuyerLeg | undefined;
  private bridging = false;
  private relayed: RelayStats | undefined;
  private goneAt: Date | undefined;
  private readonly typeahead: string[] = [];
  private collecting = false;
  private goneTimer: NodeJS.Timeout | undefined;
  private readonly log: pino.Logger;

  constructor(
    private readonly req: Srf.SrfRequest,
    private readonly res: Srf.SrfResponse,
    private readonly deps: CallDeps,
  ) {
    super();
    this.receivedAt = new Date();
    this.id = req.get('call-id');
    this.caller = callerOf(req);
    this.did = didOf(req);
    this.source = sourceOf(req);
    this.headers = headersOf(req);
    this.log = deps.logger.child({ callId: this.id });
    this.endedP = new Promise((resolve) => this.once('ended', resolve));
    // drachtio-server answers the CANCEL and the INVITE (487) itself; we only record it
    req.on('cancel', () => this.finish({ side: 'caller', at: new Date(), cause: 'cancel', sipCode: 487 }));
  }

  get endInfo(): HangupInfo | undefined {
    return this.info;
  }

  /** RTP through the bridge, read from the buyer's endpoint when the call ended (undefined if never bridged). */
  get relayStats(): RelayStats | undefined {
    return this.relayed;
  }

  private endAt(): Date {
    return this.info?.at ?? new Date();
  }

  async reject(sipCode: number, opts: { reason?: string; headers?: Record<string, string> } = {}): Promise<void> {
    if (this.info) return;
    if (this.answering) return this.hangup('rejected');
    const at = new Date();
    await new Promise<void>((resolve) => {
      const done = (): void => resolve();
      if (opts.reason) this.res.send(sipCode, opts.reason, { headers: opts.headers ?? {} }, done);
      else this.res.send(sipCode, '', { headers: opts.headers ?? {} }, done);
    });
    this.finish({ side: 'system', at, cause: 'rejected', sipCode });
  }

  async answer(): Promise<Date> {
    if (this.info) return this.info.at;
    this.answering = true;
    const link = this.deps.pool.pick();
    const ms = link?.mediaServer;
    if (!link || !ms) {
      this.answering = false;
      await this.reject(503, { headers: { 'Retry-After': String(this.deps.retryAfterS) } });
      throw new Error('no media server up');
    }
    this.link = link;
    link.activeCalls += 1;
    // createEndpoint + createUAS is drachtio-fsmrf's connectCaller (plain RTP path), done in two steps so an
    // endpoint created while the caller cancels is released instead of leaking on FreeSWITCH.
    // an INVITE without SDP (late offer) gets a 3pcc endpoint: FreeSWITCH offers, the caller answers in the ACK
    const headers = this.deps.endpointHeaders;
    const opts = this.req.body ? { remoteSdp: this.req.body, codecs: ['PCMU', 'PCMA'], headers } : { headers };
    const ep = await ms.createEndpoint(opts).catch((err: unknown) => {
      this.log.error({ err, ms: link.address }, 'media endpoint for caller failed');
      return undefined;
    });
    if (!ep) {
      this.res.send(503, { headers: { 'Retry-After': String(this.deps.retryAfterS) } });
      this.finish({ side: 'system', at: new Date(), cause: 'media_error', sipCode: 503 });
      return this.endAt();
    }
    if (this.endInfo) {
      // cancelled while the endpoint was being made: finish() ran without it, release it here
      await freeEndpoint(ep);
      return this.endAt();
    }
    this.ep = ep;
    ep.on('dtmf', (evt) => this.onDtmf(evt.dtmf));
    onEndpointGone(ep, (cause, at) => this.endpointGone(cause, at));
    return this.acceptCaller(ep);
  }

  private async acceptCaller(ep: Endpoint): Promise<Date> {
    let uas: Srf.Dialog;
    try {
      uas = await this.deps.srf.createUAS(this.req, this.res, { localSdp: ep.local.sdp });
    } catch (err) {
      this.finish({ side: 'caller', at: new Date(), cause: (err as { status?: number }).status === 487 ? 'cancel' : 'answer_failed' });
      return this.endAt();
    }
    this.uas = uas;
    uas.on('destroy', () => this.finish({ side: 'caller', at: new Date(), cause: 'bye' }));
    const acked = new Promise<Date>((resolve) => uas.once('ack', () => resolve(new Date())));
    const at = await unlessEnded(acked, this.endedP);
    if (at && !this.req.body && uas.remote.sdp) {
      // late offer: the endpoint offered in our 200 OK, the caller answered in its ACK; give FreeSWITCH that answer
      await ep.modify(uas.remote.sdp).catch((err: unknown) => this.log.warn({ err }, 'late-offer answer not applied'));
    }
    return at ?? this.endAt();
  }

  async play(prompt: PromptRef): Promise<PlayResult> {
    const ep = this.ep;
    if (!ep || this.info) return { completed: false };
    try {
      await unlessEnded(ep.play(this.mediaPath(prompt)), this.endedP);
    } catch (err) {
      if (this.info) return { completed: false };
      throw new Error(`playing prompt ${prompt.id} failed`, { cause: err });
    }
    return { completed: !this.info };
  }

  private onDtmf(digit: string): void {
    this.emit('dtmf', { digit, at: new Date() });
    if (!this.collecting && this.typeahead.length < TYPEAHEAD_MAX) this.typeahead.push(digit);
  }

  async playCollect(opts: PlayCollectOptions): Promise<CollectResult> {
    const ep = this.ep;
    if (!ep || this.info) return { digits: '', reason: 'hangup' };
    const start = startFromTypeahead(this.typeahead.splice(0).join(''), opts);
    if (start.done) return start.result;
    this.collecting = true;
    try {
      // digits already typed barged in: no prompt, and the rest of the answer is held to the inter-digit timeout
      const rest = await this.collectOnMediaServer(ep, start.digits ? {
        ...opts, prompt: undefined, minDigits: Math.max(1, opts.minDigits - start.digits.length),
        maxDigits: opts.maxDigits - start.digits.length, firstDigitTimeoutMs: opts.interDigitTimeoutMs,
      } : opts);
      return { ...rest, digits: start.digits + rest.digits };
    } finally {
      this.collecting = false;
    }
  }

  private async collectOnMediaServer(ep: Endpoint, opts: PlayCollectOptions): Promise<CollectResult> {
    const r = await unlessEnded(
      ep.playCollect({
        file: opts.prompt ? this.mediaPath(opts.prompt) : 'silence_stream://250',
        min: opts.minDigits,
        max: opts.maxDigits,
        tries: 1,
        timeout: opts.firstDigitTimeoutMs,
        digitTimeout: opts.interDigitTimeoutMs,
        terminators: opts.terminators || 'none',
        regexp: DIGITS_RE,
      }),
      this.endedP,
    );
    if (!r || this.info) return { digits: r?.digits ?? '', reason: 'hangup' };
    const digits = r.digits || r.invalidDigits || '';
    if (r.terminatorUsed) return { digits, reason: 'terminator' };
    return { digits, reason: digits.length >= opts.maxDigits ? 'max_digits' : 'timeout' };
  }

  /** The prompt's path as the media server sees it (its own mount of the prompts directory, when configured). */
  private mediaPath(prompt: PromptRef): string {
    return this.deps.promptsDir ? posix.join(this.deps.promptsDir, basename(prompt.file)) : prompt.file;
  }

  async bridge(target: BridgeTarget, opts: BridgeOptions): Promise<BridgeOutcome> {
    const now = new Date();
    const ms = this.link?.mediaServer;
    if (this.info || !this.ep || !ms) return { result: 'caller_hangup', sipCode: null, invitedAt: now, endedAt: this.info?.at ?? now };
    if (this.bridging || this.leg) throw new Error('a bridge is already in progress for this call');
    this.bridging = true;
    try {
      const ctx = { srf: this.deps.srf, ms, callerEp: this.ep, logger: this.log, ended: this.endedP, endpointHeaders: this.deps.endpointHeaders };
      const whisper = target.whisper && { ...target.whisper, file: this.mediaPath(target.whisper) };
      const { outcome, leg } = await dialBuyer(ctx, { ...target, whisper }, opts, () => this.info !== undefined);
      if (leg) this.attachLeg(leg);
      return outcome;
    } finally {
      this.bridging = false;
    }
  }

  private attachLeg(leg: BuyerLeg): void {
    this.leg = leg;
    // release() frees the leg (no BYE back: side 'buyer'), after reading its RTP counters
    leg.dialog.on('destroy', () => this.finish({ side: 'buyer', at: new Date(), cause: 'bye' }));
    // FreeSWITCH hung up the buyer's endpoint itself (its media timeout): the buyer is no longer heard
    onEndpointGone(leg.ep, (cause, at) => this.endpointGone(cause, at));
  }

  /**
   * FreeSWITCH ended one of our endpoints. Bridged endpoints go together and the partner's plain cause (its BYE says
   * NORMAL_CLEARING) can arrive first, so a plain cause waits a moment for the one that says why (MEDIA_TIMEOUT).
   */
  private endpointGone(cause: string, at: Date): void {
    this.goneAt ??= at;
    if (cause !== 'media_server_hangup') return this.finish({ side: 'system', at: this.goneAt, cause });
    this.goneTimer ??= setTimeout(() => this.finish({ side: 'system', at: this.goneAt ?? at, cause }), GONE_SETTLE_MS);
  }

  async hangup(cause: string): Promise<void> {
    if (!this.info) this.finish({ side: 'system', at: new Date(), cause });
    await this.endedP;
  }

  /** Record the end once, release everything still up, then emit `ended`. */
  private finish(info: HangupInfo): void {
    if (this.info) return;
    this.info = info;
    clearTimeout(this.goneTimer);
    this.log.info({ side: info.side, cause: info.cause, sipCode: info.sipCode }, 'call ended');
    void this.release(info).finally(() => {
      this.deps.onEnd(this);
      this.emit('ended', info);
    });
  }

  private async release(info: HangupInfo): Promise<void> {
    const work: Promise<unknown>[] = [];
    if (!this.uas && !this.res.finalResponseSent && info.cause !== 'cancel' && info.cause !== 'rejected') {
      this.res.send(480);
    }
    const sipGone = info.cause === 'transport_error';
    if (this.uas && info.side !== 'caller' && !sipGone) work.push(bounded(this.uas.destroy() as unknown as Promise<unknown>, 4000));
    const leg = this.leg;
    if (leg) work.push(legRelayStats(leg).then((stats) => (this.relayed = stats)).then(() => releaseLeg(leg, info.side !== 'buyer', sipGone)));
    if (this.ep) work.push(freeEndpoint(this.ep, sipGone));
    await Promise.all(work);
    if (this.link) this.link.activeCalls -= 1;
  }
}
