/** How long the FreeSWITCH stand-in "plays" something: WAV length from its header, silence/tone streams by spec. */
import { existsSync, openSync, readSync, closeSync } from 'node:fs';

/** Milliseconds of audio, Infinity for a looping tone, undefined when the file does not exist. */
export function playbackMs(file: string): number | undefined {
  if (file.startsWith('silence_stream://')) return Number(file.slice(17).split(',')[0]) || 0;
  if (file.startsWith('tone_stream://')) return /loops=-1/.test(file) ? Infinity : 1000;
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const h = Buffer.alloc(44);
    readSync(fd, h, 0, 44, 0);
    if (h.toString('ascii', 0, 4) !== 'RIFF') return 1000;
    const byteRate = h.readUInt32LE(28);
    const dataLen = h.readUInt32LE(40);
    return byteRate > 0 ? Math.round((dataLen * 1000) / byteRate) : 0;
  } finally {
    closeSync(fd);
  }
}

export interface PgdArgs {
  min: number;
  max: number;
  tries: number;
  timeout: number;
  terminators: string;
  file: string;
  invalidFile: string;
  varName: string;
  regexp: RegExp;
  digitTimeout: number;
}

/** `play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file> <var_name> <regexp> <digit_timeout>` */
export function parsePgd(arg: string): PgdArgs {
  const [min, max, tries, timeout, terminators, file, invalidFile, varName, regexp, digitTimeout] = arg.split(' ');
  return {
    min: Number(min), max: Number(max), tries: Number(tries) || 1, timeout: Number(timeout),
    terminators: terminators === 'none' ? '' : terminators ?? '#', file: file ?? '', invalidFile: invalidFile ?? '',
    varName: varName ?? 'digits', regexp: new RegExp(regexp ?? '\\d+'), digitTimeout: Number(digitTimeout) || Number(timeout),
  };
}
