/**
 * After the calls: buyers report conversions (some retried with the same event id, some updated later) and dispute
 * some billed calls (some too late). Each event goes to the store, and the replay's own books apply the same core
 * decision independently; any disagreement between the two is counted.
 */
import { decideBilling } from '../../src/core/billing.js';
import { decideConversion } from '../../src/core/conversions.js';
import { decideOpenDispute, settleDispute } from '../../src/core/disputes.js';
import type { Rng } from '../../src/core/distribution/rng.js';
import type { Env, SimCall } from './replay.js';

const DAY = 86_400_000;

export interface CallBook {
  call: SimCall;
  billable: boolean;
  revenue: number;
  payout: number;
  cost: number;
  seenEvents: Set<string>;
  disputed: boolean;
  disputeAccepted: boolean;
}

type SimEvent =
  | { at: number; kind: 'conversion'; book: CallBook; eventId: string; revenueCents?: number }
  | { at: number; kind: 'dispute'; book: CallBook; accept: boolean };

export interface EventStats {
  conversionsApplied: number;
  conversionsIgnored: number;
  disputesOpened: number;
  disputesAccepted: number;
  disputesRefused: number;
  /** Decisions where the store and the replay's books disagreed (must be 0). */
  mismatches: number;
}

function plan(rng: Rng, books: readonly CallBook[]): SimEvent[] {
  const events: SimEvent[] = [];
  const later = (from: number, lo: number, hi: number) => from + Math.floor((lo + rng() * (hi - lo)) * DAY);
  for (const book of books) {
    const { call } = book;
    if (!call.buyer || call.buyerAnswerAt === undefined) continue;
    const converts = call.buyer.pricing === 'conversion' ? rng() < 0.4 : rng() < 0.05;
    if (converts) {
      const at = later(call.endAt, 0.1, 5);
      const revenueCents = rng() < 0.3 ? 5000 + Math.floor(rng() * 15_000) : undefined;
      events.push({ at, kind: 'conversion', book, eventId: `${call.id}-c1`, ...(revenueCents !== undefined ? { revenueCents } : {}) });
      if (rng() < 0.15) events.push({ at: at + 60_000, kind: 'conversion', book, eventId: `${call.id}-c1`, revenueCents: 1 });
      if (rng() < 0.1) events.push({ at: later(at, 1, 3), kind: 'conversion', book, eventId: `${call.id}-c2`, revenueCents: 7000 + Math.floor(rng() * 9000) });
    }
    if (rng() < 0.05) events.push({ at: later(call.endAt, 0, 20), kind: 'dispute', book, accept: rng() < 0.65 });
  }
  return events.sort((a, b) => a.at - b.at || a.book.call.id.localeCompare(b.book.call.id));
}

function conversion(env: Env, e: Extract<SimEvent, { kind: 'conversion' }>, stats: EventStats): void {
  const { book } = e;
  const report = { eventId: e.eventId, callId: book.call.id, at: e.at, ...(e.revenueCents !== undefined ? { revenueCents: e.revenueCents } : {}) };
  const stored = env.repos.conversions.report(report, e.at);
  const mine = decideConversion(report, {
    exists: true, connected: true, ended: true, disputeAccepted: book.disputeAccepted, seenEventIds: book.seenEvents, hasConversion: book.seenEvents.size > 0,
  });
  if (stored.decision.kind !== mine.kind) stats.mismatches++;
  if (mine.kind !== 'apply') {
    stats.conversionsIgnored++;
    return;
  }
  stats.conversionsApplied++;
  book.seenEvents.add(e.eventId);
  const d = decideBilling({ ...book.call.facts!, conversion: e.revenueCents !== undefined ? { revenueCents: e.revenueCents } : {} }, book.call.terms);
  Object.assign(book, { billable: d.billable, revenue: d.revenueCents, payout: d.payoutCents, cost: d.costCents });
}

function dispute(env: Env, e: Extract<SimEvent, { kind: 'dispute' }>, stats: EventStats): void {
  const { book } = e;
  const buyer = book.call.buyer!;
  const stored = env.repos.disputes.open({ callId: book.call.id, buyerId: buyer.id, windowDays: buyer.dispute_window_days, now: e.at });
  const mine = decideOpenDispute({ exists: true, billable: book.billable, endAt: book.call.endAt, buyerId: buyer.id, alreadyDisputed: book.disputed }, buyer.id, buyer.dispute_window_days, e.at);
  if (stored.kind !== mine.kind) stats.mismatches++;
  if (mine.kind !== 'open') {
    stats.disputesRefused++;
    return;
  }
  stats.disputesOpened++;
  book.disputed = true;
  env.repos.disputes.decide({ callId: book.call.id, accepted: e.accept, now: e.at + DAY });
  if (!e.accept) return;
  stats.disputesAccepted++;
  const after = settleDispute({ revenueCents: book.revenue, payoutCents: book.payout, costCents: book.cost }, true);
  Object.assign(book, { billable: false, disputeAccepted: true, revenue: after.revenueCents, payout: after.payoutCents });
}

export function runEvents(env: Env, books: readonly CallBook[]): EventStats {
  const stats: EventStats = { conversionsApplied: 0, conversionsIgnored: 0, disputesOpened: 0, disputesAccepted: 0, disputesRefused: 0, mismatches: 0 };
  for (const e of plan(env.rng, books)) {
    if (e.kind === 'conversion') conversion(env, e, stats);
    else dispute(env, e, stats);
  }
  return stats;
}
