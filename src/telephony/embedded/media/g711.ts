/** G.711 mu-law (PCMU, PT 0) and A-law (PCMA, PT 8), ITU-T reference algorithms, table-driven. */
export type Codec = 'PCMU' | 'PCMA';
export const PAYLOAD_TYPE: Readonly<Record<Codec, number>> = { PCMU: 0, PCMA: 8 };

function ulawDecode(u: number): number {
  const x = ~u & 0xff;
  const t = (((x & 0x0f) << 3) + 0x84) << ((x & 0x70) >> 4);
  return x & 0x80 ? 0x84 - t : t - 0x84;
}

function ulawEncode(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, sample));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

function alawDecode(a: number): number {
  const x = a ^ 0x55;
  const exp = (x & 0x70) >> 4;
  let t = (x & 0x0f) << 4;
  t = exp === 0 ? t + 8 : (t + 0x108) << (exp - 1);
  return x & 0x80 ? t : -t;
}

function alawEncode(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, sample)) >> 3;
  let mask = 0xd5;
  if (s < 0) {
    mask = 0x55;
    s = -s - 1;
  }
  const seg = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff].findIndex((end) => s <= end);
  if (seg === -1) return 0x7f ^ mask;
  const aval = (seg << 4) | (seg < 2 ? (s >> 1) & 0x0f : (s >> seg) & 0x0f);
  return aval ^ mask;
}

const DECODE: Record<Codec, Int16Array> = { PCMU: new Int16Array(256), PCMA: new Int16Array(256) };
const ENCODE: Record<Codec, Uint8Array> = { PCMU: new Uint8Array(65536), PCMA: new Uint8Array(65536) };
for (let i = 0; i < 256; i++) {
  DECODE.PCMU[i] = ulawDecode(i);
  DECODE.PCMA[i] = alawDecode(i);
}
for (let i = 0; i < 65536; i++) {
  ENCODE.PCMU[i] = ulawEncode(i - 32768);
  ENCODE.PCMA[i] = alawEncode(i - 32768);
}
const U2A = new Uint8Array(256);
const A2U = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  U2A[i] = ENCODE.PCMA[DECODE.PCMU[i]! + 32768]!;
  A2U[i] = ENCODE.PCMU[DECODE.PCMA[i]! + 32768]!;
}

export function encode(codec: Codec, pcm: Int16Array): Buffer {
  const table = ENCODE[codec];
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = table[pcm[i]! + 32768]!;
  return out;
}

export function decode(codec: Codec, data: Uint8Array): Int16Array {
  const table = DECODE[codec];
  const out = new Int16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = table[data[i]!]!;
  return out;
}

/** Byte-wise transcoding between the two laws (no intermediate buffer). */
export function transcode(from: Codec, to: Codec, data: Buffer): Buffer {
  if (from === to) return data;
  const table = from === 'PCMU' ? U2A : A2U;
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = table[data[i]!]!;
  return out;
}

export function codecForPayloadType(pt: number): Codec | undefined {
  return pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : undefined;
}
