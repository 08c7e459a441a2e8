/** The WAV header check behind prompt validation. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWavHeader } from '../../../src/config/prompts.js';

interface Fmt {
  format: number;
  channels?: number;
  rate?: number;
  bits: number;
  /** Chunks between fmt and data, e.g. LIST/fact, with odd sizes to test padding. */
  extra?: Array<[id: string, size: number]>;
  extensible?: boolean;
}

function wav({ format, channels = 1, rate = 8000, bits, extra = [], extensible = false }: Fmt): Buffer {
  const fmtSize = extensible ? 40 : 16;
  const fmt = Buffer.alloc(8 + fmtSize);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(fmtSize, 4);
  fmt.writeUInt16LE(extensible ? 0xfffe : format, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 16);
  fmt.writeUInt16LE((channels * bits) / 8, 20);
  fmt.writeUInt16LE(bits, 22);
  if (extensible) fmt.writeUInt16LE(format, 32); // sub-format GUID starts with the format code
  const chunks = extra.map(([id, size]) => {
    const c = Buffer.alloc(8 + size + (size % 2));
    c.write(id, 0, 'ascii');
    c.writeUInt32LE(size, 4);
    return c;
  });
  const data = Buffer.alloc(8 + 16);
  data.write('data', 0, 'ascii');
  data.writeUInt32LE(16, 4);
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, ...chunks, data]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

describe('parseWavHeader', () => {
  it('accepts 8 kHz mono PCM16, mu-law and a-law', () => {
    expect(parseWavHeader(wav({ format: 1, bits: 16 }))).toMatchObject({ codec: 'pcm16', sampleRate: 8000, channels: 1, dataLength: 16 });
    expect(parseWavHeader(wav({ format: 7, bits: 8, extra: [['fact', 4]] }))).toMatchObject({ codec: 'mulaw' });
    expect(parseWavHeader(wav({ format: 6, bits: 8 }))).toMatchObject({ codec: 'alaw' });
    expect(parseWavHeader(wav({ format: 1, bits: 16, extensible: true }))).toMatchObject({ codec: 'pcm16' });
  });

  it('skips odd-sized chunks with their pad byte', () => {
    const info = parseWavHeader(wav({ format: 1, bits: 16, extra: [['LIST', 5], ['junk', 3]] }));
    expect(info).toMatchObject({ codec: 'pcm16', dataLength: 16 });
  });

  it('gives the reason for anything else', () => {
    expect(parseWavHeader(wav({ format: 1, bits: 16, rate: 16000 }))).toBe('WAV is 16000 Hz, need 8000 Hz');
    expect(parseWavHeader(wav({ format: 1, bits: 16, channels: 2 }))).toBe('WAV has 2 channels, need mono');
    expect(parseWavHeader(wav({ format: 1, bits: 8 }))).toBe('unsupported WAV: 8-bit PCM (need 16-bit)');
    expect(parseWavHeader(wav({ format: 3, bits: 32 }))).toBe('unsupported WAV: audio format 3 (need PCM, mu-law or a-law)');
    expect(parseWavHeader(Buffer.from('ID3\u0003 an mp3, really'))).toBe('not a WAV file (no RIFF/WAVE header)');
    expect(parseWavHeader(wav({ format: 1, bits: 16 }).subarray(0, 36))).toBe('WAV has no data chunk');
  });

  it('accepts every committed example prompt', () => {
    for (const name of ['welcome-legal', 'welcome-medicare', 'ask-age', 'ask-zip', 'not-qualified', 'all-busy', 'hvac-closed', 'whisper']) {
      const info = parseWavHeader(readFileSync(`config/prompts/${name}.wav`));
      expect(info, name).toMatchObject({ codec: 'pcm16', sampleRate: 8000, channels: 1 });
      // Short prompts: under 6 s of audio each.
      expect(typeof info === 'string' ? Infinity : info.dataLength / 16000, name).toBeLessThan(6);
    }
  });
});
