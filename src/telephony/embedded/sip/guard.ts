/**
 * Access control in front of the SIP stack, for trunks that face the internet. Before parsing, on the source address
 * alone, every packet (request, response or garbage) from a banned source is dropped unread. Then on every parsed
 * request before any transaction exists (so before 100 Trying):
 * - known scanner user agents (friendly-scanner, sipvicious, sipcli...) are dropped with no answer at all;
 * - a source that is not a carrier gets 403 to every out-of-dialog request, the same for known and unknown DIDs, so it
 *   learns nothing about what exists; in-dialog requests pass (buyers' BYEs come from non-carrier addresses);
 * - a non-carrier source over its rate is banned for a while: everything from it is then dropped silently. Its
 *   out-of-dialog requests, scanner requests and packets that do not parse spend the budget; its in-dialog requests
 *   and responses do not, so a busy buyer SBC never gets banned.
 * Carriers are exempt from the rate limit. Without a source policy (a bare driver in tests) every source is a carrier.
 */
import type { Logger } from 'pino';
import type { Settings } from '../../../config/settings.js';
import type { SourceAddress } from '../../types.js';
import type { SipMessage } from './message.js';
import { makeResponse, newTag } from './serialize.js';
import type { SipStack } from './stack.js';

export interface GuardOptions {
  /** Requests per second a non-carrier source may send on average. Default 10. */
  ratePerS: number;
  /** Requests a non-carrier source may send in a burst. Default 40. */
  burst: number;
  /** How long a source over its rate is ignored, ms. Default 120 000. */
  banMs: number;
  /** Sources tracked at once (memory bound under spoofed floods). Default 50 000. */
  maxSources: number;
}

export const DEFAULT_GUARD_OPTIONS: GuardOptions = { ratePerS: 10, burst: 40, banMs: 120_000, maxSources: 50_000 };

/** User-Agent fragments of SIP scanners and toll-fraud tools (lower case). */
const SCANNERS = [
  'friendly-scanner', 'friendly-request', 'sipvicious', 'sipcli', 'sip-scan', 'sipscan', 'vaxsipuseragent', 'sundayddr',
  'iwar', 'sivus', 'smap', 'pplsip', 'voipbuster',
];

export type Verdict = 'pass' | 'drop' | 'forbid';

export interface GuardStats {
  /** Requests dropped because of a scanner user agent. */
  scanner: number;
  /** Packets (requests, responses, garbage) dropped because their source was banned, most of them before parsing. */
  banned: number;
  /** Requests answered 403 (non-carrier source). */
  forbidden: number;
  /** Bans started; each is one packet dropped for being over the rate. */
  bans: number;
  /** Packets from non-carriers that did not parse (counted against the source's rate; answered 400 when possible). */
  malformed: number;
}

interface Bucket {
  tokens: number;
  at: number;
  bannedUntil: number;
}

export function isScanner(userAgent: string | undefined): boolean {
  if (!userAgent) return false;
  const ua = userAgent.toLowerCase();
  return SCANNERS.some((s) => ua.includes(s));
}

export class SipGuard {
  /** Set by the engine (`TelephonyDriver.setSourcePolicy`): true for an address inside a carrier's source ranges. */
  isCarrier: ((address: string) => boolean) | undefined;
  readonly stats: GuardStats = { scanner: 0, banned: 0, forbidden: 0, bans: 0, malformed: 0 };
  private readonly sources = new Map<string, Bucket>();
  private readonly opts: GuardOptions;

  constructor(
    private readonly log: Logger,
    opts: Partial<GuardOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.opts = { ...DEFAULT_GUARD_OPTIONS, ...opts };
  }

  /** The limits from the runtime settings (`--sip-guard-*`). */
  static forSettings(settings: Settings, log: Logger, now: () => number = Date.now): SipGuard {
    const { sipGuardRatePerS: ratePerS, sipGuardBurst: burst, sipGuardBanS: banS, sipGuardMaxSources: maxSources } = settings;
    return new SipGuard(log, { ratePerS, burst, banMs: banS * 1000, maxSources }, now);
  }

