/**
 * Writes events to the outbox. `enqueue` runs inside the transaction of the call change that caused the events,
 * on the same SQLite connection, so the change and its events commit (or roll back) together.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/model.js';
import type { WebhookEvent } from '../config/schema/index.js';
import { callerHash } from '../rtb/sign.js';
import type { CallRow } from '../store/index.js';
import type { NewDelivery, WebhookRepository } from '../store/webhooks.js';
import { subscriptionsFor } from './parties.js';
import { renderDelivery } from './render.js';
import type { ConversionFacts, DisputeFacts, EventFacts } from './variables.js';

export interface EventExtra {
  conversion?: ConversionFacts;
  dispute?: DisputeFacts;
}

/** What the call flow (and billing) sees of webhooks: a place to put events, inside their own transaction. */
export interface CallEventSink {
  /** Call inside the transaction that wrote `call`; returns the number of deliveries queued. */
  enqueue(events: readonly WebhookEvent[], call: Readonly<CallRow>, config: LoadedConfig, extra?: EventExtra): number;
}

export interface EmitterOptions {
  repo: WebhookRepository;
  /** Key for `call.caller_hash` (the engine's hash secret). */
  hashSecret: string;
  /** Engine clock: stamps `event_time`. */
  now: () => Date;
  logger: Logger;
  /** Told after a call to `enqueue` queued something (the worker wakes up; runs after the transaction). */
  onEnqueued?: () => void;
}

export class WebhookEmitter implements CallEventSink {
  readonly #o: EmitterOptions;

  constructor(opts: EmitterOptions) {
    this.#o = opts;
  }

  enqueue(events: readonly WebhookEvent[], call: Readonly<CallRow>, config: LoadedConfig, extra: EventExtra = {}): number {
    let queued = 0;
    const occurredAt = this.#o.now().getTime();
    const hash = callerHash(this.#o.hashSecret, call.caller);
    for (const event of events) {
      const facts: EventFacts = { event, eventId: randomUUID(), occurredAt, call, callerHash: hash, ...extra };
      const deliveries = this.#render(facts, config);
      this.#o.repo.enqueue({ id: facts.eventId, kind: event, call_id: call.id, occurred_at: occurredAt }, deliveries, Date.now());
      queued += deliveries.length;
    }
    if (queued > 0 && this.#o.onEnqueued) setImmediate(this.#o.onEnqueued);
    return queued;
  }

  /** A rendering bug drops that one delivery (logged), never the call change it rides with. */
  #render(facts: EventFacts, config: LoadedConfig): NewDelivery[] {
    const out: NewDelivery[] = [];
    for (const sub of subscriptionsFor(config, facts.event, facts.call)) {
      try {
        out.push(renderDelivery(sub, facts));
      } catch (err) {
        this.#o.logger.error({ err, callId: facts.call.id, event: facts.event, webhook: sub.webhook.id }, 'webhook render failed');
      }
    }
    return out;
  }
}
