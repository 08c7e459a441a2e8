/**
 * Load test of a telephony driver through the whole engine, with real sipp, against sipp-to-sipp as the reference.
 *
 *   npx tsx scripts/load.ts [--rate 10] [--concurrency 50] [--calls 200] [--talk 5] [--ivr] [--no-reference] [--db-dir DIR]
 *                           [--freeswitch]
 *
 * LOAD_LOG=info shows the engine's log (default warn).
 * --freeswitch: the freeswitch driver against the real drachtio-server + FreeSWITCH named by CALLROUTE_TEST_DRACHTIO /
 * CALLROUTE_TEST_FS (test/support/real-stack-env.ts) instead of the embedded driver; the CPU of the local drachtio
 * and freeswitch processes is printed beside the engine's.
 *
 * Carrier (sipp UAC) -> engine (embedded driver, SQLite store) -> buyer (sipp UAS with RTP echo), on loopback.
 * Every caller plays a G.711 A-law pcap (and an RFC 2833 digit, which answers the IVR with --ivr); the buyer echoes
 * the audio, so media crosses the engine both ways. Prints calls attempted/completed/failed, achieved calls per second,
 * post-dial delay p50/p99 (INVITE in -> INVITE out to the buyer, from the stored rows), bridged calls whose media
 * flowed both ways, and the engine's CPU and peak RSS. Then the same load sipp -> sipp directly.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfigText } from '../src/config/load.js';
import { loadSettings } from '../src/config/settings.js';
import { startEngine } from '../src/engine.js';
import type { CallRow } from '../src/store/index.js';
import { createEmbeddedDriver } from '../src/telephony/embedded/index.js';
import { createFreeswitchDriver, type FreeswitchDriver } from '../src/telephony/freeswitch/index.js';
import { realStackArgs, realStackFromEnv } from '../test/support/real-stack-env.js';
import { writeToneWav } from '../test/e2e/support/driver-harness.js';
import { freePort, scenario, sipp, startBuyer, type SippProcess } from '../test/e2e/support/sipp.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
    calls: { type: 'string', default: '200' },
    talk: { type: 'string', default: '5' },
    ivr: { type: 'boolean', default: false },
    'no-reference': { type: 'boolean', default: false },
    /** Where the SQLite file goes (e.g. /dev/shm to take disk fsyncs out of the picture). */
    'db-dir': { type: 'string' },
    freeswitch: { type: 'boolean', default: false },
  },
});
const RATE = Number(args.rate);
const LIMIT = Number(args.concurrency);
const CALLS = Number(args.calls);
const TALK_MS = Number(args.talk) * 1000;
const DID = args.ivr ? '+18005550100' : '+18005550200';

interface SippStats {
  attempted: number;
  completed: number;
  failed: number;
  /** Calls started per second while sipp was starting them (1 s resolution at both ends). */
  cps: number;
  responseMs: number;
}

function config(buyerPort: number): string {
  return `
version: 1
carriers: [{ id: loopback, name: Loopback, sources: [127.0.0.0/8], cost_per_minute_cents: 1 }]
prompts: [{ id: press1, file: press1.wav }]
ivr_flows:
  - id: screen
    start: ask
    steps:
      ask: { type: menu, prompt: press1, retries: 0, options: { "1": { next: route } } }
publishers: [{ id: pub, name: Publisher, payout: { type: fixed, amount_cents: 100 } }]
buyers:
  - id: buyer
    name: Buyer
    price_cents: 1000
    targets: [{ id: buyer_t, destination: { sip: "sip:intake@127.0.0.1:${buyerPort}" } }]
campaigns:
  - { id: ivr, name: IVR, ivr: screen, dids: [{ number: "+18005550100", publisher: pub }], routes: [{ target: buyer_t }] }
  - { id: direct, name: Direct, dids: [{ number: "+18005550200", publisher: pub }], routes: [{ target: buyer_t }] }
`;
}

