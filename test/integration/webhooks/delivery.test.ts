import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../../src/webhooks/index.js';
import { BUYER_URI, DID, FAST, billableCall, SECRET, startWebhookEngine, webhookConfig, type WebhookEngine } from './harness.js';
import { startReceiver, type Hit, type Receiver } from './receiver.js';

const CALLER = '+14155550123';
const ALL_EVENTS = ['call.started', 'call.qualified', 'call.routed', 'call.connected', 'call.ended', 'call.billable', 'payout.earned'];

function validSignature(h: Hit, content: string): boolean {
  const header = (n: string) => h.headers[n] as string | undefined;
  return verifySignature(SECRET, { signature: header('x-callroute-signature'), timestamp: header('x-callroute-timestamp') }, content, Date.now());
}

describe('webhooks: one billable call, three subscribers on real HTTP receivers', () => {
  const rx: Record<'campaign' | 'publisher' | 'buyer', Receiver> = {} as never;
  let t: WebhookEngine;
  let callId: string;

  beforeAll(async () => {
    rx.campaign = await startReceiver();
    rx.publisher = await startReceiver();
    rx.buyer = await startReceiver();
    t = await startWebhookEngine(webhookConfig({
      campaign: `- { id: tracker, url: "${rx.campaign.url}", secret: ${SECRET}, events: [${ALL_EVENTS.join(', ')}] }`,
      publisher: `
- id: postback
  url: "${rx.publisher.url}?src=callroute"
  method: GET
  secret: ${SECRET}
  events: [payout.earned, call.ended]
  query: { click: "{{ tag.zip }}", payout: "{{call.payout_cents}}", who: "{{call.caller_hash}}", ev: "{{event}}" }`,
      buyer: `
- id: crm
  url: "${rx.buyer.url}"
  secret: ${SECRET}
  events: [call.connected]
  content_type: application/x-www-form-urlencoded
  body: "phone={{call.caller|url}}&zip={{tag.zip}}&call={{call.id}}&buyer={{call.buyer_id}}"`,
    }));
    const row = await billableCall(t, 95_000, CALLER);
    callId = row.id;
    expect(row).toMatchObject({ billable: 1, payable: 1 });
    await rx.campaign.until((h) => h.length >= ALL_EVENTS.length);
    await rx.publisher.until((h) => h.length >= 2);
    await rx.buyer.until((h) => h.length >= 1);
    await t.tries('delivered', ALL_EVENTS.length + 3);
  });

  afterAll(async () => {
    await t.close();
    await Promise.all(Object.values(rx).map((r) => r.close()));
  });

  it('the campaign tracker gets every call event once, in order, signed, with a distinct event id each', () => {
    const hits = rx.campaign.hits;
    expect(hits.map((h) => h.event)).toEqual(ALL_EVENTS);
    expect(new Set(hits.map((h) => h.eventId)).size).toBe(ALL_EVENTS.length);
    for (const h of hits) {
      expect(h.method).toBe('POST');
      expect(h.headers['content-type']).toBe('application/json');
      expect(validSignature(h, h.body)).toBe(true);
      expect(validSignature(h, h.body + ' ')).toBe(false);
      const doc = JSON.parse(h.body);
      expect(doc).toMatchObject({ event: h.event, event_id: h.eventId, call: { id: callId, campaign_id: 'medicare', caller: CALLER } });
    }
    const ended = JSON.parse(hits.find((h) => h.event === 'call.ended')!.body);
    expect(ended.call).toMatchObject({
      status: 'completed', outcome: 'connected', buyer_id: 'buyer_one', talk_s: 95, billable: true,
      revenue_cents: 4000, payout_cents: 1500, tags: { age_65_plus: 'yes', zip: '94110' },
    });
  });

  it('the publisher postback is a signed GET with its query template, and never sees the caller number', () => {
    const hits = rx.publisher.hits;
    expect(hits.map((h) => h.event)).toEqual(['call.ended', 'payout.earned']);
    for (const h of hits) {
      expect(h.method).toBe('GET');
      const u = new URL(h.url, 'http://x');
      expect(Object.fromEntries(u.searchParams)).toMatchObject({ src: 'callroute', click: '94110', payout: '1500', ev: h.event });
      expect(u.searchParams.get('who')).toMatch(/^[0-9a-f]{64}$/);
      expect(h.url).not.toContain('4155550123');
      expect(validSignature(h, u.search.slice(1))).toBe(true);
    }
  });

  it('the buyer CRM gets its templated body with the caller it received', () => {
    const [h] = rx.buyer.hits;
    expect(h!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(h!.body).toBe(`phone=%2B14155550123&zip=94110&call=${callId}&buyer=buyer_one`);
    expect(validSignature(h!, h!.body)).toBe(true);
  });

  it('the delivery log shows one successful try per delivery, with status code and latency', () => {
    const log = t.engine.webhooks.repo.list({ callId });
    expect(log).toHaveLength(ALL_EVENTS.length + 2 + 1);
    for (const d of log) {
      expect(d).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200 });
      const tries = t.engine.webhooks.repo.attemptsOf(d.id);
      expect(tries).toHaveLength(1);
      expect(tries[0]).toMatchObject({ attempt: 1, status_code: 200, outcome: 'delivered', error: null });
      expect(tries[0]!.latency_ms).toBeGreaterThanOrEqual(0);
    }
    expect(t.engine.webhooks.repo.counts()).toEqual({ pending: 0, delivered: log.length, dead: 0 });
    expect(t.engine.webhooks.metrics.tries).toEqual({ delivered: log.length, retry: 0, dead: 0 });
  });
});

