/**
 * Simulated SIP phones on the drachtio stand-in's network: a caller (UAC) and a buyer (UAS). They exchange full
 * SIP messages with the stand-in, as sipp would over UDP, and expose promises for what the test waits on.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Peer } from './server.js';
import { responseTo } from './server.js';

/** What a simulated phone needs from the network: the drachtio stand-in in process, or real UDP (udp.ts). */
export interface SipNet {
  /** drachtio's SIP address, as callers address their INVITEs. */
  readonly sipAddress: string;
  readonly sipPort: number;
  attach(peer: Peer): void;
  fromNetwork(peer: Peer, msg: SipMsg): void;
}
import { SipMsg, audioSdp, newBranch, newCallId, newTag, tagOf, uriOf } from './sip.js';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export interface PlaceCallOptions {
  did: string;
  caller: string;
  /** Where the caller appears to send from. Default 127.0.0.1 with a fresh port. */
  hostport?: string;
  headers?: Record<string, string>;
  /** RTP port in the caller's offer; the FreeSWITCH stand-in finds the caller's channel by it. */
  mediaPort?: number;
  /** Late offer: no SDP in the INVITE, the answer goes in the ACK. */
  lateOffer?: boolean;
}

let nextPort = 40000;

/** A caller: sends the INVITE, ACKs a 2xx, can CANCEL or BYE, answers a BYE. */
export class CallerUa implements Peer {
  readonly hostport: string;
  readonly callId = newCallId();
  readonly mediaPort: number;
  readonly invite: SipMsg;
  readonly responses: SipMsg[] = [];
  readonly final = deferred<SipMsg>();
  /** Resolves when the engine sends BYE to the caller. */
  readonly byeReceived = deferred<Date>();
  private remoteTag: string | undefined;
  private cseq = 1;

  constructor(private readonly net: SipNet, opts: PlaceCallOptions) {
    this.mediaPort = opts.mediaPort ?? (nextPort += 2);
    this.hostport = opts.hostport ?? `127.0.0.1:${this.mediaPort + 1}`;
    const inv = SipMsg.request('INVITE', `sip:${opts.did}@${net.sipAddress}:${net.sipPort}`);
    inv.set('Via', `SIP/2.0/UDP ${this.hostport};branch=${newBranch()}`).set('Max-Forwards', '70');
    inv.set('From', `<sip:${opts.caller}@${this.hostport.split(':')[0]}>;tag=${newTag()}`);
    inv.set('To', `<sip:${opts.did}@${net.sipAddress}>`).set('Call-ID', this.callId).set('CSeq', '1 INVITE');
    inv.set('Contact', `<sip:${opts.caller}@${this.hostport}>`).set('User-Agent', 'sipp');
    for (const [k, v] of Object.entries(opts.headers ?? {})) inv.set(k, v);
    if (!opts.lateOffer) {
      inv.set('Content-Type', 'application/sdp');
      inv.body = audioSdp('127.0.0.1', this.mediaPort);
    }
    this.invite = inv;
    net.attach(this);
  }

  send(): this {
    this.net.fromNetwork(this, this.invite);
    return this;
  }

  receive(msg: SipMsg): void {
    if (!msg.isRequest) return this.onResponse(msg);
    if (msg.method === 'BYE') {
      this.byeReceived.resolve(new Date());
      this.net.fromNetwork(this, responseTo(msg, 200));
    } else if (msg.method !== 'ACK') this.net.fromNetwork(this, responseTo(msg, 200));
  }

  private onResponse(res: SipMsg): void {
    if (res.cseq.method !== 'INVITE') return;
    this.responses.push(res);
    if ((res.status ?? 0) < 200) return;
    this.remoteTag = tagOf(res.get('to'));
    if ((res.status ?? 0) < 300) {
      const ack = this.inDialog('ACK', res.cseq.seq);
      if (!this.invite.body) ack.set('Content-Type', 'application/sdp').body = audioSdp('127.0.0.1', this.mediaPort);
      this.net.fromNetwork(this, ack);
    }
    this.final.resolve(res);
  }

  cancel(): void {
    const c = SipMsg.request('CANCEL', this.invite.uri ?? '');
    for (const h of ['Via', 'From', 'To', 'Call-ID']) c.set(h, this.invite.get(h) ?? '');
    c.set('CSeq', '1 CANCEL').set('Max-Forwards', '70');
    this.net.fromNetwork(this, c);
  }

  bye(): void {
    this.net.fromNetwork(this, this.inDialog('BYE', ++this.cseq));
  }

  private inDialog(method: string, seq: number): SipMsg {
    const m = SipMsg.request(method, `sip:${this.net.sipAddress}:${this.net.sipPort}`);
    m.set('Via', `SIP/2.0/UDP ${this.hostport};branch=${newBranch()}`).set('Max-Forwards', '70');
    m.set('From', this.invite.get('from') ?? '').set('To', `${this.invite.get('to') ?? ''};tag=${this.remoteTag ?? ''}`);
    m.set('Call-ID', this.callId).set('CSeq', `${seq} ${method}`);
    return m;
  }
}

