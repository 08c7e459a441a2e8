/**
 * First decision on an INVITE: accept it into a campaign, or reject it at once with no media.
 * Order matters: an unknown source learns nothing about which DIDs exist (403 before 404).
 */
import type { LoadedConfig, DidEntry } from '../config/model.js';
import type { Carrier } from '../config/schema/index.js';
import type { InboundCall } from '../telephony/types.js';
import { carrierFor } from './carriers.js';
import { campaignHours } from '../core/hours.js';

export type Admission =
  | { accept: true; carrier: Carrier; entry: DidEntry; did: string }
  | { accept: false; sipCode: number; reason: string };

/** Normalises a dialled number to E.164 (+1 for 10-digit NANP numbers, + for 11 digits starting with 1). */
export function normaliseNumber(user: string): string {
  const digits = user.replace(/[^0-9+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (/^[2-9][0-9]{9}$/.test(digits)) return `+1${digits}`;
  if (/^1[2-9][0-9]{9}$/.test(digits)) return `+${digits}`;
  return `+${digits}`;
}

export function isAnonymous(caller: string): boolean {
  return caller === '' || /^(anonymous|restricted|unavailable|unknown|private)$/i.test(caller);
}

/** Numbers blocked outside the config file (the admin API's persisted blocklist). */
export interface BlockedNumbers {
  has(e164: string): boolean;
}

export function admit(
  config: LoadedConfig,
  call: Pick<InboundCall, 'source' | 'did' | 'caller'>,
  blocked?: BlockedNumbers,
  /** The INVITE's time, for campaign hours; absent = hours not judged here. */
  now?: number,
): Admission {
  const carrier = carrierFor(config.carriers, call.source.address);
  if (!carrier) return { accept: false, sipCode: 403, reason: 'carrier_not_allowed' };
  const did = normaliseNumber(call.did);
  const entry = config.dids.get(did);
  if (!entry) return { accept: false, sipCode: 404, reason: 'did_unknown' };
  if (isAnonymous(call.caller)) {
    if (config.raw.blocklist.anonymous === 'reject') return { accept: false, sipCode: 603, reason: 'caller_anonymous' };
  } else {
    const caller = normaliseNumber(call.caller);
    if (config.blockedNumbers.has(caller) || blocked?.has(caller)) return { accept: false, sipCode: 603, reason: 'caller_blocked' };
  }
  // Closed with no after-hours action: refuse before any media (480 Temporarily Unavailable).
  if (now !== undefined && campaignHours(entry.campaign, now).kind === 'reject') return { accept: false, sipCode: 480, reason: 'campaign_closed' };
  return { accept: true, carrier, entry, did };
}
