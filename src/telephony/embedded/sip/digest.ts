/** HTTP Digest (RFC 2617 / RFC 3261 22) for the outbound trunk: MD5, optional qop=auth. */
import { createHash, randomBytes } from 'node:crypto';
import { parseParams, splitOutside } from './grammar.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export interface Challenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  algorithm: string;
  qop: string | undefined;
}

/** Parse `Digest realm="x", nonce="y", ...`; undefined when not a Digest challenge we can answer. */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  let params: Map<string, string | null>;
  try {
    params = parseParams(splitOutside(m[1]!, ','));
  } catch {
    return undefined;
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  const algorithm = params.get('algorithm') ?? 'MD5';
  if (!realm || !nonce || algorithm.toUpperCase() !== 'MD5') return undefined;
  const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim());
  return { realm, nonce, opaque: params.get('opaque') ?? undefined, algorithm, qop: qops.includes('auth') ? 'auth' : undefined };
}

/** The Authorization / Proxy-Authorization value for one request. */
export function digestResponse(
  ch: Challenge,
  creds: { username: string; password: string },
  method: string,
  uri: string,
  nc = 1,
): string {
  const ha1 = md5(`${creds.username}:${ch.realm}:${creds.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const parts = [`username="${creds.username}"`, `realm="${ch.realm}"`, `nonce="${ch.nonce}"`, `uri="${uri}"`];
  let response: string;
  if (ch.qop) {
    const cnonce = randomBytes(8).toString('hex');
    const ncHex = nc.toString(16).padStart(8, '0');
    response = md5(`${ha1}:${ch.nonce}:${ncHex}:${cnonce}:auth:${ha2}`);
    parts.push(`qop=auth`, `nc=${ncHex}`, `cnonce="${cnonce}"`);
  } else {
    response = md5(`${ha1}:${ch.nonce}:${ha2}`);
  }
  parts.push(`response="${response}"`, 'algorithm=MD5');
  if (ch.opaque) parts.push(`opaque="${ch.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
