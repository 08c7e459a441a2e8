/**
 * An engine for resilience tests and scripts: a campaign config whose only carrier is 127.0.0.1 (so 127.0.0.2 is a
 * stranger), a screening IVR campaign and a direct one, one buyer (a sipp UAS on `buyerPort`), a trunk with a password
 * and a webhook secret (so tests can prove they never reach the logs). In-process (`startTestEngine`) or as a child
 * process running src/main.ts (`engineArgs` + `spawnEngine`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadConfigText } from '../../../src/config/load.js';
import { loadSettings } from '../../../src/config/settings.js';
import type { CallObserver } from '../../../src/calls/observer.js';
import { startEngine, type Engine } from '../../../src/engine.js';
import { createEmbeddedDriver, type EmbeddedDriver } from '../../../src/telephony/embedded/index.js';
import { rtpRange, writeToneWav } from '../../e2e/support/driver-harness.js';
import { freePort } from '../../e2e/support/sipp.js';

export const DIDS = { ivr: '+18005550100', direct: '+18005550200', unknown: '+19995550000' } as const;
export const SECRETS = { trunkPassword: 'tr0nk-Pa55-word-7731', webhookSecret: 'wh-s3cret-0f-the-hook-4412', hashSecret: 'hash-s3cret-for-callers-9981' };
export const CALLER = '+14155550123';

export interface TestSetup {
  dir: string;
  configFile: string;
  db: string;
  sipPort: number;
  httpPort: number;
  buyerPort: number;
}

export function configYaml(buyerPort: number, buyerMinS: number): string {
  return `
version: 1
carriers:
  - { id: carrier, name: Carrier, sources: [127.0.0.1/32], cost_per_minute_cents: 1 }
trunks:
  - { id: out, host: "127.0.0.1:${buyerPort}", username: callroute, password: "${SECRETS.trunkPassword}", cost_per_minute_cents: 1 }
prompts: [{ id: press1, file: press1.wav }]
ivr_flows:
  - id: screen
    start: ask
    steps:
      ask: { type: menu, prompt: press1, retries: 0, timeout_s: 5, options: { "1": { next: route } } }
publishers: [{ id: pub, name: Publisher, payout: { type: fixed, amount_cents: 100 }, min_duration_s: 1 }]
buyers:
  - id: buyer
    name: Buyer
    price_cents: 1000
    min_duration_s: ${buyerMinS}
    targets: [{ id: buyer_t, destination: { trunk: out, number: "+15550001111" } }]
campaigns:
  - { id: ivr, name: IVR, ivr: screen, ring_timeout_s: 10, dids: [{ number: "${DIDS.ivr}", publisher: pub }], routes: [{ target: buyer_t }] }
  - id: direct
    name: Direct
    ring_timeout_s: 10
    dids: [{ number: "${DIDS.direct}", publisher: pub }]
    routes: [{ target: buyer_t }]
    webhooks: [{ id: hook, url: "http://127.0.0.1:9/hook", secret: "${SECRETS.webhookSecret}", events: [call.ended] }]
`;
}

export async function prepare(opts: { buyerMinS?: number } = {}): Promise<TestSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'resilience-'));
  writeToneWav(join(dir, 'press1.wav'), 1);
  const buyerPort = await freePort();
  const configFile = join(dir, 'campaigns.yaml');
  writeFileSync(configFile, configYaml(buyerPort, opts.buyerMinS ?? 2));
  return { dir, configFile, db: join(dir, 'calls.sqlite'), sipPort: await freePort(), httpPort: await freePort(), buyerPort };
}

/** Engine flags for a setup; `extra` wins (later flags override earlier ones). */
export function engineArgs(s: TestSetup, extra: string[] = []): string[] {
  const rtpMin = Number(rtpRange()[1]);
  return [
    '--config', s.configFile, '--db', s.db, '--sip-host', '127.0.0.1', '--sip-port', String(s.sipPort),
    '--http-host', '127.0.0.1', '--http-port', String(s.httpPort), '--media-timeout-s', '0', '--hash-secret', SECRETS.hashSecret,
    '--rtp-port-min', String(rtpMin), '--rtp-port-max', String(rtpMin + 1200), ...extra,
  ];
}

export async function startTestEngine(s: TestSetup, logger: Logger, extra: string[] = [], observers: CallObserver[] = []): Promise<{ engine: Engine; driver: EmbeddedDriver }> {
  const args = engineArgs(s, extra);
  const settings = loadSettings(args, {});
  const loaded = loadConfigText(readFileSync(s.configFile, 'utf8'), s.configFile, {});
  if (!loaded.ok) throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`);
  const driver = createEmbeddedDriver({ settings, logger });
  const engine = await startEngine({ settings, logger, driver, config: loaded.config, webhooks: false, observers });
  return { engine, driver };
}

const MAIN = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');

export interface EngineChild {
  child: ChildProcess;
  /** Resolves once a log line with this `msg` was printed. */
  logged(msg: string): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every stdout line so far. */
  lines(): string[];
}

/** src/main.ts in a child process (embedded driver), JSON logs on stdout. */
export function spawnEngine(args: string[]): EngineChild {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const all: string[] = [];
  let partial = '';
  const watchers: Array<{ msg: string; resolve: (o: Record<string, unknown>) => void }> = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  child.stderr.on('data', (b: Buffer) => process.stderr.write(b));
  child.stdout.on('data', (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      all.push(line);
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      for (const w of watchers.filter((x) => x.msg === obj.msg)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(obj);
      }
    }
  });
  const logged = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = all.map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return undefined; } }).find((o) => o?.msg === msg);
      if (seen) return resolve(seen);
      watchers.push({ msg, resolve });
      void exited.then((e) => reject(new Error(`engine exited (${e.code ?? e.signal}) before logging "${msg}"`)));
    });
  return { child, logged, exited, lines: () => [...all] };
}
