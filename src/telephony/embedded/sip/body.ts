/**
 * The SDP carried by a SIP message: its body, or the application/sdp part of a multipart body. Carriers
 * interworking with SS7 (SIP-I / SIP-T) send INVITEs as multipart/mixed with an ISUP part beside the SDP; the
 * ISUP part is ignored (it is optional to us: we route on the SIP headers).
 */
import type { SipMessage } from './message.js';

const MULTIPART = /^\s*multipart\/[a-z0-9.+-]+\s*;(?:[^;]*;)*?\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i;
const SDP_PART = /^content-type\s*:\s*application\/sdp\b/im;
const HEADERS_END = /\r?\n\r?\n/;

/** Text of the SDP in `msg` ('' when it has none). A non-multipart body is returned whole, whatever its type. */
export function sdpOf(msg: SipMessage): string {
  const m = MULTIPART.exec(msg.get('content-type') ?? '');
  if (!m) return msg.body.toString('utf8');
  // latin1 keeps binary parts (ISUP) byte for byte while we split; the SDP part is decoded as UTF-8 afterwards.
  const text = msg.body.toString('latin1');
  const delimiter = `--${m[1] ?? m[2]}`;
  for (const part of text.split(delimiter).slice(1)) {
    if (part.startsWith('--')) break; // the close delimiter
    const end = HEADERS_END.exec(part);
    if (!end || !SDP_PART.test(part.slice(0, end.index).replace(/^\r?\n/, ''))) continue;
    const body = part.slice(end.index + end[0].length).replace(/\r?\n$/, '');
    return Buffer.from(body, 'latin1').toString('utf8');
  }
  return '';
}
