/**
 * One inbound call (the caller leg, we are UAS) as the call flow sees it: answer/reject, prompts, digit
 * collection, bridging to a buyer, hangup from any side. Every method resolves after the call ended.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type {
  BridgeOptions, BridgeOutcome, BridgeTarget, CollectResult, HangupInfo, HangupSide, InboundCall, InboundCallEvents,
  PlayCollectOptions, PlayResult, PromptRef, SourceAddress,
} from '../types.js';
import type { DriverContext } from './context.js';
import type { ServerTx } from './sip/transactions.js';
import { Dialog, uriOf, withoutTag } from './sip/dialog.js';
import { newTag, ALLOW } from './sip/serialize.js';
import { userOf } from './sip/uas-checks.js';
import { sdpOf } from './sip/body.js';
import type { LocalMedia, RemoteMedia } from './media/sdp.js';
import { LegSdp } from './leg-sdp.js';
import type { MediaLeg } from './media/media-leg.js';
import { PromptSource } from './media/sources.js';
import { loadPrompt } from './media/wav.js';
import { collectDigits, type Collector } from './collect.js';
import { runBridge } from './bridge.js';
import type { BuyerLeg } from './buyer-leg.js';

type State = 'ringing' | 'answering' | 'up' | 'ended';
const TYPEAHEAD = 16;
const KNOWN_METHODS = new Set(['PRACK', 'UPDATE', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'PUBLISH', 'REGISTER']);

export class InboundLeg extends EventEmitter<InboundCallEvents> implements InboundCall {
  readonly id: string;
  readonly caller: string;
  readonly did: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly receivedAt = new Date();
  endInfo: HangupInfo | undefined;
  state: State = 'ringing';
  readonly dialog: Dialog;
  readonly log: Logger;
  buyer: BuyerLeg | undefined;
  collector: Collector | undefined;
  readonly typeahead: string[] = [];
  private readonly sdp: LegSdp;
  private answered: Promise<Date> | undefined;
  private ackWaiter: ((at: Date) => void) | undefined;
  private pendingTx: ServerTx | undefined;
  private sent180 = false;

  constructor(
    readonly ctx: DriverContext,
    readonly tx: ServerTx,
    readonly media: MediaLeg,
    offer: RemoteMedia | undefined,
    answer: LocalMedia,
    private readonly onEnded: (call: InboundLeg) => void,
  ) {
    super();
    const req = tx.req;
    this.id = req.callId;
    this.log = ctx.log.child({ callId: this.id });
    this.headers = Object.fromEntries([...req.headers].reverse());
    this.caller = callerOf(req.get('p-asserted-identity'), req.get('from') ?? '');
    this.did = userOf(req.uri) ?? userOf(uriOf(req.get('to') ?? '')) ?? '';
    const contact = req.get('contact');
    this.dialog = new Dialog(req.callId, newTag(), withoutTag(req.get('to') ?? ''), withoutTag(req.get('from') ?? ''),
      contact ? uriOf(contact) : uriOf(req.get('from') ?? ''), tx.source, ctx);
    this.dialog.remoteTag = req.from.params.get('tag') ?? '';
    this.dialog.remoteSeq = req.cseq.seq;
    this.dialog.routeSet = req.all('record-route');
    this.sdp = new LegSdp(media, answer, this.log);
    if (offer) this.sdp.agreed(offer, answer.codecs[0]!);
    else this.sdp.expectAnswer();
    media.on('dtmf', (digit) => this.onDigit(digit));
    media.on('timeout', () => this.finish('system', 'media_timeout', true));
    tx.onCancel = () => this.onCancel();
    ctx.register(this.dialog.key, (t) => this.onRequest(t));
  }

  get source(): SourceAddress {
    return this.tx.source;
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  reject(sipCode: number, opts: { reason?: string; headers?: Record<string, string> } = {}): Promise<void> {
    if (this.state !== 'ringing') return Promise.resolve();
    this.tx.reply(sipCode, { toTag: this.dialog.localTag, reason: opts.reason, headers: opts.headers });
    this.finish('system', 'rejected', false, sipCode);
    return Promise.resolve();
  }

  answer(): Promise<Date> {
    if (this.answered) return this.answered;
    if (this.state !== 'ringing') return Promise.resolve(new Date());
    this.state = 'answering';
    this.answered = new Promise((resolve) => (this.ackWaiter = resolve));
    this.media.activate();
    this.tx.onNoAck = () => this.finish('system', 'ack_timeout', true);
    this.tx.reply(200, { toTag: this.dialog.localTag, body: this.sdp.body(), headers: this.okHeaders() });
    return this.answered;
  }

  private okHeaders(): Record<string, string> {
    return { Contact: this.dialog.contact(), Allow: ALLOW };
  }

  /** 180 toward a caller we have not answered yet (a buyer is ringing). */
  ringing(): void {
    if (this.state !== 'ringing' || this.sent180) return;
    this.sent180 = true;
    this.tx.reply(180, { toTag: this.dialog.localTag });
  }

  async play(prompt: PromptRef): Promise<PlayResult> {
    if (this.state === 'ringing') await this.answer();
    if (this.ended) return { completed: false };
    const ok = await this.playFile(prompt);
    return { completed: ok && !this.ended };
  }

  /** Play a WAV prompt to the caller; false when stopped (barge-in, hangup) or unreadable. */
  playFile(prompt: PromptRef): Promise<boolean> {
    let pcm: Int16Array;
    try {
      pcm = loadPrompt(prompt.file);
    } catch (err) {
      this.log.error({ err, prompt: prompt.id }, 'prompt unreadable');
      return Promise.resolve(false);
    }
    return this.media.play(new PromptSource(pcm));
  }

  async playCollect(opts: PlayCollectOptions): Promise<CollectResult> {
    if (this.state === 'ringing') await this.answer();
    if (this.ended) return { digits: '', reason: 'hangup' };
    return collectDigits(this, opts);
  }

  bridge(target: BridgeTarget, opts: BridgeOptions): Promise<BridgeOutcome> {
    return runBridge(this, target, opts);
  }

  hangup(cause: string): Promise<void> {
    if (this.state === 'ringing') {
      this.tx.reply(480, { toTag: this.dialog.localTag });
      this.finish('system', cause, false, 480);
    } else {
      this.finish('system', cause, true);
    }
    return Promise.resolve();
  }

  private onDigit(digit: string): void {
    this.emit('dtmf', { digit, at: new Date() });
    if (this.collector) this.collector.onDigit(digit);
    else if (this.typeahead.length < TYPEAHEAD) this.typeahead.push(digit);
  }

  private onCancel(): void {
    if (this.state !== 'ringing' && this.state !== 'answering') return;
    this.tx.reply(487, { toTag: this.dialog.localTag });
    this.finish('caller', 'cancel', false, 487);
  }

  private onRequest(tx: ServerTx): void {
    const req = tx.req;
    if (req.method === 'ACK') return this.onAck(sdpOf(req));
    if (req.cseq.seq <= this.dialog.remoteSeq) return void tx.reply(500, { reason: 'CSeq Out of Order' });
    this.dialog.remoteSeq = req.cseq.seq;
    switch (req.method) {
      case 'BYE':
        tx.reply(200);
        return this.finish('caller', 'bye', false);
      case 'INVITE':
        return this.onReInvite(tx);
      case 'INFO':
        tx.reply(200);
        return this.onInfo(req.body.toString('utf8'));
      case 'OPTIONS':
        return void tx.reply(200, { headers: { Allow: ALLOW, Accept: 'application/sdp' } });
      default:
        tx.reply(KNOWN_METHODS.has(req.method) ? 405 : 501, { headers: { Allow: ALLOW } });
    }
  }

  private onAck(body: string): void {
    const failure = this.sdp.ack(body);
    if (this.pendingTx) {
      this.pendingTx.acked();
      this.pendingTx = undefined;
    }
    if (this.state !== 'answering') return;
    this.tx.acked();
    this.state = 'up';
    // Late offer without a usable answer in the ACK: no session can start (RFC 3261 13.3.1.4).
    if (failure) return this.finish('system', failure, true);
    const w = this.ackWaiter;
    this.ackWaiter = undefined;
    w?.(new Date());
  }

  /** Hold/unhold, an SDP refresh or an offerless re-INVITE: answered (or offered) by `LegSdp`. */
  private onReInvite(tx: ServerTx): void {
    if (this.state !== 'up') return void tx.reply(491);
    const body = this.sdp.reinvite(sdpOf(tx.req));
    if (!body) return void tx.reply(488);
    this.pendingTx = tx;
    tx.reply(200, { body, headers: this.okHeaders() });
  }

  /** SIP INFO DTMF (application/dtmf-relay `Signal=5`, or application/dtmf `5`). */
  private onInfo(body: string): void {
    const m = /^\s*(?:Signal\s*=\s*)?([0-9*#A-D])\s*$/im.exec(body);
    if (m) this.onDigit(m[1]!.toUpperCase());
  }

  /** End the call once: release the buyer leg, BYE the caller when asked, free media, tell listeners. */
  finish(side: HangupSide, cause: string, byeCaller: boolean, sipCode?: number): void {
    if (this.state === 'ended') return;
    const wasUp = this.state === 'up' || this.state === 'answering';
    this.state = 'ended';
    this.endInfo = { side, at: new Date(), cause, ...(sipCode !== undefined ? { sipCode } : {}) };
    this.collector?.onHangup();
    const w = this.ackWaiter;
    this.ackWaiter = undefined;
    w?.(this.endInfo.at);
    if (byeCaller && wasUp) this.ctx.stack.request(this.dialog.request('BYE'), this.dialog.dest, () => undefined);
    const buyer = this.buyer;
    if (buyer?.confirmed) void buyer.bye();
    else buyer?.cancel();
    this.media.close();
    this.ctx.unregister(this.dialog.key);
    this.log.info({ side, cause, sipCode }, 'call ended');
    this.emit('ended', this.endInfo);
    this.onEnded(this);
  }
}

/** Caller number from P-Asserted-Identity, else From; `anonymous` when withheld. */
function callerOf(pai: string | undefined, from: string): string {
  const user = (pai ? userOf(uriOf(pai)) : undefined) ?? userOf(uriOf(from));
  if (!user || /^anonymous$/i.test(user) || /anonymous\.invalid/i.test(from)) return 'anonymous';
  return user;
}
