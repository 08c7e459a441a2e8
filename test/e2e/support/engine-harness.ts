/**
 * A real engine (real SQLite file; the embedded driver on a loopback port, or the freeswitch driver on a real
 * drachtio-server + FreeSWITCH) with a campaign config whose buyers are sipp processes on pre-allocated ports;
 * tests start the sipp buyer they need on those ports.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigText } from '../../../src/config/load.js';
import { loadSettings, type Settings } from '../../../src/config/settings.js';
import { startEngine, type Engine } from '../../../src/engine.js';
import type { CallRow } from '../../../src/store/index.js';
import { createEmbeddedDriver, type EmbeddedDriver } from '../../../src/telephony/embedded/index.js';
import { createFreeswitchDriver, type FreeswitchDriver } from '../../../src/telephony/freeswitch/index.js';
import type { TelephonyDriver } from '../../../src/telephony/types.js';
import { realStackArgs, type RealStack } from '../../support/real-stack-env.js';
import { rtpRange, writeToneWav } from './driver-harness.js';
import { freePort } from './sipp.js';

export const DID = { ivr: '+18005550100', failover: '+18005550101', unknown: '+19995550000' } as const;

export interface EngineHarness<D extends TelephonyDriver = EmbeddedDriver> {
  engine: Engine;
  driver: D;
  target: string;
  /** Buyer SIP ports by role: `solo` (the IVR campaign's only buyer), `first`/`second` (failover campaign). */
  ports: { solo: number; first: number; second: number };
  /** The next call row the engine closes. */
  nextRow(): Promise<CallRow>;
  /** The sipp scenario for a malformed INVITE at this edge: our parser answers 400, drachtio-server's drops it. */
  malformedScenario: 'malformed.xml' | 'malformed-dropped.xml';
  close(): Promise<void>;
}

export interface EngineHarnessOptions {
  /** `--media-timeout-s` (default 15). */
  mediaTimeoutS?: number;
  /** The IVR menu's wait for a digit (default 5 s). */
  menuTimeoutS?: number;
}

function configYaml(p: EngineHarness['ports'], menuTimeoutS: number): string {
  const buyer = (id: string, port: number): string => `
  - id: ${id}
    name: ${id}
    price_cents: 4000
    min_duration_s: 2
    targets:
      - id: ${id}_t
        destination: { sip: "sip:intake@127.0.0.1:${port}" }`;
  return `
version: 1
carriers:
  - { id: loopback, name: Loopback carrier, sources: [127.0.0.1/32], cost_per_minute_cents: 1 }
prompts:
  - { id: press1, file: press1.wav }
  - { id: no_agents, file: no_agents.wav }
ivr_flows:
  - id: screen
    start: ask
    steps:
      ask:
        type: menu
        prompt: press1
        retries: 0
        timeout_s: ${menuTimeoutS}
        options:
          "1": { tags: { interested: "yes" }, next: route }
publishers:
  - { id: pub, name: Publisher, payout: { type: fixed, amount_cents: 1000 }, min_duration_s: 1 }
buyers:${buyer('solo', p.solo)}${buyer('first', p.first)}${buyer('second', p.second)}
campaigns:
  - id: ivr
    name: IVR campaign
    dids: [{ number: "${DID.ivr}", publisher: pub }]
    ivr: screen
    no_buyer_prompt: no_agents
    max_attempts: 1
    ring_timeout_s: 5
    routes: [{ target: solo_t }]
  - id: failover
    name: Failover campaign
    dids: [{ number: "${DID.failover}", publisher: pub }]
    ivr: screen
    no_buyer_prompt: no_agents
    ring_timeout_s: 5
    routes: [{ target: first_t, priority: 1 }, { target: second_t, priority: 2 }]
`;
}

export function startEngineHarness(opts: EngineHarnessOptions = {}): Promise<EngineHarness> {
  return startHarness(opts, async () => {
    const sipPort = await freePort();
    const args = ['--sip-host', '127.0.0.1', '--sip-port', String(sipPort), ...rtpRange()];
    return {
      args, target: `127.0.0.1:${sipPort}`, malformedScenario: 'malformed.xml',
      make: (settings, logger) => createEmbeddedDriver({ settings, logger }),
    };
  });
}

/**
 * The same engine on the `freeswitch` driver against a real drachtio-server + FreeSWITCH on this machine: sipp calls
 * drachtio's SIP port, FreeSWITCH reads the prompts from the harness's temporary directory.
 */
export function startFreeswitchEngineHarness(stack: RealStack, opts: EngineHarnessOptions = {}): Promise<EngineHarness<FreeswitchDriver>> {
  return startHarness(opts, () => Promise.resolve({
    args: realStackArgs(stack),
    target: `${stack.sip.host}:${stack.sip.port}`,
    malformedScenario: 'malformed-dropped.xml',
    make: (settings, logger) => createFreeswitchDriver({ settings, logger }) as FreeswitchDriver,
  }));
}

interface DriverSetup<D> {
  args: string[];
  target: string;
  malformedScenario: EngineHarness['malformedScenario'];
  make(settings: Settings, logger: pino.Logger): D;
}

async function startHarness<D extends TelephonyDriver>(opts: EngineHarnessOptions, setup: () => Promise<DriverSetup<D>>): Promise<EngineHarness<D>> {
  const dir = mkdtempSync(join(tmpdir(), 'engine-e2e-'));
  writeToneWav(join(dir, 'press1.wav'), 1);
  writeToneWav(join(dir, 'no_agents.wav'), 1);
  const ports = { solo: await freePort(), first: await freePort(), second: await freePort() };
  const yaml = configYaml(ports, opts.menuTimeoutS ?? 5);
  const configFile = join(dir, 'campaigns.yaml');
  writeFileSync(configFile, yaml);
  const loaded = loadConfigText(yaml, configFile, {});
  if (!loaded.ok) throw new Error(`e2e config invalid: ${JSON.stringify(loaded.issues)}`);
  const drv = await setup();
  const settings = loadSettings([
    '--db', join(dir, 'calls.sqlite'), '--config', configFile,
    '--media-timeout-s', String(opts.mediaTimeoutS ?? 15), '--drain-timeout-s', '1', ...drv.args,
  ], {});
  const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const driver = drv.make(settings, logger);
  const rows: CallRow[] = [];
  const waiters: Array<(r: CallRow) => void> = [];
  const engine = await startEngine({
    settings, logger, driver, config: loaded.config,
    observers: [{ ended: (row) => (waiters.length ? waiters.shift()!(row) : rows.push(row)) }],
  });
  await readyWithin(driver, 20_000);
  return {
    engine, driver, ports,
    target: drv.target,
    malformedScenario: drv.malformedScenario,
    nextRow: () => (rows.length ? Promise.resolve(rows.shift()!) : new Promise((r) => waiters.push(r))),
    close: async () => {
      await engine.stop(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The embedded driver is ready once started; the freeswitch driver once drachtio and a media server are connected. */
function readyWithin(driver: TelephonyDriver, ms: number): Promise<void> {
  if (driver.isReady()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${driver.name} driver not ready after ${ms} ms`)), ms);
    const onReady = (up: boolean): void => {
      if (!up) return;
      clearTimeout(timer);
      driver.off('ready', onReady);
      resolve();
    };
    driver.on('ready', onReady);
  });
}
