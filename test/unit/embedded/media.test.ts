/** G.711, WAV, SDP, RTP rewriting, DTMF and digest units, on real bytes. */
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { decode, encode, transcode } from '../../../src/telephony/embedded/media/g711.js';
import { decodeWav, wavHeader, WavError } from '../../../src/telephony/embedded/media/wav.js';
import { answerFor, offerFor, parseRemote, writeSdp } from '../../../src/telephony/embedded/media/sdp.js';
import { buildRtp, parseRtp, RtpSession, type RtpPacket } from '../../../src/telephony/embedded/media/rtp.js';
import { DtmfDetector } from '../../../src/telephony/embedded/media/sources.js';
import { digestResponse, parseChallenge } from '../../../src/telephony/embedded/sip/digest.js';

describe('G.711', () => {
  it.each(['PCMU', 'PCMA'] as const)('%s round-trips within the quantisation step', (codec) => {
    const pcm = Int16Array.from({ length: 2000 }, (_v, i) => Math.round(Math.sin(i / 7) * 20000));
    const back = decode(codec, encode(codec, pcm));
    for (let i = 0; i < pcm.length; i++) expect(Math.abs(back[i]! - pcm[i]!)).toBeLessThanOrEqual(Math.abs(pcm[i]!) / 16 + 16);
  });

  it('known code points: mu-law 0xff and A-law 0xd5 are silence', () => {
    expect(decode('PCMU', Buffer.from([0xff]))[0]).toBe(0);
    expect(Math.abs(decode('PCMA', Buffer.from([0xd5]))[0]!)).toBeLessThanOrEqual(8);
    expect(encode('PCMU', Int16Array.of(0))[0]).toBe(0xff);
  });

  it('transcodes mu-law to A-law through the linear value', () => {
    const u = encode('PCMU', Int16Array.of(1000, -1000, 30000));
    const a = transcode('PCMU', 'PCMA', u);
    const lin = decode('PCMA', a);
    expect(lin[0]).toBeGreaterThan(900);
    expect(lin[1]).toBeLessThan(-900);
    expect(lin[2]).toBeGreaterThan(28000);
  });
});

describe('WAV', () => {
  const pcm16 = (samples: number[], rate = 8000, channels = 1): Buffer => {
    const data = Buffer.alloc(samples.length * 2);
    samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
    const h = wavHeader(data.length, channels, rate);
    return Buffer.concat([h, data]);
  };

  it('reads 16-bit PCM', () => {
    expect([...decodeWav(pcm16([1, -2, 300]))]).toEqual([1, -2, 300]);
  });

  it('reads mu-law and A-law', () => {
    const mk = (format: number, bytes: number[]): Buffer => {
      const h = wavHeader(bytes.length, 1);
      h.writeUInt16LE(format, 20);
      h.writeUInt16LE(8, 34);
      return Buffer.concat([h, Buffer.from(bytes)]);
    };
    expect([...decodeWav(mk(7, [0xff]))]).toEqual([0]);
    expect(decodeWav(mk(6, [0xd5, 0x55])).length).toBe(2);
  });

  it('refuses 16 kHz, stereo and non-WAV files with a reason', () => {
    expect(() => decodeWav(pcm16([0], 16000))).toThrow(/8000 Hz mono/);
    expect(() => decodeWav(pcm16([0, 0], 8000, 2))).toThrow(WavError);
    expect(() => decodeWav(Buffer.from('hello world, not a wav'))).toThrow(/RIFF/);
  });
});

describe('SDP offer/answer', () => {
  const offer = [
    'v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 'c=IN IP4 10.0.0.1', 't=0 0',
    'm=audio 4000 RTP/AVP 18 8 0 96', 'a=rtpmap:18 G729/8000', 'a=rtpmap:96 telephone-event/8000', 'a=sendonly', '',
  ].join('\r\n');

  it('picks the first G.711 codec the peer offered and mirrors direction', () => {
    const remote = parseRemote(offer)!;
    expect(remote.codecs.map((c) => c.codec)).toEqual(['PCMA', 'PCMU']);
    expect(remote.telephoneEvent).toBe(96);
    const answer = answerFor(remote, { address: '192.0.2.9', port: 30000, sessionId: 1, version: 1 })!;
    expect(answer.codecs).toEqual([{ codec: 'PCMA', pt: 8 }]);
    expect(answer.direction).toBe('recvonly');
    const text = writeSdp(answer).toString();
    expect(text).toContain('m=audio 30000 RTP/AVP 8 96');
    expect(text).toContain('c=IN IP4 192.0.2.9');
    expect(text).toContain('a=rtpmap:96 telephone-event/8000');
  });

  it('refuses an offer without G.711', () => {
    const remote = parseRemote(offer.replace('18 8 0 96', '18'))!;
    expect(answerFor(remote, { address: 'a', port: 1, sessionId: 1, version: 1 })).toBeUndefined();
  });

  it('our offer lists both laws and telephone-event', () => {
    const text = writeSdp(offerFor({ address: '127.0.0.1', port: 20000, sessionId: 5, version: 1 })).toString();
    expect(text).toContain('m=audio 20000 RTP/AVP 0 8 101');
  });
});

