/** The embedded telephony driver: SIP (RFC 3261, UDP+TCP) and RTP (G.711, RFC 4733) inside the Node process. */
import type { Logger } from 'pino';
import type { Settings } from '../../config/settings.js';
import type { TelephonyDriver } from '../types.js';
import { EmbeddedDriver } from './driver.js';

export { EmbeddedDriver } from './driver.js';

export function createEmbeddedDriver(opts: { settings: Settings; logger: Logger }): TelephonyDriver & EmbeddedDriver {
  return new EmbeddedDriver(opts.settings, opts.logger.child({ component: 'embedded-driver' }));
}
