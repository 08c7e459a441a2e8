/**
 * One call leg's offer/answer state (RFC 3264) once a session exists or is being set up: the caller leg's answer
 * to its INVITE or, for a late offer (INVITE without SDP, RFC 3261 13.2.1), our offer in the 200 and the caller's
 * answer from its ACK; and on both legs the peer's re-INVITEs, with or without an offer. Applies what was agreed
 * to the media leg. Our o= line keeps its session id and bumps its version on every SDP we send (RFC 3264 8).
 */
import type { Logger } from 'pino';
import type { Codec } from './media/g711.js';
import type { MediaLeg } from './media/media-leg.js';
import { acceptAnswer, answerFor, parseRemote, writeSdp, type LocalMedia, type RemoteMedia } from './media/sdp.js';

/** Why an initial late offer could not start a session (the caller gets a BYE). */
export type AnswerFailure = 'sdp_answer_missing' | 'sdp_answer_unacceptable';

type AgreedCodec = { codec: Codec; pt: number };

export class LegSdp {
  /** Our SDP: our answer, or the offer we put in a 2xx; after agreement, only the agreed codec. */
  private readonly local: LocalMedia;
  /** Our last 2xx carried an offer whose answer comes in the ACK: for the INVITE itself, or for a re-INVITE. */
  private awaiting: 'invite' | 'reinvite' | undefined;

  constructor(private readonly media: MediaLeg, local: LocalMedia, private readonly log: Logger) {
    this.local = { ...local };
  }

  /** The session the peer's SDP and ours agreed on: send there, with that codec. */
  agreed(remote: RemoteMedia, codec: AgreedCodec): void {
    const media = this.media;
    media.rtp.remote = { address: remote.address, port: remote.port };
    media.codec = codec.codec;
    media.pt = codec.pt;
    media.telephoneEvent = remote.telephoneEvent;
    media.held = remote.direction === 'sendonly' || remote.direction === 'inactive';
    Object.assign(this.local, { codecs: [codec], telephoneEvent: remote.telephoneEvent });
  }

  /** Late offer: `body()` is our offer and the caller's answer comes in its ACK. */
  expectAnswer(): void {
    this.awaiting = 'invite';
  }

  /** Our current SDP (the 200 to the INVITE). */
  body(): Buffer {
    return writeSdp(this.local);
  }

  /**
   * A re-INVITE (hold/unhold, refresh, codec change, or no offer): body of our 200, or undefined = 488, which
   * leaves the session as it was (RFC 3261 14.2).
   */
  reinvite(body: string): Buffer | undefined {
    const offer = body.trim() ? parseRemote(body) : undefined;
    if (body.trim() && !offer?.codecs.length) return undefined;
    this.local.version += 1;
    this.awaiting = offer ? undefined : 'reinvite';
    if (!offer) return writeSdp({ ...this.local, direction: 'sendrecv' });
    // Keep the codec in use when it is still offered, else take the peer's first.
    const chosen = offer.codecs.find((c) => c.codec === this.media.codec) ?? offer.codecs[0]!;
    this.agreed(offer, chosen);
    return writeSdp(answerFor({ ...offer, codecs: [chosen] }, this.local)!);
  }

  /**
   * The ACK for our 2xx. When that 2xx carried our offer, the ACK must carry the answer (RFC 3261 13.2.1). For the
   * INVITE itself a missing or unusable answer means no session: returns why (RFC 3261 13.3.1.4: BYE). After a
   * re-INVITE the established session is kept as it was rather than dropping a live call.
   */
  ack(body: string): AnswerFailure | undefined {
    const awaiting = this.awaiting;
    if (!awaiting) return undefined;
    this.awaiting = undefined;
    const remote = body.trim() ? parseRemote(body) : undefined;
    const chosen = remote && acceptAnswer(this.local, remote);
    if (remote && chosen) {
      this.agreed(remote, chosen);
      return undefined;
    }
    this.log.info({ hasSdp: remote !== undefined, after: awaiting }, 'no usable SDP answer in the ACK');
    if (awaiting === 'reinvite') return undefined;
    return remote ? 'sdp_answer_unacceptable' : 'sdp_answer_missing';
  }
}
