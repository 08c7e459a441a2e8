/** Metrics for one engine: the registry, the call observer that feeds it, and the scrape-time probes. */
import type { Engine } from '../engine.js';
import { Metrics, type MetricsOptions } from './metrics.js';
import { metricsObserver } from './observer.js';
import { timeStoreWrites } from './store-timing.js';

export { Metrics, idLabel, sipClass } from './metrics.js';
export { metricsObserver } from './observer.js';

/** Build before the engine (its observer goes into `startEngine({observers})`), then `bindEngine` once it runs. */
export function createMetrics(opts: MetricsOptions = {}) {
  const metrics = new Metrics(opts);
  return {
    metrics,
    observer: metricsObserver(metrics),
    bindEngine(engine: Engine): void {
      metrics.attach({
        activeCalls: () => engine.calls.size,
        driverName: engine.driver.name,
        driverReady: () => engine.driver.isReady(),
      });
      timeStoreWrites(engine.store.calls, metrics);
    },
  };
}