export type BuyerBehaviour =
  | { kind: 'answer'; ringFirst?: boolean }
  | { kind: 'reject'; status: number }
  | { kind: 'ring' }
  /** Say nothing until the test calls `ring()`. */
  | { kind: 'silent' }
  /** Challenge with 407, then answer a request carrying a valid digest for these credentials. */
  | { kind: 'digest'; username: string; password: string; realm: string };

export interface BuyerInvite {
  req: SipMsg;
  at: Date;
}

/** A buyer (UAS) at `hostport`; answers per behaviour, records what it got, can hang up. */
export class BuyerUa extends EventEmitter implements Peer {
  readonly invites: BuyerInvite[] = [];
  readonly cancelled = deferred<Date>();
  readonly answered = deferred<Date>();
  readonly byeReceived = deferred<Date>();
  private dialogInvite: SipMsg | undefined;
  private readonly toTag = newTag();
  private cseq = 100;
  private nonce = newTag();

  constructor(private readonly net: SipNet, readonly hostport: string, public behaviour: BuyerBehaviour) {
    super();
    net.attach(this);
  }

  receive(msg: SipMsg): void {
    if (!msg.isRequest) return;
    const reply = (status: number, body?: string): void => {
      const r = responseTo(msg, status, status > 100 ? this.toTag : undefined);
      if (body) r.set('Contact', `<sip:buyer@${this.hostport}>`).set('Content-Type', 'application/sdp').body = body;
      this.net.fromNetwork(this, r);
    };
    if (msg.method === 'INVITE' && tagOf(msg.get('to'))) return reply(200, audioSdp('127.0.0.1', 30000));
    if (msg.method === 'INVITE') return this.onInvite(msg, reply);
    if (msg.method === 'CANCEL') {
      this.cancelled.resolve(new Date());
      reply(200);
      return this.terminatePending(); // a ringing phone answers the INVITE 487 after a CANCEL
    }
    if (msg.method === 'BYE') {
      this.byeReceived.resolve(new Date());
      return reply(200);
    }
  }

  private onInvite(msg: SipMsg, reply: (status: number, body?: string) => void): void {
    this.invites.push({ req: msg, at: new Date() });
    const b = this.behaviour;
    if (b.kind === 'digest' && !this.validDigest(msg, b)) {
      const r = responseTo(msg, 407, this.toTag);
      r.set('Proxy-Authenticate', `Digest realm="${b.realm}", nonce="${this.nonce}", algorithm=MD5, qop="auth"`);
      return this.net.fromNetwork(this, r);
    }
    if (b.kind === 'reject') return reply(b.status);
    this.pending = msg;
    if (b.kind === 'silent') return void (this.ringNow = () => reply(180));
    reply(180);
    if (b.kind === 'ring') return;
    this.dialogInvite = msg;
    reply(200, audioSdp('127.0.0.1', 30000));
    this.answered.resolve(new Date());
  }

  private pending: SipMsg | undefined;
  private ringNow: (() => void) | undefined;

  /** Send 180 for the INVITE a `silent` buyer is holding. */
  ring(): void {
    if (!this.ringNow) throw new Error('buyer holds no INVITE');
    this.ringNow();
  }

  private terminatePending(): void {
    if (!this.pending || this.dialogInvite === this.pending) return;
    this.net.fromNetwork(this, responseTo(this.pending, 487, this.toTag));
    this.pending = undefined;
  }

  bye(): void {
    const inv = this.dialogInvite;
    if (!inv) throw new Error('buyer has no dialog');
    const m = SipMsg.request('BYE', uriOf(inv.get('contact')));
    m.set('Via', `SIP/2.0/UDP ${this.hostport};branch=${newBranch()}`).set('Max-Forwards', '70');
    m.set('From', `${inv.get('to') ?? ''};tag=${this.toTag}`).set('To', inv.get('from') ?? '');
    m.set('Call-ID', inv.callId).set('CSeq', `${++this.cseq} BYE`);
    this.net.fromNetwork(this, m);
  }

  private validDigest(msg: SipMsg, b: { username: string; password: string; realm: string }): boolean {
    const h = msg.get('proxy-authorization');
    if (!h) return false;
    const p = Object.fromEntries([...h.matchAll(/(\w+)="?([^",]+)"?/g)].map((m) => [m[1], m[2]]));
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${b.username}:${b.realm}:${b.password}`);
    const ha2 = md5(`INVITE:${p.uri}`);
    const expected = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
    return p.username === b.username && p.nonce === this.nonce && p.response === expected;
  }
}
