/**
 * Strict, defensive SIP parser. Never throws: returns the message, or an error that says whether it
 * can be answered (400/505 copied from the raw Via/From/To/Call-ID/CSeq) or must be dropped.
 */
import { COMPACT, SINGLE, SipMessage } from './message.js';
import { isToken, parseCSeq, parseNameAddr, parseUri, parseVia, splitOutside, SipSyntaxError } from './grammar.js';

/** Largest message we accept, on any transport. */
export const MAX_MESSAGE_BYTES = 65_535;
const MAX_HEADERS = 150;

export type ParseResult =
  | { ok: true; message: SipMessage; /** bytes consumed (stream transports) */ length: number }
  | { ok: false; reason: string; /** status to answer with, when the message is an answerable request */ status?: number; partial?: SipMessage; length: number }
  /** Stream transport: the message is not complete yet. */
  | { ok: 'incomplete' };

const VERSION = 'SIP/2.0';

/** Parse one message from `buf`. `stream` = TCP (a short body means "wait for more", extra bytes are the next message). */
export function parseMessage(buf: Buffer, stream = false): ParseResult {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) {
    if (stream && buf.length < MAX_MESSAGE_BYTES) return { ok: 'incomplete' };
    return { ok: false, reason: 'no end of headers', length: buf.length };
  }
  if (end > MAX_MESSAGE_BYTES) return { ok: false, reason: 'headers too large', length: buf.length };
  const msg = new SipMessage();
  const head = buf.subarray(0, end).toString('latin1');
  // Keep going after the first error so a 400 can still copy Via/CSeq/Call-ID from the raw headers.
  let first: unknown;
  const attempt = (fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      first ??= err;
    }
  };
  let lines: string[] = [];
  attempt(() => (lines = unfold(head)));
  attempt(() => parseStartLine(lines[0] ?? '', msg));
  for (const line of lines.slice(1)) attempt(() => addHeader(msg, line));
  if (first !== undefined) return failure(msg, first, buf.length);
  return withBody(msg, buf, end + 4, stream);
}

function withBody(msg: SipMessage, buf: Buffer, start: number, stream: boolean): ParseResult {
  const clText = msg.get('content-length');
  let length: number;
  if (clText === undefined) {
    if (stream) return failure(msg, new SipSyntaxError('Content-Length required on stream transports'), buf.length);
    length = buf.length - start; // RFC 2543 style: the body is the rest of the datagram
  } else if (!/^\s*\d{1,9}\s*$/.test(clText)) {
    return failure(msg, new SipSyntaxError('bad Content-Length'), buf.length);
  } else {
    length = Number(clText);
  }
  if (start + length > MAX_MESSAGE_BYTES) return failure(msg, new SipSyntaxError('message too large'), buf.length);
  if (buf.length < start + length) {
    if (stream) return { ok: 'incomplete' };
    return failure(msg, new SipSyntaxError('body shorter than Content-Length'), buf.length);
  }
  msg.body = Buffer.from(buf.subarray(start, start + length));
  try {
    validate(msg);
  } catch (err) {
    return failure(msg, err, start + length);
  }
  return { ok: true, message: msg, length: start + length };
}

function failure(msg: SipMessage, err: unknown, length: number): ParseResult {
  const reason = err instanceof Error ? err.message : String(err);
  if (!msg.isRequest || msg.method === 'ACK') return { ok: false, reason, length };
  const answerable = canAnswer(msg);
  const status = reason === 'version' ? 505 : 400;
  return answerable ? { ok: false, reason, status, partial: msg, length } : { ok: false, reason, length };
}

/** A 400 goes back to the source address; it needs at least a Via and a CSeq to copy so the peer can match it. */
function canAnswer(msg: SipMessage): boolean {
  return msg.get('via') !== undefined && msg.get('cseq') !== undefined;
}

/** Split header lines and join folded continuation lines (RFC 3261 7.3.1). */
function unfold(head: string): string[] {
  const raw = head.split('\r\n');
  const lines: string[] = [];
  for (const line of raw) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 1) lines[lines.length - 1] += ` ${line.trim()}`;
    else lines.push(line);
  }
  if (lines.length > MAX_HEADERS) throw new SipSyntaxError('too many headers');
  return lines;
}

function parseStartLine(line: string, msg: SipMessage): void {
  if (line.startsWith(`${VERSION} `)) {
    const m = /^SIP\/2\.0 (\d{3}) (.*)$/s.exec(line);
    if (!m || Number(m[1]) < 100 || Number(m[1]) > 699) throw new SipSyntaxError('bad status line');
    msg.status = Number(m[1]);
    msg.reason = m[2]!;
    return;
  }
  const parts = line.split(' ');
  if (!isToken(parts[0] ?? '')) throw new SipSyntaxError('bad request line');
  msg.method = parts[0]!; // known even when the rest is bad, so the 400 can be sent
  msg.uri = parts[1] ?? '';
  if (parts.length !== 3) throw new SipSyntaxError('bad request line');
  if (!/^SIP\/\d+\.\d+$/i.test(parts[2]!)) throw new SipSyntaxError('bad request line');
  if (parts[2]!.toUpperCase() !== VERSION) throw new SipSyntaxError('version');
}

function addHeader(msg: SipMessage, line: string): void {
  const colon = line.indexOf(':');
  if (colon <= 0) throw new SipSyntaxError('header without colon');
  const rawName = line.slice(0, colon).trim().toLowerCase();
  if (!isToken(rawName)) throw new SipSyntaxError('bad header name');
  const name = COMPACT[rawName] ?? rawName;
  const value = line.slice(colon + 1).trim();
  if (SINGLE.has(name) && msg.get(name) !== undefined) throw new SipSyntaxError(`repeated ${name}`);
  if (name === 'via' || name === 'contact' || name === 'route' || name === 'record-route') {
    // Keep list headers one value per entry so the top one is always headers[i].
    if (name === 'contact' && value === '*') return void msg.add(name, value);
    let items: string[];
    try {
      items = splitOutside(value, ',');
    } catch (err) {
      msg.add(name, value);
      throw err;
    }
    if (items.some((i) => i.trim() === '')) {
      msg.add(name, value);
      throw new SipSyntaxError(`empty ${name} entry`);
    }
    for (const item of items) msg.add(name, item.trim());
    return;
  }
  msg.add(name, value);
}

/** Semantic checks on the headers every element needs. */
function validate(msg: SipMessage): void {
  const vias = msg.all('via');
  if (vias.length === 0) throw new SipSyntaxError('missing Via');
  for (const v of vias) parseVia(v);
  const cseq = parseCSeq(msg.get('cseq') ?? '');
  for (const h of ['from', 'to', 'call-id'] as const) if (!msg.get(h)) throw new SipSyntaxError(`missing ${h}`);
  parseNameAddr(msg.get('from')!);
  parseNameAddr(msg.get('to')!);
  const mf = msg.get('max-forwards');
  if (mf !== undefined && (!/^\d{1,10}$/.test(mf) || Number(mf) > 255)) throw new SipSyntaxError('bad Max-Forwards');
  if (!msg.isRequest) return;
  if (cseq.method !== msg.method) throw new SipSyntaxError('CSeq method mismatch');
  if (msg.uri.startsWith('<')) throw new SipSyntaxError('bad Request-URI');
  const uri = parseUri(msg.uri);
  if ((uri.scheme === 'sip' || uri.scheme === 'sips') && uri.headers !== undefined) throw new SipSyntaxError('headers in Request-URI');
  for (const c of msg.all('contact')) if (c !== '*') parseNameAddr(c);
}
