import { afterEach, describe, expect, it } from 'vitest';
import { billableCall, SECRET, startWebhookEngine, webhookConfig, type WebhookEngine } from './harness.js';
import { deadPort, startReceiver, type Receiver } from './receiver.js';

const hook = (url: string, extra = '') => `- { id: tracker, url: "${url}", secret: ${SECRET}, events: [call.ended]${extra} }`;

describe('webhook retries, dead letters and re-sends', () => {
  let t: WebhookEngine | undefined;
  let rx: Receiver | undefined;
  afterEach(async () => {
    await t?.close();
    await rx?.close();
    t = rx = undefined;
  });

  it('a receiver that fails twice then succeeds gets the event on the third try, same event id each time', async () => {
    rx = await startReceiver((_h, i) => (i < 2 ? 500 : 200));
    t = await startWebhookEngine(webhookConfig({ campaign: hook(rx.url) }));
    const row = await billableCall(t);
    await t.tries('delivered', 1);

    expect(rx.hits).toHaveLength(3);
    expect(new Set(rx.hits.map((h) => h.eventId)).size).toBe(1);
    expect(rx.hits.map((h) => h.headers['x-callroute-attempt'])).toEqual(['1', '2', '3']);
    const [d] = t.engine.webhooks.repo.list({ callId: row.id });
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, kind: 'call.ended' });
    const tries = t.engine.webhooks.repo.attemptsOf(d!.id);
    expect(tries.map((a) => [a.attempt, a.status_code, a.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 500, 'retry'],
      [3, 200, 'delivered'],
    ]);
    expect(tries[0]!.error).toBe('HTTP 500');
    // Backoff: each retry waited at least half its exponential delay (20 ms, then 40 ms).
    expect(tries[1]!.started_at - tries[0]!.started_at).toBeGreaterThanOrEqual(10);
    expect(tries[2]!.started_at - tries[1]!.started_at).toBeGreaterThanOrEqual(20);
    expect(t.engine.webhooks.metrics.tries).toEqual({ delivered: 1, retry: 2, dead: 0 });
  });

  it('a receiver that is down for the whole retry window ends dead-lettered after its last try', async () => {
    const port = await deadPort();
    t = await startWebhookEngine(webhookConfig({ campaign: hook(`http://127.0.0.1:${port}/hook`, ', max_attempts: 4') }));
    const row = await billableCall(t);
    await t.tries('dead', 1);

    const [d] = t.engine.webhooks.repo.list({ callId: row.id });
    expect(d).toMatchObject({ status: 'dead', attempts: 4, last_status_code: null });
    expect(d!.finished_at).not.toBeNull();
    const tries = t.engine.webhooks.repo.attemptsOf(d!.id);
    expect(tries.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'dead']);
    for (const a of tries) expect(a.error).toMatch(/ECONNREFUSED/);
    expect(t.engine.webhooks.repo.counts()).toEqual({ pending: 0, delivered: 0, dead: 1 });
    expect(t.engine.webhooks.repo.list({ status: 'dead' }).map((x) => x.id)).toEqual([d!.id]);
  });

  it('a dead-lettered delivery can be re-sent by hand once the receiver is back', async () => {
    let up = false;
    rx = await startReceiver(() => (up ? 200 : 503));
    t = await startWebhookEngine(webhookConfig({ campaign: hook(rx.url, ', max_attempts: 2') }));
    const row = await billableCall(t);
    await t.tries('dead', 1);
    const [d] = t.engine.webhooks.repo.list({ callId: row.id });
    expect(d).toMatchObject({ status: 'dead', attempts: 2, last_status_code: 503 });

    up = true;
    expect(t.engine.webhooks.resend(d!.id)).toBe(true);
    await t.tries('delivered', 1);
    expect(t.engine.webhooks.repo.get(d!.id)).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200 });
    expect(rx.hits.map((h) => h.eventId)).toEqual([d!.event_id, d!.event_id, d!.event_id]);
    expect(t.engine.webhooks.resend(999_999)).toBe(false);
  });

  it("a receiver's Retry-After pushes the next try back (within the backoff ceiling)", async () => {
    rx = await startReceiver((_h, i) => (i === 0 ? { status: 503, headers: { 'retry-after': '1' } } : 200));
    t = await startWebhookEngine(webhookConfig({ campaign: hook(rx.url) }), { backoffBaseMs: 20, backoffMaxMs: 5000, pollIntervalMs: 200 });
    const row = await billableCall(t);
    await t.tries('delivered', 1);
    const [d] = t.engine.webhooks.repo.list({ callId: row.id });
    const tries = t.engine.webhooks.repo.attemptsOf(d!.id);
    expect(tries.map((a) => a.status_code)).toEqual([503, 200]);
    // 1 s asked for, not the 10-20 ms backoff: a lower bound, so load cannot make it flaky.
    expect(tries[1]!.started_at - tries[0]!.started_at).toBeGreaterThanOrEqual(1000);
  });

  it('a receiver that hangs past the timeout is a failed try, not a stuck queue', async () => {
    rx = await startReceiver((_h, i) => (i === 0 ? 'hold' : 204));
    t = await startWebhookEngine(webhookConfig({ campaign: hook(rx.url, ', timeout_ms: 200') }));
    const row = await billableCall(t);
    await t.tries('delivered', 1);
    const [d] = t.engine.webhooks.repo.list({ callId: row.id });
    const tries = t.engine.webhooks.repo.attemptsOf(d!.id);
    expect(tries.map((a) => [a.status_code, a.outcome])).toEqual([[null, 'retry'], [204, 'delivered']]);
    expect(tries[0]!.error).toMatch(/timeout|abort/i);
  });
});
