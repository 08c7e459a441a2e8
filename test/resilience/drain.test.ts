/**
 * SIGTERM with live calls (engine child running src/main.ts): new INVITEs get 503 + Retry-After, calls that end by
 * themselves within the drain timeout finish normally, the rest are ended with cause `drain`, the process exits 0 and
 * every call row is closed.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startBuyer, type SippProcess } from '../e2e/support/sipp.js';
import { DIDS, engineArgs, prepare, spawnEngine, type EngineChild } from './support/engine.js';
import { longCalls, until } from './support/calls.js';
import { request, sendUdp } from './support/sip.js';

const EACH = 10;

describe('drain on SIGTERM', () => {
  const procs: SippProcess[] = [];
  let engine: EngineChild | undefined;
  afterAll(() => {
    for (const p of procs) p.kill();
    engine?.child.kill('SIGKILL');
  });

  it('refuses new calls with 503 + Retry-After, lets short calls finish, ends the rest with a recorded cause, exits 0', async () => {
    const setup = await prepare();
    procs.push((await startBuyer({ port: setup.buyerPort, calls: 0, timeoutS: 120 })).proc);
    engine = spawnEngine(engineArgs(setup, ['--log-level', 'info', '--drain-timeout-s', '12', '--retry-after-s', '9']));
    await engine.logged('listening');
    const target = `127.0.0.1:${setup.sipPort}`;
    procs.push(await longCalls(target, DIDS.direct, { calls: EACH, rate: 20, holdMs: 6000, timeoutS: 120 }));
    procs.push(await longCalls(target, DIDS.direct, { calls: EACH, rate: 20, holdMs: 120_000, timeoutS: 120 }));
    await until(setup.db, (d) => d.prepare('SELECT COUNT(*) FROM calls WHERE buyer_answer_at IS NOT NULL').pluck().get() as number, (n) => n === 2 * EACH, 'all calls bridged');

    engine.child.kill('SIGTERM');
    await engine.logged('draining');
    const refused = await sendUdp({ host: '127.0.0.1', port: setup.sipPort }, request('INVITE', { did: DIDS.direct, target }), 10_000);
    expect(refused.codes.at(-1)).toBe(503);
    expect(refused.final).toMatch(/^Retry-After: 9\r?$/m);

    const stopped = await engine.logged('engine stopped');
    expect((await engine.exited).code).toBe(0);
    expect(stopped).toMatchObject({ ended: EACH });

    const db = new Database(setup.db, { readonly: true });
    const rows = db.prepare('SELECT status, hangup_side, hangup_cause, talk_ms FROM calls').all() as { status: string; hangup_side: string; hangup_cause: string; talk_ms: number }[];
    db.close();
    expect(rows).toHaveLength(2 * EACH);
    expect(rows.every((r) => r.status === 'completed' && r.talk_ms !== null)).toBe(true);
    const causes = rows.map((r) => `${r.hangup_side}:${r.hangup_cause}`).sort();
    expect(causes).toEqual([...Array(EACH).fill('caller:bye'), ...Array(EACH).fill('system:drain')].sort());
  }, 120_000);
});
