/**
 * INVITE flood from non-carrier loopback addresses while the carrier (127.0.0.1) runs normal sipp calls through the
 * engine (embedded driver, in this process; the flooder is a child process so it does not share our event loop).
 *
 *   npx tsx scripts/flood.ts [--calls 100] [--rate 10] [--hold-ms 2000] [--flood-rate 5000] [--sources 1]
 *
 * Runs the carrier load twice, without and then with the flood, and prints for each: carrier calls attempted /
 * completed (bridged to the buyer and hung up by the caller) and the success rate, setup time INVITE -> buyer answer
 * p50/p99 from the stored rows, and the engine's event-loop lag p50/p99/max while the load ran; for the flood, packets
 * sent and what the guard did with them (403s, dropped while banned, bans, malformed, scanner) and the sources it has
 * banned / tracks at the end.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startBuyer } from '../test/e2e/support/sipp.js';
import { longCalls } from '../test/resilience/support/calls.js';
import { DIDS, prepare, startTestEngine } from '../test/resilience/support/engine.js';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10' },
    'hold-ms': { type: 'string', default: '2000' },
    'flood-rate': { type: 'string', default: '5000' },
    sources: { type: 'string', default: '1' },
  },
});
const CALLS = Number(args.calls);
const FLOODER = fileURLToPath(new URL('../test/resilience/support/flooder.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

function flood(port: number, seconds: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', TSX, FLOODER, '127.0.0.1', String(port), args['flood-rate'], String(seconds), args.sources], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.on('exit', () => resolve(Number(out.trim()))));
}

async function run(withFlood: boolean): Promise<void> {
  const setup = await prepare({ buyerMinS: 1 });
  const buyer = await startBuyer({ port: setup.buyerPort, calls: 0, timeoutS: 600 });
  const { engine, driver } = await startTestEngine(setup, pino({ level: 'silent' }));
  const target = `127.0.0.1:${setup.sipPort}`;
  const holdMs = Number(args['hold-ms']);
  const seconds = Math.ceil(CALLS / Number(args.rate) + holdMs / 1000 + 2);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const cpu = process.cpuUsage();
  lag.enable();
  const flooded = withFlood ? flood(setup.sipPort, seconds) : Promise.resolve(0);
  const callers = await longCalls(target, DIDS.direct, { calls: CALLS, rate: Number(args.rate), holdMs, timeoutS: seconds + 60 });
  await callers.done;
  const sent = await flooded;
  lag.disable();
  const used = process.cpuUsage(cpu);
  const rows = engine.store.db.prepare("SELECT invite_at, buyer_answer_at, hangup_side, hangup_cause FROM calls WHERE campaign_id = 'direct'").all() as
    { invite_at: number; buyer_answer_at: number | null; hangup_side: string; hangup_cause: string }[];
  const ok = rows.filter((r) => r.buyer_answer_at !== null && r.hangup_side === 'caller' && r.hangup_cause === 'bye');
  const setupMs = ok.map((r) => r.buyer_answer_at! - r.invite_at);
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`\n== ${withFlood ? `with flood (${args['flood-rate']}/s INVITEs from ${args.sources} non-carrier address(es))` : 'baseline (no flood)'} ==`);
  console.log(`carrier calls: attempted ${CALLS}, completed ${ok.length}, success ${((100 * ok.length) / CALLS).toFixed(1)}%`);
  console.log(`setup INVITE -> buyer answer: p50 ${pct(setupMs, 50)} ms, p99 ${pct(setupMs, 99)} ms`);
  console.log(`engine event-loop lag: p50 ${ms(lag.percentile(50))} ms, p99 ${ms(lag.percentile(99))} ms, max ${ms(lag.max)} ms`);
  console.log(`engine process CPU: ${((used.user + used.system) / 1e6).toFixed(1)} s over ~${seconds} s`);
  if (withFlood) {
    const g = driver.guard.stats;
    const strangers = engine.store.db.prepare("SELECT COUNT(*) FROM calls WHERE source_address <> '127.0.0.1'").pluck().get() as number;
    console.log(`flood: ${sent} INVITEs sent; guard: ${g.forbidden} answered 403, ${g.banned} dropped while banned, ${g.bans} ban(s); call rows from non-carriers: ${strangers}`);
    // The same figures /metrics exports as callroute_sip_guard_* (malformed stays 0: the flooder sends well-formed INVITEs).
    console.log(`guard: ${g.malformed} malformed, ${g.scanner} scanner; sources banned now ${driver.guard.bannedSources()}, tracked ${driver.guard.tracked}`);
  }
  const failed = rows.filter((r) => !ok.includes(r)).map((r) => `${r.buyer_answer_at === null ? 'not bridged' : 'bridged'} ${r.hangup_side}:${r.hangup_cause}`);
  if (failed.length || rows.length < CALLS) console.log(`carrier calls not completed: ${CALLS - rows.length} never reached the engine; ${JSON.stringify(failed)}`);
  const sippResult = await callers.done;
  if (sippResult.code !== 0) console.log(`sipp exit ${sippResult.code}: ${sippResult.errors.split('\n').filter((l) => /Aborting|timeout|unexpected/i.test(l)).slice(0, 3).join(' | ')}`);
  await engine.stop(2000);
  buyer.proc.kill();
}

await run(false);
await run(true);
process.exit(0); // sipp buyers and sockets of the finished runs must not keep the script alive
