/** sdpOf: the SDP of a plain or multipart/mixed body (SIP-I / SIP-T INVITEs carry ISUP beside it). */
import { describe, expect, it } from 'vitest';
import { sdpOf } from '../../../src/telephony/embedded/sip/body.js';
import { SipMessage } from '../../../src/telephony/embedded/sip/message.js';
import { checkRequest } from '../../../src/telephony/embedded/sip/uas-checks.js';
import { parseRemote } from '../../../src/telephony/embedded/media/sdp.js';

const SDP = 'v=0\r\no=c 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000';
/** An ISUP IAM's bytes, CR/LF/NUL and high bytes included. */
const ISUP = Buffer.from([0x01, 0x00, 0x0d, 0x0a, 0x0d, 0x0a, 0x02, 0xff, 0x80, 0x2d, 0x2d, 0x00]);

function invite(type: string | undefined, body: Buffer): SipMessage {
  const m = new SipMessage();
  m.method = 'INVITE';
  m.uri = 'sip:+18005550100@127.0.0.1';
  if (type) m.set('content-type', type);
  m.body = body;
  return m;
}

function multipart(boundary: string, sdpFirst = true): Buffer {
  const sdpPart = Buffer.from(`Content-Type: application/sdp\r\n\r\n${SDP}\r\n`);
  const isupPart = Buffer.concat([Buffer.from('Content-Type: application/isup;version=itu-t92+\r\nContent-Disposition: signal;handling=optional\r\n\r\n'), ISUP, Buffer.from('\r\n')]);
  const parts = sdpFirst ? [sdpPart, isupPart] : [isupPart, sdpPart];
  return Buffer.concat([
    Buffer.from(`preamble\r\n--${boundary}\r\n`), parts[0]!, Buffer.from(`--${boundary}\r\n`), parts[1]!, Buffer.from(`--${boundary}--\r\n`),
  ]);
}

describe('sdpOf', () => {
  it('returns a plain SDP body whole', () => {
    expect(sdpOf(invite('application/sdp', Buffer.from(SDP)))).toBe(SDP);
  });

  it('takes the application/sdp part of multipart/mixed, before or after a binary ISUP part, boundary quoted or not', () => {
    for (const [type, sdpFirst] of [['multipart/mixed;boundary=unique-boundary-1', true], ['multipart/mixed; foo=bar; boundary="b 2"', false]] as const) {
      const boundary = type.includes('"') ? 'b 2' : 'unique-boundary-1';
      const sdp = sdpOf(invite(type, multipart(boundary, sdpFirst)));
      expect(sdp).toBe(SDP);
      expect(parseRemote(sdp)).toMatchObject({ port: 4000, codecs: [{ codec: 'PCMA', pt: 8 }], telephoneEvent: 101 });
    }
  });

  it('is empty for a multipart body without an SDP part (a late offer)', () => {
    const body = Buffer.concat([Buffer.from('--x\r\nContent-Type: application/isup\r\n\r\n'), ISUP, Buffer.from('\r\n--x--\r\n')]);
    expect(sdpOf(invite('multipart/mixed;boundary=x', body))).toBe('');
  });

  it('lets multipart/mixed INVITEs through the UAS checks; other non-SDP types still get 415', () => {
    expect(checkRequest(invite('multipart/mixed;boundary=x', multipart('x')))).toBeUndefined();
    expect(checkRequest(invite('application/isup', ISUP))).toMatchObject({ status: 415 });
  });
});
