/**
 * Secrets and privacy through a full bridged call at log level info: the captured pino output never holds the caller's
 * number, the trunk password, the webhook secret or the hash key, and no /metrics label carries a number.
 * (Caller numbers in ping-post pings are keyed hashes: test/integration/rtb/auction.test.ts asserts it.)
 */
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/index.js';
import type { Engine } from '../../src/engine.js';
import { startBuyer, type SippProcess } from '../e2e/support/sipp.js';
import { CALLER, DIDS, prepare, SECRETS, startTestEngine } from './support/engine.js';
import { longCalls } from './support/calls.js';

describe('secrets and caller numbers stay out of logs and metrics', () => {
  const procs: SippProcess[] = [];
  let engine: Engine | undefined;
  afterAll(async () => {
    for (const p of procs) p.kill();
    await engine?.stop(1000);
  });

  it('a full call at info level logs none of them, and metric labels carry no numbers', async () => {
    let logs = '';
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logs += chunk.toString()), done()) });
    const logger = createLogger('info', sink);
    const metrics = createMetrics({ processMetrics: false });
    const setup = await prepare({ buyerMinS: 1 });
    procs.push((await startBuyer({ port: setup.buyerPort, calls: 0, timeoutS: 60 })).proc);
    const started = await startTestEngine(setup, logger, [], [metrics.observer]);
    engine = started.engine;
    metrics.bindEngine(engine);
    const app = buildApp({ engine, metrics: metrics.metrics });

    const caller = await longCalls(`127.0.0.1:${setup.sipPort}`, DIDS.direct, { calls: 2, rate: 2, holdMs: 2500, timeoutS: 60 });
    expect((await caller.done).code).toBe(0);
    const rows = engine.store.db.prepare('SELECT caller, billable FROM calls').all() as { caller: string; billable: number }[];
    expect(rows).toEqual([{ caller: CALLER, billable: 1 }, { caller: CALLER, billable: 1 }]);

    expect(logs).toContain('"msg":"call bridged"');
    expect(logs).toContain('"msg":"call ended"');
    const digits = CALLER.slice(1);
    for (const needle of [digits, digits.slice(1), SECRETS.trunkPassword, SECRETS.webhookSecret, SECRETS.hashSecret]) {
      expect(logs.includes(needle), `log output contains ${needle}`).toBe(false);
    }

    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('callroute_');
    const labels = [...res.body.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/="([^"]*)"/g)].map((v) => v[1]!));
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.filter((v) => /\d{7,}/.test(v))).toEqual([]);
    for (const needle of [digits.slice(1), DIDS.direct.slice(2), SECRETS.trunkPassword]) expect(res.body.includes(needle), needle).toBe(false);
    await app.close();
  }, 60_000);
});
