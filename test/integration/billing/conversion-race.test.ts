/**
 * Two calls from one caller, both ended "awaiting conversion" for a conversion-priced buyer, converted at the same
 * moment by two threads on separate connections to one SQLite file: the duplicate decision is made under the
 * conversion's write lock, so exactly one of them is billed and the other is recorded as converted but `duplicate`.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { decideBilling, type BillingTerms } from '../../../src/core/billing.js';
import type { ConversionJob, ConversionOutcome } from './conversion-race.worker.js';
import { insertCall, openTestDb, tempDir, type TestDb } from './helpers.js';

const tmp = tempDir('conversion-race-');
afterAll(() => tmp.cleanup());

const ROUNDS = 30;
const CONTENDERS = 2;
const T = Date.parse('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
const terms: BillingTerms = {
  pricing: 'conversion', priceCents: 8000, buyerMinDurationS: 0, publisherMinDurationS: 30,
  payout: { type: 'percent', percent: 25 }, carrierCentsPerMinute: 1, trunkCentsPerMinute: 0,
};

/** Worker bootstrap: registers tsx's loader in the new thread, then runs the TypeScript worker named in workerData. */
const BOOT = `import('tsx/esm/api').then(({ register }) => { register(); return import(require('node:worker_threads').workerData.script); })`;

function contender(job: Omit<ConversionJob, 'contenders'>): Promise<ConversionOutcome[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(BOOT, {
      eval: true,
      workerData: { script: new URL('./conversion-race.worker.ts', import.meta.url).href, ...job, contenders: CONTENDERS },
    });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
  });
}

/** A call sold to the buyer, hung up after 2 min of talk and billed at hangup as the flow does: awaiting conversion. */
function awaiting(db: TestDb, id: string, caller: string, inviteAt: number): void {
  insertCall(db.store, { id, caller, inviteAt, buyerAnswerAfter: 10_000, endAfter: 130_000 });
  const decision = decideBilling({ qualified: true, answerAt: inviteAt + 1000, buyerAnswerAt: inviteAt + 10_000, endAt: inviteAt + 130_000, buyerDuplicate: false, publisherDuplicate: false }, terms);
  expect(decision.billableReason).toBe('awaiting_conversion');
  db.repos.billing.recordHangup({ callId: id, decision, terms, connected: true, buyerDuplicate: false, publisherDuplicate: false, now: inviteAt + 130_000 });
}

describe('conversion race: two calls from one caller converted together', () => {
  it('bills exactly one of them, whichever thread commits first, and records the other as a duplicate', async () => {
    const db = openTestDb(tmp.path('race.sqlite'));
    // Round r: caller r called twice. Even rounds: the calls overlap (b starts 5 s after a); odd rounds: b is a
    // day later. Both ended awaiting a conversion, reported for both at once a week later.
    const sides: { id: string; at: number }[][] = [[], []];
    for (let r = 0; r < ROUNDS; r++) {
      const caller = `+1415555${String(2000 + r)}`;
      const base = T + r * 600_000;
      sides.forEach((calls, n) => {
        const id = `r${r}-${'ab'[n]}`;
        awaiting(db, id, caller, base + n * (r % 2 === 0 ? 5_000 : DAY));
        calls.push({ id, at: base + 7 * DAY });
      });
    }
    const barrier = new SharedArrayBuffer(4 * ROUNDS);
    const outcomes = (await Promise.all(sides.map((calls) => contender({ file: db.file, barrier, calls })))).flat();

    const errors = outcomes.filter((o) => 'error' in o);
    const billed = sides[0]!.map((a, r) => [a.id, sides[1]![r]!.id].filter((id) => db.store.calls.get(id)?.billable === 1).length);
    const tally = { once: billed.filter((n) => n === 1).length, twice: billed.filter((n) => n === 2).length, never: billed.filter((n) => n === 0).length, errors: errors.length };
    expect(tally, JSON.stringify(errors.slice(0, 3))).toEqual({ once: ROUNDS, twice: 0, never: 0, errors: 0 });
    for (const [a, b] of sides[0]!.map((c, r) => [c.id, sides[1]![r]!.id] as const)) {
      const loser = [a, b].map((id) => db.store.calls.get(id)!).find((x) => x.billable !== 1)!;
      expect(loser, `round of ${a}`).toMatchObject({ billable: 0, billable_reason: 'duplicate', duplicate: 1, revenue_cents: 0, payout_cents: 0 });
      expect(db.repos.conversions.list(loser.id)).toHaveLength(1);
    }
    // What each thread was told matches what was written.
    for (const o of outcomes) if ('billable' in o) expect(db.store.calls.get(o.id)?.billable).toBe(o.billable ? 1 : 0);
    expect(db.repos.billing.unbalancedCalls()).toEqual([]);
    db.store.close();
  }, 60_000);
});
