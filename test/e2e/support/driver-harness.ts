/**
 * A started telephony driver with a tiny per-test call script, for driver-level sipp tests: the embedded driver on
 * loopback, or the freeswitch driver on a real drachtio-server + FreeSWITCH (test/support/real-stack-env.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadSettings } from '../../../src/config/settings.js';
import { createEmbeddedDriver, type EmbeddedDriver } from '../../../src/telephony/embedded/index.js';
import { createFreeswitchDriver, type FreeswitchDriver } from '../../../src/telephony/freeswitch/index.js';
import type { InboundCall, HangupInfo, TelephonyDriver } from '../../../src/telephony/types.js';
import { realStackArgs, type RealStack } from '../../support/real-stack-env.js';
import { wavHeader } from '../../../src/telephony/embedded/media/wav.js';

export interface Harness<D extends TelephonyDriver = EmbeddedDriver> {
  driver: D;
  target: string;
  dir: string;
  prompt: { id: string; file: string };
  /** Set the script run for every new call. */
  onCall(script: (call: InboundCall) => Promise<void>): void;
  /** Resolves with the next call's end info and whatever the script recorded. */
  nextEnd(): Promise<{ call: InboundCall; end: HangupInfo }>;
  close(): Promise<void>;
}

/** A 1 s, 8 kHz mono PCM16 WAV (a soft 400 Hz tone), so prompt playback has real audio. */
export function writeToneWav(file: string, seconds = 1): void {
  const n = 8000 * seconds;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 400 * i) / 8000)), i * 2);
  writeFileSync(file, Buffer.concat([wavHeader(data.length, 1), data]));
}

export function rtpRange(): string[] {
  const min = 20000 + 2 * Math.floor(Math.random() * 10000);
  return ['--rtp-port-min', String(min), '--rtp-port-max', String(min + 400)];
}

export async function startHarness(extra: string[] = []): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-'));
  const settings = loadSettings(['--sip-host', '127.0.0.1', '--sip-port', '0', '--media-timeout-s', '0', '--recordings-dir', dir, ...rtpRange(), ...extra], {});
  const driver = createEmbeddedDriver({ settings, logger: pino({ level: process.env.TEST_LOG ?? 'silent' }) });
  await driver.start();
  return scripted(driver, dir, `127.0.0.1:${driver.sipPort}`);
}

/** The freeswitch driver on a real drachtio-server + FreeSWITCH; sipp calls drachtio's SIP port. */
export async function startFreeswitchHarness(stack: RealStack): Promise<Harness<FreeswitchDriver>> {
  const dir = mkdtempSync(join(tmpdir(), 'freeswitch-'));
  const settings = loadSettings([...realStackArgs(stack), '--media-timeout-s', '0'], {});
  const driver = createFreeswitchDriver({ settings, logger: pino({ level: process.env.TEST_LOG ?? 'silent' }) }) as FreeswitchDriver;
  await driver.start();
  if (!driver.isReady()) await new Promise<void>((resolve) => driver.on('ready', (up) => up && resolve()));
  return scripted(driver, dir, `${stack.sip.host}:${stack.sip.port}`);
}

/** Run the current script for every call the driver offers; queue each call's end for `nextEnd`. */
function scripted<D extends TelephonyDriver>(driver: D, dir: string, target: string): Harness<D> {
  const prompt = { id: 'welcome', file: join(dir, 'welcome.wav') };
  writeToneWav(prompt.file);
  let script: (call: InboundCall) => Promise<void> = async (c) => c.reject(404);
  const ends: Array<(v: { call: InboundCall; end: HangupInfo }) => void> = [];
  const done: Array<{ call: InboundCall; end: HangupInfo }> = [];
  driver.on('call', (call) => {
    call.once('ended', (end) => {
      const waiter = ends.shift();
      if (waiter) waiter({ call, end });
      else done.push({ call, end });
    });
    void script(call);
  });
  return {
    driver, dir, prompt, target,
    onCall: (s) => (script = s),
    nextEnd: () => {
      const d = done.shift();
      return d ? Promise.resolve(d) : new Promise((r) => ends.push(r));
    },
    close: () => driver.stop(),
  };
}
