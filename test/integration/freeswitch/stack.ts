/**
 * The process edge for freeswitch-driver tests: a drachtio stand-in and FreeSWITCH stand-ins on loopback, with
 * simulated callers and buyers on the stand-in's SIP network, and the driver under test built from settings.
 */
import pino from 'pino';
import { Writable } from 'node:stream';
import { loadSettings, type Settings } from '../../../src/config/settings.js';
import { createFreeswitchDriver, type FreeswitchDriver } from '../../../src/telephony/freeswitch/index.js';
import { DrachtioFake } from '../../support/drachtio-fake/server.js';
import { BuyerUa, CallerUa, type BuyerBehaviour, type PlaceCallOptions } from '../../support/drachtio-fake/ua.js';
import { EslFake } from '../../support/esl-fake/server.js';

/** A pino logger writing JSON lines into an array (tests read what the driver logged). */
export function memoryLogger(level: pino.Level = 'info'): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

export interface Stack {
  drachtio: DrachtioFake;
  fs: EslFake[];
  settings: Settings;
  call(opts?: Partial<PlaceCallOptions>): CallerUa;
  buyer(hostport: string, behaviour: BuyerBehaviour): BuyerUa;
  close(): Promise<void>;
}

export interface StackOptions {
  mediaServers?: number;
  /** Start the stand-ins now (default) or leave them down for the test to start. */
  startDrachtio?: boolean;
  startFs?: boolean;
  extraArgs?: string[];
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const drachtio = new DrachtioFake({ secret: 'test-secret' });
  const fs = Array.from({ length: opts.mediaServers ?? 1 }, (_, i) => new EslFake(drachtio, { password: 'fs-secret', sipHostport: `127.0.0.1:${5080 + i}` }));
  // reserve ports now so the driver can be told where to connect even when a stand-in starts later
  await drachtio.listen();
  for (const f of fs) await f.start();
  if (opts.startDrachtio === false) await pauseDrachtio(drachtio);
  if (opts.startFs === false) for (const f of fs) await f.stop();
  const settings = loadSettings([
    '--driver', 'freeswitch', '--drachtio-host', '127.0.0.1', '--drachtio-port', String(drachtio.port),
    '--drachtio-secret', 'test-secret', '--freeswitch-servers', fs.map((f) => `127.0.0.1:${f.port}`).join(','),
    '--freeswitch-secret', 'fs-secret', '--esl-listen', '127.0.0.1:0', ...(opts.extraArgs ?? []),
  ], {});
  return {
    drachtio, fs, settings,
    call: (o = {}) => new CallerUa(drachtio, { did: '+18005550100', caller: '+14155550123', ...o }).send(),
    buyer: (hostport, behaviour) => new BuyerUa(drachtio, hostport, behaviour),
    close: async () => {
      await drachtio.close().catch(() => {});
      for (const f of fs) await f.stop();
    },
  };
}

/** Close the stand-in's admin port but remember it, so `resumeDrachtio` listens on the same port again. */
export async function pauseDrachtio(d: DrachtioFake): Promise<void> {
  await d.close();
}

export async function resumeDrachtio(d: DrachtioFake): Promise<void> {
  await d.listen(d.port);
}

export function driverFor(stack: { settings: Settings }, logger: pino.Logger): FreeswitchDriver {
  return createFreeswitchDriver({ settings: stack.settings, logger }) as FreeswitchDriver;
}

export function waitReady(driver: FreeswitchDriver, want = true): Promise<void> {
  if (driver.isReady() === want) return Promise.resolve();
  return new Promise((resolve) => {
    const on = (r: boolean): void => {
      if (r !== want) return;
      driver.off('ready', on);
      resolve();
    };
    driver.on('ready', on);
  });
}

export function nextCall(driver: FreeswitchDriver): Promise<import('../../../src/telephony/types.js').InboundCall> {
  return new Promise((resolve) => driver.once('call', resolve));
}

/** Resolves once `pred` holds for a log line (pino sink lines are pushed synchronously, so poll per tick). */
export function waitLog(lines: Record<string, unknown>[], pred: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const check = (): void => {
      const hit = lines.find(pred);
      if (hit) resolve(hit);
      else setTimeout(check, 10);
    };
    check();
  });
}

/** Resolves once `pred()` holds; checked every few ms (for state with no event to await, e.g. a peer's socket count). */
export function until(pred: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => (pred() ? resolve() : void setTimeout(check, 5));
    check();
  });
}
