/**
 * SIP header value grammar (RFC 3261 section 25), the parts the engine relies on.
 * Every function throws `SipSyntaxError` on malformed input; callers turn that into 400 or a drop.
 */
export class SipSyntaxError extends Error {}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
export const isToken = (s: string): boolean => TOKEN.test(s);

export interface SipUri {
  scheme: string;
  user: string | undefined;
  host: string;
  port: number | undefined;
  params: Map<string, string | null>;
  /** Raw `?headers` part, when present. */
  headers: string | undefined;
}

export interface NameAddr {
  display: string | undefined;
  uri: SipUri;
  /** The URI exactly as written (to copy into requests). */
  rawUri: string;
  params: Map<string, string | null>;
}

export interface Via {
  transport: string;
  host: string;
  port: number | undefined;
  params: Map<string, string | null>;
}

/** Split a header value on a separator, outside quoted strings and angle brackets. */
export function splitOutside(value: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === sep && depth === 0) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw new SipSyntaxError('unterminated quoted string');
  out.push(value.slice(start));
  return out;
}

/** `;a=b;c` -> Map. Empty parameters (`;;`) are malformed. */
export function parseParams(parts: readonly string[]): Map<string, string | null> {
  const params = new Map<string, string | null>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!isToken(name)) throw new SipSyntaxError(`bad parameter "${part.trim()}"`);
    let value: string | null = eq === -1 ? null : part.slice(eq + 1).trim();
    if (value !== null && value === '') throw new SipSyntaxError(`empty parameter value "${name}"`);
    if (value !== null && value.startsWith('"')) value = unquote(value);
    params.set(name, value);
  }
  return params;
}

function unquote(q: string): string {
  if (q.length < 2 || !q.startsWith('"') || !q.endsWith('"')) throw new SipSyntaxError('bad quoted string');
  return q.slice(1, -1).replace(/\\(.)/gs, '$1');
}

export function parseUri(raw: string): SipUri {
  if (/\s/.test(raw) || raw.length === 0) throw new SipSyntaxError('whitespace in URI');
  const colon = raw.indexOf(':');
  if (colon <= 0) throw new SipSyntaxError('URI without scheme');
  const scheme = raw.slice(0, colon).toLowerCase();
  if (!/^[a-z][a-z0-9+\-.]*$/.test(scheme)) throw new SipSyntaxError('bad URI scheme');
  const rest = raw.slice(colon + 1);
  if (scheme !== 'sip' && scheme !== 'sips') {
    return { scheme, user: scheme === 'tel' ? rest.split(';')[0] : undefined, host: '', port: undefined, params: new Map(), headers: undefined };
  }
  // The user part may hold `?` and `;` (RFC 3261 25.1 user-unreserved); headers start after the host.
  const at = rest.lastIndexOf('@');
  const user = at === -1 ? undefined : rest.slice(0, at);
  const hostPart = rest.slice(at + 1);
  const q = hostPart.indexOf('?');
  const headers = q === -1 ? undefined : hostPart.slice(q + 1);
  const [hostport = '', ...paramParts] = (q === -1 ? hostPart : hostPart.slice(0, q)).split(';');
  const { host, port } = parseHostPort(hostport);
  return { scheme, user, host, port, params: parseParams(paramParts), headers };
}

export function parseHostPort(hp: string): { host: string; port: number | undefined } {
  let host: string;
  let portText: string | undefined;
  if (hp.startsWith('[')) {
    const end = hp.indexOf(']');
    if (end === -1) throw new SipSyntaxError('bad IPv6 reference');
    host = hp.slice(0, end + 1);
    const tail = hp.slice(end + 1);
    if (tail && !tail.startsWith(':')) throw new SipSyntaxError('bad host');
    portText = tail ? tail.slice(1) : undefined;
  } else {
    const c = hp.indexOf(':');
    host = c === -1 ? hp : hp.slice(0, c);
    portText = c === -1 ? undefined : hp.slice(c + 1);
  }
  if (!/^[A-Za-z0-9\-.[\]:]+$/.test(host)) throw new SipSyntaxError('bad host');
  if (portText === undefined) return { host: host.toLowerCase(), port: undefined };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new SipSyntaxError('bad port');
  return { host: host.toLowerCase(), port: Number(portText) };
}

/** name-addr / addr-spec followed by header parameters (To, From, Contact, Route...). */
export function parseNameAddr(value: string): NameAddr {
  const v = value.trim();
  const lt = indexOutsideQuotes(v, '<');
  if (lt === -1) {
    // addr-spec: parameters after the URI belong to the header; `?` would be ambiguous (RFC 3261 20.10).
    const [uriPart = '', ...paramParts] = v.split(';');
    if (uriPart.includes('?') || uriPart.includes(',')) throw new SipSyntaxError('addr-spec with reserved characters');
    return { display: undefined, uri: parseUri(uriPart.trim()), rawUri: uriPart.trim(), params: parseParams(paramParts) };
  }
  const gt = v.indexOf('>', lt);
  if (gt === -1) throw new SipSyntaxError('unterminated <');
  const display = parseDisplay(v.slice(0, lt).trim());
  const rawUri = v.slice(lt + 1, gt);
  const tail = v.slice(gt + 1).trim();
  if (tail && !tail.startsWith(';')) throw new SipSyntaxError('junk after >');
  return { display, uri: parseUri(rawUri), rawUri, params: parseParams(tail ? splitOutside(tail.slice(1), ';') : []) };
}

function indexOutsideQuotes(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) return i;
  }
  if (quoted) throw new SipSyntaxError('unterminated quoted string');
  return -1;
}

function parseDisplay(d: string): string | undefined {
  if (!d) return undefined;
  if (d.startsWith('"')) return unquote(d);
  if (!d.split(/[ \t]+/).every(isToken)) throw new SipSyntaxError('bad display name');
  return d;
}

/** One Via value: `SIP/2.0/UDP host:port;branch=...`, with LWS allowed around the slashes. */
export function parseVia(value: string): Via {
  const [sentBy = '', ...paramParts] = value.split(';');
  const m = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+(\S+)\s*$/i.exec(sentBy);
  if (!m) throw new SipSyntaxError('bad Via');
  const { host, port } = parseHostPort(m[2]!);
  return { transport: m[1]!.toUpperCase(), host, port, params: parseParams(paramParts) };
}

export function parseCSeq(value: string): { seq: number; method: string } {
  const m = /^\s*(\d{1,10})\s+(\S+)\s*$/.exec(value);
  if (!m || Number(m[1]) > 2 ** 31 - 1 || !isToken(m[2]!)) throw new SipSyntaxError('bad CSeq');
  return { seq: Number(m[1]), method: m[2]! };
}

export function formatUri(u: Pick<SipUri, 'scheme' | 'user' | 'host' | 'port'>): string {
  return `${u.scheme}:${u.user ? `${u.user}@` : ''}${u.host}${u.port ? `:${u.port}` : ''}`;
}
