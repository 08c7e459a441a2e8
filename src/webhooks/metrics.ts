/**
 * Delivery metrics: plain counters anyone can read, and an optional prom-client registration
 * (`callroute_webhook_*`) on a registry the metrics endpoint owns. Labels are bounded: outcome only.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AttemptOutcome } from '../store/webhooks.js';

type Listener = (outcome: AttemptOutcome, latencyMs: number) => void;

export class WebhookMetrics {
  /** HTTP tries by outcome: `delivered`, `retry` (failed, will retry), `dead` (failed, dead-lettered). */
  readonly tries: Record<AttemptOutcome, number> = { delivered: 0, retry: 0, dead: 0 };
  /** Latency of every try, ms. */
  readonly latency = { count: 0, sumMs: 0, maxMs: 0 };
  readonly #listeners: Listener[] = [];

  record(outcome: AttemptOutcome, latencyMs: number): void {
    this.tries[outcome]++;
    this.latency.count++;
    this.latency.sumMs += latencyMs;
    this.latency.maxMs = Math.max(this.latency.maxMs, latencyMs);
    for (const l of this.#listeners) l(outcome, latencyMs);
  }

  onRecord(listener: Listener): void {
    this.#listeners.push(listener);
  }
}

/** Registers the webhook metrics on `registry`. `queueDepth` is read at scrape time (pending deliveries). */
export function registerWebhookMetrics(registry: Registry, metrics: WebhookMetrics, queueDepth: () => number): void {
  const tries = new Counter({
    name: 'callroute_webhook_deliveries_total',
    help: 'Webhook HTTP tries by outcome (delivered, retry, dead)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'callroute_webhook_delivery_duration_seconds',
    help: 'Webhook HTTP try latency',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'callroute_webhook_queue_depth',
    help: 'Webhook deliveries waiting to be sent (including retries)',
    registers: [registry],
    collect() {
      this.set(queueDepth());
    },
  });
  for (const o of ['delivered', 'retry', 'dead'] as const) tries.inc({ outcome: o }, metrics.tries[o]);
  metrics.onRecord((outcome, ms) => {
    tries.inc({ outcome });
    latency.observe(ms / 1000);
  });
}