/** The caller side: `calls` calls at `rate`/s, at most `limit` at once, with a stats file to read afterwards. */
async function runCallers(target: string, dir: string): Promise<SippStats> {
  const stats = join(dir, `stats-${Date.now()}.csv`);
  const sc = scenario('caller-ivr.xml', { DTMF_DELAY_MS: 300, BRIDGE_WAIT_MS: 700, TALK_MS: Math.max(0, TALK_MS - 1000) });
  const timeoutS = Math.ceil(CALLS / RATE + TALK_MS / 1000 + 60);
  const port = await freePort();
  const mport = await freePort();
  const proc: SippProcess = sipp([
    target, '-sf', sc, '-s', DID, '-key', 'caller', '+14155550123', '-i', '127.0.0.1', '-p', String(port), '-mp', String(mport),
    '-r', String(RATE), '-l', String(LIMIT), '-m', String(CALLS), '-trace_stat', '-stf', stats, '-fd', '1',
  ], timeoutS);
  await proc.done;
  return readStats(stats);
}

/** sipp's periodic stats CSV: final counters, plus the calls/s achieved while calls were being started. */
function readStats(file: string): SippStats {
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(';'));
  const head = lines[0]!;
  const rows = lines.slice(1);
  const col = (row: string[], name: string): string => row[head.indexOf(name)] ?? '0';
  // Durations are written HH:MM:SS:microseconds.
  const secs = (t: string): number => {
    const [h = 0, m = 0, s = 0, us = 0] = t.split(':').map(Number);
    return h * 3600 + m * 60 + s + us / 1e6;
  };
  const last = rows[rows.length - 1]!;
  const attempted = Number(col(last, 'OutgoingCall(C)'));
  const started = rows.filter((r) => Number(col(r, 'OutgoingCall(C)')) > 0);
  const done = started.find((r) => Number(col(r, 'OutgoingCall(C)')) >= attempted) ?? last;
  const span = started.length ? secs(col(done, 'ElapsedTime(C)')) - secs(col(started[0]!, 'ElapsedTime(C)')) + 1 : 1;
  return {
    attempted,
    completed: Number(col(last, 'SuccessfulCall(C)')),
    failed: Number(col(last, 'FailedCall(C)')),
    cps: attempted / Math.max(1, span),
    responseMs: secs(col(last, 'ResponseTime1(C)')) * 1000,
  };
}

const T0 = performance.now();
const progress = (what: string): void => console.error(`[${((performance.now() - T0) / 1000).toFixed(1)} s] ${what}`);

