/** Starts a real engine (real SQLite file in a temp dir) on the in-memory driver, for call-flow tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigText } from '../../src/config/load.js';
import { loadSettings } from '../../src/config/settings.js';
import { startEngine, type Engine } from '../../src/engine.js';
import type { CallRow } from '../../src/store/index.js';
import { ManualClock } from './clock.js';
import { FLOW_CONFIG } from './flow-config.js';
import { MemoryDriver, type MemoryCall } from './memory-driver.js';
import { writeSilenceWav } from './wav.js';

export interface TestEngine {
  engine: Engine;
  driver: MemoryDriver;
  clock: ManualClock;
  dir: string;
  dbFile: string;
  /** Resolves with the final call row once the session closed it. */
  ended(call: MemoryCall): Promise<CallRow>;
  close(): Promise<void>;
}

const PROMPTS = ['welcome', 'age_q', 'zip_q', 'sorry', 'no_agents'];

export async function startTestEngine(yaml = FLOW_CONFIG, opts: { dir?: string } = {}): Promise<TestEngine> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'callroute-'));
  for (const p of PROMPTS) writeSilenceWav(join(dir, `${p}.wav`));
  const configFile = join(dir, 'campaigns.yaml');
  writeFileSync(configFile, yaml);
  const loaded = loadConfigText(yaml, configFile, {});
  if (!loaded.ok) throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`);
  const dbFile = join(dir, 'calls.sqlite');
  const settings = loadSettings(['--db', dbFile, '--config', configFile, '--drain-timeout-s', '1'], {});
  const clock = new ManualClock();
  const driver = new MemoryDriver(clock);
  const waiters = new Map<string, (row: CallRow) => void>();
  const finished = new Map<string, CallRow>();
  const engine = await startEngine({
    settings,
    logger: pino({ level: 'silent' }),
    config: loaded.config,
    driver,
    now: clock.now,
    observers: [
      {
        ended: (row) => {
          finished.set(row.sip_call_id, row);
          waiters.get(row.sip_call_id)?.(row);
        },
      },
    ],
  });
  return {
    engine, driver, clock, dir, dbFile,
    ended: (call) => {
      const done = finished.get(call.id);
      return done ? Promise.resolve(done) : new Promise((r) => waiters.set(call.id, r));
    },
    close: async () => {
      await engine.stop(1000);
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
