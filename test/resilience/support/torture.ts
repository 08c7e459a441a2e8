/**
 * The RFC 4475 torture messages (and RFC 5118's, as stored) sent byte-for-byte to a live engine over UDP and TCP,
 * with the outcome of each: the final response code, the last provisional one, or `dropped`.
 * Files are read as Buffers and never rewritten: the bytes are the test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessage } from '../../../src/telephony/embedded/sip/parse.js';
import { txKey } from '../../../src/telephony/embedded/sip/transactions.js';
import { describe as outcomeText, sendTcp, sendUdp, type Outcome } from './sip.js';

/** The shared set beside the repository (`../shared/sip-torture`, as issue 8 names it); `SIP_TORTURE_DIR` overrides. */
export const TORTURE_DIR = process.env.SIP_TORTURE_DIR ?? fileURLToPath(new URL('../../../../shared/sip-torture', import.meta.url));

export interface TortureFile {
  name: string;
  bytes: Buffer;
  /** From the README tables: valid, invalid, transaction, application-layer, backward-compat, unreferenced, tolerate… */
  expectation: string;
  /** A response rather than a request (engines drop stray responses). */
  response: boolean;
}

export interface TortureResult {
  file: TortureFile;
  udp: Outcome;
  tcp: Outcome;
}

function expectations(readme: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readme.matchAll(/^\| `([^`]+)` \| [^|]* \| [^|]* \| ([^|]+) \|/gm)) out.set(m[1]!, m[2]!.trim());
  return out;
}

export function tortureFiles(dir = TORTURE_DIR): TortureFile[] {
  const load = (sub: string, filter: (f: string) => boolean, prefix: string): TortureFile[] => {
    const path = join(dir, sub);
    const exp = expectations(readFileSync(join(path, 'README.md'), 'utf8'));
    return readdirSync(path).filter(filter).sort().map((f) => {
      const bytes = readFileSync(join(path, f));
      return { name: prefix + f, bytes, expectation: exp.get(f) ?? 'unknown', response: bytes.subarray(0, 8).toString('latin1') === 'SIP/2.0 ' };
    });
  };
  return [...load('', (f) => f.endsWith('.dat'), ''), ...load('rfc5118', (f) => f !== 'README.md', 'rfc5118/')];
}

/**
 * Many files share a Via branch (`z9hG4bKkdjuw`...) and method, so to a RFC 3261 stack they are retransmissions of one
 * transaction (answered to the first sender). To see each file's own outcome, files are split into batches with no
 * shared transaction key, and each batch goes to a fresh engine.
 */
export function batches(files: TortureFile[]): TortureFile[][] {
  const out: { keys: Set<string>; files: TortureFile[] }[] = [];
  for (const f of files) {
    const r = parseMessage(f.bytes, false);
    const key = r.ok === true && r.message.isRequest ? txKey(r.message) : undefined;
    let batch = out.find((b) => key === undefined || !b.keys.has(key));
    if (!batch) out.push((batch = { keys: new Set(), files: [] }));
    if (key !== undefined) batch.keys.add(key);
    batch.files.push(f);
  }
  return out.map((b) => b.files);
}

export interface LiveTarget {
  target: { host: string; port: number };
  stop(): Promise<void>;
}

/** Each file's outcome over UDP and over TCP, every batch against a fresh engine from `start`. */
export async function perFileOutcomes(files: TortureFile[], start: () => Promise<LiveTarget>, quietMs: number): Promise<TortureResult[]> {
  const results = new Map<TortureFile, Partial<TortureResult>>(files.map((f) => [f, { file: f }]));
  for (const transport of ['udp', 'tcp'] as const) {
    for (const batch of batches(files)) {
      const live = await start();
      const send = transport === 'udp' ? sendUdp : sendTcp;
      const outs = await Promise.all(batch.map((f) => send(live.target, f.bytes, quietMs)));
      batch.forEach((f, i) => (results.get(f)![transport] = outs[i]));
      await live.stop();
    }
  }
  return files.map((f) => results.get(f) as TortureResult);
}

/** The whole set over both transports at one engine, all at once (the crash / leak run). */
export async function blast(target: { host: string; port: number }, files: TortureFile[], quietMs: number): Promise<void> {
  await Promise.all(files.flatMap((f) => [sendUdp(target, f.bytes, quietMs), sendTcp(target, f.bytes, quietMs)]));
}

export function formatResults(results: TortureResult[]): string {
  const rows = results.map((r) => `${r.file.name.padEnd(38)} ${r.file.expectation.padEnd(18)} udp=${outcomeText(r.udp).padEnd(16)} tcp=${outcomeText(r.tcp)}`);
  return [`${'file'.padEnd(38)} ${'expectation'.padEnd(18)} outcome`, ...rows].join('\n');
}
