/**
 * Test harness: a real engine (SQLite file in a temp dir, in-memory telephony driver) with webhooks enabled,
 * and a config whose campaign, publisher and buyer carry the webhook blocks a test passes in.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigText } from '../../../src/config/load.js';
import { loadSettings } from '../../../src/config/settings.js';
import { startEngine, type Engine } from '../../../src/engine.js';
import type { CallRow } from '../../../src/store/index.js';
import type { AttemptOutcome } from '../../../src/store/webhooks.js';
import type { WorkerOptions } from '../../../src/webhooks/index.js';
import { ManualClock } from '../../support/clock.js';
import { MemoryDriver, type MemoryCall } from '../../support/memory-driver.js';
import { writeSilenceWav } from '../../support/wav.js';

export const SECRET = 'webhook-secret-0123456789';
export const BUYER_URI = 'sip:intake@127.0.0.1:5071';
export const DID = '+18005550100';

export interface Hooks {
  /** YAML list items (each starting with `- id:`), indented by the harness. */
  campaign?: string;
  publisher?: string;
  buyer?: string;
  publisherCanSeeCaller?: boolean;
  /** Screen callers with the IVR (default true). */
  ivr?: boolean;
}

const indent = (text: string, n: number) => text.trim().split('\n').map((l) => ' '.repeat(n) + l).join('\n');
const block = (text: string | undefined, n: number) => (text ? `${' '.repeat(n - 2)}webhooks:\n${indent(text, n)}` : '');

export function webhookConfig(h: Hooks): string {
  return `
version: 1
carriers:
  - { id: carrier_a, name: Carrier A, sources: [127.0.0.1/32] }
prompts:
  - { id: age_q, file: age_q.wav }
  - { id: zip_q, file: zip_q.wav }
ivr_flows:
  - id: screen
    start: age
    steps:
      age:
        type: menu
        prompt: age_q
        options:
          "1": { tags: { age_65_plus: "yes" }, next: zip }
          "2": { tags: { age_65_plus: "no" }, next: reject }
      zip: { type: gather, prompt: zip_q, min_digits: 5, max_digits: 5, tag: zip, next: route }
publishers:
  - id: pub_one
    name: Publisher One
    payout: { type: fixed, amount_cents: 1500 }
    can_see_caller: ${h.publisherCanSeeCaller ?? false}
${block(h.publisher, 6)}
buyers:
  - id: buyer_one
    name: Buyer One
    price_cents: 4000
    min_duration_s: 60
    targets:
      - id: buyer_one_main
        destination: { sip: "${BUYER_URI}" }
${block(h.buyer, 6)}
campaigns:
  - id: medicare
    name: Medicare
    dids:
      - { number: "${DID}", publisher: pub_one }
${h.ivr === false ? '' : '    ivr: screen'}
    routes:
      - { target: buyer_one_main }
${block(h.campaign, 6)}
`;
}

export interface WebhookEngine {
  engine: Engine;
  driver: MemoryDriver;
  clock: ManualClock;
  dir: string;
  /** Resolves with the final call row once the session closed it. */
  ended(call: MemoryCall): Promise<CallRow>;
  /** Resolves once `n` tries with `outcome` have been recorded in total. */
  tries(outcome: AttemptOutcome, n: number): Promise<void>;
  close(): Promise<void>;
}

/** Fast retries for tests: 20 ms doubling, capped at 200 ms. */
export const FAST: Partial<WorkerOptions> = { backoffBaseMs: 20, backoffMaxMs: 200, pollIntervalMs: 200 };

export async function startWebhookEngine(yaml: string, worker: Partial<WorkerOptions> = FAST, dir = mkdtempSync(join(tmpdir(), 'callroute-wh-'))): Promise<WebhookEngine> {
  for (const p of ['age_q', 'zip_q']) writeSilenceWav(join(dir, `${p}.wav`));
  const configFile = join(dir, 'campaigns.yaml');
  writeFileSync(configFile, yaml);
  const loaded = loadConfigText(yaml, configFile, {});
  if (!loaded.ok) throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`);
  const settings = loadSettings(['--db', join(dir, 'calls.sqlite'), '--config', configFile, '--drain-timeout-s', '1'], {});
  const clock = new ManualClock();
  const driver = new MemoryDriver(clock);
  const finished = new Map<string, CallRow>();
  const waiters = new Map<string, (row: CallRow) => void>();
  const engine = await startEngine({
    settings, logger: pino({ level: 'silent' }), config: loaded.config, driver, now: clock.now, webhooks: worker,
    observers: [{ ended: (row) => { finished.set(row.sip_call_id, row); waiters.get(row.sip_call_id)?.(row); } }],
  });
  const counted: { outcome: AttemptOutcome; n: number; resolve: () => void }[] = [];
  engine.webhooks.metrics.onRecord(() => {
    for (const c of [...counted]) if (engine.webhooks.metrics.tries[c.outcome] >= c.n) { counted.splice(counted.indexOf(c), 1); c.resolve(); }
  });
  return {
    engine, driver, clock, dir,
    ended: (call) => {
      const done = finished.get(call.id);
      return done ? Promise.resolve(done) : new Promise((r) => waiters.set(call.id, r));
    },
    tries: (outcome, n) =>
      engine.webhooks.metrics.tries[outcome] >= n ? Promise.resolve() : new Promise((resolve) => counted.push({ outcome, n, resolve })),
    close: async () => {
      await engine.stop(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One qualified caller, bridged to the buyer, talking `talkMs`, then hanging up. */
export async function billableCall(t: WebhookEngine, talkMs = 95_000, caller = '+14155550123'): Promise<CallRow> {
  t.driver.buyers.set(BUYER_URI, { kind: 'answer', ringMs: 3000 });
  const call = t.driver.placeCall({ did: DID, caller, dtmf: ['1', '94110'] });
  await call.bridged;
  t.clock.advance(talkMs);
  call.callerHangup();
  return t.ended(call);
}
