import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { CapRepository } from '../../../src/store/caps.js';
import type { CapSlot } from '../../../src/core/caps.js';

const dir = mkdtempSync(join(tmpdir(), 'cap-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONTENDERS = 6;
const ROUNDS = 20;
const LIMIT = 5;
const slot: CapSlot = { ownerKind: 'buyer', ownerId: 'acme', metric: 'routed', period: 'day', periodKey: 'day:race', limit: LIMIT, amount: 1 };

/** Worker bootstrap: registers tsx's loader in the new thread, then runs the TypeScript worker named in workerData. */
const BOOT = `import('tsx/esm/api').then(({ register }) => { register(); return import(require('node:worker_threads').workerData.script); })`;

function contender(file: string, barrier: SharedArrayBuffer, n: number): Promise<boolean[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(BOOT, {
      eval: true,
      workerData: { script: new URL('./cap-race.worker.ts', import.meta.url).href, file, barrier, contenders: CONTENDERS, callId: `w${n}`, slot, rounds: ROUNDS },
    });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
  });
}

describe('cap race for the last slot', () => {
  it('lets exactly one of many simultaneous reservations (separate threads and connections) take it', async () => {
    const file = join(dir, 'race.db');
    const store = openStore(file);
    const caps = new CapRepository(store.db);
    // Fill every round's bucket to one below the limit.
    for (let round = 0; round < ROUNDS; round++) {
      const s = { ...slot, periodKey: `${slot.periodKey}-${round}`, amount: LIMIT - 1 };
      expect(caps.reserve({ callId: `fill-${round}`, attemptKey: '1', slots: [{ ...s, limit: LIMIT }], live: [], now: 0 }).ok).toBe(true);
    }
    const barrier = new SharedArrayBuffer(4 * ROUNDS);
    const results = await Promise.all(Array.from({ length: CONTENDERS }, (_, n) => contender(file, barrier, n)));
    for (let round = 0; round < ROUNDS; round++) {
      const winners = results.filter((r) => r[round]).length;
      expect(winners, `round ${round}`).toBe(1);
      expect(caps.used({ ...slot, periodKey: `${slot.periodKey}-${round}` })).toBe(LIMIT);
    }
    store.close();
  });

  it('gives a failed attempt slot back, to the next caller only', () => {
    const store = openStore(join(dir, 'release.db'));
    const caps = new CapRepository(store.db);
    const last = { ...slot, limit: 1 };
    expect(caps.reserve({ callId: 'a', attemptKey: '1', slots: [last], live: [], now: 0 })).toEqual({ ok: true });
    expect(caps.reserve({ callId: 'b', attemptKey: '1', slots: [last], live: [], now: 0 })).toEqual({ ok: false, full: last });
    caps.release('a', '1');
    expect(caps.used(last)).toBe(0);
    expect(caps.reserve({ callId: 'b', attemptKey: '1', slots: [last], live: [], now: 0 }).ok).toBe(true);
    caps.release('a', '1'); // releasing twice gives nothing back twice
    expect(caps.used(last)).toBe(1);
    store.close();
  });

  it('enforces live concurrency and frees it at hangup', () => {
    const store = openStore(join(dir, 'live.db'));
    const caps = new CapRepository(store.db);
    const live = [{ kind: 'buyer' as const, id: 'acme', limit: 2 }];
    expect(caps.reserve({ callId: 'a', attemptKey: '1', slots: [], live, now: 0 }).ok).toBe(true);
    expect(caps.reserve({ callId: 'b', attemptKey: '1', slots: [], live, now: 0 }).ok).toBe(true);
    expect(caps.reserve({ callId: 'c', attemptKey: '1', slots: [], live, now: 0 })).toEqual({ ok: false, busy: live[0] });
    caps.settle('a', { connected: true, billable: false, revenueCents: 0 });
    expect(caps.live('buyer', 'acme')).toBe(1);
    expect(caps.reserve({ callId: 'c', attemptKey: '1', slots: [], live, now: 0 }).ok).toBe(true);
    store.close();
  });
});
