/**
 * One suite, two edges: the freeswitch driver with SIP phones and DTMF over real UDP/RTP,
 *  - against the stand-ins (drachtio stand-in with a UDP SIP port, FreeSWITCH stand-in hearing RFC 4733 DTMF), always;
 *  - against a real drachtio-server + FreeSWITCH when the environment names them (test/support/real-stack-env.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { loadSettings, type Settings } from '../../../src/config/settings.js';
import type { FreeswitchDriver } from '../../../src/telephony/freeswitch/index.js';
import type { HangupInfo, InboundCall } from '../../../src/telephony/types.js';
import { DrachtioFake } from '../../support/drachtio-fake/server.js';
import { BuyerUa, CallerUa } from '../../support/drachtio-fake/ua.js';
import { UdpSipNet, serveUdp } from '../../support/drachtio-fake/udp.js';
import { EslFake } from '../../support/esl-fake/server.js';
import { mediaAddress, sendDtmf } from '../../support/esl-fake/rtp-dtmf.js';
import { driverFor, memoryLogger, nextCall, waitReady } from './stack.js';
import { realStackArgs, type RealStack } from '../../support/real-stack-env.js';
import { onRealStack } from '../../support/real-stack-suite.js';

interface Edge {
  settings: Settings;
  net: UdpSipNet;
  close(): Promise<void>;
}

function settingsFor(drachtio: [string, number, string], fs: [string, number, string], eslListen: string): Settings {
  return loadSettings(['--driver', 'freeswitch', '--drachtio-host', drachtio[0], '--drachtio-port', String(drachtio[1]),
    '--drachtio-secret', drachtio[2], '--freeswitch-servers', `${fs[0]}:${fs[1]}`, '--freeswitch-secret', fs[2],
    '--esl-listen', eslListen], {});
}

async function standInEdge(): Promise<Edge> {
  const drachtio = new DrachtioFake({ secret: 'udp-secret' });
  await drachtio.listen();
  const udp = await serveUdp(drachtio);
  const fs = new EslFake(drachtio, { password: 'fs', sipHostport: '127.0.0.1:5080' });
  await fs.start();
  return {
    settings: settingsFor(['127.0.0.1', drachtio.port, 'udp-secret'], ['127.0.0.1', fs.port, 'fs'], '127.0.0.1:0'),
    net: new UdpSipNet('127.0.0.1', udp.port),
    close: async () => {
      udp.close();
      await drachtio.close();
      await fs.stop();
    },
  };
}

function realEdge(stack: RealStack): Edge {
  return {
    settings: loadSettings(realStackArgs(stack), {}),
    net: new UdpSipNet(stack.sip.host, stack.sip.port),
    close: () => Promise.resolve(),
  };
}


/** A free UDP port on loopback for a phone. */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function suite(name: string, makeEdge: () => Promise<Edge> | Edge): void {
  describe(name, () => {
    let edge: Edge;
    let driver: FreeswitchDriver;
    beforeAll(async () => {
      edge = await makeEdge();
      driver = driverFor(edge, memoryLogger().logger);
      await driver.start();
      await waitReady(driver);
    });
    afterAll(async () => {
      await driver?.stop();
      edge?.net.close();
      await edge?.close();
    });

    const ended = (call: InboundCall): Promise<HangupInfo> => new Promise((r) => call.once('ended', r));
    async function incoming(): Promise<{ call: InboundCall; caller: CallerUa; done: Promise<HangupInfo> }> {
      const next = nextCall(driver);
      const port = await freeUdpPort();
      const caller = new CallerUa(edge.net, { did: '+18005550100', caller: '+14155550123', hostport: `127.0.0.1:${port}` }).send();
      const call = await next;
      return { call, caller, done: ended(call) };
    }

    it('connects to drachtio and FreeSWITCH and reports ready, with the media server up', async () => {
      expect(driver.isReady()).toBe(true);
      expect(driver.mediaServers()[0]).toMatchObject({ up: true });
      expect(await driver.api('status')).toMatch(/^UP /);
    });

    it('rejects an INVITE with the code given', async () => {
      const { call, caller, done } = await incoming();
      await call.reject(486);
      expect((await caller.final.promise).status).toBe(486);
      expect(await done).toMatchObject({ side: 'system', cause: 'rejected' });
    });

    it('a CANCEL before the answer ends the call on the caller side', async () => {
      const { caller, done } = await incoming();
      caller.cancel();
      expect(await done).toMatchObject({ side: 'caller', cause: 'cancel' });
      expect((await caller.final.promise).status).toBe(487);
    });

    it('keeps digits the caller typed before the collection started (FreeSWITCH drops them from play_and_get_digits)', async () => {
      const { call, caller, done } = await incoming();
      const seen: string[] = [];
      call.on('dtmf', (d) => seen.push(d.digit));
      await call.answer();
      const ok = await caller.final.promise;
      const rtp = dgram.createSocket('udp4');
      await new Promise<void>((r) => rtp.bind(caller.mediaPort, '127.0.0.1', () => r()));
      try {
        await sendDtmf(rtp, mediaAddress(ok.body), '7');
        await expect.poll(() => seen).toEqual(['7']);
        const collected = await call.playCollect({ minDigits: 1, maxDigits: 2, firstDigitTimeoutMs: 3000, interDigitTimeoutMs: 3000, terminators: '#' });
        expect(collected).toEqual({ digits: '7', reason: 'timeout' });
        const more = call.playCollect({ minDigits: 1, maxDigits: 3, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000, terminators: '#' });
        await sendDtmf(rtp, mediaAddress(ok.body), '12#');
        expect(await more).toEqual({ digits: '12', reason: 'terminator' });
      } finally {
        rtp.close();
      }
      await call.hangup('test_done');
      await done;
    });

    it('answers, collects RFC 4733 DTMF sent over RTP to the media server, bridges to a buyer, buyer BYE ends it', async () => {
      const { call, caller, done } = await incoming();
      await call.answer();
      const ok = await caller.final.promise;
      expect(ok.status).toBe(200);
      const rtp = dgram.createSocket('udp4');
      await new Promise<void>((r) => rtp.bind(caller.mediaPort, '127.0.0.1', () => r()));
      try {
        const collecting = call.playCollect({ minDigits: 1, maxDigits: 5, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000, terminators: '#' });
        await sendDtmf(rtp, mediaAddress(ok.body), '42#');
        expect(await collecting).toEqual({ digits: '42', reason: 'terminator' });
      } finally {
        rtp.close();
      }
      const buyerPort = await freeUdpPort();
      const buyer = new BuyerUa(edge.net, `127.0.0.1:${buyerPort}`, { kind: 'answer' });
      const out = await call.bridge({ uri: `sip:intake@127.0.0.1:${buyerPort}`, callerId: '+14155550123' }, { ringTimeoutMs: 5000 });
      expect(out.result).toBe('answered');
      buyer.bye();
      expect(await done).toMatchObject({ side: 'buyer', cause: 'bye' });
      await caller.byeReceived.promise;
    });
  });
}

suite('freeswitch driver over UDP/RTP against the stand-ins', standInEdge);
onRealStack('the real-stack suite', (stack) => suite(`freeswitch driver against real ${stack.label}`, () => realEdge(stack)));