const countBy = (xs: string[]): Record<string, number> => xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function throughEngine(dir: string): Promise<void> {
  writeToneWav(join(dir, 'press1.wav'), 1);
  const buyerPort = await freePort();
  const yaml = config(buyerPort);
  const loaded = loadConfigText(yaml, join(dir, 'load.yaml'), {});
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const stack = args.freeswitch ? realStackFromEnv() : undefined;
  if (args.freeswitch && !stack) throw new Error('--freeswitch needs CALLROUTE_TEST_DRACHTIO and CALLROUTE_TEST_FS');
  const driverArgs = stack ? realStackArgs(stack) : ['--sip-host', '127.0.0.1', '--sip-port', String(await freePort()), '--rtp-port-min', '30000', '--rtp-port-max', '39998'];
  const settings = loadSettings(['--db', join(args['db-dir'] ?? dir, `load-${process.pid}.sqlite`), '--media-timeout-s', '30', ...driverArgs], {});
  const logger = pino({ level: process.env.LOAD_LOG ?? 'warn' });
  const driver = stack ? (createFreeswitchDriver({ settings, logger }) as FreeswitchDriver) : createEmbeddedDriver({ settings, logger });
  const target = stack ? `${stack.sip.host}:${stack.sip.port}` : `127.0.0.1:${settings.sipPort}`;
  const rows: CallRow[] = [];
  const engine = await startEngine({ settings, logger, driver, config: loaded.config, observers: [{ ended: (r) => rows.push({ ...r }) }] });
  while (!driver.isReady()) await new Promise((r) => setTimeout(r, 100));
  const peers0 = peerCpuSeconds();
  const buyer = await startBuyer({ port: buyerPort, calls: 0, timeoutS: Math.ceil(CALLS / RATE + 120) });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let peakRss = 0;
  const peakPerServer = new Map<string, number>();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const servers = 'mediaServers' in driver ? driver.mediaServers() : [];
    for (const m of servers) peakPerServer.set(m.address, Math.max(peakPerServer.get(m.address) ?? 0, m.activeCalls));
  }, 250);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await runCallers(target, dir);
  progress('callers done');
  for (let i = 0; i < 100 && rows.length < s.attempted; i++) await new Promise((r) => setTimeout(r, 100));
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peers = peerCpuSeconds();
  clearInterval(sampler);
  const pdd = rows.flatMap((r) => {
    const first = engine.store.calls.attempts(r.id)[0];
    return first ? [first.invite_at - r.invite_at] : [];
  });
  const bridged = rows.filter((r) => r.outcome === 'connected');
  const mediaBothWays = bridged.filter((r) => {
    const st = driver.relayStats(r.sip_call_id);
    return st !== undefined && st.toBuyer > 0 && st.toCaller > 0;
  });
  console.log(`\n== through the engine (${driver.name} driver${args.ivr ? ', IVR answered by RFC 2833' : ', no IVR'}) ==`);
  console.log(`rate ${RATE}/s, concurrency limit ${LIMIT}, talk ${TALK_MS / 1000} s`);
  console.log(`attempted ${s.attempted}  completed ${s.completed}  failed ${s.failed}  (engine rows ${rows.length}, connected ${bridged.length})`);
  console.log(`achieved ${s.cps.toFixed(1)} calls/s; caller INVITE->200 avg ${s.responseMs.toFixed(1)} ms`);
  console.log(`post-dial delay (INVITE in -> INVITE to buyer) p50 ${pct(pdd, 50)} ms  p99 ${pct(pdd, 99)} ms  (n=${pdd.length})`);
  console.log(`media both ways on ${mediaBothWays.length}/${bridged.length} bridged calls`);
  loop.disable();
  const verdict = s.failed === 0 && bridged.length === s.attempted && mediaBothWays.length === bridged.length;
  console.log(`event-loop delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms  p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms  max ${(loop.max / 1e6).toFixed(0)} ms`);
  console.log(`outcomes: ${JSON.stringify(countBy(rows.map((r) => r.outcome ?? 'none')))}`);
  console.log(`verdict: ${verdict ? 'ZERO FAILURES (every call bridged, media both ways)' : 'FAILURES'}`);
  console.log(`engine CPU ${(((cpu.user + cpu.system) / 1e6 / wallS) * 100).toFixed(1)}% of one core over ${wallS.toFixed(1)} s; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  if (stack) {
    const share = (name: string): string => `${name} ${((((peers[name] ?? 0) - (peers0[name] ?? 0)) / wallS) * 100).toFixed(1)}%`;
    console.log(`media/SIP servers on this machine, CPU of one core: ${share('drachtio')}, ${share('freeswitch')}`);
    console.log(`peak calls per media server: ${[...peakPerServer].map(([a, n]) => `${a} ${n}`).join(', ')}`);
  }
  buyer.proc.kill();
  await buyer.proc.done;
  progress('buyer stopped');
  await engine.stop(2000);
  progress('engine stopped');
}

/** CPU seconds used so far by local processes named drachtio / freeswitch (Linux /proc; 0 when none runs here). */
function peerCpuSeconds(): Record<string, number> {
  const out: Record<string, number> = {};
  const tick = 100; // USER_HZ on Linux
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = /\(([^)]*)\)/.exec(stat)?.[1] ?? '';
      if (name !== 'drachtio' && name !== 'freeswitch') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // the process ended while we read it
    }
  }
  return out;
}

async function reference(dir: string): Promise<void> {
  const buyer = await startBuyer({ calls: 0, timeoutS: Math.ceil(CALLS / RATE + 120) });
  const s = await runCallers(`127.0.0.1:${buyer.port}`, dir);
  buyer.proc.kill();
  await buyer.proc.done;
  console.log('\n== reference: sipp -> sipp directly ==');
  console.log(`attempted ${s.attempted}  completed ${s.completed}  failed ${s.failed}`);
  console.log(`achieved ${s.cps.toFixed(1)} calls/s; caller INVITE->200 avg ${s.responseMs.toFixed(1)} ms`);
}

const dir = mkdtempSync(join(tmpdir(), 'callroute-load-'));
writeFileSync(join(dir, '.keep'), '');
try {
  await throughEngine(dir);
  if (!args['no-reference']) await reference(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
