/**
 * The buyer leg: we are the UAC. INVITE with our SDP offer, digest auth on 401/407, CANCEL on ring timeout or
 * when the caller leaves, ACK for 2xx (re-sent for each retransmitted 2xx), BYE, and the buyer's in-dialog requests.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { BridgeTarget, SourceAddress } from '../types.js';
import type { SipStack } from './sip/stack.js';
import type { SipMessage } from './sip/message.js';
import type { ServerTx, ClientTx } from './sip/transactions.js';
import { cancelFor } from './sip/transactions.js';
import { Dialog, uriOf, withoutTag } from './sip/dialog.js';
import { newCallId, newTag } from './sip/serialize.js';
import { digestResponse, parseChallenge } from './sip/digest.js';
import { sdpOf } from './sip/body.js';
import { offerFor, parseRemote, writeSdp, type LocalMedia } from './media/sdp.js';
import { LegSdp } from './leg-sdp.js';
import type { MediaLeg } from './media/media-leg.js';

export type DialResult =
  | { kind: 'answered'; sipCode: number; at: Date }
  | { kind: 'failed'; sipCode: number | null; reason: string; at: Date }
  | { kind: 'cancelled'; sipCode: number | null; at: Date };

interface BuyerLegEvents {
  /** The buyer ended the call (BYE) after answering. */
  bye: [Date];
  ringing: [Date];
}

const CANCEL_WAIT_MS = 2000;

export interface BuyerLegContext {
  stack: SipStack;
  log: Logger;
  address: string;
  port: number;
  register: (key: string, handler: (tx: ServerTx) => void) => void;
  unregister: (key: string) => void;
}

export class BuyerLeg extends EventEmitter<BuyerLegEvents> {
  readonly dialog: Dialog;
  private invite: SipMessage | undefined;
  private tx: ClientTx | undefined;
  private ack: SipMessage | undefined;
  private settle: ((r: DialResult) => void) | undefined;
  private cancelState: 'none' | 'pending' | 'sent' = 'none';
  private authTried = false;
  private finalSeen = false;
  /** Our offer in the INVITE; once answered, `sdp` carries the session (same o= session id). */
  private offer: LocalMedia | undefined;
  private sdp: LegSdp | undefined;
  private reInvite: ServerTx | undefined;
  confirmed = false;
  ended = false;

