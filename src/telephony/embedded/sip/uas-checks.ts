/**
 * Request checks a UAS makes after parsing (RFC 3261 8.2.1-8.2.3): URI scheme, Require, Content-Type, Accept.
 * Returns the rejection to send, or undefined when the request may go on.
 */
import { parseUri } from './grammar.js';
import type { SipMessage } from './message.js';

export interface Rejection {
  status: number;
  headers?: Record<string, string>;
}

const ACCEPTED = 'application/sdp, multipart/mixed';

/** Extensions we implement (none that a peer may Require of us). */
const SUPPORTED = new Set<string>([]);

export function checkRequest(req: SipMessage): Rejection | undefined {
  const scheme = parseUri(req.uri).scheme;
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return { status: 416 };
  if (req.method === 'ACK' || req.method === 'CANCEL') return undefined;
  const unsupported = req.all('require').flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t && !SUPPORTED.has(t));
  if (unsupported.length) return { status: 420, headers: { Unsupported: unsupported.join(', ') } };
  if (req.method !== 'INVITE') return undefined;
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // multipart/mixed: SIP-I/SIP-T carriers put ISUP beside the SDP (sip/body.ts takes the SDP part).
  if (req.body.length && type !== 'application/sdp' && type !== 'multipart/mixed') return { status: 415, headers: { Accept: ACCEPTED } };
  const accept = req.get('accept');
  if (accept !== undefined && accept.trim() !== '') {
    const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
    if (!types.some((t) => t === 'application/sdp' || t === '*/*' || t === 'application/*')) return { status: 406, headers: { Accept: 'application/sdp' } };
  }
  return undefined;
}

/** The user part of a SIP/tel URI without parameters (`sip:+1555;npdi@h` -> `+1555`). */
export function userOf(uri: string): string | undefined {
  try {
    const u = parseUri(uri);
    const user = u.user?.split(';')[0];
    return user ? decodeURIComponent(user) : undefined;
  } catch {
    return undefined;
  }
}
