/**
 * The process with driver `freeswitch` and nothing to connect to: it stays up, logs one line per retry, answers
 * /health (and /ready with ready:false), and exits cleanly on SIGTERM. Runs src/main.ts as a child process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A loopback port that was free a moment ago (nothing listens on it once this resolves). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('engine process with driver freeswitch and no drachtio/FreeSWITCH', () => {
  let child: ChildProcess | undefined;
  let dir: string;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs one line per retry, serves /health with readiness false, exits 0 on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'callroute-fs-start-'));
    const [http, drachtio, fs, esl] = [await freePort(), await freePort(), await freePort(), await freePort()];
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: join(import.meta.dirname, '../../..'),
      env: {
        ...process.env,
        CALLROUTE_DRIVER: 'freeswitch', CALLROUTE_CONFIG: 'config/example.yaml', CALLROUTE_DB: join(dir, 'c.sqlite'),
        CALLROUTE_HTTP_HOST: '127.0.0.1', CALLROUTE_HTTP_PORT: String(http), CALLROUTE_DRACHTIO_PORT: String(drachtio),
        CALLROUTE_FREESWITCH_SERVERS: `127.0.0.1:${fs}`, CALLROUTE_ESL_LISTEN: `127.0.0.1:${esl}`, CALLROUTE_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    const retries: Record<string, unknown>[] = [];
    let listening!: () => void;
    const isListening = new Promise<void>((r) => (listening = r));
    let twoRetries!: () => void;
    const sawTwoRetries = new Promise<void>((r) => (twoRetries = r));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const line = JSON.parse(l) as Record<string, unknown>;
      lines.push(line);
      if (line.msg === 'listening') listening();
      if (line.msg === 'freeswitch event socket down, retrying') retries.push(line);
      if (retries.length === 2) twoRetries();
    });
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));

    await Promise.all([isListening, sawTwoRetries]);
    expect(retries.map((r) => [r.attempt, r.port])).toEqual([[1, fs], [2, fs]]);
    expect(retries.every((r) => r.level === 40 && typeof r.reason === 'string')).toBe(true);
    // no other warnings or errors in between: each retry is one line
    expect(lines.filter((l) => (l.level as number) >= 40 && l.msg !== 'freeswitch event socket down, retrying')).toEqual([]);

    const health = await fetch(`http://127.0.0.1:${http}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${http}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, driver: 'freeswitch', draining: false });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.some((l) => l.msg === 'engine stopped')).toBe(true);
  });
});
