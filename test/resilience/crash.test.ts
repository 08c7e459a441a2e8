/**
 * kill -9 of the engine (a child process running src/main.ts, embedded driver) during 120 live bridged calls, then a
 * restart on the same database: the file passes integrity_check, every accepted call is there, the live ones are closed
 * as interrupted, and billing is decided for those whose talk time (to their last heartbeat) already met the buyer's
 * minimum, with the ledger equal to the rows.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startBuyer, type SippProcess } from '../e2e/support/sipp.js';
import { DIDS, engineArgs, prepare, spawnEngine, type EngineChild } from './support/engine.js';
import { longCalls, snapshot, until } from './support/calls.js';

const CALLS = 120;
const BUYER_MIN_S = 3;

interface Row {
  id: string;
  status: string;
  hangup_cause: string | null;
  buyer_answer_at: number | null;
  end_at: number | null;
  last_seen_at: number | null;
  billable: number;
  billable_reason: string | null;
  revenue_cents: number;
}

describe('crash safety', () => {
  const procs: SippProcess[] = [];
  const engines: EngineChild[] = [];
  afterAll(() => {
    for (const p of procs) p.kill();
    for (const e of engines) e.child.kill('SIGKILL');
  });

  it(`kill -9 during ${CALLS} live calls loses nothing and bills the ones past their minimum at restart`, async () => {
    const setup = await prepare({ buyerMinS: BUYER_MIN_S });
    const buyer = await startBuyer({ port: setup.buyerPort, calls: 0, timeoutS: 300 });
    procs.push(buyer.proc);
    const first = spawnEngine(engineArgs(setup, ['--log-level', 'info']));
    engines.push(first);
    await first.logged('listening');
    procs.push(await longCalls(`127.0.0.1:${setup.sipPort}`, DIDS.direct, { calls: CALLS, rate: 30, holdMs: 120_000, timeoutS: 300 }));

    // Every call bridged, and the earliest already heartbeating past the buyer's minimum: then pull the plug.
    await until(setup.db, (d) => d.prepare('SELECT COUNT(*) FROM calls WHERE buyer_answer_at IS NOT NULL').pluck().get() as number, (n) => n === CALLS, 'all calls bridged');
    await until(setup.db, (d) => d.prepare('SELECT COUNT(*) FROM calls WHERE last_seen_at - buyer_answer_at >= ?').pluck().get(BUYER_MIN_S * 1000) as number, (n) => n > 0, 'a heartbeat past the minimum');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const crashed = new Database(snapshot(setup.db));
    expect(crashed.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
    expect(crashed.prepare("SELECT COUNT(*) FROM calls WHERE status = 'in_progress'").pluck().get()).toBe(CALLS);
    crashed.close();

    const second = spawnEngine(engineArgs(setup, ['--log-level', 'info']));
    engines.push(second);
    await second.logged('listening');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const db = new Database(setup.db, { readonly: true });
    expect(db.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
    const rows = db.prepare('SELECT * FROM calls').all() as Row[];
    expect(rows).toHaveLength(CALLS);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['interrupted']));
    expect(rows.every((r) => r.hangup_cause === 'engine_restart' && r.end_at !== null)).toBe(true);
    // Billing by the rule, from what the database knew at the crash: talk time to the last heartbeat.
    for (const r of rows) {
      const talkS = Math.floor((r.end_at! - r.buyer_answer_at!) / 1000);
      const label = `${r.id} talk ${talkS}s`;
      expect(r.end_at, label).toBe(Math.max(r.buyer_answer_at!, r.last_seen_at ?? 0));
      expect([r.billable, r.billable_reason, r.revenue_cents], label).toEqual(talkS >= BUYER_MIN_S ? [1, 'billable', 1000] : [0, 'below_min_duration', 0]);
    }
    const billable = rows.filter((r) => r.billable === 1).length;
    expect(billable).toBeGreaterThan(0);
    const unbalanced = db.prepare(
      `SELECT c.id FROM calls c LEFT JOIN billing_ledger l ON l.call_id = c.id GROUP BY c.id
       HAVING c.revenue_cents <> COALESCE(SUM(l.revenue_cents), 0) OR c.payout_cents <> COALESCE(SUM(l.payout_cents), 0)`,
    ).all();
    expect(unbalanced).toEqual([]);
    db.close();
    process.stdout.write(`crash test: ${CALLS} calls interrupted, ${billable} billable at restart\n`);
  }, 240_000);
});
