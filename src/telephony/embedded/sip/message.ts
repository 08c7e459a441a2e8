/**
 * The SIP message model: a start line, an ordered header list (canonical lower-case long names) and a body.
 * Header values are kept as text (latin1, so every byte survives) and parsed on demand by `grammar.ts`.
 */
import { parseCSeq, parseNameAddr, parseVia, type NameAddr, type Via } from './grammar.js';

/** Compact header forms (RFC 3261 7.3.3 and later RFCs). */
export const COMPACT: Readonly<Record<string, string>> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type', f: 'from',
  s: 'subject', k: 'supported', t: 'to', v: 'via', o: 'event', r: 'refer-to', u: 'allow-events', x: 'session-expires',
};

/** Headers that may appear at most once (RFC 3261 7.3.1 / 20). */
export const SINGLE = new Set(['call-id', 'content-length', 'content-type', 'cseq', 'from', 'to', 'max-forwards']);

const CANONICAL: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID', cseq: 'CSeq', 'www-authenticate': 'WWW-Authenticate', 'rack': 'RAck', 'rseq': 'RSeq',
};

/** Lower-case header name -> how we write it on the wire. */
export function wireName(name: string): string {
  return CANONICAL[name] ?? name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

export class SipMessage {
  method = '';
  uri = '';
  status = 0;
  reason = '';
  headers: Array<[string, string]> = [];
  body: Buffer = Buffer.alloc(0);

  get isRequest(): boolean {
    return this.method !== '';
  }

  get(name: string): string | undefined {
    for (const [n, v] of this.headers) if (n === name) return v;
    return undefined;
  }

  /** Every value of a header, comma lists split (only for list headers like Via/Route/Contact). */
  all(name: string): string[] {
    return this.headers.filter(([n]) => n === name).map(([, v]) => v);
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

  remove(name: string): void {
    this.headers = this.headers.filter(([n]) => n !== name);
  }

  get callId(): string {
    return this.get('call-id') ?? '';
  }

  get cseq(): { seq: number; method: string } {
    return parseCSeq(this.get('cseq') ?? '');
  }

  get from(): NameAddr {
    return parseNameAddr(this.get('from') ?? '');
  }

  get to(): NameAddr {
    return parseNameAddr(this.get('to') ?? '');
  }

  /** The top Via (the parser already checked every Via is well formed). */
  get via(): Via {
    return parseVia(this.get('via') ?? '');
  }

  get branch(): string {
    return this.via.params.get('branch') ?? '';
  }
}
