/** Turning a SIP URI (or an outbound proxy `host:port`) into the socket address to send to. */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { SourceAddress, Transport } from '../types.js';
import { parseHostPort, parseUri } from './sip/grammar.js';

/** Next hop for a request: the proxy when given, else the URI's host and port (A record; no SRV/NAPTR). */
export async function nextHop(uri: string, proxy: string | undefined, transport: Transport | undefined): Promise<SourceAddress> {
  const u = parseUri(uri);
  const uriTransport = u.params.get('transport')?.toLowerCase();
  const t: Transport = transport ?? (uriTransport === 'tcp' ? 'tcp' : 'udp');
  const hp = proxy ? parseHostPort(proxy.replace(/^sip:/, '')) : { host: u.host, port: u.port };
  return { address: await toAddress(hp.host), port: hp.port ?? 5060, transport: t };
}

async function toAddress(host: string): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return bare;
  const r = await lookup(bare, { family: 4 });
  return r.address;
}
