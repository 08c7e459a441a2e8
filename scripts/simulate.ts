/**
 * Replays a seeded stream of synthetic calls through the real billing core and store, prints revenue, payout, cost
 * and margin per campaign, publisher and buyer, then recounts the same totals from the stored call rows (through the
 * store's P&L queries, as the admin API reads them) and says whether the two agree to the cent.
 *
 *   npx tsx scripts/simulate.ts [--calls 10000] [--seed 42] [--db /tmp/simulate.db]
 *
 * Exits 1 when the books disagree.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/index.js';
import { billingRepos } from '../src/store/billing-repos.js';
import { PnlRepository } from '../src/store/pnl.js';
import { arrive, createEnv, hangup, type SimCall } from './simulate/replay.js';
import { runEvents, type CallBook, type EventStats } from './simulate/events.js';
import { differences, fromPnl, table, tally, type Dimension, type Line } from './simulate/books.js';

export interface SimulationResult {
  calls: number;
  mine: Record<Dimension, Line[]>;
  stored: Record<Dimension, Line[]>;
  differences: string[];
  events: EventStats;
  /** Calls whose ledger rows do not sum to the call row. */
  unbalanced: number;
  /** Why targets were skipped, as stored in routing_skips. */
  skips: { reason: string; n: number }[];
  agree: boolean;
}

const DIMENSIONS: Dimension[] = ['campaign', 'publisher', 'buyer'];
/** Sunday 2026-03-01 00:00 UTC: the month holds the US DST change (8th) and the UK one (29th). */
const START = Date.parse('2026-03-01T00:00:00Z');
const MONTH_MS = 31 * 86_400_000;

/**
 * Poisson-like arrivals over a month, thinned by time of day: US daytime (13:00-03:00 UTC) at full rate, nights at a
 * quarter, so business hours, hourly caps and concurrency all come into play.
 */
function nextArrival(rng: () => number, t: number, calls: number): number {
  const gap = (0.6 * MONTH_MS) / calls;
  for (;;) {
    t += Math.max(1, Math.floor(-Math.log(1 - rng()) * gap));
    const hour = new Date(t).getUTCHours();
    if (hour >= 13 || hour < 3 || rng() < 0.25) return t;
  }
}

/** Ends every live call whose end time has come, in end-time order. */
function endDue(env: Parameters<typeof hangup>[0], live: SimCall[], until: number): void {
  live.sort((a, b) => a.endAt - b.endAt);
  while (live.length > 0 && live[0]!.endAt <= until) hangup(env, live.shift()!);
}

export function runSimulation(opts: { seed: number; calls: number; dbFile: string }): SimulationResult {
  rmSync(opts.dbFile, { force: true });
  const store = openStore(opts.dbFile);
  try {
    const repos = billingRepos(store.db);
    const env = createEnv(opts.seed, store, repos);
    const all: SimCall[] = [];
    const live: SimCall[] = [];
    let t = START;
    for (let i = 0; i < opts.calls; i++) {
      t = nextArrival(env.rng, t, opts.calls);
      endDue(env, live, t);
      const call = arrive(env, t);
      all.push(call);
      live.push(call);
    }
    endDue(env, live, Number.MAX_SAFE_INTEGER);
    const books: CallBook[] = all.map((call) => ({
      call, billable: call.decision!.billable, revenue: call.decision!.revenueCents, payout: call.decision!.payoutCents, cost: call.decision!.costCents,
      seenEvents: new Set(), disputed: false, disputeAccepted: false,
    }));
    const events = runEvents(env, books);
    const pnl = new PnlRepository(store.db);
    const mine = Object.fromEntries(DIMENSIONS.map((d) => [d, tally(books, d)])) as Record<Dimension, Line[]>;
    const stored = Object.fromEntries(DIMENSIONS.map((d) => [d, fromPnl(pnl.byColumn(d, {}))])) as Record<Dimension, Line[]>;
    const diffs = DIMENSIONS.flatMap((d) => differences(mine[d], stored[d]).map((x) => `${d} ${x}`));
    const unbalanced = repos.billing.unbalancedCalls().length;
    const skips = repos.billing.skipReasonCounts();
    return { calls: all.length, mine, stored, differences: diffs, events, unbalanced, skips, agree: diffs.length === 0 && unbalanced === 0 && events.mismatches === 0 };
  } finally {
    store.close();
  }
}

/** tmpfs when there is one: the store syncs every commit (synchronous=FULL), which a replay need not wait for on disk. */
export function scratchDir(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

function main(): void {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '10000' }, seed: { type: 'string', default: '42' }, db: { type: 'string' } } });
  const dbFile = values.db ?? join(scratchDir(), `callroute-simulate-${process.pid}.db`);
  const started = performance.now();
  const r = runSimulation({ seed: Number(values.seed), calls: Number(values.calls), dbFile });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`replayed ${r.calls} calls (seed ${values.seed}) through core + store in ${seconds} s -> ${dbFile}\n`);
  for (const d of DIMENSIONS) console.log(table(d, r.mine[d]) + '\n');
  const e = r.events;
  console.log(`skipped targets: ${r.skips.map((s) => `${s.reason} ${s.n}`).join(', ')}`);
  console.log(`conversions applied ${e.conversionsApplied}, ignored ${e.conversionsIgnored} (retries/refused); disputes opened ${e.disputesOpened}, accepted ${e.disputesAccepted}, refused ${e.disputesRefused}`);
  console.log(`recount from stored call rows (store P&L): ${DIMENSIONS.map((d) => `${d} ${r.differences.some((x) => x.startsWith(d)) ? 'DIFFERS' : 'ok'}`).join(', ')}`);
  console.log(`ledger rows sum to call rows: ${r.unbalanced === 0 ? 'yes' : `NO (${r.unbalanced} calls)`}; store/replay decision mismatches: ${e.mismatches}`);
  for (const d of r.differences.slice(0, 20)) console.log(`  ${d}`);
  console.log(r.agree ? 'AGREE to the cent' : 'DISAGREE');
  if (!r.agree) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
