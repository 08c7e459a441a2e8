/**
 * Driver factory. Drivers are imported lazily so an embedded run never loads drachtio/FreeSWITCH libraries
 * (and a freeswitch run never opens RTP sockets).
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { TelephonyDriver } from './types.js';

export interface DriverFactoryOptions {
  settings: Settings;
  logger: Logger;
}

type Factory = (opts: DriverFactoryOptions) => TelephonyDriver;

const FACTORIES: Record<Settings['driver'], { module: string; exportName: string }> = {
  embedded: { module: './embedded/index.js', exportName: 'createEmbeddedDriver' },
  freeswitch: { module: './freeswitch/index.js', exportName: 'createFreeswitchDriver' },
};

export async function createDriver(opts: DriverFactoryOptions): Promise<TelephonyDriver> {
  const { module, exportName } = FACTORIES[opts.settings.driver];
  const mod = (await import(module)) as Record<string, unknown>;
  const factory = mod[exportName];
  if (typeof factory !== 'function') throw new Error(`driver module ${module} does not export ${exportName}`);
  return (factory as Factory)(opts);
}
