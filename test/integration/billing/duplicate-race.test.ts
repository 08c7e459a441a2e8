/**
 * Two calls from the same caller ending at the same moment, finished by two threads on separate connections to one
 * SQLite file: the duplicate decision is made under the same write lock as the billing write, so exactly one of
 * them is billed (and paid, and announced with `call.billable`); the other ends `duplicate`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/store/index.js';
import { WebhookRepository } from '../../../src/store/webhooks.js';
import { FLOW_CONFIG } from '../../support/flow-config.js';
import { writeSilenceWav } from '../../support/wav.js';
import type { RaceCall } from './duplicate-race.worker.js';

const dir = mkdtempSync(join(tmpdir(), 'duplicate-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROUNDS = 30;
const CONTENDERS = 2;
const T = Date.parse('2026-11-20T15:00:00Z');
const YAML = FLOW_CONFIG.replace(
  '    ivr: medicare_screen\n',
  `    ivr: medicare_screen
    duplicate: { window: 30d, scope: campaign }
    webhooks:
      - { id: tracker, url: "http://127.0.0.1:9/hook", secret: webhook-secret-0123456789, events: [call.billable, payout.earned] }
`,
);

/** Worker bootstrap: registers tsx's loader in the new thread, then runs the TypeScript worker named in workerData. */
const BOOT = `import('tsx/esm/api').then(({ register }) => { register(); return import(require('node:worker_threads').workerData.script); })`;

function contender(file: string, configFile: string, barrier: SharedArrayBuffer, calls: RaceCall[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(BOOT, {
      eval: true,
      workerData: { script: new URL('./duplicate-race.worker.ts', import.meta.url).href, file, yaml: YAML, configFile, barrier, contenders: CONTENDERS, calls },
    });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
  });
}

/** A call bridged to the first buyer for 90 s, written as the flow leaves it just before hangup. */
function bridged(store: Store, c: RaceCall): void {
  store.calls.insert({
    id: c.id, sip_call_id: `sip-${c.id}`, driver: 'memory', did: '+18005550100', caller: c.caller, carrier_id: 'carrier_a',
    source_address: '127.0.0.1', campaign_id: 'medicare', publisher_id: 'pub_one', config_digest: null, invite_at: c.inviteAt,
  });
  store.calls.update(c.id, { phase: 'bridged', answer_at: c.inviteAt + 500, qualified: 1, buyer_id: 'buyer_first', target_id: 'first_main', buyer_answer_at: c.buyerAnswerAt }, c.buyerAnswerAt);
}

describe('duplicate race: two calls from one caller ending together', () => {
  it('bills exactly one of them, whichever thread commits first, and marks the other a duplicate', async () => {
    for (const p of ['welcome', 'age_q', 'zip_q', 'sorry', 'no_agents']) writeSilenceWav(join(dir, `${p}.wav`));
    const configFile = join(dir, 'campaigns.yaml');
    writeFileSync(configFile, YAML);
    const file = join(dir, 'race.sqlite');
    const store = openStore(file);
    // Round r: caller r calls twice. Even rounds start both at the same ms; odd rounds start b 1 s after a, so the
    // call that started later may be the one that finishes (and is billed) first.
    const sides: RaceCall[][] = [[], []];
    for (let r = 0; r < ROUNDS; r++) {
      const caller = `+1415555${String(1000 + r)}`;
      sides.forEach((calls, n) => {
        const inviteAt = T + r * 600_000 + (r % 2 === 1 && n === 1 ? 1000 : 0);
        const c = { id: `r${r}-${'ab'[n]}`, caller, inviteAt, buyerAnswerAt: inviteAt + 30_000, endAt: T + r * 600_000 + 150_000 };
        bridged(store, c);
        calls.push(c);
      });
    }
    const barrier = new SharedArrayBuffer(4 * ROUNDS);
    const errors = (await Promise.all(sides.map((calls) => contender(file, configFile, barrier, calls)))).flat();

    // How many of each caller's two calls were billed: exactly one, every round.
    const billed = sides[0]!.map((a, r) => [a, sides[1]![r]!].filter((c) => store.calls.get(c.id)?.billable === 1).length);
    const tally = { once: billed.filter((n) => n === 1).length, twice: billed.filter((n) => n === 2).length, never: billed.filter((n) => n === 0).length, errors: errors.length };
    expect(tally, errors.slice(0, 3).join('; ')).toEqual({ once: ROUNDS, twice: 0, never: 0, errors: 0 });
    for (const [a, b] of sides[0]!.map((c, r) => [c, sides[1]![r]!] as const)) {
      const loser = [store.calls.get(a.id)!, store.calls.get(b.id)!].find((x) => x.billable !== 1);
      expect(loser, `round of ${a.id}`).toMatchObject({
        status: 'completed', billable: 0, billable_reason: 'duplicate', duplicate: 1, payable: 0, payout_reason: 'duplicate', revenue_cents: 0,
      });
    }
    const queued = new WebhookRepository(store.db).list({});
    expect(queued.filter((d) => d.kind === 'call.billable')).toHaveLength(ROUNDS);
    expect(queued.filter((d) => d.kind === 'payout.earned')).toHaveLength(ROUNDS);
    store.close();
  }, 60_000);
});
