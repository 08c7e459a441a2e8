import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { WebhookRepository } from '../../../src/store/webhooks.js';
import { startReceiver, type Receiver } from './receiver.js';

const CHILD = fileURLToPath(new URL('./engine-child.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const CALLS = 3;

interface Child {
  child: ChildProcess;
  /** Resolves when the child printed `line`. */
  said(line: string): Promise<void>;
  exited: Promise<NodeJS.Signals | null>;
}

function startChild(dir: string, url: string, calls: number): Child {
  const child = spawn(process.execPath, ['--import', TSX, CHILD, dir, url, String(calls)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const said = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.split('\n').includes(line)) resolve();
      };
      check();
      child.stdout.on('data', check);
      child.once('exit', (code) => reject(new Error(`engine child exited (${code}) before saying ${line}`)));
    });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, signal) => resolve(signal)));
  return { child, said, exited };
}

function deliveries(dbFile: string) {
  const store = openStore(dbFile);
  try {
    return new WebhookRepository(store.db).list({});
  } finally {
    store.close();
  }
}

describe('webhooks survive an engine crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callroute-wh-crash-'));
  let rx: Receiver;
  afterAll(async () => {
    await rx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('events queued when the engine is SIGKILLed are all delivered after it starts again', async () => {
    // Phase 1: the receiver accepts requests but never answers, so nothing is ever recorded as delivered.
    let phase: 1 | 2 = 1;
    rx = await startReceiver(() => (phase === 1 ? 'hold' : 200));
    const first = startChild(dir, rx.url, CALLS);
    await first.said('calls-done');
    await rx.until((h) => h.length >= 1);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const queued = deliveries(join(dir, 'calls.sqlite'));
    // started + ended for each finished call, started for the call the crash cut off.
    expect(queued).toHaveLength(CALLS * 2 + 1);
    expect(queued.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);
    const eventIds = new Set(queued.map((d) => d.event_id));
    expect(eventIds.size).toBe(CALLS * 2 + 1);
    const heldBeforeCrash = rx.hits.length;

    // Phase 2: the receiver is healthy; a new engine on the same database resumes the queue.
    phase = 2;
    const second = startChild(dir, rx.url, 0);
    try {
      await second.said('queue-empty');
      const resent = rx.hits.slice(heldBeforeCrash);
      // Everything queued before the crash, plus call.ended for the call the crash interrupted.
      const interrupted = resent.filter((h) => !eventIds.has(h.eventId));
      expect(new Set(resent.filter((h) => eventIds.has(h.eventId)).map((h) => h.eventId))).toEqual(eventIds);
      expect(interrupted.map((h) => h.event)).toEqual(['call.ended']);
      expect(JSON.parse(interrupted[0]!.body).call).toMatchObject({ status: 'interrupted', hangup_cause: 'engine_restart' });
      // Each call's events arrive in order: started before ended.
      for (const callEvents of groupByCall(resent)) expect(callEvents).toEqual(['call.started', 'call.ended']);
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
    const final = deliveries(join(dir, 'calls.sqlite'));
    expect(final.map((d) => d.status)).toEqual(Array(CALLS * 2 + 2).fill('delivered'));
    // Only the try cut short by the crash was sent twice; every other event went out exactly once.
    expect(rx.hits.length).toBe(heldBeforeCrash + CALLS * 2 + 2);
  }, 120_000); // two engine processes booting through tsx on a shared 2-core machine
});

function groupByCall(hits: { body: string; event: string }[]): string[][] {
  const by = new Map<string, string[]>();
  for (const h of hits) {
    const id = (JSON.parse(h.body) as { call: { id: string } }).call.id;
    by.set(id, [...(by.get(id) ?? []), h.event]);
  }
  return [...by.values()];
}
