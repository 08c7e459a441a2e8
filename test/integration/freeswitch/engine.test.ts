/**
 * The call-flow scenarios of test/integration/flow, run through startEngine with the `freeswitch` driver (built by
 * the engine from settings) against the drachtio and FreeSWITCH stand-ins; assertions on the stored call rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigText } from '../../../src/config/load.js';
import { startEngine, type Engine } from '../../../src/engine.js';
import type { CallRow } from '../../../src/store/index.js';
import { FLOW_CONFIG } from '../../support/flow-config.js';
import { writeSilenceWav } from '../../support/wav.js';
import type { CallerUa } from '../../support/drachtio-fake/ua.js';
import { startStack, until, waitReady, type Stack } from './stack.js';
import type { FreeswitchDriver } from '../../../src/telephony/freeswitch/index.js';

const FIRST = '127.0.0.1:5071';
const SECOND = '127.0.0.1:5072';

describe('call flow through startEngine on the freeswitch driver (stand-ins)', () => {
  let stack: Stack;
  let engine: Engine;
  let dir: string;
  const finished = new Map<string, CallRow>();
  const waiters = new Map<string, (row: CallRow) => void>();
  const rowOf = (caller: CallerUa): Promise<CallRow> => {
    const done = finished.get(caller.callId);
    return done ? Promise.resolve(done) : new Promise((r) => waiters.set(caller.callId, r));
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callroute-fs-engine-'));
    for (const p of ['welcome', 'age_q', 'zip_q', 'sorry', 'no_agents']) writeSilenceWav(join(dir, `${p}.wav`), 60);
    const configFile = join(dir, 'campaigns.yaml');
    writeFileSync(configFile, FLOW_CONFIG);
    const loaded = loadConfigText(FLOW_CONFIG, configFile, {});
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    stack = await startStack({ extraArgs: ['--db', join(dir, 'calls.sqlite'), '--config', configFile, '--drain-timeout-s', '1'] });
    finished.clear();
    engine = await startEngine({
      settings: stack.settings,
      logger: pino({ level: 'silent' }),
      config: loaded.config,
      observers: [{ ended: (row) => { finished.set(row.sip_call_id, row); waiters.get(row.sip_call_id)?.(row); } }],
    });
    await waitReady(engine.driver as FreeswitchDriver);
    await stack.drachtio.whenAppReady();
  });
  afterEach(async () => {
    await engine.stop(1000);
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Place a call whose caller answers each digit collection with the next entry ('hangup' hangs up). */
  function placeCall(dtmf: string[], opts: Partial<Parameters<Stack['call']>[0]> = {}): CallerUa {
    const caller = stack.call(opts);
    void stack.fs[0]!.waitChannel((c) => c.remoteMediaPort === caller.mediaPort).then((ch) => {
      ch.on('collect', () => {
        const next = dtmf.shift();
        if (next === 'hangup') caller.bye();
        else for (const d of next ?? '') ch.dtmf(d);
      });
    });
    return caller;
  }

  it('a qualified caller is bridged to the second buyer after the first is busy, and billed', async () => {
    stack.buyer(FIRST, { kind: 'reject', status: 486 });
    const second = stack.buyer(SECOND, { kind: 'answer' });
    const caller = placeCall(['1', '94110']);
    await second.answered.promise;
    await until(() => stack.fs[0]!.liveChannels().some((c) => c.bridgedWith !== undefined));
    caller.bye();
    const row = await rowOf(caller);
    expect(row).toMatchObject({
      status: 'completed', outcome: 'connected', qualified: 1, buyer_id: 'buyer_second', target_id: 'second_main',
      hangup_side: 'caller', campaign_id: 'medicare', publisher_id: 'pub_one', carrier_id: 'carrier_a', caller: '+14155550123',
    });
    expect(JSON.parse(row.tags)).toEqual({ age_65_plus: 'yes', zip: '94110' });
    const attempts = engine.store.calls.attempts(row.id);
    expect(attempts.map((a) => [a.seq, a.buyer_id, a.result, a.sip_code])).toEqual([
      [1, 'buyer_first', 'busy', 486],
      [2, 'buyer_second', 'answered', 200],
    ]);
    const phases = [row.invite_at, row.answer_at, row.ivr_end_at, row.routing_at, row.bridge_start_at, row.buyer_answer_at, row.end_at];
    for (let i = 1; i < phases.length; i++) expect(phases[i]!).toBeGreaterThanOrEqual(phases[i - 1]!);
    await second.byeReceived.promise;
    const played = stack.fs[0]!.channels.find((c) => c.remoteMediaPort === caller.mediaPort)!.executed.map((e) => e.arg.split(' ').find((w) => w.endsWith('.wav')) ?? e.arg);
    expect(played.filter((a) => a.endsWith('.wav')).map((f) => f.split('/').pop())).toEqual(['welcome.wav', 'age_q.wav', 'zip_q.wav']);
  });

  it('a caller who fails the IVR is not routed and hears the sorry prompt', async () => {
    const caller = placeCall(['2']);
    const row = await rowOf(caller);
    expect(row).toMatchObject({ outcome: 'not_qualified', qualified: 0, billable: 0, hangup_side: 'system' });
    expect(engine.store.calls.attempts(row.id)).toEqual([]);
    await caller.byeReceived.promise;
  });

  it('a caller who hangs up during the IVR is recorded as abandoned', async () => {
    const caller = placeCall(['1', 'hangup']);
    expect(await rowOf(caller)).toMatchObject({ outcome: 'abandoned_ivr', hangup_side: 'caller', billable: 0 });
  });

  it('a caller who hangs up while a buyer rings ends routing; the buyer gets a CANCEL', async () => {
    const ringer = stack.buyer(FIRST, { kind: 'ring' });
    const caller = placeCall(['1', '94110']);
    await until(() => ringer.invites.length > 0);
    caller.bye();
    const row = await rowOf(caller);
    expect(row).toMatchObject({ outcome: 'abandoned_routing', hangup_side: 'caller', billable: 0 });
    await ringer.cancelled.promise;
    expect(engine.store.calls.attempts(row.id).map((a) => a.result)).toEqual(['caller_hangup']);
  });

  it('when every buyer fails the caller hears the no-buyer message and is released', async () => {
    stack.buyer(FIRST, { kind: 'reject', status: 480 });
    stack.buyer(SECOND, { kind: 'reject', status: 503 });
    const caller = placeCall(['1', '94110']);
    const row = await rowOf(caller);
    expect(row).toMatchObject({ outcome: 'no_buyer', hangup_side: 'system', hangup_cause: 'no_buyer' });
    expect(engine.store.calls.attempts(row.id).map((a) => [a.result, a.sip_code])).toEqual([['no_answer', 480], ['failed', 503]]);
    await caller.byeReceived.promise;
  });

  it('admission rejects at once with the flow code and no media (blocked caller -> 603, unknown DID -> 404)', async () => {
    const blocked = stack.call({ caller: '+14155550666' });
    expect((await blocked.final.promise).status).toBe(603);
    const unknown = stack.call({ did: '+18005550199' });
    expect((await unknown.final.promise).status).toBe(404);
    expect(stack.fs[0]!.channels).toHaveLength(0);
  });
});
