/** Entry point of the `freeswitch` driver: build it from runtime settings. */
import type pino from 'pino';
import { advertisedAddress, type Settings } from '../../config/settings.js';
import type { TelephonyDriver } from '../types.js';
import { FreeswitchDriver } from './driver.js';
import { parseServers } from './media-pool.js';

export { FreeswitchDriver, type FreeswitchDriverOptions } from './driver.js';
export type { MediaServerStatus } from './media-server-link.js';
export type { HeartbeatMetrics } from './esl-monitor.js';

function splitHostPort(s: string, defaultPort: number): { address: string; port: number } {
  const i = s.lastIndexOf(':');
  if (i === -1) return { address: s, port: defaultPort };
  return { address: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

export function createFreeswitchDriver(opts: { settings: Settings; logger: pino.Logger }): TelephonyDriver {
  const s = opts.settings;
  const eslListen = splitHostPort(s.eslListen, 8085);
  const unspecified = eslListen.address === '0.0.0.0' || eslListen.address === '::';
  return new FreeswitchDriver({
    drachtio: { host: s.drachtioHost, port: s.drachtioPort, secret: s.drachtioSecret },
    freeswitchServers: parseServers(s.freeswitchServers),
    freeswitchSecret: s.freeswitchSecret,
    eslListen,
    eslAdvertisedAddress: unspecified ? advertisedAddress(s) : eslListen.address,
    retryAfterS: s.retryAfterS,
    mediaTimeoutS: s.mediaTimeoutS,
    promptsDir: s.freeswitchPromptsDir,
    logger: opts.logger,
  });
}
