/** SDP offer/answer (RFC 3264) for one audio stream, G.711 + telephone-event, on top of sdp-transform. */
import * as sdpTransform from 'sdp-transform';
import { PAYLOAD_TYPE, type Codec } from './g711.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface RemoteMedia {
  address: string;
  port: number;
  /** Offered G.711 codecs in the peer's order of preference, with their payload types. */
  codecs: Array<{ codec: Codec; pt: number }>;
  telephoneEvent: number | undefined;
  direction: Direction;
}

export interface LocalMedia {
  address: string;
  port: number;
  codecs: Array<{ codec: Codec; pt: number }>;
  telephoneEvent: number | undefined;
  direction: Direction;
  sessionId: number;
  version: number;
}

const DEFAULT_TE = 101;

/** Parse the first audio m-line; undefined when there is none we could use. */
export function parseRemote(body: string): RemoteMedia | undefined {
  let sdp: sdpTransform.SessionDescription;
  try {
    sdp = sdpTransform.parse(body);
  } catch {
    return undefined;
  }
  const m = sdp.media.find((x) => x.type === 'audio' && x.port > 0);
  const address = m?.connection?.ip ?? sdp.connection?.ip;
  if (!m || !address) return undefined;
  const pts = String(m.payloads ?? '').split(/\s+/).filter(Boolean).map(Number);
  // sdp-transform leaves `codec` non-string for malformed rtpmap lines (`a=rtpmap: 5  x/8000`): found by scripts/fuzz.ts.
  const names = new Map(m.rtp.map((r) => [r.payload, String(r.codec ?? '').toUpperCase()]));
  const codecs: RemoteMedia['codecs'] = [];
  let telephoneEvent: number | undefined;
  for (const pt of pts) {
    const name = names.get(pt) ?? (pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : '');
    if (name === 'PCMU' || name === 'PCMA') codecs.push({ codec: name, pt });
    else if (name === 'TELEPHONE-EVENT') telephoneEvent = pt;
  }
  const direction = (m.direction ?? sdp.direction ?? 'sendrecv');
  // c=0.0.0.0 is the RFC 2543 way of saying "hold".
  return { address, port: m.port, codecs, telephoneEvent, direction: address === '0.0.0.0' ? 'inactive' : direction };
}

const ANSWER_DIRECTION: Record<Direction, Direction> = {
  sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive',
};

/** Our answer to an offer: the peer's first G.711 codec; undefined -> 488. */
export function answerFor(offer: RemoteMedia, local: Omit<LocalMedia, 'codecs' | 'telephoneEvent' | 'direction'>): LocalMedia | undefined {
  const first = offer.codecs[0];
  if (!first) return undefined;
  return { ...local, codecs: [first], telephoneEvent: offer.telephoneEvent, direction: ANSWER_DIRECTION[offer.direction] };
}

/** Our offer (to buyers): both laws, PCMU first, and telephone-event. */
export function offerFor(local: Omit<LocalMedia, 'codecs' | 'telephoneEvent' | 'direction'>, first: Codec = 'PCMU'): LocalMedia {
  const order: Codec[] = first === 'PCMU' ? ['PCMU', 'PCMA'] : ['PCMA', 'PCMU'];
  return { ...local, codecs: order.map((codec) => ({ codec, pt: PAYLOAD_TYPE[codec] })), telephoneEvent: DEFAULT_TE, direction: 'sendrecv' };
}

export function writeSdp(l: LocalMedia): Buffer {
  const rtp: Array<{ payload: number; codec: string; rate: number }> = l.codecs.map((c) => ({ payload: c.pt, codec: c.codec, rate: 8000 }));
  const fmtp: Array<{ payload: number; config: string }> = [];
  if (l.telephoneEvent !== undefined) {
    rtp.push({ payload: l.telephoneEvent, codec: 'telephone-event', rate: 8000 });
    fmtp.push({ payload: l.telephoneEvent, config: '0-16' });
  }
  const text = sdpTransform.write({
    version: 0,
    origin: { username: 'callroute', sessionId: l.sessionId, sessionVersion: l.version, netType: 'IN', ipVer: 4, address: l.address },
    name: 'callroute',
    connection: { version: 4, ip: l.address },
    timing: { start: 0, stop: 0 },
    media: [{
      type: 'audio', port: l.port, protocol: 'RTP/AVP', payloads: rtp.map((r) => r.payload).join(' '),
      rtp, fmtp, ptime: 20, direction: l.direction,
    }],
  });
  return Buffer.from(text, 'utf8');
}

/**
 * The caller's answer to the offer we put in a 200 (late offer, RFC 3264 6): the first of its codecs that we
 * offered, at the payload type we offered it; undefined = unacceptable (the caller gets a BYE).
 */
export function acceptAnswer(offer: LocalMedia, answer: RemoteMedia): { codec: Codec; pt: number } | undefined {
  return answer.codecs.find((a) => offer.codecs.some((o) => o.codec === a.codec && o.pt === a.pt));
}

/** The codec the answerer picked, from its answer to our offer. */
export function chosenCodec(answer: RemoteMedia): { codec: Codec; pt: number } | undefined {
  return answer.codecs[0];
}
