/**
 * Auction benchmark: N ping-post auctions against M local HTTP bidders with set latencies.
 *
 *   npx tsx scripts/bench-auction.ts [--auctions 1000] [--bidders 8] [--latencies 5,10,...] [--timeout 250]
 *                                    [--concurrency 16] [--late 0]
 *
 * The bidders run in a child process (their own event loop, as real buyers would) on 127.0.0.1.
 * Prints the auction overhead (auction wall time minus the slowest in-time answer) p50/p99, run one at a
 * time and with `concurrency` auctions in flight, and auctions per second. With `--late K`, K extra bidders
 * answer after the deadline, and the deadline overshoot (auction time minus timeout) is printed too.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BidderClient } from '../src/rtb/client.js';
import { runAuction, type AuctionBidder } from '../src/rtb/auction.js';

const SECRET = 'bench-secret-0123456789';

/** Child: one HTTP server per latency; replies with a bid after that many ms. Sends the ports to the parent. */
async function serveBidders(latencies: number[]): Promise<void> {
  const ports = await Promise.all(
    latencies.map(
      (ms) =>
        new Promise<number>((resolve) => {
          const body = JSON.stringify({ bid_cents: 1000 + ms, expires_in_s: 60 });
          const server = createServer((req, res) => {
            req.resume();
            req.on('end', () => {
              const t = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), ms);
              res.on('close', () => clearTimeout(t));
            });
          });
          server.keepAliveTimeout = 60_000;
          server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
        }),
    ),
  );
  process.send!({ ports });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runBatch(client: BidderClient, bidders: AuctionBidder[], n: number, concurrency: number) {
  const overhead: number[] = [];
  const overshoot: number[] = [];
  let next = 0;
  // Event-loop delay in this process: on a loaded machine it, not the auction code, is what stretches auctions.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const o = await runAuction(client, {
        pingId: `bench-${i}`, callId: null, campaignId: 'bench', tags: { zip: '94110' }, hashKey: SECRET,
        caller: { number: '+14155550123', areaCode: '415', state: 'CA', zip: '94110' }, bidders,
      });
      const late = o.record.bids.some((b) => b.reason === 'late');
      if (late) overshoot.push(o.record.durationMs - Math.max(...bidders.map((b) => b.timeoutMs ?? 2000)));
      else overhead.push(o.record.durationMs - o.slowestInTimeMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  loop.disable();
  return {
    overhead: overhead.sort((a, b) => a - b),
    overshoot: overshoot.sort((a, b) => a - b),
    perSecond: n / seconds,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
  };
}

function report(label: string, r: Awaited<ReturnType<typeof runBatch>>): void {
  const f = (x: number) => x.toFixed(2);
  const parts = [`${label}: ${r.perSecond.toFixed(0)} auctions/s`];
  if (r.overhead.length) parts.push(`overhead p50 ${f(pct(r.overhead, 50))} ms, p99 ${f(pct(r.overhead, 99))} ms`);
  if (r.overshoot.length) parts.push(`deadline overshoot p50 ${f(pct(r.overshoot, 50))} ms, p99 ${f(pct(r.overshoot, 99))} ms, max ${f(r.overshoot.at(-1)!)} ms`);
  parts.push(`event-loop delay p99 ${f(r.loopP99)} ms, max ${f(r.loopMax)} ms`);
  console.log(parts.join('; '));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      auctions: { type: 'string', default: '1000' },
      bidders: { type: 'string', default: '8' },
      latencies: { type: 'string' },
      timeout: { type: 'string', default: '250' },
      concurrency: { type: 'string', default: '16' },
      late: { type: 'string', default: '0' },
      serve: { type: 'string' },
    },
  });
  if (values.serve !== undefined) return serveBidders(values.serve.split(',').map(Number));
  const m = Number(values.bidders);
  const timeout = Number(values.timeout);
  const latencies = values.latencies ? values.latencies.split(',').map(Number) : Array.from({ length: m }, (_, i) => 5 + Math.round((i * 45) / Math.max(1, m - 1)));
  const late = Array.from({ length: Number(values.late) }, () => timeout + 200);
  const child = fork(process.argv[1]!, ['--serve', [...latencies, ...late].join(',')], { execArgv: process.execArgv });
  const ports = await new Promise<number[]>((resolve) => child.once('message', (msg: { ports: number[] }) => resolve(msg.ports)));
  const bidders: AuctionBidder[] = ports.map((port, i) => ({
    buyerId: `bidder${i}`, url: `http://127.0.0.1:${port}/ping`, secret: SECRET, timeoutMs: timeout, floorCents: 0, priority: i + 1, canSeeCaller: false,
  }));
  const client = new BidderClient();
  const n = Number(values.auctions);
  console.log(`bench-auction: ${n} auctions x ${bidders.length} bidders (latencies ${[...latencies, ...late].join(',')} ms, timeout ${timeout} ms), node ${process.version}`);
  await runBatch(client, bidders, Math.min(200, n), 4); // warm-up: connections, JIT
  report('sequential', await runBatch(client, bidders, Math.min(n, 500), 1));
  report(`concurrency ${values.concurrency}`, await runBatch(client, bidders, n, Number(values.concurrency)));
  await client.close();
  child.kill();
}

await main();
