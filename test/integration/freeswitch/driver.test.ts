/**
 * The freeswitch driver at driver level: a small handler drives each call the way the call flow does, against the
 * drachtio and FreeSWITCH stand-ins. Assertions are on what crossed the process edge (SIP seen by the simulated
 * caller/buyer, apps run on FreeSWITCH channels) and on the driver's results and timestamps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FreeswitchDriver } from '../../../src/telephony/freeswitch/index.js';
import type { HangupInfo, InboundCall } from '../../../src/telephony/types.js';
import { writeSilenceWav } from '../../support/wav.js';
import { driverFor, memoryLogger, nextCall, startStack, waitReady, type Stack } from './stack.js';

const BUYER = '127.0.0.1:5071';
const target = { uri: `sip:intake@${BUYER}`, callerId: '+14155550123' };
const collect = { minDigits: 1, maxDigits: 5, firstDigitTimeoutMs: 3000, interDigitTimeoutMs: 3000, terminators: '#' };
/** Resolves on the `ended` event (emitted once both legs are released; endInfo is set earlier). Call on arrival. */
const ended = (call: InboundCall): Promise<HangupInfo> => new Promise((r) => call.once('ended', r));

describe('freeswitch driver against the drachtio and FreeSWITCH stand-ins', () => {
  let stack: Stack;
  let driver: FreeswitchDriver;
  let dir: string;
  const prompt = (id: string): { id: string; file: string } => ({ id, file: join(dir, `${id}.wav`) });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callroute-fs-'));
    writeSilenceWav(join(dir, 'welcome.wav'), 300);
    writeSilenceWav(join(dir, 'whisper.wav'), 100);
    stack = await startStack();
    driver = driverFor(stack, memoryLogger().logger);
    await driver.start();
    await waitReady(driver);
    await stack.drachtio.whenAppReady();
  });
  afterEach(async () => {
    await driver.stop();
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Answer a new call and return it with its FreeSWITCH channel. */
  async function answered(): Promise<{ call: InboundCall; caller: ReturnType<Stack['call']>; answeredAt: Date; done: Promise<HangupInfo> }> {
    const incoming = nextCall(driver);
    const caller = stack.call();
    const call = await incoming;
    const done = ended(call);
    const answeredAt = await call.answer();
    return { call, caller, answeredAt, done };
  }
  const channelOf = (caller: { mediaPort: number }) => stack.fs[0]!.waitChannel((c) => c.remoteMediaPort === caller.mediaPort);

  it('presents the INVITE (caller, DID, source, headers) and rejects it with the code given', async () => {
    const incoming = nextCall(driver);
    const caller = stack.call({ headers: { 'X-Campaign-Hint': 'abc' } });
    const call = await incoming;
    const done = ended(call);
    expect(call).toMatchObject({ caller: '+14155550123', did: '+18005550100', source: { address: '127.0.0.1', transport: 'udp' } });
    expect(call.headers['x-campaign-hint']).toBe('abc');
    expect(call.id).toBe(caller.callId);
    await call.reject(404, { reason: 'Unknown DID' });
    const res = await caller.final.promise;
    expect([res.status, res.reason]).toEqual([404, 'Unknown DID']);
    expect(await done).toMatchObject({ side: 'system', cause: 'rejected', sipCode: 404 });
    expect(stack.fs[0]!.channels).toHaveLength(0);
  });

  it('a CANCEL before the answer ends the call on the caller side; drachtio answers 487', async () => {
    const incoming = nextCall(driver);
    const caller = stack.call();
    const call = await incoming;
    const done = ended(call);
    caller.cancel();
    expect(await done).toMatchObject({ side: 'caller', cause: 'cancel', sipCode: 487 });
    expect((await caller.final.promise).status).toBe(487);
  });

  it('answers on a FreeSWITCH endpoint, plays a prompt and collects DTMF (max digits, terminator, timeout)', async () => {
    const { call, caller, answeredAt } = await answered();
    expect(answeredAt.getTime()).toBeGreaterThanOrEqual(call.receivedAt.getTime());
    expect((await caller.final.promise).status).toBe(200);
    const ch = await channelOf(caller);
    expect(await call.play(prompt('welcome'))).toEqual({ completed: true });

    ch.once('collect', () => '94110'.split('').forEach((d) => ch.dtmf(d)));
    expect(await call.playCollect({ ...collect, prompt: prompt('welcome') })).toEqual({ digits: '94110', reason: 'max_digits' });
    ch.once('collect', () => ['1', '#'].forEach((d) => ch.dtmf(d)));
    expect(await call.playCollect(collect)).toEqual({ digits: '1', reason: 'terminator' });
    expect(await call.playCollect({ ...collect, firstDigitTimeoutMs: 50 })).toEqual({ digits: '', reason: 'timeout' });

    const digits: string[] = [];
    call.on('dtmf', (e) => digits.push(e.digit));
    ch.dtmf('7');
    await new Promise((r) => call.once('dtmf', r));
    expect(digits).toEqual(['7']);
    expect(ch.executed.filter((e) => e.app === 'playback').map((e) => e.arg)).toEqual([prompt('welcome').file]);
  });

  it('a late-offer INVITE (no SDP) gets a 3pcc endpoint and the caller\'s answer from the ACK', async () => {
    const incoming = nextCall(driver);
    const caller = stack.call({ lateOffer: true });
    const call = await incoming;
    await call.answer();
    expect((await caller.final.promise).body).toContain('m=audio');
    const ch = stack.fs[0]!.channels.find((c) => c.remoteMediaPort === caller.mediaPort)!; // answer() applied the ACK's SDP
    expect(ch).toBeDefined();
    ch.once('collect', () => ch.dtmf('5'));
    expect(await call.playCollect({ ...collect, maxDigits: 1 })).toEqual({ digits: '5', reason: 'max_digits' });
  });

  it('a caller BYE during a prompt ends play with completed false and releases the endpoint', async () => {
    writeSilenceWav(join(dir, 'long.wav'), 20_000);
    const { call, caller, done } = await answered();
    const ch = await channelOf(caller);
    ch.once('playback', () => caller.bye());
    expect(await call.play(prompt('long'))).toEqual({ completed: false });
    expect(await done).toMatchObject({ side: 'caller', cause: 'bye' });
    expect(ch.hungUp).toBe(true);
    expect(await call.playCollect(collect)).toEqual({ digits: '', reason: 'hangup' });
  });

  it('bridges to a buyer on a second endpoint, media anchored on FreeSWITCH; buyer BYE ends both legs', async () => {
    const { call, caller, done } = await answered();
    const buyer = stack.buyer(BUYER, { kind: 'answer' });
    let ringing: Date | undefined;
    const out = await call.bridge({ ...target, headers: { 'X-Call-Id': 'c1' }, whisper: prompt('whisper') }, { ringTimeoutMs: 5000, onRinging: (at) => (ringing = at) });
    expect(out).toMatchObject({ result: 'answered', sipCode: 200 });
    if (out.result !== 'answered') throw new Error('not answered');
    expect(out.answeredAt.getTime()).toBeGreaterThanOrEqual(out.invitedAt.getTime());
    expect(ringing).toBeInstanceOf(Date);
    const inv = buyer.invites[0]!.req;
    expect(inv.get('x-call-id')).toBe('c1');
    expect(inv.get('from')).toContain('+14155550123');
    const callerCh = await channelOf(caller);
    const buyerCh = stack.fs[0]!.channels.find((c) => c !== callerCh)!;
    expect(callerCh.bridgedWith).toBe(buyerCh);
    expect(buyerCh.executed.map((e) => e.arg)).toContain(prompt('whisper').file);
    expect(buyerCh.remoteSdp).toContain('m=audio 30000'); // re-INVITE gave FreeSWITCH the buyer's media

    buyer.bye();
    expect(await done).toMatchObject({ side: 'buyer', cause: 'bye' });
    await caller.byeReceived.promise;
    expect(stack.fs[0]!.liveChannels()).toHaveLength(0);
  });

  it('a caller BYE while bridged sends BYE to the buyer', async () => {
    const { call, caller, done } = await answered();
    const buyer = stack.buyer(BUYER, { kind: 'answer' });
    expect((await call.bridge(target, { ringTimeoutMs: 5000 })).result).toBe('answered');
    caller.bye();
    expect(await done).toMatchObject({ side: 'caller', cause: 'bye' });
    await buyer.byeReceived.promise;
  });

  it('busy, failure and ring timeout are outcomes; the caller stays up and the buyer endpoint is released', async () => {
    const { call, caller } = await answered();
    stack.buyer(BUYER, { kind: 'reject', status: 486 });
    expect(await call.bridge(target, { ringTimeoutMs: 5000 })).toMatchObject({ result: 'busy', sipCode: 486 });
    stack.buyer(BUYER, { kind: 'reject', status: 503 });
    expect(await call.bridge(target, { ringTimeoutMs: 5000 })).toMatchObject({ result: 'failed', sipCode: 503 });
    const ringer = stack.buyer(BUYER, { kind: 'ring' });
    const out = await call.bridge(target, { ringTimeoutMs: 200 });
    expect(out).toMatchObject({ result: 'no_answer', sipCode: 487, reason: 'ring_timeout' });
    await ringer.cancelled.promise;
    expect(call.endInfo).toBeUndefined();
    const live = stack.fs[0]!.liveChannels();
    expect(live.map((c) => c.remoteMediaPort)).toEqual([caller.mediaPort]);
  });

  it('a caller who hangs up while the buyer rings cancels the buyer leg', async () => {
    const { call, caller, done } = await answered();
    const ringer = stack.buyer(BUYER, { kind: 'ring' });
    const pending = call.bridge(target, { ringTimeoutMs: 10_000, onRinging: () => caller.bye() });
    expect(await pending).toMatchObject({ result: 'caller_hangup' });
    await ringer.cancelled.promise;
    expect(await done).toMatchObject({ side: 'caller', cause: 'bye' });
  });

  it('a buyer 180 arriving after FreeSWITCH dropped the caller endpoint is ignored, not a crash', async () => {
    const { call, caller, done } = await answered();
    const ch = await channelOf(caller);
    const buyer = stack.buyer(BUYER, { kind: 'silent' });
    const pending = call.bridge(target, { ringTimeoutMs: 10_000 });
    await expect.poll(() => buyer.invites.length).toBe(1);
    ch.kill(); // the caller's event socket closes: drachtio-fsmrf's endpoint loses its connection
    await expect.poll(() => stack.fs[0]!.liveChannels().some((c) => c === ch)).toBe(false);
    buyer.ring(); // drachtio-srf hands the 180 to the driver inside its own message handler
    expect(await pending).toMatchObject({ result: 'caller_hangup' });
    expect(await done).toMatchObject({ side: 'system', cause: 'media_server_hangup' });
  });

  it('dials E.164 through a trunk proxy with digest auth', async () => {
    const { call } = await answered();
    const trunk = stack.buyer('127.0.0.1:5090', { kind: 'digest', username: 'acct', password: 's3cret', realm: 'trunk.test' });
    const out = await call.bridge(
      { uri: 'sip:+15551230000@trunk.test', proxy: '127.0.0.1:5090', auth: { username: 'acct', password: 's3cret' }, callerId: '+14155550123' },
      { ringTimeoutMs: 5000 },
    );
    expect(out.result).toBe('answered');
    expect(trunk.invites).toHaveLength(2);
    expect(trunk.invites[1]!.req.get('proxy-authorization')).toContain('username="acct"');
    expect(trunk.invites[1]!.req.uri).toBe('sip:+15551230000@trunk.test');
  });

  it('hangup() ends both legs with a system cause; stop() ends live calls with shutdown', async () => {
    const a = await answered();
    await a.call.hangup('no_buyer');
    expect(a.call.endInfo).toMatchObject({ side: 'system', cause: 'no_buyer' });
    await a.caller.byeReceived.promise;
    const b = await answered();
    await driver.stop();
    expect(b.call.endInfo).toMatchObject({ side: 'system', cause: 'shutdown' });
    expect(driver.activeCalls()).toBe(0);
  });
});
