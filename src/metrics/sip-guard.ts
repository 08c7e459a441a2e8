/**
 * The embedded SIP guard's counters (sip/guard.ts), read at scrape time. Labels are a closed set of reasons: never an
 * address or a number, however many sources a flood spoofs.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { GuardStats } from '../telephony/embedded/sip/guard.js';

/** What the metrics read from a guard. */
export interface SipGuardProbe {
  readonly stats: GuardStats;
  readonly tracked: number;
  bannedSources(): number;
}

/** Reason label -> guard counter. */
const REASONS: [string, (s: GuardStats) => number][] = [
  ['scanner', (s) => s.scanner],
  ['rate_limited', (s) => s.bans],
  ['banned', (s) => s.banned],
  ['not_carrier', (s) => s.forbidden],
  ['malformed', (s) => s.malformed],
];

export function registerSipGuardMetrics(registry: Registry, prefix: string, guard: SipGuardProbe): void {
  const registers = [registry];
  new Counter({
    name: `${prefix}sip_guard_packets_total`,
    help: 'SIP packets the guard dropped or refused, by reason (malformed: answered 400 but charged to a non-carrier source)',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      for (const [reason, pick] of REASONS) this.inc({ reason }, pick(guard.stats));
    },
  });
  new Gauge({
    name: `${prefix}sip_guard_banned_sources`, help: 'Source addresses banned right now', registers,
    collect() {
      this.set(guard.bannedSources());
    },
  });
  new Gauge({
    name: `${prefix}sip_guard_tracked_sources`, help: 'Source addresses in the guard\'s rate table', registers,
    collect() {
      this.set(guard.tracked);
    },
  });
}

/** The driver's guard, when it has one (the embedded driver). */
export function sipGuardSource(driver: object): SipGuardProbe | undefined {
  const g = (driver as { guard?: Partial<SipGuardProbe> }).guard;
  return g && typeof g.bannedSources === 'function' && g.stats ? (g as SipGuardProbe) : undefined;
}
