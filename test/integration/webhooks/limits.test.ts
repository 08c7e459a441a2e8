import { afterEach, describe, expect, it } from 'vitest';
import { billableCall, FAST, SECRET, startWebhookEngine, webhookConfig, type WebhookEngine } from './harness.js';
import { startReceiver, type Receiver } from './receiver.js';

describe('webhook delivery limits and post-call events', () => {
  let t: WebhookEngine | undefined;
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await t?.close();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    t = undefined;
  });

  it('never has more requests in flight to one host than perHostConcurrency', async () => {
    const rx = await startReceiver(() => 'park');
    receivers.push(rx);
    t = await startWebhookEngine(
      webhookConfig({ campaign: `- { id: tracker, url: "${rx.url}", secret: ${SECRET}, events: [call.ended] }` }),
      { ...FAST, perHostConcurrency: 2, autoStart: false },
    );
    for (let i = 0; i < 4; i++) await billableCall(t, 90_000, `+1415555200${i}`);
    expect(t.engine.webhooks.repo.counts().pending).toBe(4);

    t.engine.webhooks.worker.start();
    await rx.until((h) => h.length >= 2);
    expect(t.engine.webhooks.worker.inFlight).toBe(2);
    rx.releaseParked();
    await rx.until((h) => h.length >= 4);
    rx.releaseParked();
    await t.tries('delivered', 4);
    expect(rx.maxOpen).toBe(2);
    expect(new Set(rx.hits.map((h) => h.eventId)).size).toBe(4);
  });

  it('a slow receiver with a long backlog does not hold up deliveries to other hosts', async () => {
    const slow = await startReceiver(() => 'park');
    const fast = await startReceiver();
    receivers.push(slow, fast);
    t = await startWebhookEngine(webhookConfig({
      campaign: [
        `- { id: slow, url: "${slow.url}", secret: ${SECRET}, events: [call.ended] }`,
        `- { id: fast, url: "${fast.url}", secret: ${SECRET}, events: [call.ended] }`,
      ].join('\n'),
    }), { ...FAST, perHostConcurrency: 1, autoStart: false });
    const { repo, worker } = t.engine.webhooks;
    const delivery = (webhook: string, url: string) => ({
      party: 'campaign' as const, owner_id: 'medicare', webhook_id: webhook, method: 'POST', url, host: new URL(url).host,
      content_type: 'application/json', body: '{}', max_attempts: 3,
    });
    // More queued for the slow host than one queue read returns, and the fast host's delivery last.
    for (let i = 0; i < 300; i++) repo.enqueue({ id: `slow-${i}`, kind: 'call.ended', call_id: null, occurred_at: 0 }, [delivery('slow', slow.url)], 0);
    repo.enqueue({ id: 'fast-0', kind: 'call.ended', call_id: null, occurred_at: 0 }, [delivery('fast', fast.url)], 0);

    worker.start();
    await fast.until((h) => h.length === 1);
    expect(slow.hits).toHaveLength(1);
    expect(fast.hits[0]!.eventId).toBe('fast-0');
  });

  it('call.converted and call.disputed carry their facts, each party seeing only its own money', async () => {
    const buyer = await startReceiver();
    const publisher = await startReceiver();
    receivers.push(buyer, publisher);
    t = await startWebhookEngine(webhookConfig({
      buyer: `- { id: crm, url: "${buyer.url}", secret: ${SECRET}, events: [call.converted, call.disputed] }`,
      publisher: `- { id: pb, url: "${publisher.url}", secret: ${SECRET}, events: [call.converted] }`,
    }));
    const row = await billableCall(t);
    const { store, webhooks } = t.engine;
    // As the admin API does it: inside the transaction that applies the conversion / opens the dispute.
    store.calls.transaction(() => {
      webhooks.emitter.enqueue(['call.converted'], store.calls.get(row.id)!, t!.engine.config(), { conversion: { eventId: 'sale-1', revenueCents: 25_000 } });
      webhooks.emitter.enqueue(['call.disputed'], store.calls.get(row.id)!, t!.engine.config(), { dispute: { status: 'opened', reason: 'wrong number' } });
    });
    await buyer.until((h) => h.length >= 2);
    await publisher.until((h) => h.length >= 1);

    const [converted, disputed] = buyer.hits.map((h) => JSON.parse(h.body));
    expect(converted).toMatchObject({ event: 'call.converted', conversion: { event_id: 'sale-1', revenue_cents: 25_000 }, call: { caller: '+14155550123', revenue_cents: 4000 } });
    expect(converted.call.payout_cents).toBeUndefined();
    expect(converted.dispute).toBeUndefined();
    expect(disputed).toMatchObject({ event: 'call.disputed', dispute: { status: 'opened', reason: 'wrong number' } });

    const pub = JSON.parse(publisher.hits[0]!.body);
    expect(pub).toMatchObject({ event: 'call.converted', conversion: { event_id: 'sale-1' }, call: { payout_cents: 1500, payable: true } });
    expect(pub.conversion.revenue_cents).toBeUndefined();
    expect(pub.call.revenue_cents).toBeUndefined();
    expect(pub.call.caller).toBeUndefined();
    expect(pub.call.caller_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
