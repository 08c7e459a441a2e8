/**
 * Webhook signatures: the same scheme as ping-post pings (src/rtb/sign.ts), so receivers verify both alike.
 * `X-Callroute-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<content>")>`, `X-Callroute-Timestamp` in epoch ms.
 * The signed content is the body; for a GET (no body) it is the query string without its `?`.
 */
import { sign } from '../rtb/sign.js';

export { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../rtb/sign.js';
export const EVENT_ID_HEADER = 'x-callroute-event-id';
export const EVENT_HEADER = 'x-callroute-event';
export const ATTEMPT_HEADER = 'x-callroute-attempt';

export function signedContent(url: string, body: string | null): string {
  return body ?? new URL(url).search.replace(/^\?/, '');
}

export function signDelivery(secret: string, timestamp: number, url: string, body: string | null): string {
  return sign(secret, timestamp, signedContent(url, body));
}