  /** Before parsing, on the address alone: false = drop the packet unread (a banned non-carrier source). */
  admit(address: string): boolean {
    if (this.carrier(address) || !this.isBanned(address)) return true;
    this.stats.banned++;
    return false;
  }

  /** A packet from `address` did not parse: a non-carrier pays for it. false = over the rate (now banned), no answer. */
  malformed(address: string): boolean {
    if (this.carrier(address)) return true;
    if (this.isBanned(address)) {
      this.stats.banned++;
      return false;
    }
    if (!this.allow(address)) return false;
    this.stats.malformed++;
    return true;
  }

  judge(req: SipMessage, src: SourceAddress): Verdict {
    const scanner = isScanner(req.get('user-agent'));
    if (this.carrier(src.address)) {
      if (scanner) this.stats.scanner++;
      return scanner ? 'drop' : 'pass';
    }
    if (this.isBanned(src.address)) {
      this.stats.banned++;
      return 'drop';
    }
    // In-dialog requests (buyers' BYEs, re-INVITEs) do not spend the budget: a busy buyer SBC must never be banned.
    const inDialog = Boolean(req.to.params.get('tag'));
    if ((scanner || !inDialog) && !this.allow(src.address)) return 'drop';
    if (scanner) {
      this.stats.scanner++;
      return 'drop';
    }
    if (inDialog) return 'pass';
    if (req.method === 'ACK') return 'drop';
    this.stats.forbidden++;
    return 'forbid';
  }

  private carrier(address: string): boolean {
    return !this.isCarrier || this.isCarrier(address);
  }

  private isBanned(address: string): boolean {
    return (this.sources.get(address)?.bannedUntil ?? 0) > this.now();
  }

  /** Token bucket per source address; running dry starts a ban. */
  private allow(address: string): boolean {
    const now = this.now();
    const b = this.sources.get(address) ?? this.track(address, now);
    if (b.bannedUntil > now) return false;
    b.tokens = Math.min(this.opts.burst, b.tokens + ((now - b.at) / 1000) * this.opts.ratePerS);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    b.bannedUntil = now + this.opts.banMs;
    this.stats.bans++;
    this.log.warn({ source: address, banS: this.opts.banMs / 1000 }, 'sip source over its rate; banned');
    return false;
  }

  private track(address: string, now: number): Bucket {
    if (this.sources.size >= this.opts.maxSources) this.evict(now);
    const b = { tokens: this.opts.burst, at: now, bannedUntil: 0 };
    this.sources.set(address, b);
    return b;
  }

  /** Forget sources that are neither banned nor short of tokens; if all are, the oldest tenth. */
  private evict(now: number): void {
    for (const [addr, b] of this.sources) {
      const refilled = b.tokens + ((now - b.at) / 1000) * this.opts.ratePerS >= this.opts.burst;
      if (b.bannedUntil <= now && refilled) this.sources.delete(addr);
    }
    if (this.sources.size < this.opts.maxSources) return;
    let drop = Math.ceil(this.opts.maxSources / 10);
    for (const addr of this.sources.keys()) {
      if (drop-- <= 0) break;
      this.sources.delete(addr);
    }
  }

  /** Sources currently tracked (tests, diagnostics). */
  get tracked(): number {
    return this.sources.size;
  }

  /** Sources banned right now (a walk over the table: for scrapes, not for the packet path). */
  bannedSources(): number {
    const now = this.now();
    let n = 0;
    for (const b of this.sources.values()) if (b.bannedUntil > now) n++;
    return n;
  }
}

/**
 * Puts `guard` in front of `stack`: drops banned sources' packets before parsing, charges non-carriers for garbage,
 * drops what it drops, answers 403 statelessly (fresh To tag) to what it forbids.
 */
export function guardStack(stack: SipStack, guard: SipGuard): SipGuard {
  stack.transport.admit = (src) => guard.admit(src.address);
  stack.transport.malformed = (src) => guard.malformed(src.address);
  stack.screen = (req, src) => {
    const verdict = guard.judge(req, src);
    if (verdict === 'forbid') stack.sendRaw(makeResponse(req, 403, { toTag: newTag() }), src);
    return verdict === 'pass';
  };
  return guard;
}
