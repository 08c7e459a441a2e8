/**
 * The caller leg's offer/answer state (RFC 3264) as UAS: our answer to the INVITE's offer, or, for a late offer
 * (INVITE without SDP, RFC 3261 13.2.1), our offer in the 200 and the caller's answer from its ACK; the same for
 * re-INVITEs with and without an offer. Applies what was agreed to the media leg.
 */
import type { Logger } from 'pino';
import type { Codec } from './media/g711.js';
import type { MediaLeg } from './media/media-leg.js';
import { acceptAnswer, answerFor, parseRemote, writeSdp, type LocalMedia, type RemoteMedia } from './media/sdp.js';

/** Why an initial late offer could not start a session (the caller gets a BYE). */
export type AnswerFailure = 'sdp_answer_missing' | 'sdp_answer_unacceptable';

export class CallerSdp {
  /** Our SDP: the answer to the caller's offer, or the offer we put in a 2xx. Version bumps on every change. */
  private readonly local: LocalMedia;
  /** Our last 2xx carried an offer whose answer comes in the ACK: for the INVITE itself, or for a re-INVITE. */
  private awaiting: 'invite' | 'reinvite' | undefined;

  constructor(private readonly media: MediaLeg, local: LocalMedia, offer: RemoteMedia | undefined, private readonly log: Logger) {
    this.local = local;
    if (offer) this.useRemote(offer, local.codecs[0]!);
    else this.awaiting = 'invite';
  }

  /** Body of our 200 to the INVITE. */
  inviteBody(): Buffer {
    return writeSdp(this.local);
  }

  /**
   * A re-INVITE (hold/unhold, refresh, or no offer): body of our 200, or undefined = 488, which leaves the
   * session as it was (RFC 3261 14.2).
   */
  reinvite(body: string): Buffer | undefined {
    const offer = body.trim() ? parseRemote(body) : undefined;
    if (body.trim() && !offer?.codecs.length) return undefined;
    if (offer) {
      this.media.rtp.remote = { address: offer.address, port: offer.port };
      this.media.held = isHold(offer);
    }
    this.awaiting = offer ? undefined : 'reinvite';
    const direction = offer ? answerFor(offer, this.local)?.direction ?? 'sendrecv' : 'sendrecv';
    this.local.version += 1;
    return writeSdp({ ...this.local, direction });
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
      this.useRemote(remote, chosen);
      // Later SDP (re-INVITE answers) describes the agreed session, not the whole first offer.
      Object.assign(this.local, { codecs: [chosen], telephoneEvent: remote.telephoneEvent });
      return undefined;
    }
    this.log.info({ hasSdp: remote !== undefined, after: awaiting }, 'no usable SDP answer in the ACK');
    if (awaiting === 'reinvite') return undefined;
    return remote ? 'sdp_answer_unacceptable' : 'sdp_answer_missing';
  }

  /** Send to the peer's address with the agreed codec; follow its direction (hold) and DTMF payload type. */
  private useRemote(remote: RemoteMedia, codec: { codec: Codec; pt: number }): void {
    const media = this.media;
    media.rtp.remote = { address: remote.address, port: remote.port };
    media.codec = codec.codec;
    media.pt = codec.pt;
    media.telephoneEvent = remote.telephoneEvent;
    media.held = isHold(remote);
  }
}

/** The peer does not want our audio. */
function isHold(remote: RemoteMedia): boolean {
  return remote.direction === 'sendonly' || remote.direction === 'inactive';
}
