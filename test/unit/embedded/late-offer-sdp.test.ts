/** Late offer: what we accept as the caller's answer (in its ACK) to the offer we put in our 200. */
import { describe, expect, it } from 'vitest';
import { acceptAnswer, offerFor, parseRemote, writeSdp } from '../../../src/telephony/embedded/media/sdp.js';

const ours = offerFor({ address: '127.0.0.1', port: 20000, sessionId: 1, version: 1 });
const answer = (mline: string, ...attrs: string[]): ReturnType<typeof parseRemote> =>
  parseRemote(['v=0', 'o=c 1 1 IN IP4 127.0.0.2', 's=-', 'c=IN IP4 127.0.0.2', 't=0 0', mline, ...attrs, ''].join('\r\n'));

describe('late-offer answer', () => {
  it('our offer in the 200 lists PCMU, PCMA and telephone-event', () => {
    expect(writeSdp(ours).toString()).toMatch(/m=audio 20000 RTP\/AVP 0 8 101/);
  });

  it('takes the first answered codec we offered, at our payload type', () => {
    const a = answer('m=audio 4000 RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000');
    expect(a && acceptAnswer(ours, a)).toEqual({ codec: 'PCMA', pt: 8 });
    expect(a).toMatchObject({ address: '127.0.0.2', port: 4000, telephoneEvent: 101 });
  });

  it('refuses an answer with nothing we offered, or our codec at another payload type', () => {
    const g729 = answer('m=audio 4000 RTP/AVP 18', 'a=rtpmap:18 G729/8000');
    expect(g729).toBeDefined();
    expect(acceptAnswer(ours, g729!)).toBeUndefined();
    const moved = answer('m=audio 4000 RTP/AVP 96', 'a=rtpmap:96 PCMA/8000');
    expect(moved?.codecs).toEqual([{ codec: 'PCMA', pt: 96 }]);
    expect(acceptAnswer(ours, moved!)).toBeUndefined();
  });
});
