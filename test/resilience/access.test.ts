/**
 * Access control at a live engine: strangers get the same 403 whatever they ask for, scanners get nothing, a stranger
 * over its rate is banned while the carrier is not, and the engine-wide ceilings answer 503 + Retry-After.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { EmbeddedDriver } from '../../src/telephony/embedded/index.js';
import { DIDS, prepare, startTestEngine, type TestSetup } from './support/engine.js';
import { request, sendUdp, sendTcp, type Outcome } from './support/sip.js';

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
const QUIET_MS = 1500;

/** Status line and header names of a response, without the values copied from the request. */
function shape(o: Outcome): string {
  const lines = (o.final ?? '').split('\r\n');
  return [lines[0], ...lines.slice(1).map((l) => l.split(':')[0]).filter(Boolean)].join('|');
}

describe('SIP access control', () => {
  let setup: TestSetup;
  let engine: Engine;
  let driver: EmbeddedDriver;
  let sipTarget: string;
  const to = () => ({ host: '127.0.0.1', port: setup.sipPort });

  beforeAll(async () => {
    setup = await prepare();
    ({ engine, driver } = await startTestEngine(setup, logger, ['--max-concurrent-calls', '2', '--retry-after-s', '17']));
    sipTarget = `127.0.0.1:${setup.sipPort}`;
  });
  afterAll(() => engine?.stop(1000));

  it('answers a stranger 403 to everything, the same for a known and an unknown DID, over UDP and TCP', async () => {
    const ask = (method: 'INVITE' | 'OPTIONS', did: string) => sendUdp(to(), request(method, { did, target: sipTarget, local: '127.0.0.2' }), 5000, '127.0.0.2');
    const known = await ask('INVITE', DIDS.ivr);
    const unknown = await ask('INVITE', DIDS.unknown);
    const options = await ask('OPTIONS', DIDS.ivr);
    const tcp = await sendTcp(to(), request('INVITE', { did: DIDS.ivr, target: sipTarget, local: '127.0.0.2', transport: 'TCP' }), 5000, '127.0.0.2');
    for (const o of [known, unknown, options, tcp]) expect(o.codes).toEqual([403]);
    expect(shape(known)).toBe(shape(unknown));
    expect(known.final).toMatch(/^To: .*;tag=\w+/m);
    expect(engine.store.db.prepare('SELECT COUNT(*) FROM calls').pluck().get()).toBe(0);
  });

  it('drops scanner user agents without any answer, from a carrier address too', async () => {
    const before = driver.guard.stats.scanner;
    for (const ua of ['friendly-scanner', 'sipvicious 0.3.4', 'sipcli/v1.8']) {
      const o = await sendUdp(to(), request('OPTIONS', { did: DIDS.ivr, target: sipTarget, userAgent: ua }), QUIET_MS);
      expect(o.codes, ua).toEqual([]);
    }
    expect(driver.guard.stats.scanner - before).toBe(3);
    const normal = await sendUdp(to(), request('OPTIONS', { did: DIDS.ivr, target: sipTarget, userAgent: 'Carrier SBC 1.0' }), 5000);
    expect(normal.codes).toEqual([200]);
  });

  it('bans a stranger that floods and keeps answering the carrier', async () => {
    const flood = await Promise.all(Array.from({ length: 80 }, () =>
      sendUdp(to(), request('OPTIONS', { did: DIDS.ivr, target: sipTarget, local: '127.0.0.3' }), QUIET_MS, '127.0.0.3')));
    const answered = flood.filter((o) => o.codes.length > 0);
    expect(answered.every((o) => o.codes[0] === 403)).toBe(true);
    expect(answered.length).toBeLessThan(80);
    expect(driver.guard.stats.bans).toBeGreaterThanOrEqual(1);
    const later = await sendUdp(to(), request('OPTIONS', { did: DIDS.ivr, target: sipTarget, local: '127.0.0.3' }), QUIET_MS, '127.0.0.3');
    expect(later.codes).toEqual([]);
    const carrier = await Promise.all(Array.from({ length: 80 }, () => sendUdp(to(), request('OPTIONS', { did: DIDS.ivr, target: sipTarget }), 10_000)));
    expect(carrier.map((o) => o.codes[0])).toEqual(Array(80).fill(200));
  });

  it('answers new INVITEs over the concurrent-call ceiling 503 with Retry-After', async () => {
    const invite = () => sendUdp(to(), request('INVITE', { did: DIDS.ivr, target: sipTarget }), 10_000);
    const first = await Promise.all([invite(), invite()]);
    expect(first.map((o) => o.codes.at(-1))).toEqual([200, 200]);
    const third = await invite();
    expect(third.codes.at(-1)).toBe(503);
    expect(third.final).toMatch(/^Retry-After: 17\r?$/m);
  });
});

describe('calls-per-second ceiling', () => {
  it('answers INVITEs beyond --max-calls-per-second 503 with Retry-After', async () => {
    const setup = await prepare();
    const { engine } = await startTestEngine(setup, logger, ['--max-calls-per-second', '1', '--retry-after-s', '5']);
    try {
      const target = `127.0.0.1:${setup.sipPort}`;
      const outs = await Promise.all(Array.from({ length: 5 }, () => sendUdp({ host: '127.0.0.1', port: setup.sipPort }, request('INVITE', { did: DIDS.ivr, target }), 10_000)));
      const codes = outs.map((o) => o.codes.at(-1));
      // Five INVITEs at once span at most a second boundary or two: one or two are taken, the rest refused.
      expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(1);
      const refused = outs.filter((o) => o.codes.at(-1) === 503);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const o of refused) expect(o.final).toMatch(/^Retry-After: 5\r?$/m);
      expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
    } finally {
      await engine.stop(1000);
    }
  });
});
