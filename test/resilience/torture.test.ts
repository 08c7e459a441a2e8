/**
 * RFC 4475 torture messages (bytes as stored) over UDP and TCP to a live engine: each file's own outcome (fresh engine
 * per batch of files that do not share a transaction), then the whole set at one engine, which must keep answering.
 */
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DIDS, prepare, startTestEngine, type TestSetup } from './support/engine.js';
import { request, sendUdp, type Outcome } from './support/sip.js';
import { blast, formatResults, perFileOutcomes, tortureFiles, type TortureResult } from './support/torture.js';

const QUIET_MS = 3000;
const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
const finals = (o: Outcome) => o.codes.filter((c) => c >= 200);

describe('RFC 4475 torture set against a live engine', () => {
  const files = tortureFiles();
  let setup: TestSetup;
  let results: TortureResult[];
  const target = () => ({ host: '127.0.0.1', port: setup.sipPort });

  afterAll(() => {
    if (results) process.stdout.write(`${formatResults(results)}\n`);
  });

  it('reads all 50 RFC 4475 files (and the 12 of RFC 5118) byte for byte', () => {
    expect(files.filter((f) => !f.name.startsWith('rfc5118/'))).toHaveLength(50);
    expect(files.find((f) => f.name === 'intmeth.dat')!.bytes.includes(0)).toBe(true);
    expect(files.find((f) => f.name === 'longreq.dat')!.bytes.length).toBe(3515);
  });

  it('answers each file as a strict UAS would: invalid ones 4xx/5xx or dropped, valid requests answered, responses dropped', async () => {
    setup = await prepare();
    const start = async () => {
      const { engine } = await startTestEngine(setup, logger);
      return { target: target(), stop: () => engine.stop(1000) };
    };
    results = await perFileOutcomes(files, start, QUIET_MS);
    for (const r of results) {
      for (const o of [r.udp, r.tcp]) {
        const label = `${r.file.name} ${JSON.stringify(o.codes)}`;
        expect(finals(o).length, label).toBeLessThanOrEqual(1);
        if (r.file.expectation === 'invalid') expect(finals(o).every((c) => c >= 400), label).toBe(true);
        if (r.file.response) expect(o.codes, label).toEqual([]);
      }
    }
    const validRequests = results.filter((r) => r.file.expectation === 'valid' && !r.file.response && !r.file.name.startsWith('rfc5118/'));
    expect(validRequests.length).toBeGreaterThanOrEqual(10);
    for (const r of validRequests) expect([finals(r.udp).length, finals(r.tcp).length], r.file.name).toEqual([1, 1]);
    // Spot checks of the RFC's named answers.
    const code = (name: string) => finals(results.find((r) => r.file.name === name)!.udp)[0];
    expect([code('badvers.dat'), code('unkscm.dat'), code('bext01.dat'), code('invut.dat'), code('sdp01.dat')]).toEqual([505, 416, 420, 415, 406]);
  }, 180_000);

  it('keeps answering after the whole set, three times over both transports at one engine, without growing', async () => {
    const { engine } = await startTestEngine(setup, logger);
    try {
      await blast(target(), files, 1000);
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 3; i++) await blast(target(), files, 1000);
      const grownMB = (process.memoryUsage().heapUsed - before) / 1e6;
      const options = await sendUdp(target(), request('OPTIONS', { did: DIDS.direct, target: `127.0.0.1:${setup.sipPort}` }), 10_000);
      const invite = await sendUdp(target(), request('INVITE', { did: DIDS.ivr, target: `127.0.0.1:${setup.sipPort}` }), 10_000);
      expect(finals(options)).toEqual([200]);
      expect(invite.codes).toContain(100);
      expect(finals(invite)).toEqual([200]);
      expect(grownMB).toBeLessThan(40);
    } finally {
      await engine.stop(1000);
    }
  }, 120_000);
});
