/**
 * Calls billed by crash recovery queue the same webhook events as a normal hangup (`call.billable`,
 * `payout.earned`), in the transaction that writes the bill, and they reach a real receiver on 127.0.0.1.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BillingTerms } from '../../../src/core/billing.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { billingRepos } from '../../../src/store/billing-repos.js';
import { FAST, SECRET, startWebhookEngine, webhookConfig, type WebhookEngine } from '../webhooks/harness.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';

const T = Date.parse('2026-11-20T15:00:00Z');
const TERMS: BillingTerms = {
  pricing: 'duration', priceCents: 4000, buyerMinDurationS: 60, publisherMinDurationS: 30,
  payout: { type: 'fixed', amount_cents: 1500 }, carrierCentsPerMinute: 1, trunkCentsPerMinute: 0,
};
const EVENTS = ['call.ended', 'call.billable', 'payout.earned'];

let t: WebhookEngine | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  await t?.close();
  await rx?.close();
  t = rx = undefined;
});

function insert(store: Store, id: string, caller: string, inviteAt = T): void {
  store.calls.insert({
    id, sip_call_id: `sip-${id}`, driver: 'memory', did: '+18005550100', caller, carrier_id: 'carrier_a', source_address: '127.0.0.1',
    campaign_id: 'medicare', publisher_id: 'pub_one', config_digest: null, invite_at: inviteAt,
  });
}

/** Bridged to buyer_one 30 s after the INVITE, last heartbeat `talkMs` later: what a crash mid-call leaves. */
function bridged(store: Store, id: string, caller: string, talkMs: number, inviteAt = T): void {
  insert(store, id, caller, inviteAt);
  const answered = inviteAt + 30_000;
  store.calls.update(id, { phase: 'bridged', answer_at: inviteAt + 500, qualified: 1, buyer_id: 'buyer_one', target_id: 'buyer_one_main', buyer_answer_at: answered, last_seen_at: answered + talkMs }, answered + talkMs);
  billingRepos(store.db).billing.saveTerms(id, TERMS);
}

async function start(dir: string, campaignEvents = EVENTS, dup = false): Promise<WebhookEngine> {
  rx = await startReceiver();
  let yaml = webhookConfig({
    campaign: `- { id: tracker, url: "${rx.url}", secret: ${SECRET}, events: [${campaignEvents.join(', ')}] }`,
    buyer: `- { id: crm, url: "${rx.url}/buyer", secret: ${SECRET}, events: [call.billable] }`,
  });
  if (dup) yaml = yaml.replace('    routes:\n', '    duplicate: { window: 30d, scope: campaign }\n    routes:\n');
  return startWebhookEngine(yaml, FAST, dir);
}

const kinds = (e: WebhookEngine, callId: string) => e.engine.webhooks.repo.list({}).filter((d) => d.call_id === callId).map((d) => `${d.kind}${d.url.endsWith('/buyer') ? ' (buyer)' : ''}`);

describe('crash recovery billing queues its webhook events', () => {
  it('a recovered billable call queues call.billable and payout.earned with its bill, delivered to a real receiver', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recovery-events-'));
    const store = openStore(join(dir, 'calls.sqlite'));
    bridged(store, 'long', '+14155550123', 100_000);
    insert(store, 'ringing', '+13125550100');
    store.calls.update('ringing', { phase: 'ringing', answer_at: T + 500, qualified: 1, last_seen_at: T + 40_000 }, T + 40_000);
    store.close();

    t = await start(dir);
    expect(t.engine.store.calls.get('long')).toMatchObject({ status: 'interrupted', billable: 1, payable: 1, revenue_cents: 4000 });
    expect(kinds(t, 'long').sort()).toEqual(['call.billable', 'call.billable (buyer)', 'call.ended', 'payout.earned']);
    expect(kinds(t, 'ringing')).toEqual(['call.ended']);

    const hits = await rx!.until((h) => h.length >= 5);
    // Same events, order and money as a normal hangup: call.ended carries the bill it was queued with.
    const tracker = hits.filter((h) => h.url === '/hook' && JSON.parse(h.body).call.id === 'long');
    expect(tracker.map((h) => h.event)).toEqual(EVENTS);
    expect(JSON.parse(tracker[0]!.body).call).toMatchObject({ status: 'interrupted', hangup_cause: 'engine_restart', billable: true, revenue_cents: 4000 });
    const billable = hits.find((h) => h.event === 'call.billable' && !h.url.startsWith('/hook/buyer'))!;
    expect(JSON.parse(billable.body).call).toMatchObject({ id: 'long', status: 'interrupted', billable: true, revenue_cents: 4000, payout_cents: 1500 });
    expect(hits.filter((h) => h.url.startsWith('/hook/buyer')).map((h) => h.event)).toEqual(['call.billable']);
    const payout = JSON.parse(hits.find((h) => h.event === 'payout.earned')!.body);
    expect(payout.call).toMatchObject({ id: 'long', payable: true, payout_cents: 1500 });
  });

  it('bills a call an earlier crash closed but never billed, and decides duplicates against calls billed meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recovery-events-'));
    const store = openStore(join(dir, 'calls.sqlite'));
    // Closed as interrupted by a start that crashed before billing it.
    bridged(store, 'orphan', '+14155550124', 90_000);
    store.calls.update('orphan', { status: 'interrupted', phase: 'ended', outcome: 'interrupted', end_at: T + 120_000 }, T + 120_000);
    // Same caller: one call started 10 s after `dup`'s and was billed while `dup` was still live (it ended first).
    bridged(store, 'dup', '+14155550125', 100_000);
    insert(store, 'winner', '+14155550125', T + 10_000);
    const repos = billingRepos(store.db);
    store.calls.update('winner', { status: 'completed', phase: 'ended', buyer_id: 'buyer_one', end_at: T + 110_000, billable: 1, billable_reason: 'billable', payable: 1, payout_reason: 'paid' }, T + 110_000);
    expect(repos.billing.unbilledInterrupted().map((r) => r.id)).toEqual(['orphan']);
    store.close();

    t = await start(dir, EVENTS, true);
    expect(t.engine.store.calls.get('orphan')).toMatchObject({ status: 'interrupted', billable: 1, payable: 1, revenue_cents: 4000 });
    expect(kinds(t, 'orphan').sort()).toEqual(['call.billable', 'call.billable (buyer)', 'payout.earned']);
    expect(t.engine.store.calls.get('dup')).toMatchObject({ status: 'interrupted', billable: 0, billable_reason: 'duplicate', payable: 0, payout_reason: 'duplicate' });
    expect(kinds(t, 'dup')).toEqual(['call.ended']);
  });
});
