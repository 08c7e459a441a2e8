/**
 * A running engine for the dashboard's browser tests: the real call flow on the in-memory driver, the real HTTP app
 * listening on an ephemeral loopback port, API keys for each role, and calls seeded over the last three days.
 * The clock follows real time (shifted by hand for seeding), so "today" in the browser is today in the engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfigText } from '../../../src/config/load.js';
import { loadSettings } from '../../../src/config/settings.js';
import { startEngine, type Engine } from '../../../src/engine.js';
import { buildApp } from '../../../src/http/app.js';
import { hashKey } from '../../../src/http/auth.js';
import type { CallRow } from '../../../src/store/index.js';
import { FLOW_CONFIG } from '../../support/flow-config.js';
import { MemoryDriver, type MemoryCall, type PlaceCallOptions } from '../../support/memory-driver.js';
import { writeSilenceWav } from '../../support/wav.js';

export const KEYS = {
  operator: 'cr_test_operator_key_0123456789',
  buyerFirst: 'cr_test_buyer_first_key_0123456',
  buyerSecond: 'cr_test_buyer_second_key_012345',
  publisher: 'cr_test_publisher_key_012345678',
} as const;

const DAY_MS = 86_400_000;
export const DID = '+18005550100';
const FIRST = 'sip:intake@127.0.0.1:5071';
const SECOND = 'sip:intake@127.0.0.1:5072';

/** FLOW_CONFIG plus a cap on the first buyer, duplicate rules, and one key per role. */
function dashboardConfig(): string {
  const yaml = FLOW_CONFIG
    .replace('    min_duration_s: 30\n', '    min_duration_s: 30\n    duplicate: { window: 30d }\n')
    .replace('    price_cents: 4000\n    min_duration_s: 60\n', '    price_cents: 4000\n    min_duration_s: 60\n    duplicate: { window: 30d, scope: buyer }\n    caps:\n      - { metric: routed, period: day, limit: 40 }\n      - { metric: billable, period: month, limit: 500 }\n');
  const keys = [
    { id: 'k_operator', role: 'operator', key: KEYS.operator },
    { id: 'k_buyer_first', role: 'buyer', party: 'buyer_first', key: KEYS.buyerFirst },
    { id: 'k_buyer_second', role: 'buyer', party: 'buyer_second', key: KEYS.buyerSecond },
    { id: 'k_publisher', role: 'publisher', party: 'pub_one', key: KEYS.publisher },
  ];
  const lines = keys.map((k) => `  - { id: ${k.id}, role: ${k.role}${'party' in k ? `, party: ${k.party}` : ''}, key_hash: "${hashKey(k.key)}" }`);
  return `${yaml}\napi_keys:\n${lines.join('\n')}\n`;
}

export interface DashboardEngine {
  engine: Engine;
  driver: MemoryDriver;
  app: FastifyInstance;
  baseUrl: string;
  recordingsDir: string;
  /** Shifts the engine's clock (seeding past days, talk time). */
  shift(ms: number): void;
  /** Back to real time. */
  resetClock(): void;
  /** Resolves with the call's final row. */
  ended(call: MemoryCall): Promise<CallRow>;
  /** Places a call that passes the IVR. */
  place(opts?: Partial<PlaceCallOptions>): MemoryCall;
  close(): Promise<void>;
}

export async function startDashboardEngine(): Promise<DashboardEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'callroute-dash-'));
  for (const p of ['welcome', 'age_q', 'zip_q', 'sorry', 'no_agents']) writeSilenceWav(join(dir, `${p}.wav`));
  const yaml = dashboardConfig();
  const configFile = join(dir, 'campaigns.yaml');
  writeFileSync(configFile, yaml);
  const loaded = loadConfigText(yaml, configFile, {});
  if (!loaded.ok) throw new Error(`dashboard test config invalid: ${JSON.stringify(loaded.issues)}`);
  const settings = loadSettings(['--db', join(dir, 'calls.sqlite'), '--config', configFile, '--drain-timeout-s', '1'], {});
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset), advance: (ms: number) => void (offset += ms) };
  const driver = new MemoryDriver(clock);
  const waiters = new Map<string, (row: CallRow) => void>();
  const finished = new Map<string, CallRow>();
  const engine = await startEngine({
    settings, logger: pino({ level: 'silent' }), config: loaded.config, driver, now: clock.now,
    observers: [{ ended: (row) => { finished.set(row.sip_call_id, row); waiters.get(row.sip_call_id)?.(row); } }],
  });
  const recordingsDir = join(dir, 'recordings');
  const app = buildApp({ engine, now: clock.now, recordingsDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no listening address');
  driver.buyers.set(FIRST, { kind: 'answer' });
  driver.buyers.set(SECOND, { kind: 'answer' });
  return {
    engine, driver, app, recordingsDir,
    baseUrl: `http://127.0.0.1:${addr.port}`,
    shift: (ms) => clock.advance(ms),
    resetClock: () => void (offset = 0),
    ended: (call) => {
      const done = finished.get(call.id);
      return done ? Promise.resolve(done) : new Promise((r) => waiters.set(call.id, r));
    },
    place: (opts = {}) => driver.placeCall({ did: DID, dtmf: ['1', '94110'], ...opts }),
    close: async () => {
      await app.close();
      await engine.stop(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A call that connects, talks for `talkS` seconds, and ends with the caller hanging up. */
async function talk(e: DashboardEngine, caller: string, talkS: number): Promise<CallRow> {
  const call = e.place({ caller });
  await call.bridged;
  e.shift(talkS * 1000);
  call.callerHangup();
  return e.ended(call);
}

export interface Seeded {
  rows: CallRow[];
  /** Calls each buyer received. */
  byBuyer: Record<string, string[]>;
}

/**
 * Two days ago: two billable calls to the first buyer. Yesterday: the first buyer busy so the second takes it,
 * and a caller who fails the IVR. Today: a short call (not billable) and a repeat caller (duplicate).
 */
export async function seedCalls(e: DashboardEngine): Promise<Seeded> {
  const rows: CallRow[] = [];
  e.shift(-2 * DAY_MS);
  rows.push(await talk(e, '+14155550101', 95), await talk(e, '+14155550102', 130));
  e.shift(DAY_MS);
  e.driver.buyers.set(FIRST, { kind: 'busy' });
  rows.push(await talk(e, '+14155550103', 240));
  e.driver.buyers.set(FIRST, { kind: 'answer' });
  const rejected = e.place({ caller: '+14155550104', dtmf: ['2'] });
  rows.push(await e.ended(rejected));
  e.shift(DAY_MS);
  rows.push(await talk(e, '+14155550105', 20), await talk(e, '+14155550101', 75));
  e.resetClock();
  const byBuyer: Record<string, string[]> = {};
  for (const r of rows) if (r.buyer_id) (byBuyer[r.buyer_id] ??= []).push(r.id);
  return { rows, byBuyer };
}