describe('webhooks: events follow what happened', () => {
  it('a caller who fails the IVR sends started and ended only, not qualified/routed/billable', async () => {
    const rx = await startReceiver();
    const t = await startWebhookEngine(webhookConfig({
      campaign: `- { id: tracker, url: "${rx.url}", secret: ${SECRET}, events: [${ALL_EVENTS.join(', ')}] }`,
    }));
    try {
      const call = t.driver.placeCall({ did: '+18005550100', dtmf: ['2'] });
      const row = await t.ended(call);
      expect(row.outcome).toBe('not_qualified');
      const hits = await rx.until((h) => h.length >= 2);
      expect(hits.map((h) => h.event)).toEqual(['call.started', 'call.ended']);
      expect(JSON.parse(hits[1]!.body).call).toMatchObject({ qualified: false, billable: false, outcome: 'not_qualified' });
    } finally {
      await t.close();
      await rx.close();
    }
  });

  it('a campaign without an IVR sends call.qualified when routing starts', async () => {
    const rx = await startReceiver();
    const t = await startWebhookEngine(webhookConfig({
      ivr: false,
      campaign: `- { id: tracker, url: "${rx.url}", secret: ${SECRET}, events: [call.qualified, call.routed, call.ended] }`,
    }));
    try {
      t.driver.buyers.set(BUYER_URI, { kind: 'busy' });
      const call = t.driver.placeCall({ did: DID });
      const row = await t.ended(call);
      expect(row.outcome).toBe('no_buyer');
      const hits = await rx.until((h) => h.length >= 3);
      expect(hits.map((h) => h.event)).toEqual(['call.qualified', 'call.routed', 'call.ended']);
    } finally {
      await t.close();
      await rx.close();
    }
  });

  it('a delivery whose subscription was removed by a config reload is dead-lettered, not sent', async () => {
    const rx = await startReceiver();
    const hook = `- { id: tracker, url: "${rx.url}", secret: ${SECRET}, events: [call.ended] }`;
    const t = await startWebhookEngine(webhookConfig({ campaign: hook }), { ...FAST, autoStart: false });
    try {
      await billableCall(t);
      writeFileSync(join(t.dir, 'campaigns.yaml'), webhookConfig({}));
      expect(t.engine.reload()).toMatchObject({ ok: true });
      t.engine.webhooks.worker.start();
      await t.tries('dead', 1);
      const [d] = t.engine.webhooks.repo.list({});
      expect(d).toMatchObject({ status: 'dead', attempts: 1, last_error: 'subscription no longer in the config' });
      expect(rx.hits).toEqual([]);
    } finally {
      await t.close();
      await rx.close();
    }
  });
});
