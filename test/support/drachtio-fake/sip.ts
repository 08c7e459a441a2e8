/**
 * A minimal SIP message model for the drachtio stand-in and its simulated network peers: parse, build, serialize.
 * Header names are kept as written; lookups are case-insensitive (compact forms are expanded on parse).
 */
import { randomBytes } from 'node:crypto';

const COMPACT: Record<string, string> = { i: 'Call-ID', f: 'From', t: 'To', v: 'Via', m: 'Contact', l: 'Content-Length', c: 'Content-Type' };

export class SipMsg {
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  headers: [string, string][] = [];
  body = '';

  static request(method: string, uri: string): SipMsg {
    const m = new SipMsg();
    m.method = method;
    m.uri = uri;
    return m;
  }

  static response(status: number, reason: string): SipMsg {
    const m = new SipMsg();
    m.status = status;
    m.reason = reason;
    return m;
  }

  static parse(text: string): SipMsg {
    const sep = text.indexOf('\r\n\r\n');
    const head = sep === -1 ? text : text.slice(0, sep);
    const body = sep === -1 ? '' : text.slice(sep + 4);
    const [start = '', ...lines] = head.split('\r\n');
    const m = new SipMsg();
    const resp = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(start);
    if (resp) {
      m.status = Number(resp[1]);
      m.reason = resp[2] ?? '';
    } else {
      const [method, uri] = start.split(' ');
      m.method = method;
      m.uri = uri;
    }
    for (const line of lines) {
      const i = line.indexOf(':');
      if (i === -1) continue;
      const raw = line.slice(0, i).trim();
      m.headers.push([COMPACT[raw] ?? raw, line.slice(i + 1).trim()]);
    }
    const len = Number(m.get('content-length') ?? Buffer.byteLength(body));
    m.body = Buffer.from(body).subarray(0, len).toString();
    return m;
  }

  get isRequest(): boolean {
    return this.method !== undefined;
  }

  get(name: string): string | undefined {
    const n = name.toLowerCase();
    return this.headers.find(([k]) => k.toLowerCase() === n)?.[1];
  }

  getAll(name: string): string[] {
    const n = name.toLowerCase();
    return this.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
  }

  set(name: string, value: string): this {
    this.remove(name);
    this.headers.push([name, value]);
    return this;
  }

  add(name: string, value: string): this {
    this.headers.push([name, value]);
    return this;
  }

  remove(name: string): this {
    const n = name.toLowerCase();
    this.headers = this.headers.filter(([k]) => k.toLowerCase() !== n);
    return this;
  }

  clone(): SipMsg {
    const m = Object.assign(new SipMsg(), this);
    m.headers = this.headers.map(([k, v]) => [k, v]);
    return m;
  }

  get callId(): string {
    return this.get('call-id') ?? '';
  }

  get cseq(): { seq: number; method: string } {
    const [seq = '0', method = ''] = (this.get('cseq') ?? '').split(/\s+/);
    return { seq: Number(seq), method };
  }

  get branch(): string {
    return /branch=([^;,\s]+)/.exec(this.get('via') ?? '')?.[1] ?? '';
  }

  toString(): string {
    const start = this.isRequest ? `${this.method} ${this.uri} SIP/2.0` : `SIP/2.0 ${this.status} ${this.reason}`;
    const headers = this.headers.filter(([k]) => k.toLowerCase() !== 'content-length');
    const lines = headers.map(([k, v]) => `${k}: ${v}`);
    lines.push(`Content-Length: ${Buffer.byteLength(this.body)}`);
    return `${start}\r\n${lines.join('\r\n')}\r\n\r\n${this.body}`;
  }
}

export const newTag = (): string => randomBytes(6).toString('hex');
export const newBranch = (): string => `z9hG4bK${randomBytes(8).toString('hex')}`;
export const newCallId = (): string => randomBytes(12).toString('hex');

export function tagOf(header: string | undefined): string | undefined {
  return /;\s*tag=([^;>\s]+)/.exec(header ?? '')?.[1];
}

export function withTag(header: string, tag: string): string {
  return tagOf(header) ? header : `${header};tag=${tag}`;
}

/** The URI in a name-addr (`"x" <sip:a@b>;tag=1`) or addr-spec (`sip:a@b;tag=1`) header value. */
export function uriOf(header: string | undefined): string {
  const h = header ?? '';
  return /<([^>]+)>/.exec(h)?.[1] ?? h.split(';')[0]!.trim();
}

/** `host:port` of a SIP URI (port 5060 when absent). */
export function hostportOf(uri: string): string {
  const m = /^sips?:(?:[^@]*@)?([^;>?]+)/.exec(uri.replace(/^<|>$/g, ''));
  const hp = m?.[1] ?? '';
  return hp.includes(':') ? hp : `${hp}:5060`;
}

export const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist', 486: 'Busy Here', 487: 'Request Terminated', 488: 'Not Acceptable Here',
  500: 'Server Internal Error', 503: 'Service Unavailable', 603: 'Decline',
};

/** A G.711 audio offer/answer on `port` (nothing listens there: the stand-ins do not carry RTP). */
export function audioSdp(address: string, port: number, id = Date.now() % 1e9): string {
  return [
    'v=0', `o=- ${id} ${id} IN IP4 ${address}`, 's=-', `c=IN IP4 ${address}`, 't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', '',
  ].join('\r\n');
}
