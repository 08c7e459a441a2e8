/**
 * Ping signatures and caller hashes.
 *
 * Signature: `X-Callroute-Signature: v1=<hex>` where hex = HMAC-SHA256(buyer secret, `<timestamp>.<body>`)
 * and `X-Callroute-Timestamp` is the send time in epoch ms. Signing the timestamp with the body lets a buyer
 * refuse replays (reject a timestamp older than a few seconds) as well as forgeries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-callroute-signature';
export const TIMESTAMP_HEADER = 'x-callroute-timestamp';

export function sign(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** For buyers (and our tests): constant-time check of a received ping, with a freshness window. */
export function verify(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowMs: number,
  maxAgeMs = 30_000,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isFinite(ts) || Math.abs(nowMs - ts) > maxAgeMs) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/**
 * Keyed hash of a caller number: stable for a given key (a buyer can spot a repeat caller) but not
 * reversible by enumerating the ~10^10 numbers of a country, unlike a plain SHA-256.
 */
export function callerHash(key: string, caller: string): string {
  return createHmac('sha256', key).update(caller).digest('hex');
}
