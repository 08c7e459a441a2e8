/**
 * Connection health of the freeswitch driver: absent peers, one log line per retry, readiness, letting go of
 * drachtio while no media server is up, several media servers, HEARTBEAT metrics.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FreeswitchDriver } from '../../../src/telephony/freeswitch/index.js';
import { driverFor, memoryLogger, nextCall, resumeDrachtio, startStack, until, waitLog, waitReady, type Stack } from './stack.js';

describe('freeswitch driver connection health', () => {
  let stack: Stack;
  let driver: FreeswitchDriver;
  afterEach(async () => {
    await driver.stop();
    await stack.close();
  });

  it('starts with drachtio absent: one warning line per retry, not ready, ready once drachtio is up', async () => {
    stack = await startStack({ startDrachtio: false });
    const { logger, lines } = memoryLogger();
    driver = driverFor(stack, logger);
    const readiness: boolean[] = [];
    driver.on('ready', (r) => readiness.push(r));
    await driver.start();
    await waitLog(lines, (l) => l.msg === 'drachtio unreachable, retrying' && l.attempt === 2);
    expect(driver.isReady()).toBe(false);
    const retries = lines.filter((l) => l.msg === 'drachtio unreachable, retrying');
    expect(retries.map((l) => l.attempt).slice(0, 2)).toEqual([1, 2]);
    expect(retries[1]!.delayMs as number).toBeGreaterThan(retries[0]!.delayMs as number);
    expect(retries.every((l) => l.level === 40 && l.port === stack.drachtio.port)).toBe(true);

    await resumeDrachtio(stack.drachtio);
    await waitReady(driver);
    expect(readiness).toEqual([true]);
    expect(stack.drachtio.appsConnected()).toBe(1);
  });

  it('with no FreeSWITCH up it retries the event socket, holds drachtio off, and becomes ready when one appears', async () => {
    stack = await startStack({ startFs: false });
    const { logger, lines } = memoryLogger();
    driver = driverFor(stack, logger);
    await driver.start();
    await waitLog(lines, (l) => l.msg === 'freeswitch event socket down, retrying' && l.attempt === 2);
    expect(driver.isReady()).toBe(false);
    expect(stack.drachtio.appsConnected()).toBe(0);
    expect(driver.mediaServers()).toEqual([{ address: `127.0.0.1:${stack.fs[0]!.port}`, up: false, activeCalls: 0, heartbeat: undefined }]);

    await stack.fs[0]!.start();
    await waitReady(driver);
    expect(stack.drachtio.appsConnected()).toBe(1);
  });

  it('losing the last FreeSWITCH turns readiness off and lets go of drachtio; it comes back when FreeSWITCH does', async () => {
    stack = await startStack();
    const { logger, lines } = memoryLogger();
    driver = driverFor(stack, logger);
    await driver.start();
    await waitReady(driver);
    await stack.fs[0]!.stop();
    await waitReady(driver, false);
    await waitLog(lines, (l) => l.msg === 'no media server up: releasing drachtio so it stops offering calls');
    await until(() => stack.drachtio.appsConnected() === 0);
    await stack.fs[0]!.start();
    await waitReady(driver);
    await stack.drachtio.whenAppReady();
    // and calls work again
    const incoming = nextCall(driver);
    stack.call();
    const call = await incoming;
    await call.answer();
    expect(stack.fs[0]!.liveChannels()).toHaveLength(1);
  });

  it('losing drachtio mid-call ends the call (system, transport_error) and frees its media endpoint', async () => {
    stack = await startStack();
    driver = driverFor(stack, memoryLogger().logger);
    await driver.start();
    await waitReady(driver);
    await stack.drachtio.whenAppReady();
    const incoming = nextCall(driver);
    stack.call();
    const call = await incoming;
    const ended = new Promise((r) => call.once('ended', r));
    await call.answer();
    await stack.drachtio.close();
    expect(await ended).toMatchObject({ side: 'system', cause: 'transport_error' });
    expect(driver.activeCalls()).toBe(0);
    await until(() => stack.fs[0]!.liveChannels().length === 0);
  });

  it('spreads calls over the healthy media servers and skips one that is down', async () => {
    stack = await startStack({ mediaServers: 2 });
    driver = driverFor(stack, memoryLogger().logger);
    await driver.start();
    await waitReady(driver);
    await until(() => driver.mediaServers().every((m) => m.up));
    await stack.drachtio.whenAppReady();
    for (let i = 0; i < 4; i++) {
      const incoming = nextCall(driver);
      stack.call();
      await (await incoming).answer();
    }
    expect(stack.fs.map((f) => f.liveChannels().length)).toEqual([2, 2]);
    expect(driver.mediaServers().map((m) => m.activeCalls)).toEqual([2, 2]);

    await stack.fs[1]!.stop();
    await until(() => !driver.mediaServers()[1]!.up);
    expect(driver.isReady()).toBe(true);
    const incoming = nextCall(driver);
    stack.call();
    await (await incoming).answer();
    expect(stack.fs[0]!.liveChannels()).toHaveLength(3);
  });

  it('a wrong event-socket password: one error line per retry naming the cause (not the secret), not ready', async () => {
    stack = await startStack({ extraArgs: ['--freeswitch-secret', 'not-the-password'] });
    const { logger, lines } = memoryLogger();
    driver = driverFor(stack, logger);
    await driver.start();
    await waitLog(lines, (l) => l.msg === 'freeswitch event socket down, retrying' && l.attempt === 2);
    const retries = lines.filter((l) => l.msg === 'freeswitch event socket down, retrying');
    expect(retries.slice(0, 2).map((l) => [l.attempt, l.level, l.reason])).toEqual([
      [1, 50, 'password rejected (CALLROUTE_FREESWITCH_SECRET)'],
      [2, 50, 'password rejected (CALLROUTE_FREESWITCH_SECRET)'],
    ]);
    expect(lines.filter((l) => (l.level as number) >= 40 && l.msg !== 'freeswitch event socket down, retrying')).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('not-the-password');
    expect(driver.isReady()).toBe(false);
  });

  it('exposes HEARTBEAT figures (sessions, sessions per second, idle CPU) per media server', async () => {
    stack = await startStack();
    driver = driverFor(stack, memoryLogger().logger);
    await driver.start();
    await waitReady(driver);
    const seen = new Promise<[string, { sessions: number; idleCpu: number }]>((r) => {
      const off = driver.onHeartbeat((server, m) => {
        off();
        r([server, m]);
      });
    });
    stack.fs[0]!.idleCpu = 88.25;
    stack.fs[0]!.sessionsPerSecond = 3;
    stack.fs[0]!.heartbeat();
    const [server, m] = await seen;
    expect(server).toBe(`127.0.0.1:${stack.fs[0]!.port}`);
    expect(m).toMatchObject({ sessions: 0, maxSessions: 5000, sessionsPerSecond: 3, idleCpu: 88.25 });
    expect(driver.mediaServers()[0]!.heartbeat).toMatchObject({ idleCpu: 88.25 });
    expect(await driver.api('status')).toContain('session(s) max');
  });
});
