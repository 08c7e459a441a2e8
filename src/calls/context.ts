/** What one call's session knows and carries from phase to phase. */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/model.js';
import type { Campaign, Carrier, Publisher } from '../config/schema/index.js';
import type { Tags } from '../core/ivr.js';
import type { Store, CallPatch } from '../store/index.js';
import type { InboundCall } from '../telephony/types.js';
import type { DistributionService } from '../rtb/distribution.js';
import type { CallEventSink } from '../webhooks/emitter.js';
import { eventsForPatch } from '../webhooks/call-events.js';
import { notify, type CallObserver, type CallPhase } from './observer.js';

/** Services every session uses; built once by the engine. */
export interface CallDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  observers: CallObserver[];
  /** Key for caller-number hashes (pings, exports). */
  hashSecret: string;
  /** Distribution state and the ping-post client; built from `store` on first use when absent. */
  distribution?: DistributionService;
  /** Webhook outbox: events a row change causes are queued in the same transaction. Absent = no webhooks. */
  events?: CallEventSink;
}

export interface IvrAnswer {
  step: string;
  digits: string;
  at: number;
}

export interface CallContext {
  /** Our id for the call (the CDR primary key), distinct from the SIP Call-ID. */
  readonly id: string;
  readonly call: InboundCall;
  /** The config the call was accepted under; a reload does not change it. */
  readonly config: LoadedConfig;
  readonly campaign: Campaign;
  readonly publisher: Publisher;
  readonly carrier: Carrier;
  readonly did: string;
  /** Caller in E.164, or `anonymous`. Never logged at info level. */
  readonly caller: string;
  readonly log: Logger;
  readonly deps: CallDeps;
  tags: Tags;
  answers: IvrAnswer[];
  qualified: boolean | null;
  /** Set when the call claimed a publisher's inbound bid: the publisher is paid this, not its usual payout. */
  inboundBidCents?: number;
}

/** Writes a change to the call row, and the webhook events it causes, in one short transaction. */
export function record(ctx: CallContext, patch: CallPatch): void {
  const { store, events, now } = ctx.deps;
  const kinds = events ? eventsForPatch(patch, ctx.campaign.ivr !== undefined) : [];
  if (!events || kinds.length === 0) return store.calls.update(ctx.id, patch, now().getTime());
  store.calls.transaction(() => {
    store.calls.update(ctx.id, patch, now().getTime());
    const row = store.calls.get(ctx.id);
    if (row) events.enqueue(kinds, row, ctx.config);
  });
}

export function enterPhase(ctx: CallContext, phase: CallPhase, at: Date, patch: CallPatch = {}): void {
  record(ctx, { ...patch, phase });
  notify(ctx.deps.observers, 'phase', ctx.id, phase, at);
}

export type { CallObserver };
