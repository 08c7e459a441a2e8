/**
 * Composition root: settings, logger, config, engine, HTTP; SIGHUP reloads the config, SIGTERM/SIGINT drain and exit.
 * Nothing else belongs here.
 */
import { loadSettings, SettingsError } from './config/settings.js';
import { ConfigLoadError, startEngine } from './engine.js';
import { buildApp } from './http/app.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics/index.js';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(process.argv.slice(2).filter((a) => a !== 'run'), process.env);
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`callroute: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(settings.logLevel);
  const metrics = createMetrics();
  let engine;
  try {
    engine = await startEngine({ settings, logger, observers: [metrics.observer] });
  } catch (err) {
    if (err instanceof ConfigLoadError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  metrics.bindEngine(engine);
  const app = buildApp({ engine, metrics: metrics.metrics, recordingsDir: settings.recordingsDir });
  await app.listen({ host: settings.httpHost, port: settings.httpPort });
  logger.info({ http: `${settings.httpHost}:${settings.httpPort}`, sip: `${settings.sipHost}:${settings.sipPort}` }, 'listening');

  process.on('SIGHUP', () => void engine.reload());
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, live: engine.calls.size }, 'draining');
    void engine
      .stop()
      .then(() => app.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

process.on('unhandledRejection', (err) => {
  // A bug in one call must not take the process down; it is logged loudly instead.
  process.stderr.write(`unhandled rejection: ${String(err instanceof Error ? err.stack : err)}\n`);
});

main().catch((err: unknown) => {
  process.stderr.write(`callroute: failed to start: ${String(err instanceof Error ? err.message : err)}\n`);
  process.exit(1);
});
