/**
 * Offer/answer edge cases through the whole engine on the embedded driver. Late offer (RFC 3261 13.2.1, RFC 3264):
 * a sipp carrier sends an INVITE without SDP, finds our offer in the 200 and answers in its ACK; the call then goes
 * through the IVR with RFC 2833 digits, is bridged to a sipp buyer and billed. An ACK with no usable answer gets a
 * BYE. The same exchange in a re-INVITE without SDP puts the engine on hold; a re-INVITE we cannot take is refused
 * without ending the call; a SIP-I INVITE's SDP is found beside its ISUP part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DID, startEngineHarness, type EngineHarness } from './support/engine-harness.js';
import { rowOrFailure } from './support/row-or-failure.js';
import { scenario, startBuyer, startCaller, type SippResult } from './support/sipp.js';

const ok = (r: SippResult): void => expect(r.code, `${r.errors}\n${r.stderr}`).toBe(0);
/** Generous: the machine is shared; sipp's own -timeout ends a stuck scenario first. */
const TEST_MS = 90_000;

/** An answer that offers only G.729: nothing we offered. */
const G729_ONLY = ['v=0', 'o=carrier 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio [media_port] RTP/AVP 18', 'a=rtpmap:18 G729/8000'].join('\n');

describe('offer/answer through the engine (sipp)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('offer in our 200, answer in the ACK: DTMF qualifies, bridged, billable, RTP both ways', async () => {
    const buyer = await startBuyer({ port: h.ports.solo, timeoutS: 60 });
    const caller = await startCaller({
      scenarioFile: scenario('caller-late-offer.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 1000, TALK_MS: 2000 }),
      target: h.target, did: DID.ivr, timeoutS: 60,
    });
    const row = await rowOrFailure(h, [caller, buyer.proc]);
    const [c, b] = await Promise.all([caller.done, buyer.proc.done]);
    ok(c);
    ok(b);
    expect(row).toMatchObject({ outcome: 'connected', qualified: 1, billable: 1, hangup_side: 'caller', hangup_cause: 'bye', buyer_id: 'solo' });
    expect(JSON.parse(row.tags)).toEqual({ interested: 'yes' });
    const stats = h.driver.relayStats(row.sip_call_id);
    expect(stats?.toBuyer).toBeGreaterThan(50);
    expect(stats?.toCaller).toBeGreaterThan(50);
  }, TEST_MS);

  it('offerless re-INVITE: our offer in the 200, a=sendonly (hold) answered in the ACK: nothing relayed to the caller', async () => {
    const buyer = await startBuyer({ port: h.ports.solo, timeoutS: 60 });
    const caller = await startCaller({
      scenarioFile: scenario('caller-hold-offerless.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 1000, TALK_MS: 2000 }),
      target: h.target, did: DID.ivr, timeoutS: 60,
    });
    const row = await rowOrFailure(h, [caller, buyer.proc]);
    const [c, b] = await Promise.all([caller.done, buyer.proc.done]);
    ok(c);
    ok(b);
    expect(row).toMatchObject({ outcome: 'connected', hangup_side: 'caller', hangup_cause: 'bye', buyer_id: 'solo' });
    // The buyer echoes the caller's audio; with the caller on hold none of it may go back (> 50 without the hold).
    const stats = h.driver.relayStats(row.sip_call_id);
    expect(stats?.toBuyer).toBeGreaterThan(50);
    expect(stats?.toCaller).toBe(0);
  }, TEST_MS);

  it('buyer offerless re-INVITE: our 200 offers the agreed codec with the same o= session id; a=sendonly in its ACK -> nothing relayed to it', async () => {
    const buyer = await startBuyer({ port: h.ports.solo, timeoutS: 60, scenarioFile: scenario('buyer-hold-offerless.xml') });
    // The caller's audio starts 2 s after its digit: the buyer's hold (sent as soon as it answered) is in by then.
    const caller = await startCaller({
      scenarioFile: scenario('caller-ivr.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 2000, TALK_MS: 2000 }),
      target: h.target, did: DID.ivr, timeoutS: 60,
    });
    const row = await rowOrFailure(h, [caller, buyer.proc]);
    const [c, b] = await Promise.all([caller.done, buyer.proc.done]);
    ok(c);
    ok(b);
    expect(row).toMatchObject({ outcome: 'connected', hangup_side: 'caller', buyer_id: 'solo' });
    expect(h.driver.relayStats(row.sip_call_id)?.toBuyer).toBe(0);
  }, TEST_MS);

  it.each([
    ['no SDP in the ACK', '', 'sdp_answer_missing'],
    ['an ACK answer with no codec we offered', G729_ONLY, 'sdp_answer_unacceptable'],
  ])('%s -> BYE to the caller, row closed by the system', async (_name, ackSdp, cause) => {
    const caller = await startCaller({ scenarioFile: scenario('caller-late-offer-bad-ack.xml', { ACK_SDP: ackSdp }), target: h.target, did: DID.ivr, timeoutS: 60 });
    const row = await rowOrFailure(h, [caller]);
    const c = await caller.done;
    ok(c);
    expect(row).toMatchObject({ outcome: 'abandoned_ivr', hangup_side: 'system', hangup_cause: cause, billable: 0 });
  }, TEST_MS);

  it('a re-INVITE offering no G.711 gets 488 and the call stays up (its BYE gets 200)', async () => {
    const caller = await startCaller({ scenarioFile: scenario('caller-reinvite-no-g711.xml'), target: h.target, did: DID.ivr, timeoutS: 60 });
    const row = await rowOrFailure(h, [caller]);
    ok(await caller.done);
    expect(row).toMatchObject({ outcome: 'abandoned_ivr', hangup_side: 'caller', hangup_cause: 'bye' });
  }, TEST_MS);

  it('a SIP-I INVITE (multipart/mixed: SDP + ISUP) is answered from its SDP part', async () => {
    const caller = await startCaller({ scenarioFile: scenario('caller-multipart.xml', { HANGUP_AFTER_MS: 300 }), target: h.target, did: DID.ivr, timeoutS: 60 });
    const row = await rowOrFailure(h, [caller]);
    ok(await caller.done);
    expect(row).toMatchObject({ outcome: 'abandoned_ivr', hangup_side: 'caller', hangup_cause: 'bye' });
  }, TEST_MS);
});
