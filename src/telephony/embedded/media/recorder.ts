/**
 * Records a bridged call to a stereo WAV file (left: caller, right: buyer), paced by the media clock so
 * the two sides stay aligned: each tick writes one 20 ms frame per side (silence when nothing arrived).
 */
import { createWriteStream, openSync, writeSync, closeSync, type WriteStream } from 'node:fs';
import { FRAME_SAMPLES } from './clock.js';
import { wavHeader } from './wav.js';

const MAX_QUEUE = 10;

export class Recorder {
  private readonly out: WriteStream;
  private readonly queues: [Int16Array[], Int16Array[]] = [[], []];
  private bytes = 0;
  private closed = false;

  constructor(readonly file: string) {
    this.out = createWriteStream(file);
    this.out.on('error', () => undefined);
    this.out.write(wavHeader(0, 2));
  }

  /** Decoded audio from one side (0 = caller, 1 = buyer). */
  push(side: 0 | 1, pcm: Int16Array): void {
    const q = this.queues[side];
    if (q.length < MAX_QUEUE) q.push(pcm);
  }

  tick(): void {
    if (this.closed) return;
    const a = this.queues[0].shift();
    const b = this.queues[1].shift();
    const frame = Buffer.alloc(FRAME_SAMPLES * 4);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      frame.writeInt16LE(a?.[i] ?? 0, i * 4);
      frame.writeInt16LE(b?.[i] ?? 0, i * 4 + 2);
    }
    this.bytes += frame.length;
    this.out.write(frame);
  }

  /** Finish the file and patch the sizes into its header. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.out.end(resolve));
    try {
      const fd = openSync(this.file, 'r+');
      writeSync(fd, wavHeader(this.bytes, 2), 0, 44, 0);
      closeSync(fd);
    } catch {
      // the recording is best effort; the call is already over
    }
  }
}
