/** What the call flow needs to know about an inbound INVITE, read from a drachtio-srf request. */
import type Srf from 'drachtio-srf';
import type { SourceAddress, Transport } from '../types.js';

const userOf = (header: string | undefined): string | undefined => {
  if (!header) return undefined;
  const m = /(?:sips?|tel):([^@;>]+)/i.exec(header);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
};

/** P-Asserted-Identity user, else From user; `anonymous` when withheld (Privacy: id, or an anonymous From). */
export function callerOf(req: Srf.SrfRequest): string {
  const privacy = (req.get('privacy') ?? '').toLowerCase();
  const pai = userOf(req.get('p-asserted-identity'));
  const from = userOf(req.get('from'));
  const user = pai ?? from;
  if (!user || /^anonymous$/i.test(user) || (privacy.includes('id') && !pai)) return 'anonymous';
  return user;
}

/** Request-URI user, else To user (carriers that rewrite the R-URI to a trunk address). */
export function didOf(req: Srf.SrfRequest): string {
  return userOf(req.uri) ?? userOf(req.get('to')) ?? '';
}

export function sourceOf(req: Srf.SrfRequest): SourceAddress {
  const transport: Transport = /tcp|tls/i.test(req.protocol ?? '') ? 'tcp' : 'udp';
  return { address: req.source_address, port: Number(req.source_port) || 5060, transport };
}

/** Lower-cased header names. drachtio joins repeated headers with commas; the value is kept whole (display names hold commas). */
export function headersOf(req: Srf.SrfRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name.toLowerCase()] = String(value);
  return out;
}

/** Map a failed UAC attempt's SIP status to the flow's outcome words. */
export function outcomeOfStatus(status: number | null): 'busy' | 'no_answer' | 'failed' {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'no_answer';
  return 'failed';
}
