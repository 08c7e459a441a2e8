/**
 * After a crash: calls the previous process left open are closed as `interrupted` (end = last heartbeat). Billing
 * finishes them here under the terms stored when the buyer answered, so a connected call is billed (or not) by the
 * same rules as one that hung up normally, and every cap slot it held is settled or given back.
 */
import type { LoadedConfig } from '../config/model.js';
import { decideBilling, type BillingTerms } from '../core/billing.js';
import { buyerDuplicate, lookbackMs, publisherDuplicate } from '../core/duplicates.js';
import type { Store } from '../store/index.js';
import type { BillingRepos } from '../store/billing-repos.js';
import { callFacts, type BilledCallRow } from '../store/conversions.js';

/** Terms for a call that never reached a buyer: only the inbound carrier minutes cost anything. */
function fallbackTerms(config: LoadedConfig, row: BilledCallRow & { carrier_id: string | null; publisher_id: string | null }): BillingTerms {
  const publisher = row.publisher_id ? config.publishers.get(row.publisher_id) : undefined;
  const carrier = config.carriers.find((c) => c.id === row.carrier_id);
  return {
    pricing: 'duration', priceCents: 0, buyerMinDurationS: 0, publisherMinDurationS: publisher?.min_duration_s ?? 0,
    payout: publisher?.payout ?? { type: 'fixed', amount_cents: 0 }, carrierCentsPerMinute: carrier?.cost_per_minute_cents ?? 0, trunkCentsPerMinute: 0,
  };
}

/** Bills the interrupted calls; returns how many ended up billable. */
export function billInterrupted(store: Store, repos: BillingRepos, config: LoadedConfig, ids: readonly string[], nowMs: number): number {
  let billable = 0;
  for (const id of ids) {
    const row = store.db.prepare('SELECT * FROM calls WHERE id = ?').get(id) as (BilledCallRow & { caller: string; campaign_id: string | null; publisher_id: string | null; carrier_id: string | null; invite_at: number }) | undefined;
    if (!row) continue;
    const connected = row.buyer_answer_at !== null && row.billing_terms !== null;
    const terms = connected ? (JSON.parse(row.billing_terms!) as BillingTerms) : fallbackTerms(config, row);
    const campaign = row.campaign_id ? config.campaigns.get(row.campaign_id) : undefined;
    const buyer = row.buyer_id ? config.buyers.get(row.buyer_id) : undefined;
    const publisher = row.publisher_id ? config.publishers.get(row.publisher_id) : undefined;
    const buyerPolicy = buyer?.duplicate ?? campaign?.duplicate;
    const publisherPolicy = publisher?.duplicate ?? campaign?.duplicate;
    const back = lookbackMs([buyerPolicy, publisherPolicy]);
    const history = connected && back > 0 ? repos.billing.callerHistory(row.caller, row.invite_at - back, row.invite_at, id) : [];
    const ctx = { callId: id, campaignId: row.campaign_id ?? '', buyerId: row.buyer_id ?? undefined, inviteAt: row.invite_at };
    const buyerDup = connected && buyerDuplicate(buyerPolicy, history, ctx).duplicate;
    const publisherDup = connected && publisherDuplicate(publisherPolicy, history, ctx).duplicate;
    // A bridged call had a qualified caller (routing only follows a passed IVR; campaigns without one never write it).
    const facts = { ...callFacts(row), qualified: row.qualified === 1 || connected, buyerDuplicate: buyerDup, publisherDuplicate: publisherDup };
    if (!connected) delete facts.buyerAnswerAt;
    const decision = decideBilling(facts, terms);
    repos.billing.recordHangup({ callId: id, decision, terms, connected, buyerDuplicate: buyerDup, publisherDuplicate: publisherDup, now: nowMs });
    if (decision.billable) billable++;
  }
  return billable;
}
