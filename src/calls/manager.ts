/**
 * Takes every INVITE the driver hands over: applies the engine-wide ceilings and drain state, admits or rejects,
 * writes the call row, and runs the session. A failure in one call is logged and contained here.
 */
import { randomUUID } from 'node:crypto';
import type { LoadedConfig } from '../config/model.js';
import type { NewCall } from '../store/index.js';
import type { InboundCall } from '../telephony/types.js';
import { admit, isAnonymous, normaliseNumber } from './admission.js';
import type { CallContext, CallDeps } from './context.js';
import { notify, type CallPhase } from './observer.js';
import { runSession } from './session.js';

export interface ManagerLimits {
  /** 0 = unlimited. */
  maxConcurrentCalls: number;
  /** 0 = unlimited. */
  maxCallsPerSecond: number;
  retryAfterS: number;
}

export interface LiveCall {
  id: string;
  campaignId: string;
  publisherId: string;
  buyerId: string | null;
  phase: CallPhase;
  phaseSince: Date;
  startedAt: Date;
}

export class CallManager {
  readonly #deps: CallDeps;
  readonly #config: () => LoadedConfig;
  readonly #limits: ManagerLimits;
  readonly #driverName: string;
  readonly #live = new Map<string, { ctx: CallContext; info: LiveCall; done: Promise<void> }>();
  #draining = false;
  #second = 0;
  #inSecond = 0;

  constructor(deps: CallDeps, config: () => LoadedConfig, limits: ManagerLimits, driverName: string) {
    this.#deps = deps;
    this.#config = config;
    this.#limits = limits;
    this.#driverName = driverName;
    deps.observers.push({
      phase: (id, phase, at) => {
        const live = this.#live.get(id);
        if (live) Object.assign(live.info, { phase, phaseSince: at });
      },
      attempt: (id, a) => {
        const live = this.#live.get(id);
        if (live && a.result === 'answered') live.info.buyerId = a.buyerId;
      },
    });
  }

  /** Entry point for the driver's `call` event. Never throws. */
  handle(call: InboundCall): void {
    try {
      this.#accept(call);
    } catch (err) {
      this.#deps.logger.error({ err, sipCallId: call.id }, 'failed to accept call');
      void call.reject(500).catch(() => undefined);
    }
  }

  #overCeiling(nowMs: number): boolean {
    const { maxConcurrentCalls, maxCallsPerSecond } = this.#limits;
    if (maxConcurrentCalls > 0 && this.#live.size >= maxConcurrentCalls) return true;
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#inSecond = 0;
    }
    return maxCallsPerSecond > 0 && ++this.#inSecond > maxCallsPerSecond;
  }

  #reject(call: InboundCall, sipCode: number, reason: string, campaignId?: string): void {
    const headers = sipCode === 503 ? { 'Retry-After': String(this.#limits.retryAfterS) } : undefined;
    void call.reject(sipCode, headers ? { headers } : {}).catch(() => undefined);
    notify(this.#deps.observers, 'rejected', { sipCode, reason, ...(campaignId ? { campaignId } : {}) });
    this.#deps.logger.info({ sipCallId: call.id, sipCode, reason }, 'call rejected');
  }

  /** Writes the call row and its `call.started` webhook event in one transaction. */
  #insertWithEvent(config: LoadedConfig, row: NewCall): void {
    const { store, events } = this.#deps;
    store.calls.transaction(() => {
      store.calls.insert(row);
      const written = events ? store.calls.get(row.id) : undefined;
      if (written) events?.enqueue(['call.started'], written, config);
    });
  }

  #accept(call: InboundCall): void {
    const now = this.#deps.now();
    if (this.#draining) return this.#reject(call, 503, 'draining');
    if (this.#overCeiling(now.getTime())) return this.#reject(call, 503, 'over_capacity');
    const config = this.#config();
    const decision = admit(config, call, this.#deps.store.blocklist, call.receivedAt.getTime());
    if (!decision.accept) return this.#reject(call, decision.sipCode, decision.reason);
    const { campaign, publisher } = decision.entry;
    const id = randomUUID();
    const caller = isAnonymous(call.caller) ? 'anonymous' : normaliseNumber(call.caller);
    this.#insertWithEvent(config, {
      id,
      sip_call_id: call.id,
      driver: this.#driverName,
      did: decision.did,
      caller,
      carrier_id: decision.carrier.id,
      source_address: call.source.address,
      campaign_id: campaign.id,
      publisher_id: publisher.id,
      config_digest: config.digest,
      invite_at: call.receivedAt.getTime(),
    });
    const log = this.#deps.logger.child({ callId: id, campaign: campaign.id });
    const ctx: CallContext = {
      id, call, config, campaign, publisher, carrier: decision.carrier, did: decision.did, caller, log,
      deps: this.#deps, tags: {}, answers: [], qualified: null,
    };
    const info: LiveCall = {
      id, campaignId: campaign.id, publisherId: publisher.id, buyerId: null,
      phase: 'accepted', phaseSince: now, startedAt: call.receivedAt,
    };
    log.info({ publisher: publisher.id, carrier: decision.carrier.id }, 'call accepted');
    const row = this.#deps.store.calls.get(id);
    if (row) notify(this.#deps.observers, 'started', row);
    const done = runSession(ctx)
      .catch((err: unknown) => log.error({ err }, 'call session crashed'))
      .finally(() => this.#live.delete(id));
    this.#live.set(id, { ctx, info, done });
  }

  liveCalls(): LiveCall[] {
    return [...this.#live.values()].map((l) => ({ ...l.info }));
  }

  get size(): number {
    return this.#live.size;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Stops taking calls (503 + Retry-After) and waits for live calls to finish, up to `timeoutMs`;
   * then hangs up the rest with cause `drain` and waits for their rows to close.
   */
  async drain(timeoutMs: number): Promise<{ finished: number; ended: number }> {
    this.#draining = true;
    const initial = this.#live.size;
    const all = () => Promise.all([...this.#live.values()].map((l) => l.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    const remaining = this.#live.size;
    if (timedOut && remaining > 0) {
      this.#deps.logger.warn({ remaining }, 'drain timeout reached; ending remaining calls');
      await Promise.all([...this.#live.values()].map((l) => l.ctx.call.hangup('drain').catch(() => undefined)));
      await all();
    }
    return { finished: initial - remaining, ended: remaining };
  }
}
