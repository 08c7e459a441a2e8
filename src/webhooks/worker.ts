/**
 * The delivery worker: takes due deliveries from the outbox and sends them, off the call path.
 * Per-host and overall concurrency limits, a timeout per try, exponential backoff with jitter, dead-letter after
 * the last try. State lives in SQLite only, so a restart simply resumes: a try cut short by a crash was never
 * recorded and is sent again (receivers de-duplicate by event id).
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/model.js';
import type { AttemptResult, DeliveryView, WebhookRepository } from '../store/webhooks.js';
import { retryDelayMs } from './backoff.js';
import type { WebhookMetrics } from './metrics.js';
import { findSubscription } from './parties.js';
import type { SendResult, WebhookSender } from './sender.js';

export interface WorkerOptions {
  /** Requests in flight to one host (host:port) at once. Default 4. */
  perHostConcurrency: number;
  /** Requests in flight overall. Default 32. */
  concurrency: number;
  /** Delay before the 2nd try, ms (doubles per try, with jitter). Default 5000. */
  backoffBaseMs: number;
  /** Ceiling on one retry delay, ms. Default 3_600_000 (1 h). */
  backoffMaxMs: number;
  /** Longest sleep between queue checks when nothing wakes the worker, ms. Default 1000. */
  pollIntervalMs: number;
  /** Start delivering when the engine starts. `false`: events are queued until `worker.start()`. Default true. */
  autoStart: boolean;
  /** Wall clock for scheduling, epoch ms. */
  now: () => number;
  random: () => number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  perHostConcurrency: 4,
  concurrency: 32,
  backoffBaseMs: 5000,
  backoffMaxMs: 3_600_000,
  pollIntervalMs: 1000,
  autoStart: true,
  now: Date.now,
  random: Math.random,
};

export class WebhookWorker {
  readonly #repo: WebhookRepository;
  readonly #config: () => LoadedConfig;
  readonly #sender: WebhookSender;
  readonly #metrics: WebhookMetrics;
  readonly #log: Logger;
  readonly #o: WorkerOptions;
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #perHost = new Map<string, number>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(repo: WebhookRepository, config: () => LoadedConfig, sender: WebhookSender, metrics: WebhookMetrics, log: Logger, o: WorkerOptions) {
    this.#repo = repo;
    this.#config = config;
    this.#sender = sender;
    this.#metrics = metrics;
    this.#log = log;
    this.#o = o;
  }

  start(): void {
    this.#running = true;
    this.wake();
  }

  /** Check the queue now (new events, a finished try, a manual re-send). */
  wake(): void {
    if (!this.#running) return;
    this.#schedule(0);
  }

  /** Stops for good (engine shutdown): aborts tries in flight; they stay pending and go out after the next start-up. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), ms);
  }

  #tick(): void {
    if (!this.#running) return;
    const poll = this.#o.pollIntervalMs;
    let wait = poll;
    try {
      this.#dispatch();
      const next = this.#repo.nextDueAt();
      // Due but not started (in flight, or held back by a limit): a finishing try wakes us; polling is the safety net.
      if (next !== null && next > this.#o.now()) wait = next - this.#o.now();
    } catch (err) {
      this.#log.error({ err }, 'webhook queue check failed');
    }
    this.#schedule(Math.min(Math.max(wait, 5), poll));
  }

  #dispatch(): void {
    const free = this.#o.concurrency - this.#inFlight.size;
    if (free <= 0) return;
    const full = [...this.#perHost].filter(([, n]) => n >= this.#o.perHostConcurrency).map(([h]) => h);
    const due = this.#repo.due(this.#o.now(), Math.max(free * 4, 50), [...this.#inFlight.keys()], full);
    let started = 0;
    for (const d of due) {
      if (started >= free) break;
      const host = d.host ?? new URL(d.url).host;
      const active = this.#perHost.get(host) ?? 0;
      if (active >= this.#o.perHostConcurrency) continue;
      this.#perHost.set(host, active + 1);
      started++;
      const p = this.#deliver(d).finally(() => {
        this.#inFlight.delete(d.id);
        const n = (this.#perHost.get(host) ?? 1) - 1;
        if (n <= 0) this.#perHost.delete(host);
        else this.#perHost.set(host, n);
        this.wake();
      });
      this.#inFlight.set(d.id, p);
    }
  }

  async #deliver(d: DeliveryView): Promise<void> {
    const startedAt = this.#o.now();
    const sub = findSubscription(this.#config(), d.party, d.owner_id, d.webhook_id);
    const res: SendResult = sub
      ? await this.#sender.send(d, sub.webhook.secret, sub.webhook.timeout_ms, startedAt, this.#abort.signal)
      : { statusCode: null, error: 'subscription no longer in the config', latencyMs: 0 };
    if (this.#abort.signal.aborted) return;
    const result = this.#judge(d, res, startedAt, sub !== undefined);
    try {
      this.#repo.recordAttempt(d, result);
    } catch (err) {
      this.#log.error({ err, delivery: d.id }, 'webhook attempt not recorded');
      return;
    }
    this.#metrics.record(result.outcome, res.latencyMs);
    const ctx = { delivery: d.id, event: d.kind, eventId: d.event_id, webhook: d.webhook_id, attempt: d.attempts + 1, status: res.statusCode };
    if (result.outcome === 'dead') this.#log.warn({ ...ctx, error: res.error }, 'webhook dead-lettered');
    else if (result.outcome === 'retry') this.#log.info({ ...ctx, error: res.error, retryAt: result.nextAt }, 'webhook try failed');
    else this.#log.debug(ctx, 'webhook delivered');
  }

  /** 2xx delivers; 410 Gone, a removed subscription or the last try dead-letters; anything else retries later. */
  #judge(d: DeliveryView, res: SendResult, startedAt: number, subscribed: boolean): AttemptResult {
    const base = { startedAt, latencyMs: res.latencyMs, statusCode: res.statusCode, error: res.error };
    const ok = res.statusCode !== null && res.statusCode >= 200 && res.statusCode < 300;
    if (ok) return { ...base, outcome: 'delivered' };
    const attempt = d.attempts + 1;
    const error = res.error ?? `HTTP ${res.statusCode}`;
    if (!subscribed || res.statusCode === 410 || attempt >= d.max_attempts) return { ...base, error, outcome: 'dead' };
    const backoff = retryDelayMs(attempt, { baseMs: this.#o.backoffBaseMs, maxMs: this.#o.backoffMaxMs }, this.#o.random);
    // A receiver's Retry-After (429/503) may push the retry later, never beyond the backoff ceiling.
    const delay = Math.max(backoff, Math.min(res.retryAfterMs ?? 0, this.#o.backoffMaxMs));
    return { ...base, error, outcome: 'retry', nextAt: this.#o.now() + delay };
  }
}
