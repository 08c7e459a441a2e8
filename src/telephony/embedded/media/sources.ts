/** Audio the engine generates: prompts (decoded WAV) and call-progress tones, one 20 ms frame at a time. */
import { FRAME_SAMPLES } from './clock.js';

export interface AudioSource {
  /** The next 160 samples, or undefined once the source has ended. */
  next(): Int16Array | undefined;
}

export class PromptSource implements AudioSource {
  private pos = 0;
  constructor(private readonly pcm: Int16Array) {}

  next(): Int16Array | undefined {
    if (this.pos >= this.pcm.length) return undefined;
    const frame = new Int16Array(FRAME_SAMPLES);
    frame.set(this.pcm.subarray(this.pos, this.pos + FRAME_SAMPLES));
    this.pos += FRAME_SAMPLES;
    return frame;
  }
}

/** Ringback as in North America: 440 + 480 Hz, 2 s on, 4 s off, forever. */
export class RingbackSource implements AudioSource {
  private n = 0;
  next(): Int16Array {
    const frame = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++, this.n++) {
      const t = this.n / 8000;
      if (t % 6 < 2) frame[i] = Math.round(4000 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)));
    }
    return frame;
  }
}

export const DTMF_DIGITS = '0123456789*#ABCD';

/** RFC 4733 telephone-event receiver: one digit per event (an event is identified by its RTP timestamp). */
export class DtmfDetector {
  private lastTs = -1;
  private lastSsrc = -1;

  onEvent(payload: Buffer, ts: number, ssrc: number): string | undefined {
    if (payload.length < 4) return undefined;
    const event = payload[0]!;
    if (event >= DTMF_DIGITS.length || (ts === this.lastTs && ssrc === this.lastSsrc)) return undefined;
    this.lastTs = ts;
    this.lastSsrc = ssrc;
    return DTMF_DIGITS[event];
  }
}
