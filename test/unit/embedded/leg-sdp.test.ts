/** LegSdp: offer/answer on a real media leg (real UDP socket): re-INVITE offers, offerless re-INVITEs, late offer. */
import dgram from 'node:dgram';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LegSdp } from '../../../src/telephony/embedded/leg-sdp.js';
import { MediaClock } from '../../../src/telephony/embedded/media/clock.js';
import { MediaLeg } from '../../../src/telephony/embedded/media/media-leg.js';
import { RtpSession } from '../../../src/telephony/embedded/media/rtp.js';
import { answerFor, offerFor, parseRemote, type RemoteMedia } from '../../../src/telephony/embedded/media/sdp.js';

const log = pino({ level: 'silent' });
const legs: MediaLeg[] = [];
afterEach(() => legs.splice(0).forEach((l) => l.close()));

async function mediaLeg(): Promise<MediaLeg> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const leg = new MediaLeg(new RtpSession(sock), new MediaClock(), 0);
  legs.push(leg);
  return leg;
}

const sdp = (port: number, mline: string, ...attrs: string[]): string =>
  ['v=0', 'o=peer 7 7 IN IP4 127.0.0.2', 's=-', 'c=IN IP4 127.0.0.2', 't=0 0', `m=audio ${port} RTP/AVP ${mline}`, ...attrs, ''].join('\r\n');
const PCMU_PCMA = sdp(4000, '0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000');
const origin = (body: Buffer | undefined): string | undefined => /^o=(.*)$/m.exec(body?.toString() ?? '')?.[1]?.trim();
const base = { address: '127.0.0.1', port: 20000, sessionId: 4242, version: 1 };

/** A caller leg that answered PCMU+PCMA with PCMU. */
async function answered(): Promise<{ media: MediaLeg; leg: LegSdp }> {
  const media = await mediaLeg();
  const offer = parseRemote(PCMU_PCMA) as RemoteMedia;
  const local = answerFor(offer, base)!;
  const leg = new LegSdp(media, local, log);
  leg.agreed(offer, local.codecs[0]!);
  return { media, leg };
}

describe('LegSdp re-INVITEs', () => {
  it('keeps the codec in use when it is still offered, same o= session id, version + 1', async () => {
    const { media, leg } = await answered();
    expect(origin(leg.body())).toBe('callroute 4242 1 IN IP4 127.0.0.1');
    const body = leg.reinvite(sdp(4002, '8 0', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000'));
    expect(body?.toString()).toMatch(/m=audio 20000 RTP\/AVP 0\r\n/);
    expect(origin(body)).toBe('callroute 4242 2 IN IP4 127.0.0.1');
    expect({ codec: media.codec, pt: media.pt, remote: media.rtp.remote }).toEqual({ codec: 'PCMU', pt: 0, remote: { address: '127.0.0.2', port: 4002 } });
  });

  it('switches the media leg when the codec in use is no longer offered', async () => {
    const { media, leg } = await answered();
    const body = leg.reinvite(sdp(4002, '8', 'a=rtpmap:8 PCMA/8000', 'a=sendonly'));
    expect(body?.toString()).toMatch(/m=audio 20000 RTP\/AVP 8\r\n[\s\S]*a=recvonly/);
    expect({ codec: media.codec, pt: media.pt, held: media.held }).toEqual({ codec: 'PCMA', pt: 8, held: true });
  });

  it('refuses an offer without G.711 (488) and leaves the session as it was', async () => {
    const { media, leg } = await answered();
    expect(leg.reinvite(sdp(4002, '18', 'a=rtpmap:18 G729/8000'))).toBeUndefined();
    expect({ codec: media.codec, remote: media.rtp.remote }).toEqual({ codec: 'PCMU', remote: { address: '127.0.0.2', port: 4000 } });
  });

  it('offerless: our offer in the 200, the answer from the ACK; a missing answer keeps the session', async () => {
    const { media, leg } = await answered();
    expect(leg.reinvite('')?.toString()).toMatch(/m=audio 20000 RTP\/AVP 0 101\r\n[\s\S]*a=sendrecv/);
    expect(leg.ack(sdp(4004, '0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=inactive'))).toBeUndefined();
    expect({ held: media.held, remote: media.rtp.remote }).toEqual({ held: true, remote: { address: '127.0.0.2', port: 4004 } });
    leg.reinvite('');
    expect(leg.ack('')).toBeUndefined();
    expect({ held: media.held, port: media.rtp.remote?.port }).toEqual({ held: true, port: 4004 });
  });
});

describe('LegSdp late offer', () => {
  it('an ACK without an answer, or with none we offered, ends the session; a later ACK changes nothing', async () => {
    for (const [ack, failure] of [['', 'sdp_answer_missing'], [sdp(4000, '18', 'a=rtpmap:18 G729/8000'), 'sdp_answer_unacceptable']]) {
      const leg = new LegSdp(await mediaLeg(), offerFor(base), log);
      leg.expectAnswer();
      expect(leg.ack(ack!)).toBe(failure);
      expect(leg.ack(PCMU_PCMA)).toBeUndefined();
    }
  });

  it('takes the first answered codec we offered', async () => {
    const media = await mediaLeg();
    const leg = new LegSdp(media, offerFor(base), log);
    leg.expectAnswer();
    expect(leg.ack(sdp(4000, '8 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000'))).toBeUndefined();
    expect({ codec: media.codec, pt: media.pt, te: media.telephoneEvent }).toEqual({ codec: 'PCMA', pt: 8, te: 101 });
  });
});
