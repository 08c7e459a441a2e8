/**
 * Webhook figures (not a test): `npx tsx test/integration/webhooks/bench.ts [deliveries]`.
 * 1. Call-path cost: a call-row update alone vs the same update with its event queued (3 subscriptions), one
 *    transaction each, on a real SQLite file (WAL, synchronous=FULL).
 * 2. Delivery throughput and latency to a real receiver on 127.0.0.1, by per-host concurrency.
 */
import { billableCall, SECRET, startWebhookEngine, webhookConfig } from './harness.js';
import { startReceiver } from './receiver.js';

const N = Number(process.argv[2] ?? 2000);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function callPath(): Promise<void> {
  const rx = await startReceiver();
  const hook = (id: string) => `- { id: ${id}, url: "${rx.url}", secret: ${SECRET}, events: [call.ended] }`;
  const t = await startWebhookEngine(webhookConfig({ campaign: hook('a'), publisher: hook('b'), buyer: hook('c') }), { autoStart: false });
  const row = await billableCall(t);
  const { store, webhooks } = t.engine;
  const config = t.engine.config();
  const time = (fn: () => void) => {
    const start = performance.now();
    for (let i = 0; i < N; i++) fn();
    return ((performance.now() - start) * 1000) / N;
  };
  const plain = time(() => store.calls.transaction(() => store.calls.update(row.id, { last_seen_at: Date.now() }, Date.now())));
  const withEvent = time(() =>
    store.calls.transaction(() => {
      store.calls.update(row.id, { last_seen_at: Date.now() }, Date.now());
      webhooks.emitter.enqueue(['call.ended'], store.calls.get(row.id)!, config);
    }),
  );
  console.log(`call path: row update ${plain.toFixed(0)} µs/tx; with event + 3 deliveries queued ${withEvent.toFixed(0)} µs/tx (${N} each)`);
  await t.close();
  await rx.close();
}

async function throughput(perHost: number): Promise<void> {
  const rx = await startReceiver();
  const t = await startWebhookEngine(webhookConfig({ campaign: `- { id: a, url: "${rx.url}", secret: ${SECRET}, events: [call.ended] }` }), {
    perHostConcurrency: perHost, autoStart: false,
  });
  const { repo, worker } = t.engine.webhooks;
  const d = { party: 'campaign' as const, owner_id: 'medicare', webhook_id: 'a', method: 'POST', url: rx.url, host: new URL(rx.url).host, content_type: 'application/json', body: '{"x":1}', max_attempts: 3 };
  for (let i = 0; i < N; i++) repo.enqueue({ id: `e${i}`, kind: 'call.ended', call_id: null, occurred_at: 0 }, [d], 0);
  const start = performance.now();
  worker.start();
  await t.tries('delivered', N);
  const secs = (performance.now() - start) / 1000;
  const lat = t.engine.store.db.prepare('SELECT latency_ms FROM webhook_attempts ORDER BY latency_ms').pluck().all() as number[];
  console.log(`delivery, per-host ${perHost}: ${N} in ${secs.toFixed(2)} s = ${(N / secs).toFixed(0)}/s; try latency p50 ${pct(lat, 50)} ms, p99 ${pct(lat, 99)} ms, max ${lat.at(-1)} ms`);
  await t.close();
  await rx.close();
}

await callPath();
for (const p of [1, 4, 16]) await throughput(p);