  constructor(
    private readonly ctx: BuyerLegContext,
    readonly media: MediaLeg,
    private readonly target: BridgeTarget,
    dest: SourceAddress,
  ) {
    super();
    const callerId = target.callerId.replace(/[^0-9A-Za-z+*#._-]/g, '') || 'anonymous';
    this.dialog = new Dialog(newCallId(ctx.address), newTag(), `<sip:${callerId}@${ctx.address}>`, `<${target.uri}>`, target.uri, dest, ctx);
    ctx.register(this.dialog.key, (tx) => this.onRequest(tx));
  }

  /** Send the INVITE; resolves on the final outcome (answered, failed, or cancelled by us). */
  dial(): Promise<DialResult> {
    return new Promise((resolve) => {
      this.settle = resolve;
      this.sendInvite(undefined);
    });
  }

  private sendInvite(auth: { header: string; value: string } | undefined): void {
    const req = this.dialog.request('INVITE');
    req.uri = this.target.uri;
    for (const [k, v] of Object.entries(this.target.headers ?? {})) req.add(k.toLowerCase(), v);
    if (auth) req.add(auth.header, auth.value);
    req.set('content-type', 'application/sdp');
    req.add('allow', 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO');
    this.offer = offerFor({ address: this.ctx.address, port: this.media.rtp.port, sessionId: Date.now(), version: 1 });
    req.body = writeSdp(this.offer);
    this.invite = req;
    this.tx = this.ctx.stack.request(req, this.dialog.dest, (res) => this.onResponse(res));
  }

  private onResponse(res: SipMessage): void {
    if (res.status < 200) {
      if (res.status > 100) this.emit('ringing', new Date());
      if (this.cancelState === 'pending') this.sendCancel();
      return;
    }
    if (res.status < 300) return this.onSuccess(res);
    if ((res.status === 401 || res.status === 407) && !this.authTried && this.target.auth && this.cancelState === 'none') {
      const ch = parseChallenge(res.get(res.status === 401 ? 'www-authenticate' : 'proxy-authenticate') ?? '');
      if (ch) {
        this.authTried = true;
        const value = digestResponse(ch, this.target.auth, 'INVITE', this.target.uri);
        return this.sendInvite({ header: res.status === 401 ? 'authorization' : 'proxy-authorization', value });
      }
    }
    this.finalSeen = true;
    this.finish(this.cancelState !== 'none'
      ? { kind: 'cancelled', sipCode: res.status, at: new Date() }
      : { kind: 'failed', sipCode: res.status, reason: res.reason || String(res.status), at: new Date() });
  }

  private onSuccess(res: SipMessage): void {
    if (this.ack) return this.ctx.stack.sendRaw(this.ack, this.dialog.dest); // retransmitted 2xx
    this.finalSeen = true;
    const d = this.dialog;
    d.remoteTag = res.to.params.get('tag') ?? '';
    const contact = res.get('contact');
    if (contact) d.remoteTarget = uriOf(contact);
    d.routeSet = res.all('record-route').reverse();
    this.ack = d.request('ACK', this.invite?.cseq.seq);
    this.ctx.stack.sendRaw(this.ack, d.dest);
    const remote = parseRemote(sdpOf(res));
    const codec = remote?.codecs[0];
    if (remote && codec && this.offer) {
      this.sdp = new LegSdp(this.media, this.offer, this.ctx.log);
      this.sdp.agreed(remote, codec);
    }
    if (this.cancelState !== 'none' || !codec) {
      this.finish({ kind: codec ? 'cancelled' : 'failed', sipCode: res.status, reason: 'no common codec', at: new Date() });
      void this.bye();
      return;
    }
    this.confirmed = true;
    this.media.activate();
    this.finish({ kind: 'answered', sipCode: res.status, at: new Date() });
  }

  private finish(r: DialResult): void {
    const s = this.settle;
    this.settle = undefined;
    s?.(r);
  }

  /** Give up on the buyer: CANCEL now or on the first provisional; resolves the dial once the buyer answers the CANCEL. */
  cancel(): void {
    if (this.finalSeen || this.cancelState !== 'none') return;
    this.cancelState = 'pending';
    if (this.tx?.provisional) this.sendCancel();
    const at = new Date();
    setTimeout(() => this.finish({ kind: 'cancelled', sipCode: null, at }), CANCEL_WAIT_MS).unref();
  }

  private sendCancel(): void {
    if (!this.invite || this.cancelState === 'sent') return;
    this.cancelState = 'sent';
    this.ctx.stack.request(cancelFor(this.invite), this.dialog.dest, () => undefined);
  }

  /** Hang up an answered buyer leg. */
  async bye(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.ack) {
      const req = this.dialog.request('BYE');
      await new Promise<void>((resolve) => this.ctx.stack.request(req, this.dialog.dest, (r) => r.status >= 200 && resolve()));
    }
    this.close();
  }

  close(): void {
    this.ended = true;
    this.ctx.unregister(this.dialog.key);
    this.media.close();
    this.removeAllListeners('ringing');
  }

  private onRequest(tx: ServerTx): void {
    const req = tx.req;
    const d = this.dialog;
    if (req.method === 'ACK') {
      this.sdp?.ack(sdpOf(req)); // the answer, when our re-INVITE 200 carried an offer
      this.reInvite?.acked(); // stops the 2xx retransmissions of our re-INVITE 200
      this.reInvite = undefined;
      return;
    }
    if (req.cseq.seq <= d.remoteSeq) return void tx.reply(500, { reason: 'CSeq Out of Order' });
    d.remoteSeq = req.cseq.seq;
    if (req.method === 'BYE') {
      tx.reply(200);
      if (!this.ended) {
        this.ended = true;
        this.emit('bye', new Date());
      }
      return;
    }
    if (req.method === 'INVITE') return this.onReInvite(tx);
    if (req.method === 'INFO' || req.method === 'OPTIONS') return void tx.reply(200);
    tx.reply(405, { headers: { Allow: 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO' } });
  }

  /** Buyer re-INVITE (hold, SDP refresh, or no offer: ours goes in the 200 and its answer in the ACK). */
  private onReInvite(tx: ServerTx): void {
    if (!this.sdp) return void tx.reply(491);
    const body = this.sdp.reinvite(sdpOf(tx.req));
    if (!body) return void tx.reply(488);
    this.reInvite = tx;
    tx.reply(200, { body, headers: { Contact: this.dialog.contact() } });
  }
}

export const remoteUriOf = (v: string): string => withoutTag(v);
