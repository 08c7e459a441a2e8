/**
 * The engine: store + config + telephony driver + call manager, wired together.
 * main.ts adds process concerns (signals, HTTP); tests start engines directly with an injected driver and config.
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from './config/model.js';
import { loadConfigFile, formatIssue, type ConfigIssue } from './config/load.js';
import type { Settings } from './config/settings.js';
import { CallManager } from './calls/manager.js';
import { billingForDb } from './calls/billing-rules.js';
import { billInterrupted } from './calls/billing-recovery.js';
import { carrierFor } from './calls/carriers.js';
import type { CallObserver } from './calls/observer.js';
import { openStore, type Store } from './store/index.js';
import { callerHashKey } from './store/engine-state.js';
import { createDriver } from './telephony/create.js';
import { createDistribution } from './rtb/distribution.js';
import { autoPauseObserver } from './rtb/auto-pause.js';
import type { TelephonyDriver } from './telephony/types.js';
import { createWebhooks, type Webhooks, type WorkerOptions } from './webhooks/index.js';

export interface EngineOptions {
  settings: Settings;
  logger: Logger;
  /** Defaults to loading `settings.config`. */
  config?: LoadedConfig;
  /** Defaults to the driver named in settings. */
  driver?: TelephonyDriver;
  /** Clock; injected in tests. */
  now?: () => Date;
  observers?: CallObserver[];
  /** Webhook delivery worker settings (tests pass short backoffs). `false`: events are queued but not sent. */
  webhooks?: Partial<WorkerOptions> | false;
}

export interface Engine {
  readonly store: Store;
  readonly driver: TelephonyDriver;
  readonly calls: CallManager;
  readonly logger: Logger;
  /** Webhook outbox, delivery log (list / re-send for the admin API) and metrics. */
  readonly webhooks: Webhooks;
  config(): LoadedConfig;
  /** Validates `file` (default: the current config's file) and swaps it in whole; the old one stays on failure. */
  reload(file?: string): { ok: true; digest: string } | { ok: false; issues: ConfigIssue[] };
  /** 503 new calls, let live ones finish up to `timeoutMs`, end the rest. */
  drain(timeoutMs: number): Promise<{ finished: number; ended: number }>;
  /** Drain (if not yet), stop the driver, close the store. */
  stop(timeoutMs?: number): Promise<void>;
}

export class ConfigLoadError extends Error {
  constructor(readonly file: string, readonly issues: ConfigIssue[]) {
    super(`invalid config ${file}:\n${issues.map((i) => formatIssue(file, i)).join('\n')}`);
  }
}

export function loadConfigOrThrow(file: string): LoadedConfig {
  const r = loadConfigFile(file);
  if (!r.ok) throw new ConfigLoadError(file, r.issues);
  return r.config;
}

export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const { settings, logger } = opts;
  const now = opts.now ?? (() => new Date());
  let config = opts.config ?? loadConfigOrThrow(settings.config);
  const store = openStore(settings.db);
  const driver = opts.driver ?? (await createDriver({ settings, logger: logger.child({ component: 'telephony' }) }));
  const distribution = createDistribution(store.db, { clock: () => now().getTime() });
  const autoPause = autoPauseObserver({ pauses: distribution.pauses, config: () => config, now, log: logger.child({ component: 'distribution' }) });
  const hashSecret = callerHashKey(store.db, settings.hashSecret);
  const webhooks = createWebhooks({ db: store.db, config: () => config, logger, hashSecret, now, worker: opts.webhooks || {} });
  // Rows a crash left open are closed and billed by the same rules (terms kept when the buyer answered; also any an
  // earlier crash closed but never billed), their cap slots settled, with the webhook events a hangup queues
  // (call.ended, call.billable, payout.earned), in one transaction.
  const startedAt = now().getTime();
  const interrupted = webhooks.closeInterrupted(store.calls, config, startedAt, (ids) =>
    billInterrupted(store, billingForDb(store.db), config, startedAt, webhooks.emitter, new Set(ids)),
  );
  if (interrupted.length > 0) logger.warn({ count: interrupted.length }, 'closed calls interrupted by a previous crash');
  const deps = {
    store,
    logger: logger.child({ component: 'calls' }),
    now,
    observers: [...(opts.observers ?? []), autoPause],
    hashSecret,
    distribution,
    events: webhooks.emitter,
  };
  const calls = new CallManager(deps, () => config, settings, driver.name);
  driver.on('call', (call) => calls.handle(call));
  // Drivers that screen requests themselves (embedded: sip/guard.ts) learn the carriers' ranges from the live config.
  driver.setSourcePolicy?.((address) => carrierFor(config.carriers, address) !== undefined);
  await driver.start();
  if (opts.webhooks !== false) webhooks.start();
  logger.info({ driver: driver.name, digest: config.digest.slice(0, 12) }, 'engine started');

  let stopped: Promise<void> | undefined;
  return {
    store,
    driver,
    calls,
    logger,
    webhooks,
    config: () => config,
    reload(file = config.sourcePath) {
      const r = loadConfigFile(file);
      if (!r.ok) {
        logger.error({ file, issues: r.issues.length, first: r.issues[0]?.message }, 'config reload rejected; keeping the running config');
        return { ok: false, issues: r.issues };
      }
      config = r.config;
      logger.info({ digest: config.digest.slice(0, 12) }, 'config reloaded');
      return { ok: true, digest: config.digest };
    },
    drain: (timeoutMs) => calls.drain(timeoutMs),
    stop(timeoutMs = settings.drainTimeoutS * 1000) {
      stopped ??= (async () => {
        const r = await calls.drain(timeoutMs);
        await driver.stop();
        await distribution.close();
        await webhooks.stop();
        store.close();
        logger.info(r, 'engine stopped');
      })();
      return stopped;
    },
  };
}
