/** Writing SIP messages, and building responses from requests (RFC 3261 8.2.6). */
import { randomBytes } from 'node:crypto';
import { SipMessage, wireName } from './message.js';

export const REASONS: Readonly<Record<number, string>> = {
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required',
  408: 'Request Timeout', 415: 'Unsupported Media Type', 416: 'Unsupported URI Scheme', 420: 'Bad Extension',
  480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist', 486: 'Busy Here', 487: 'Request Terminated',
  488: 'Not Acceptable Here', 491: 'Request Pending', 500: 'Server Internal Error', 501: 'Not Implemented',
  503: 'Service Unavailable', 505: 'Version Not Supported', 603: 'Decline',
};

export const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO';

export function serialize(msg: SipMessage): Buffer {
  const start = msg.isRequest ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const lines = [start];
  for (const [name, value] of msg.headers) if (name !== 'content-length') lines.push(`${wireName(name)}: ${value}`);
  lines.push(`Content-Length: ${msg.body.length}`, '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), msg.body]);
}

export const newTag = (): string => randomBytes(6).toString('hex');
export const newBranch = (): string => `z9hG4bK${randomBytes(8).toString('hex')}`;
export const newCallId = (host: string): string => `${randomBytes(10).toString('hex')}@${host}`;

/** A response to `req`: copies Via, From, To (adding our tag when given), Call-ID and CSeq. */
export function makeResponse(req: SipMessage, status: number, opts: { toTag?: string; reason?: string } = {}): SipMessage {
  const res = new SipMessage();
  res.status = status;
  res.reason = opts.reason ?? REASONS[status] ?? 'Unknown';
  for (const [name, value] of req.headers) {
    if (name === 'via' || name === 'from' || name === 'call-id' || name === 'cseq') res.add(name, value);
    else if (name === 'to') res.add(name, opts.toTag && !/;\s*tag\s*=/i.test(value) ? `${value};tag=${opts.toTag}` : value);
    else if (name === 'record-route' && status > 100 && status < 300) res.add(name, value);
  }
  return res;
}
