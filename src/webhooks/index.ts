/**
 * Webhooks and postbacks: the outbox emitter the call flow writes to, the background delivery worker,
 * the delivery log for the admin API, and metrics. See docs/webhooks.md.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LoadedConfig } from '../config/model.js';
import type { CallRepository } from '../store/calls.js';
import type { Db } from '../store/db.js';
import { WebhookRepository } from '../store/webhooks.js';
import { WebhookEmitter } from './emitter.js';
import { WebhookMetrics, registerWebhookMetrics } from './metrics.js';
import { WebhookSender } from './sender.js';
import { DEFAULT_WORKER_OPTIONS, WebhookWorker, type WorkerOptions } from './worker.js';

export interface WebhooksOptions {
  db: Db;
  config: () => LoadedConfig;
  logger: Logger;
  hashSecret: string;
  /** Engine clock (event times). */
  now: () => Date;
  worker?: Partial<WorkerOptions>;
}

export interface Webhooks {
  readonly repo: WebhookRepository;
  readonly emitter: WebhookEmitter;
  readonly worker: WebhookWorker;
  readonly metrics: WebhookMetrics;
  /** Manual re-send of one delivery (admin API): due at once, one more try. False when the id is unknown. */
  resend(deliveryId: number): boolean;
  /**
   * Closes the rows a crash left in progress (`CallRepository.reconcileInterrupted`) and queues their `call.ended`
   * events in the same transaction. Returns the ids closed. With `bill`, the closed rows are billed in that
   * transaction too and `bill` queues their `call.ended` itself, after the money is written (the event carries it).
   */
  closeInterrupted(calls: CallRepository, config: LoadedConfig, nowMs: number, bill?: (ids: string[]) => void): string[];
  /** Adds `callroute_webhook_*` to a prom-client registry. */
  registerMetrics(registry: Registry): void;
  /** Starts the worker unless `autoStart` is false (then `worker.start()` does). */
  start(): void;
  /** Aborts tries in flight (they stay queued) and closes connections. */
  stop(): Promise<void>;
}

export function createWebhooks(opts: WebhooksOptions): Webhooks {
  const o: WorkerOptions = { ...DEFAULT_WORKER_OPTIONS, ...opts.worker };
  const repo = new WebhookRepository(opts.db);
  const metrics = new WebhookMetrics();
  const sender = new WebhookSender(o.perHostConcurrency);
  const log = opts.logger.child({ component: 'webhooks' });
  const worker = new WebhookWorker(repo, opts.config, sender, metrics, log, o);
  const emitter = new WebhookEmitter({ repo, hashSecret: opts.hashSecret, now: opts.now, logger: log, onEnqueued: () => worker.wake() });
  return {
    repo,
    emitter,
    worker,
    metrics,
    resend(id) {
      const ok = repo.resend(id);
      if (ok) worker.wake();
      return ok;
    },
    closeInterrupted: (calls, config, nowMs, bill) =>
      calls.transaction(() => {
        const ids = calls.reconcileInterrupted(nowMs);
        if (bill) {
          bill(ids);
          return ids;
        }
        for (const id of ids) {
          const row = calls.get(id);
          if (row) emitter.enqueue(['call.ended'], row, config);
        }
        return ids;
      }),
    registerMetrics: (registry) => registerWebhookMetrics(registry, metrics, () => repo.counts().pending),
    start: () => {
      if (o.autoStart) worker.start();
    },
    async stop() {
      await worker.stop();
      await sender.close();
    },
  };
}

export { WebhookEmitter, type CallEventSink, type EventExtra } from './emitter.js';
export { eventsAfterConversion } from './call-events.js';
export type { WorkerOptions } from './worker.js';
export { verify as verifySignature, signedContent, EVENT_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './sign.js';
