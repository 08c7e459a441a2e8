/**
 * After a crash: calls the previous process left open are closed as `interrupted` (end = last heartbeat). Billing
 * finishes them here under the terms stored when the buyer answered, so a connected call is billed (or not) by the
 * same rules as one that hung up normally: the duplicate decision under the same write lock as the bill, every cap
 * slot it held settled or given back, and the same `call.billable` / `payout.earned` events queued with the bill.
 */
import type { LoadedConfig } from '../config/model.js';
import type { DuplicatePolicy } from '../config/schema/index.js';
import { decideBilling, type BillingTerms } from '../core/billing.js';
import { buyerDuplicate, lookbackMs, publisherDuplicate, type HistoryCall } from '../core/duplicates.js';
import type { Store } from '../store/index.js';
import type { BillingRepos } from '../store/billing-repos.js';
import type { HangupDecided, HistoryWindow, InterruptedCallRow } from '../store/billing.js';
import { callFacts } from '../store/conversions.js';
import { eventsForPatch } from '../webhooks/call-events.js';
import type { CallEventSink } from '../webhooks/emitter.js';

/** Terms for a call that never reached a buyer: only the inbound carrier minutes cost anything. */
function fallbackTerms(config: LoadedConfig, row: InterruptedCallRow): BillingTerms {
  const publisher = row.publisher_id ? config.publishers.get(row.publisher_id) : undefined;
  const carrier = config.carriers.find((c) => c.id === row.carrier_id);
  return {
    pricing: 'duration', priceCents: 0, buyerMinDurationS: 0, publisherMinDurationS: publisher?.min_duration_s ?? 0,
    payout: publisher?.payout ?? { type: 'fixed', amount_cents: 0 }, carrierCentsPerMinute: carrier?.cost_per_minute_cents ?? 0, trunkCentsPerMinute: 0,
  };
}

interface Recovered {
  row: InterruptedCallRow;
  connected: boolean;
  buyerPolicy: DuplicatePolicy | undefined;
  publisherPolicy: DuplicatePolicy | undefined;
}

function recovered(config: LoadedConfig, row: InterruptedCallRow): Recovered {
  const campaign = row.campaign_id ? config.campaigns.get(row.campaign_id) : undefined;
  const buyer = row.buyer_id ? config.buyers.get(row.buyer_id) : undefined;
  const publisher = row.publisher_id ? config.publishers.get(row.publisher_id) : undefined;
  return {
    row, connected: row.buyer_answer_at !== null && row.billing_terms !== null,
    buyerPolicy: buyer?.duplicate ?? campaign?.duplicate, publisherPolicy: publisher?.duplicate ?? campaign?.duplicate,
  };
}

/** Back the longest window, forward to the call's end (overlapping calls billed first make this one the duplicate). */
function historyWindow(r: Recovered): HistoryWindow | undefined {
  const back = lookbackMs([r.buyerPolicy, r.publisherPolicy]);
  if (!r.connected || back === 0) return undefined;
  return { caller: r.row.caller, from: r.row.invite_at - back, until: Math.max(r.row.invite_at, r.row.end_at ?? 0) };
}

function decide(config: LoadedConfig, r: Recovered, past: readonly HistoryCall[]): HangupDecided {
  const { row, connected } = r;
  const terms = connected ? (JSON.parse(row.billing_terms!) as BillingTerms) : fallbackTerms(config, row);
  const ctx = { callId: row.id, campaignId: row.campaign_id ?? '', buyerId: row.buyer_id ?? undefined, inviteAt: row.invite_at, until: row.end_at ?? row.invite_at };
  const buyerDup = connected && buyerDuplicate(r.buyerPolicy, past, ctx).duplicate;
  const publisherDup = connected && publisherDuplicate(r.publisherPolicy, past, ctx).duplicate;
  // A bridged call had a qualified caller (routing only follows a passed IVR; campaigns without one never write it).
  const facts = { ...callFacts(row), qualified: row.qualified === 1 || connected, buyerDuplicate: buyerDup, publisherDuplicate: publisherDup };
  if (!connected) delete facts.buyerAnswerAt;
  return { decision: decideBilling(facts, terms), terms, connected, buyerDuplicate: buyerDup, publisherDuplicate: publisherDup };
}

/**
 * Queues what a normal hangup queues: `call.ended` for a row closed in this transaction (`ended`), then
 * `call.billable` / `payout.earned` for the money, from the row as written.
 */
function announce(store: Store, config: LoadedConfig, callId: string, d: HangupDecided | undefined, ended: boolean, events: CallEventSink): void {
  const kinds = eventsForPatch({
    ...(ended ? { status: 'completed' as const } : {}),
    billable: d?.decision.billable ? 1 : 0,
    payable: d?.decision.payable ? 1 : 0,
  }, false);
  const row = kinds.length > 0 ? store.calls.get(callId) : undefined;
  if (row) events.enqueue(kinds, row, config);
}

/**
 * Bills every interrupted call not billed yet, each in one write transaction with its events; returns how many
 * ended up billable. `events` absent = webhooks off. `closedNow`: rows closed in the caller's transaction, whose
 * `call.ended` is queued here, after their bill.
 */
export function billInterrupted(
  store: Store, repos: BillingRepos, config: LoadedConfig, nowMs: number, events?: CallEventSink, closedNow: ReadonlySet<string> = new Set(),
): number {
  let billable = 0;
  const announced = new Set<string>();
  for (const row of repos.billing.unbilledInterrupted()) {
    const r = recovered(config, row);
    const d = repos.billing.decideInterrupted({
      callId: row.id, now: nowMs, history: historyWindow(r),
      decide: (past) => decide(config, r, past),
      after: (decided) => {
        if (events) announce(store, config, row.id, decided, closedNow.has(row.id), events);
      },
    });
    if (d) announced.add(row.id);
    if (d?.decision.billable) billable++;
  }
  // A closed row that had a decision already still gets its call.ended.
  for (const id of closedNow) if (events && !announced.has(id)) announce(store, config, id, undefined, true, events);
  return billable;
}
