/**
 * The guard at a live engine over real UDP/TCP on loopback, with its limits set by flags (--sip-guard-burst 5, a rate
 * too slow to refill during the test): garbage from a stranger is charged and banned, a banned source is refused before
 * parsing (no "malformed" log line, no answer, TCP closed), the carrier and a buyer's in-dialog requests are never
 * charged, and /metrics shows the counts by reason and the banned sources.
 */
import dgram from 'node:dgram';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../src/engine.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/index.js';
import { DIDS, prepare, startTestEngine } from './support/engine.js';
import { request, sendTcp, sendUdp } from './support/sip.js';

const BURST = 5;
const FLAGS = ['--sip-guard-burst', String(BURST), '--sip-guard-rate-per-s', '0.001', '--sip-guard-ban-s', '3600'];

/** A request the parser rejects but can answer 400 (Via and CSeq intact). */
const garbage = (target: string, local: string): Buffer =>
  Buffer.from(request('OPTIONS', { did: DIDS.ivr, target, local }).toString('latin1').replace('Max-Forwards: 70', 'Max-Forwards: many'), 'latin1');

/** Sends `payloads` in order from one socket on `local`; `answers(n)` resolves once n status lines came back. */
async function burstFrom(local: string, to: { host: string; port: number }, payloads: Buffer[]) {
  const sock = dgram.createSocket('udp4');
  const codes: number[] = [];
  const waiters: Array<() => void> = [];
  sock.on('message', (buf) => {
    codes.push(...[...buf.toString('latin1').matchAll(/^SIP\/2\.0 (\d{3})/gm)].map((m) => Number(m[1])));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((r) => sock.bind(0, local, r));
  for (const p of payloads) await new Promise<void>((r, j) => sock.send(p, to.port, to.host, (err) => (err ? j(err) : r())));
  const answers = async (n: number): Promise<number[]> => {
    while (codes.length < n) await new Promise<void>((r) => waiters.push(r));
    return [...codes];
  };
  return { answers, codes, close: () => sock.close() };
}

/** Value of one sample line in Prometheus text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('SIP guard at a live engine', () => {
  let engine: Engine;
  let app: FastifyInstance;
  let logs = '';
  let to: { host: string; port: number };
  let target: string;
  const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;
  /** A carrier OPTIONS answered 200: every datagram sent before it has been through the engine (one socket, FIFO). */
  const barrier = async () => expect((await sendUdp(to, request('OPTIONS', { did: DIDS.ivr, target }), 10_000)).codes).toEqual([200]);
  const reason = (text: string, r: string) => sample(text, `callroute_sip_guard_packets_total{reason="${r}"}`);

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logs += chunk.toString()), done()) });
    const metrics = createMetrics({ processMetrics: false });
    const setup = await prepare();
    ({ engine } = await startTestEngine(setup, createLogger('info', sink), FLAGS, [metrics.observer]));
    metrics.bindEngine(engine);
    app = buildApp({ engine, metrics: metrics.metrics });
    to = { host: '127.0.0.1', port: setup.sipPort };
    target = `127.0.0.1:${setup.sipPort}`;
  });
  afterAll(async () => {
    await app?.close();
    await engine?.stop(1000);
  });

  it('starts with every reason at zero and no banned source', async () => {
    const text = await scrape();
    for (const r of ['scanner', 'rate_limited', 'banned', 'not_carrier', 'malformed']) expect(reason(text, r), r).toBe(0);
    expect(sample(text, 'callroute_sip_guard_banned_sources')).toBe(0);
  });

  it('answers a stranger\'s garbage 400 only up to its burst, bans it, then drops its packets unread', async () => {
    const flood = await burstFrom('127.0.0.2', to, Array.from({ length: 20 }, () => garbage(target, '127.0.0.2')));
    await barrier();
    expect(await flood.answers(BURST)).toEqual(Array(BURST).fill(400));
    const text = await scrape();
    expect(reason(text, 'malformed')).toBe(BURST);
    expect(reason(text, 'rate_limited')).toBe(1);
    expect(reason(text, 'banned')).toBe(20 - BURST - 1);
    expect(sample(text, 'callroute_sip_guard_banned_sources')).toBe(1);
    // Only the charged packets were parsed far enough to be logged as malformed; the ban is logged once.
    expect(logs.match(/"msg":"malformed sip message"/g)).toHaveLength(BURST);
    expect(logs.match(/"msg":"sip source over its rate; banned"/g)).toHaveLength(1);
    flood.close();
  });

  it('drops a banned source\'s well-formed requests too, over UDP and TCP', async () => {
    const before = reason(await scrape(), 'banned')!;
    const udp = await sendUdp(to, request('INVITE', { did: DIDS.ivr, target, local: '127.0.0.2' }), 1500, '127.0.0.2');
    const tcp = await sendTcp(to, request('OPTIONS', { did: DIDS.ivr, target, local: '127.0.0.2', transport: 'TCP' }), 10_000, '127.0.0.2');
    await barrier();
    expect(udp.codes).toEqual([]);
    expect(tcp).toMatchObject({ codes: [], closed: true });
    expect(reason(await scrape(), 'banned')).toBe(before + 2);
    expect(engine.store.db.prepare('SELECT COUNT(*) FROM calls').pluck().get()).toBe(0);
  });

  it('never charges the carrier for garbage: every packet is answered 400', async () => {
    const before = await scrape();
    const flood = await burstFrom('127.0.0.1', to, Array.from({ length: 20 }, () => garbage(target, '127.0.0.1')));
    expect(await flood.answers(20)).toEqual(Array(20).fill(400));
    flood.close();
    const after = await scrape();
    for (const r of ['malformed', 'rate_limited', 'banned']) expect(reason(after, r), r).toBe(reason(before, r));
  });

  it('never charges a stranger for in-dialog requests or responses, but does for its out-of-dialog ones', async () => {
    const bye = (i: number) => Buffer.from(request('OPTIONS', { did: DIDS.ivr, target, local: '127.0.0.4' }).toString('latin1')
      .replace(/OPTIONS/g, 'BYE').replace(/^(To: .*)$/m, `$1;tag=dlg${i}`), 'latin1');
    const stray = Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKstray\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.4>;tag=2\r\nCall-ID: stray@127.0.0.4\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n', 'latin1');
    const buyer = await burstFrom('127.0.0.4', to, [...Array.from({ length: 30 }, (_, i) => bye(i)), ...Array<Buffer>(30).fill(stray)]);
    expect(await buyer.answers(30)).toEqual(Array(30).fill(481));
    await barrier();
    expect(sample(await scrape(), 'callroute_sip_guard_banned_sources')).toBe(1);
    const before = reason(await scrape(), 'not_carrier')!;
    const asks = await burstFrom('127.0.0.4', to, Array.from({ length: BURST + 1 }, () => request('OPTIONS', { did: DIDS.ivr, target, local: '127.0.0.4' })));
    await barrier();
    expect(await asks.answers(BURST)).toEqual(Array(BURST).fill(403));
    const text = await scrape();
    expect(reason(text, 'not_carrier')).toBe(before + BURST);
    expect(sample(text, 'callroute_sip_guard_banned_sources')).toBe(2);
    buyer.close();
    asks.close();
  });
});
