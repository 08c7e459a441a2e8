/**
 * RFC 3261 section 17 transactions (with the RFC 6026 "accepted" state): server and client, INVITE and non-INVITE,
 * with the retransmission timers that matter over UDP (A/B/D/E/F/G/H/J). TCP skips retransmissions.
 */
import type { SourceAddress } from '../../types.js';
import { SipMessage } from './message.js';
import { makeResponse, serialize } from './serialize.js';

export const T1 = 500;
export const T2 = 4000;
export const TX_TIMEOUT = 64 * T1;

export type Send = (buf: Buffer, to: SourceAddress, onError?: (err: Error) => void) => void;

/** Transaction key: RFC 3261 branch, or the RFC 2543 fallback when the branch lacks the magic cookie. */
export function txKey(msg: SipMessage, method = msg.isRequest ? msg.method : msg.cseq.method): string {
  const m = method === 'ACK' ? 'INVITE' : method;
  const branch = msg.branch;
  if (branch.startsWith('z9hG4bK') && branch.length > 7) return `${branch}|${m}`;
  const v = msg.via;
  return `2543|${msg.callId}|${msg.cseq.seq}|${msg.from.params.get('tag') ?? ''}|${v.host}:${v.port ?? 5060}|${m}`;
}

export class ServerTx {
  last: SipMessage | undefined;
  final = false;
  /** Set by the TU for INVITE: called when the caller CANCELs before a final response. */
  onCancel: (() => void) | undefined;
  /** INVITE only: no ACK came for our final response within 64*T1. */
  onNoAck: (() => void) | undefined;
  private ackedAt = false;
  private timer: NodeJS.Timeout | undefined;
  private life: NodeJS.Timeout | undefined;

  constructor(
    readonly req: SipMessage,
    readonly source: SourceAddress,
    private readonly send: Send,
    private readonly done: () => void,
  ) {}

  /** Send a response built with `makeResponse` semantics. */
  reply(status: number, opts: { toTag?: string; reason?: string; headers?: Record<string, string>; body?: Buffer; contentType?: string } = {}): SipMessage {
    const res = makeResponse(this.req, status, opts);
    for (const [k, v] of Object.entries(opts.headers ?? {})) res.add(k.toLowerCase(), v);
    if (opts.body?.length) {
      res.set('content-type', opts.contentType ?? 'application/sdp');
      res.body = opts.body;
    }
    this.respond(res);
    return res;
  }

  respond(res: SipMessage): void {
    if (this.final) return;
    this.last = res;
    this.transmit();
    if (res.status < 200) return;
    this.final = true;
    const invite = this.req.method === 'INVITE';
    // Final answers to INVITE are repeated until the ACK (for a 2xx this is the TU's job in RFC 3261 13.3.1.4).
    if (invite && this.source.transport === 'udp') this.retransmit(T1);
    this.life = setTimeout(() => {
      if (invite && !this.ackedAt) this.onNoAck?.();
      this.terminate();
    }, invite || this.source.transport === 'udp' ? TX_TIMEOUT : 0);
  }

  /** A retransmitted request: answer it with what we last said. */
  absorb(): void {
    if (this.last) this.transmit();
  }

  /** The ACK for a non-2xx final response arrived: stop retransmitting. */
  acked(): void {
    this.ackedAt = true;
    clearTimeout(this.timer);
  }

  private transmit(): void {
    if (this.last) this.send(serialize(this.last), this.source);
  }

  private retransmit(interval: number): void {
    this.timer = setTimeout(() => {
      this.transmit();
      this.retransmit(Math.min(interval * 2, T2));
    }, interval);
  }

  terminate(): void {
    clearTimeout(this.timer);
    clearTimeout(this.life);
    this.done();
  }
}

export type ResponseHandler = (res: SipMessage) => void;

export class ClientTx {
  private timer: NodeJS.Timeout | undefined;
  private life: NodeJS.Timeout | undefined;
  private gotFinal = false;
  private gotProvisional = false;
  private readonly wire: Buffer;

  constructor(
    readonly req: SipMessage,
    readonly dest: SourceAddress,
    private readonly send: Send,
    private readonly handler: ResponseHandler,
    private readonly done: () => void,
  ) {
    this.wire = serialize(req);
  }

  start(): void {
    this.send(this.wire, this.dest, () => this.fail(503, 'Transport Error'));
    if (this.dest.transport === 'udp') this.retransmit(T1);
    this.life = setTimeout(() => this.fail(408, 'Request Timeout'), TX_TIMEOUT);
  }

  get provisional(): boolean {
    return this.gotProvisional;
  }

  onResponse(res: SipMessage): void {
    const invite = this.req.method === 'INVITE';
    if (res.status < 200) {
      if (this.gotFinal) return;
      this.gotProvisional = true;
      if (invite) clearTimeout(this.timer);
      this.handler(res);
      return;
    }
    if (invite && res.status >= 300) this.send(serialize(ackFor(this.req, res)), this.dest);
    // Every 2xx goes up (the TU ACKs each retransmission); other finals only once.
    if (this.gotFinal && !(invite && res.status < 300)) return;
    const first = !this.gotFinal;
    this.gotFinal = true;
    if (first) {
      clearTimeout(this.timer);
      clearTimeout(this.life);
      this.life = setTimeout(() => this.terminate(), invite ? TX_TIMEOUT : 0);
    }
    this.handler(res);
  }

  private fail(status: number, reason: string): void {
    if (this.gotFinal) return;
    const res = makeResponse(this.req, status, { reason });
    this.gotFinal = true;
    this.terminate();
    this.handler(res);
  }

  private retransmit(interval: number): void {
    this.timer = setTimeout(() => {
      if (this.gotFinal) return;
      this.send(this.wire, this.dest);
      const invite = this.req.method === 'INVITE';
      this.retransmit(invite ? interval * 2 : Math.min(interval * 2, T2));
    }, interval);
  }

  terminate(): void {
    clearTimeout(this.timer);
    clearTimeout(this.life);
    this.done();
  }
}

/**
 * A request that rides the INVITE's own transaction: same R-URI, top Via (branch) and Route set, From and
 * Call-ID, the INVITE's CSeq number with `method` (RFC 3261 9.1 for CANCEL, 17.1.1.3 for ACK of a non-2xx).
 */
function onInviteBranch(invite: SipMessage, method: 'ACK' | 'CANCEL', to: string): SipMessage {
  const m = new SipMessage();
  m.method = method;
  m.uri = invite.uri;
  m.add('via', invite.get('via') ?? '');
  for (const r of invite.all('route')) m.add('route', r);
  m.add('max-forwards', '70');
  m.add('from', invite.get('from') ?? '');
  m.add('to', to);
  m.add('call-id', invite.callId);
  m.add('cseq', `${invite.cseq.seq} ${method}`);
  return m;
}

/** ACK for a non-2xx final response: the To carries the response's tag. */
export function ackFor(invite: SipMessage, res: SipMessage): SipMessage {
  return onInviteBranch(invite, 'ACK', res.get('to') ?? '');
}

/** CANCEL for a pending INVITE: the INVITE's own To (no tag). */
export function cancelFor(invite: SipMessage): SipMessage {
  return onInviteBranch(invite, 'CANCEL', invite.get('to') ?? '');
}
