/**
 * An engine on the in-memory driver (real SQLite file in a temp dir) with metrics wired as in main.ts, and the
 * admin app on top, driven through app.inject. Keys for every role are in the config (hashed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { loadConfigText } from '../../src/config/load.js';
import { loadSettings } from '../../src/config/settings.js';
import { startEngine, type Engine } from '../../src/engine.js';
import { hashKey } from '../../src/http/auth.js';
import { buildApp } from '../../src/http/app.js';
import { createMetrics } from '../../src/metrics/index.js';
import type { Metrics } from '../../src/metrics/metrics.js';
import type { CallRow } from '../../src/store/index.js';
import { ManualClock } from '../support/clock.js';
import { FLOW_CONFIG } from '../support/flow-config.js';
import { MemoryDriver, type MemoryCall } from '../support/memory-driver.js';
import { writeSilenceWav } from '../support/wav.js';

export const KEYS = {
  operator: 'op-secret-key-0001',
  buyerFirst: 'buyer-first-key-0001',
  buyerSecond: 'buyer-second-key-0001',
  pubOne: 'pub-one-key-0001',
  pubTwo: 'pub-two-key-0001',
} as const;

/** FLOW_CONFIG plus a second publisher (its own DID) and API keys for every role. */
export const ADMIN_CONFIG = FLOW_CONFIG.replace(
  'buyers:\n',
  `  - id: pub_two
    name: Publisher Two
    payout: { type: percent, percent: 50 }
    can_see_caller: true
buyers:
`,
).replace(
  '      - { number: "+18005550100", publisher: pub_one }\n',
  '      - { number: "+18005550100", publisher: pub_one }\n      - { number: "+18005550200", publisher: pub_two }\n',
) + `
api_keys:
  - { id: ops, role: operator, key_hash: "${hashKey(KEYS.operator)}" }
  - { id: bf, role: buyer, party: buyer_first, key_hash: "${hashKey(KEYS.buyerFirst)}" }
  - { id: bs, role: buyer, party: buyer_second, key_hash: "${hashKey(KEYS.buyerSecond)}" }
  - { id: p1, role: publisher, party: pub_one, key_hash: "${hashKey(KEYS.pubOne)}" }
  - { id: p2, role: publisher, party: pub_two, key_hash: "${hashKey(KEYS.pubTwo)}" }
`;

const PROMPTS = ['welcome', 'age_q', 'zip_q', 'sorry', 'no_agents'];

export interface Harness {
  app: FastifyInstance;
  engine: Engine;
  driver: MemoryDriver;
  clock: ManualClock;
  metrics: Metrics;
  dir: string;
  configFile: string;
  /** Resolves with the final row once the call's session closed it. */
  ended(call: MemoryCall): Promise<CallRow>;
  /** app.inject with `Authorization: Bearer <key>` when a key is given. */
  req(key: string | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startHarness(yaml = ADMIN_CONFIG): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'callroute-http-'));
  for (const p of PROMPTS) writeSilenceWav(join(dir, `${p}.wav`));
  const configFile = join(dir, 'campaigns.yaml');
  writeFileSync(configFile, yaml);
  const loaded = loadConfigText(yaml, configFile, {});
  if (!loaded.ok) throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`);
  const settings = loadSettings(['--db', join(dir, 'calls.sqlite'), '--config', configFile, '--drain-timeout-s', '1'], {});
  const clock = new ManualClock();
  const driver = new MemoryDriver(clock);
  const waiters = new Map<string, (row: CallRow) => void>();
  const finished = new Map<string, CallRow>();
  const m = createMetrics({ processMetrics: true });
  const engine = await startEngine({
    settings, logger: pino({ level: 'silent' }), config: loaded.config, driver, now: clock.now,
    observers: [
      m.observer,
      {
        ended: (row) => {
          finished.set(row.sip_call_id, row);
          waiters.get(row.sip_call_id)?.(row);
        },
      },
    ],
  });
  m.bindEngine(engine);
  const app = buildApp({ engine, metrics: m.metrics, now: clock.now });
  await app.ready();
  return {
    app, engine, driver, clock, metrics: m.metrics, dir, configFile,
    ended: (call) => {
      const done = finished.get(call.id);
      return done ? Promise.resolve(done) : new Promise((r) => waiters.set(call.id, r));
    },
    req: (key, opts) =>
      app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(key ? { authorization: `Bearer ${key}` } : {}) } }),
    close: async () => {
      await app.close();
      await engine.stop(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Drives one call through the flow: IVR answers (65+, ZIP), the first buyer answers, talk for `talkS` seconds,
 * then the caller hangs up. Returns the final row.
 */
export async function connectedCall(h: Harness, opts: { did?: string; caller?: string; talkS?: number; buyer?: 'first' | 'second' } = {}): Promise<CallRow> {
  h.driver.buyers.set('sip:intake@127.0.0.1:5071', opts.buyer === 'second' ? { kind: 'busy' } : { kind: 'answer' });
  h.driver.buyers.set('sip:intake@127.0.0.1:5072', { kind: 'answer' });
  const call = h.driver.placeCall({ did: opts.did ?? '+18005550100', caller: opts.caller ?? '+14155550123', dtmf: ['1', '94110'] });
  await call.bridged;
  h.clock.advance((opts.talkS ?? 90) * 1000);
  call.callerHangup();
  return h.ended(call);
}

/** A call whose caller fails the IVR (under 65). */
export async function screenedOutCall(h: Harness, caller = '+14155550124'): Promise<CallRow> {
  const call = h.driver.placeCall({ did: '+18005550100', caller, dtmf: ['2'] });
  return h.ended(call);
}

// Test assertions walk response bodies freely; a shape mismatch fails the expect, not the compiler.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
export const json = (r: { body: string }): Json => JSON.parse(r.body) as Json;
