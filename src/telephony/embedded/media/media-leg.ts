/**
 * The media side of one call leg: its RTP session, the negotiated codec, what we play into it (driven by the
 * shared clock), DTMF detection, the relay to the other leg while bridged, and the media timeout.
 */
import { EventEmitter } from 'node:events';
import { MediaClock, FRAME_SAMPLES } from './clock.js';
import { decode, encode, transcode, type Codec } from './g711.js';
import type { RtpPacket, RtpSession } from './rtp.js';
import { DtmfDetector, type AudioSource } from './sources.js';
import type { Recorder } from './recorder.js';

interface MediaLegEvents {
  dtmf: [string];
  timeout: [];
}

const TIMEOUT_CHECK_TICKS = 50;

export class MediaLeg extends EventEmitter<MediaLegEvents> {
  codec: Codec = 'PCMU';
  pt = 0;
  telephoneEvent: number | undefined;
  /** The peer does not want our audio (hold: sendonly/inactive). */
  held = false;
  /** The other leg while bridged: received audio and events are relayed to it. */
  peer: MediaLeg | undefined;
  recorder: { rec: Recorder; side: 0 | 1 } | undefined;
  relayed = 0;
  private playing: { src: AudioSource; done: (completed: boolean) => void; first: boolean } | undefined;
  private readonly dtmf = new DtmfDetector();
  private ticks = 0;
  private startedAt = performance.now();
  private timedOut = false;
  private readonly tick = (): void => this.onTick();

  constructor(
    readonly rtp: RtpSession,
    private readonly clock: MediaClock,
    private readonly timeoutMs: number,
  ) {
    super();
    rtp.on('packet', (p) => this.onPacket(p));
  }

  /** Start the clock-driven work (playback, timeout checks) once the leg is answered. */
  activate(): void {
    this.startedAt = performance.now();
    this.clock.add(this.tick);
  }

  /** Play a source until it ends (true) or is stopped (false). Replaces what was playing. */
  play(src: AudioSource): Promise<boolean> {
    this.stopPlayback();
    return new Promise((resolve) => {
      this.playing = { src, done: resolve, first: true };
    });
  }

  stopPlayback(): void {
    const p = this.playing;
    this.playing = undefined;
    p?.done(false);
  }

  get isPlaying(): boolean {
    return this.playing !== undefined;
  }

  private onTick(): void {
    const p = this.playing;
    if (p) {
      const frame = p.src.next();
      if (!frame) {
        this.playing = undefined;
        p.done(true);
      } else if (!this.held) {
        this.rtp.sendFrame(this.pt, encode(this.codec, frame), FRAME_SAMPLES, p.first);
        p.first = false;
      }
    }
    if (this.recorder?.side === 0) this.recorder.rec.tick();
    if (++this.ticks % TIMEOUT_CHECK_TICKS === 0) this.checkTimeout();
  }

  private checkTimeout(): void {
    if (this.timeoutMs <= 0 || this.held || this.timedOut) return;
    const last = Math.max(this.rtp.lastRxAt, this.startedAt);
    if (performance.now() - last > this.timeoutMs) {
      this.timedOut = true;
      this.emit('timeout');
    }
  }

  private onPacket(p: RtpPacket): void {
    const te = this.telephoneEvent ?? 101;
    if (p.pt === te) {
      const digit = this.dtmf.onEvent(p.payload, p.ts, p.ssrc);
      if (digit) this.emit('dtmf', digit);
      const peer = this.peer;
      if (peer?.telephoneEvent !== undefined && !peer.held) peer.rtp.relay(p, peer.telephoneEvent, p.payload, 0);
      return;
    }
    const codec = p.pt === this.pt ? this.codec : p.pt === 0 ? 'PCMU' : p.pt === 8 ? 'PCMA' : undefined;
    if (!codec) return;
    if (this.recorder) this.recorder.rec.push(this.recorder.side, decode(codec, p.payload));
    const peer = this.peer;
    if (!peer || peer.held || peer.isPlaying) return;
    peer.rtp.relay(p, peer.pt, transcode(codec, peer.codec, p.payload), p.payload.length);
    this.relayed++;
  }

  close(): void {
    this.stopPlayback();
    this.clock.remove(this.tick);
    if (this.peer?.peer === this) this.peer.peer = undefined;
    this.peer = undefined;
    this.rtp.close();
    this.removeAllListeners();
  }
}
