/**
 * Dialog state (RFC 3261 12) and building requests inside it. One per call leg; both the caller leg (we are UAS)
 * and the buyer leg (we are UAC) use it.
 */
import type { SourceAddress, Transport } from '../../types.js';
import { SipMessage } from './message.js';
import { newBranch } from './serialize.js';

export interface LocalContact {
  address: string;
  port: number;
}

export class Dialog {
  localSeq: number;
  remoteSeq = -1;
  remoteTag = '';
  remoteTarget: string;
  routeSet: string[] = [];

  constructor(
    readonly callId: string,
    readonly localTag: string,
    /** Our From/To value without tag, e.g. `<sip:+1555@host>`. */
    readonly localUri: string,
    /** Their From/To value without tag. */
    readonly remoteUri: string,
    remoteTarget: string,
    /** Where in-dialog requests go (the peer's socket address for inbound legs, the next hop for outbound). */
    public dest: SourceAddress,
    private readonly local: LocalContact,
  ) {
    this.remoteTarget = remoteTarget;
    this.localSeq = Math.floor(Math.random() * 10_000) + 1;
  }

  get key(): string {
    return `${this.callId}|${this.localTag}`;
  }

  get transport(): Transport {
    return this.dest.transport;
  }

  contact(): string {
    const t = this.transport === 'tcp' ? ';transport=tcp' : '';
    return `<sip:callroute@${this.local.address}:${this.local.port}${t}>`;
  }

  via(): string {
    return `SIP/2.0/${this.transport.toUpperCase()} ${this.local.address}:${this.local.port};branch=${newBranch()};rport`;
  }

  /** A new in-dialog request (BYE, re-INVITE...). ACK for a 2xx passes the INVITE's CSeq. */
  request(method: string, seq?: number): SipMessage {
    const req = new SipMessage();
    req.method = method;
    req.uri = this.remoteTarget;
    req.add('via', this.via());
    for (const r of this.routeSet) req.add('route', r);
    req.add('max-forwards', '70');
    req.add('from', `${this.localUri};tag=${this.localTag}`);
    req.add('to', `${this.remoteUri}${this.remoteTag ? `;tag=${this.remoteTag}` : ''}`);
    req.add('call-id', this.callId);
    req.add('cseq', `${seq ?? ++this.localSeq} ${method}`);
    if (method !== 'ACK' && method !== 'BYE' && method !== 'CANCEL') req.add('contact', this.contact());
    return req;
  }
}

/** The URI inside a name-addr (`"x" <sip:a@b>;tag=1` -> `sip:a@b`). */
export function uriOf(value: string): string {
  const lt = value.indexOf('<');
  if (lt !== -1) return value.slice(lt + 1, value.indexOf('>', lt));
  return value.split(';')[0]!.trim();
}

/** A From/To value without its tag parameter. */
export function withoutTag(value: string): string {
  return value.replace(/;\s*tag\s*=\s*[^;]*/i, '');
}
