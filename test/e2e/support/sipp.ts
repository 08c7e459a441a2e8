/**
 * Running real sipp (Debian `sip-tester`) from tests: scenario files from test/e2e/sipp with placeholders filled
 * in, free loopback ports, and the exit code (0 = every call succeeded) plus whatever sipp said on failure.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', 'sipp');
export const PCAP_DIR = '/usr/share/sip-tester';

export interface SippResult {
  code: number | null;
  stderr: string;
  /** Contents of sipp's *_errors.log, when it wrote one. */
  errors: string;
}

export interface SippProcess {
  done: Promise<SippResult>;
  kill(): void;
}

/** Copy a scenario into a temp dir with its UPPER_CASE placeholders replaced. */
export function scenario(name: string, vars: Record<string, string | number> = {}): string {
  let text = readFileSync(join(SCENARIOS, name), 'latin1');
  const all = { PCAP_DIR, DTMF_PCAP: 'dtmf_2833_1.pcap', ...vars };
  for (const [k, v] of Object.entries(all)) text = text.replaceAll(k, String(v));
  const dir = mkdtempSync(join(tmpdir(), 'sipp-scn-'));
  const file = join(dir, name);
  writeFileSync(file, text, 'latin1');
  return file;
}

/** Start sipp; `args` are sipp's own. Always non-interactive, with a global timeout and error trace. */
export function sipp(args: string[], timeoutS = 30): SippProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'sipp-run-'));
  const child = spawn('sipp', ['-nostdin', '-timeout', `${timeoutS}s`, '-timeout_error', '-trace_err', ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<SippResult>((resolve) => {
    child.on('exit', (code) => {
      const errors = readdirSync(cwd).filter((f) => f.endsWith('_errors.log')).map((f) => readFileSync(join(cwd, f), 'utf8')).join('\n');
      resolve({ code, stderr, errors });
    });
  });
  return { done, kill: () => child.kill('SIGTERM') };
}

/** A port free on loopback for both UDP and TCP (best effort: it is released before use). */
export async function freePort(): Promise<number> {
  for (;;) {
    const udp = dgram.createSocket('udp4');
    const port = await new Promise<number>((r) => udp.bind(0, '127.0.0.1', () => r(udp.address().port)));
    const tcp = net.createServer();
    const ok = await new Promise<boolean>((r) => {
      tcp.once('error', () => r(false));
      tcp.listen(port, '127.0.0.1', () => r(true));
    });
    udp.close();
    if (ok) {
      await new Promise((r) => tcp.close(r));
      if (port % 2 === 0 && port < 65000) return port;
    }
  }
}

/** A sipp buyer (UAS) on its own SIP and media ports; `scenarioFile` undefined = sipp's built-in uas. */
export async function startBuyer(opts: { scenarioFile?: string; calls?: number; timeoutS?: number; port?: number; extra?: string[] } = {}): Promise<{ uri: string; port: number; proc: SippProcess }> {
  const port = opts.port ?? (await freePort());
  const mport = await freePort();
  const sc = opts.scenarioFile ? ['-sf', opts.scenarioFile] : ['-sn', 'uas'];
  const proc = sipp([...sc, '-i', '127.0.0.1', '-p', String(port), '-mp', String(mport), '-rtp_echo', ...(opts.calls === 0 ? [] : ['-m', String(opts.calls ?? 1)]), ...(opts.extra ?? [])], opts.timeoutS ?? 30);
  await waitForUdp(port, proc);
  return { uri: `sip:buyer@127.0.0.1:${port}`, port, proc };
}

/** A sipp caller (UAC) sending `calls` calls to `target` (host:port) for `did`. */
export async function startCaller(opts: { scenarioFile: string; target: string; did: string; caller?: string; calls?: number; rate?: number; timeoutS?: number; extra?: string[]; local?: string }): Promise<SippProcess> {
  const port = await freePort();
  const mport = await freePort();
  return sipp([
    opts.target, '-sf', opts.scenarioFile, '-s', opts.did, '-key', 'caller', opts.caller ?? '+14155550123',
    '-i', opts.local ?? '127.0.0.1', '-p', String(port), '-mp', String(mport), '-m', String(opts.calls ?? 1), '-r', String(opts.rate ?? 1),
    ...(opts.extra ?? []),
  ], opts.timeoutS ?? 30);
}

/**
 * Best-effort wait until sipp listens on its UDP port (reads /proc, so it never races sipp for the port).
 * Not fatal: a buyer bound late still gets our retransmitted INVITE, and a sipp that failed shows in its exit code.
 */
async function waitForUdp(port: number, proc: SippProcess): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let exited = false;
  void proc.done.then(() => (exited = true));
  for (let i = 0; i < 250 && !exited; i++) {
    if (readFileSync('/proc/net/udp', 'utf8').split('\n').some((l) => l.split(/\s+/)[2]?.endsWith(hex))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
