/** Metrics for one engine: the registry, the call observer that feeds it, and the scrape-time probes. */
import type { Engine } from '../engine.js';
import { Metrics, type MetricsOptions } from './metrics.js';
import { AuctionRepository } from '../store/auctions.js';
import { metricsObserver, type AuctionFacts } from './observer.js';
import { timeStoreWrites } from './store-timing.js';
import { mediaServerSource, registerMediaServerMetrics } from './media-servers.js';
import { registerSipGuardMetrics, sipGuardSource } from './sip-guard.js';

export { Metrics, idLabel, sipClass } from './metrics.js';
export { metricsObserver } from './observer.js';

/** Build before the engine (its observer goes into `startEngine({observers})`), then `bindEngine` once it runs. */
export function createMetrics(opts: MetricsOptions = {}) {
  const metrics = new Metrics(opts);
  let auctionsFor: ((callId: string) => AuctionFacts[]) | undefined;
  return {
    metrics,
    observer: metricsObserver(metrics, () => auctionsFor),
    bindEngine(engine: Engine): void {
      const auctions = new AuctionRepository(engine.store.db);
      auctionsFor = (callId) =>
        auctions.forCall(callId).map((a) => ({
          campaignId: a.campaign_id,
          durationMs: a.duration_ms,
          bids: (auctions.get(a.id)?.bids ?? []).map((b) => ({ valid: b.valid === 1 })),
        }));
      engine.webhooks.registerMetrics(metrics.registry);
      metrics.attach({
        activeCalls: () => engine.calls.size,
        driverName: engine.driver.name,
        driverReady: () => engine.driver.isReady(),
      });
      timeStoreWrites(engine.store.calls, metrics);
      const media = mediaServerSource(engine.driver);
      if (media) registerMediaServerMetrics(metrics.registry, 'callroute_', media);
      const guard = sipGuardSource(engine.driver);
      if (guard) registerSipGuardMetrics(metrics.registry, 'callroute_', guard);
    },
  };
}
