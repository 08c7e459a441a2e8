/**
 * WAV reader for prompts: 8 kHz mono PCM16, mu-law or A-law, decoded once to linear PCM and cached.
 * Anything else is refused with a message that says what the file is, so config validation can report it.
 */
import { readFileSync } from 'node:fs';
import { decode } from './g711.js';

export class WavError extends Error {}

const FORMATS: Record<number, string> = { 1: 'pcm', 6: 'alaw', 7: 'mulaw', 0xfffe: 'extensible' };

/** Decode a WAV buffer into 8 kHz linear samples. */
export function decodeWav(buf: Buffer): Int16Array {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new WavError('not a RIFF/WAVE file');
  }
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  for (let off = 12; off + 8 <= buf.length; ) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = buf.subarray(off + 8, Math.min(buf.length, off + 8 + size));
    if (id === 'fmt ' && body.length >= 16) {
      let format = body.readUInt16LE(0);
      if (format === 0xfffe && body.length >= 26) format = body.readUInt16LE(24);
      fmt = { format, channels: body.readUInt16LE(2), rate: body.readUInt32LE(4), bits: body.readUInt16LE(14) };
    } else if (id === 'data') {
      if (!fmt) throw new WavError('data chunk before fmt chunk');
      return decodeData(fmt, body);
    }
    off += 8 + size + (size & 1);
  }
  throw new WavError('no data chunk');
}

function decodeData(fmt: { format: number; channels: number; rate: number; bits: number }, data: Buffer): Int16Array {
  const name = FORMATS[fmt.format] ?? `format ${fmt.format}`;
  if (fmt.rate !== 8000 || fmt.channels !== 1) {
    throw new WavError(`must be 8000 Hz mono, is ${fmt.rate} Hz with ${fmt.channels} channel(s) (${name})`);
  }
  if (fmt.format === 6 && fmt.bits === 8) return decode('PCMA', data);
  if (fmt.format === 7 && fmt.bits === 8) return decode('PCMU', data);
  if (fmt.format === 1 && fmt.bits === 16) {
    const out = new Int16Array(data.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = data.readInt16LE(i * 2);
    return out;
  }
  throw new WavError(`unsupported encoding ${name}/${fmt.bits} bit (use 16-bit PCM, mu-law or A-law)`);
}

const cache = new Map<string, Int16Array>();

/** Read and decode a prompt file, cached by path (prompts are immutable for the life of a config). */
export function loadPrompt(file: string): Int16Array {
  let pcm = cache.get(file);
  if (!pcm) {
    pcm = decodeWav(readFileSync(file));
    cache.set(file, pcm);
  }
  return pcm;
}

/** A WAV header for `dataBytes` of PCM16 audio. */
export function wavHeader(dataBytes: number, channels: number, rate = 8000): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}
