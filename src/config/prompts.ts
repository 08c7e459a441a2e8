/**
 * Prompt files: must exist and be 8 kHz mono WAV in a codec the drivers play without resampling
 * (16-bit PCM, G.711 mu-law or a-law). Checked at load so a bad file fails the config, not a live call.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Prompt } from './schema/index.js';
import type { SemanticIssue } from './semantics.js';

export type WavCodec = 'pcm16' | 'mulaw' | 'alaw';

export interface WavInfo {
  codec: WavCodec;
  sampleRate: number;
  channels: number;
  /** Byte offset and length of the `data` chunk. */
  dataOffset: number;
  dataLength: number;
}

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

/** The codec, or (as a string that is not a codec name) why the format is unusable. */
function codecOf(format: number, bits: number): string {
  if (format === FORMAT_PCM) return bits === 16 ? 'pcm16' : `${bits}-bit PCM (need 16-bit)`;
  if (format === FORMAT_MULAW) return bits === 8 ? 'mulaw' : `${bits}-bit mu-law (need 8-bit)`;
  if (format === FORMAT_ALAW) return bits === 8 ? 'alaw' : `${bits}-bit a-law (need 8-bit)`;
  return `audio format ${format} (need PCM, mu-law or a-law)`;
}

/** Parse a WAV header. Returns a reason string when the bytes are not a WAV we can play as is. */
export function parseWavHeader(buf: Buffer): WavInfo | string {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    return 'not a WAV file (no RIFF/WAVE header)';
  }
  let fmt: { codec: string; sampleRate: number; channels: number } | undefined;
  for (let off = 12; off + 8 <= buf.length; ) {
    const idChunk = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (idChunk === 'fmt ' && body + 16 <= buf.length) {
      let format = buf.readUInt16LE(body);
      if (format === FORMAT_EXTENSIBLE && body + 26 <= buf.length) format = buf.readUInt16LE(body + 24);
      fmt = { codec: codecOf(format, buf.readUInt16LE(body + 14)), channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4) };
    } else if (idChunk === 'data') {
      if (!fmt) return 'WAV data chunk before its fmt chunk';
      if (!isCodec(fmt.codec)) return `unsupported WAV: ${fmt.codec}`;
      if (fmt.sampleRate !== 8000) return `WAV is ${fmt.sampleRate} Hz, need 8000 Hz`;
      if (fmt.channels !== 1) return `WAV has ${fmt.channels} channels, need mono`;
      return { codec: fmt.codec, sampleRate: fmt.sampleRate, channels: fmt.channels, dataOffset: body, dataLength: size };
    }
    off = body + size + (size % 2); // chunks are word-aligned
  }
  return fmt ? 'WAV has no data chunk' : 'WAV has no fmt chunk';
}

function isCodec(c: string): c is WavCodec {
  return c === 'pcm16' || c === 'mulaw' || c === 'alaw';
}

/** Read just enough of the file for its header (chunks before `data` are small). */
function readHead(file: string, bytes = 4096): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function checkPromptFile(file: string): string | null {
  let head: Buffer;
  try {
    head = readHead(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `prompt file not found: ${file}` : `cannot read prompt file ${file}: ${code ?? String(err)}`;
  }
  const info = parseWavHeader(head);
  return typeof info === 'string' ? `${info} (${file})` : null;
}

/** Every prompt's file, resolved against the config file's directory. */
export function checkPrompts(prompts: readonly Prompt[], baseDir: string): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  prompts.forEach((p, i) => {
    const problem = checkPromptFile(isAbsolute(p.file) ? p.file : resolve(baseDir, p.file));
    if (problem) issues.push({ path: ['prompts', i, 'file'], message: problem });
  });
  return issues;
}