describe('RTP stream continuity across prompt -> relay', () => {
  it('keeps one SSRC and a continuous sequence when relayed packets follow generated ones', async () => {
    const rx = dgram.createSocket('udp4');
    const got: RtpPacket[] = [];
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
    const tx = dgram.createSocket('udp4');
    await new Promise<void>((r) => tx.bind(0, '127.0.0.1', r));
    const session = new RtpSession(tx);
    session.remote = { address: '127.0.0.1', port: rx.address().port };
    const all = new Promise<void>((resolve) => rx.on('message', (b) => {
      got.push(parseRtp(b)!);
      if (got.length === 5) resolve();
    }));
    session.sendFrame(0, Buffer.alloc(160, 0xff), 160, true);
    session.sendFrame(0, Buffer.alloc(160, 0xff), 160);
    const foreign = { pt: 0, marker: false, ssrc: 1234, seq: 60000, ts: 999_000, payload: Buffer.alloc(160) };
    session.relay(foreign, 0, foreign.payload, 160);
    session.relay({ ...foreign, seq: 60001, ts: 999_160 }, 0, foreign.payload, 160);
    session.relay({ ...foreign, seq: 60003, ts: 999_480 }, 0, foreign.payload, 160); // one lost
    await all;
    expect(new Set(got.map((p) => p.ssrc)).size).toBe(1);
    const seqs = got.map((p) => p.seq);
    expect((seqs[1]! - seqs[0]!) & 0xffff).toBe(1);
    expect((seqs[2]! - seqs[1]!) & 0xffff).toBe(1);
    expect((seqs[4]! - seqs[3]!) & 0xffff).toBe(2);
    expect(got[3]!.ts - got[2]!.ts).toBe(160);
    expect(got[2]!.ts - got[1]!.ts).toBeGreaterThanOrEqual(160);
    session.close();
    rx.close();
  });

  it('parses what it builds, and refuses short or non-v2 packets', () => {
    const p = { pt: 8, marker: true, seq: 65535, ts: 2 ** 32 - 1, ssrc: 7, payload: Buffer.from([1, 2, 3]) };
    expect(parseRtp(buildRtp(p))).toEqual(p);
    expect(parseRtp(Buffer.alloc(5))).toBeUndefined();
    expect(parseRtp(Buffer.alloc(20))).toBeUndefined();
  });
});

describe('RFC 4733 DTMF', () => {
  it('reports each event once, across its retransmitted end packets', () => {
    const d = new DtmfDetector();
    const ev = (e: number, end: boolean): Buffer => Buffer.from([e, end ? 0x8a : 0x0a, 0, 160]);
    const seen = [d.onEvent(ev(1, false), 100, 1), d.onEvent(ev(1, false), 100, 1), d.onEvent(ev(1, true), 100, 1), d.onEvent(ev(1, true), 100, 1),
      d.onEvent(ev(11, false), 900, 1), d.onEvent(ev(10, false), 1800, 1)];
    expect(seen.filter(Boolean)).toEqual(['1', '#', '*']);
  });
});

describe('digest auth', () => {
  it('computes the RFC 2617 response without qop', () => {
    const ch = parseChallenge('Digest realm="trunk", nonce="abc", algorithm=MD5')!;
    const value = digestResponse(ch, { username: 'u', password: 'p' }, 'INVITE', 'sip:1@h');
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const expected = md5(`${md5('u:trunk:p')}:abc:${md5('INVITE:sip:1@h')}`);
    expect(value).toContain(`response="${expected}"`);
  });

  it('answers qop=auth with nc and cnonce, and ignores non-digest challenges', () => {
    const ch = parseChallenge('Digest realm="r", nonce="n", qop="auth,auth-int", opaque="o"')!;
    expect(digestResponse(ch, { username: 'u', password: 'p' }, 'INVITE', 'sip:x@y')).toMatch(/qop=auth, nc=00000001, cnonce="[0-9a-f]+".*opaque="o"/);
    expect(parseChallenge('Basic realm="x"')).toBeUndefined();
  });
});
