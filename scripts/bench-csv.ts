/**
 * CSV export benchmark: stores N calls (default 100,000, spread over 30 days) in a SQLite file, starts the engine
 * and the admin app on 127.0.0.1, streams GET /calls/export.csv over HTTP, and prints rows, bytes, time and the
 * peak RSS / heap while streaming (against the baseline before the request). Bounded memory means the peak
 * stays near the baseline however many rows there are, far below the size of the file.
 *
 *   npx tsx --expose-gc scripts/bench-csv.ts [--calls 100000] [--keep]
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadSettings } from '../src/config/settings.js';
import { loadConfigOrThrow, startEngine } from '../src/engine.js';
import { buildApp } from '../src/http/app.js';
import { hashKey } from '../src/http/auth.js';
import { ApiKeyRepository } from '../src/store/api-keys.js';
import { openStore } from '../src/store/index.js';
import type { DriverEvents, TelephonyDriver } from '../src/telephony/types.js';

const { values: args } = parseArgs({ options: { calls: { type: 'string', default: '100000' }, keep: { type: 'boolean', default: false } } });
const N = Number(args.calls);
const KEY = 'bench-operator-key';
const MB = 1024 * 1024;
const CAMPAIGNS = [['legal', 'leadgen-co', 'smith-law'], ['medicare', 'seniors-media', 'bluecare'], ['hvac', 'tv-spots', 'coolair']] as const;

/** Takes no calls: the benchmark only reads the store. */
class IdleDriver extends EventEmitter<DriverEvents> implements TelephonyDriver {
  readonly name = 'memory' as const;
  start = () => Promise.resolve();
  stop = () => Promise.resolve();
  isReady = () => true;
  activeCalls = () => 0;
}

function seed(file: string): number {
  const t0 = performance.now();
  const store = openStore(file);
  const start = Date.parse('2026-10-01T00:00:00Z');
  const step = Math.floor((30 * 86_400_000) / N);
  const batch = 10_000;
  for (let from = 0; from < N; from += batch) {
    store.calls.transaction(() => {
      for (let i = from; i < Math.min(N, from + batch); i++) {
        const [campaign, publisher, buyer] = CAMPAIGNS[i % 3]!;
        const id = `call-${String(i).padStart(7, '0')}`;
        const invite = start + i * step;
        const billable = i % 4 !== 0;
        store.calls.insert({
          id, sip_call_id: `${id}@bench`, driver: 'embedded', did: '+18005550100', caller: `+1415555${String(i % 10_000).padStart(4, '0')}`,
          carrier_id: 'local', source_address: '127.0.0.1', campaign_id: campaign, publisher_id: publisher, config_digest: 'bench', invite_at: invite,
        });
        store.calls.update(id, {
          status: 'completed', phase: 'ended', outcome: billable ? 'connected' : 'no_buyer', answer_at: invite + 500, end_at: invite + 180_000,
          buyer_id: billable ? buyer : null, target_id: billable ? `${buyer}-main` : null, buyer_answer_at: billable ? invite + 30_000 : null,
          talk_ms: billable ? 150_000 : null, billable: billable ? 1 : 0, billable_reason: billable ? 'ok' : 'not_connected', payable: billable ? 1 : 0,
          revenue_cents: billable ? 4500 : 0, payout_cents: billable ? 1500 : 0, cost_cents: 3, hangup_side: 'caller', hangup_cause: 'bye',
          tags: '{"zip":"94110"}', ivr_answers: '[]', qualified: 1,
        }, invite + 180_000);
      }
    });
  }
  new ApiKeyRepository(store.db).insert({ id: 'bench', role: 'operator', party: null, key_hash: hashKey(KEY), label: null, created_at: start, created_by: 'bench' });
  store.close();
  return (performance.now() - t0) / 1000;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'callroute-bench-csv-'));
  const db = join(dir, 'calls.sqlite');
  const seedS = seed(db);
  const settings = loadSettings(['--db', db, '--config', 'config/example.yaml'], {});
  const engine = await startEngine({
    settings, logger: pino({ level: 'silent' }), config: loadConfigOrThrow(settings.config), driver: new IdleDriver(), webhooks: false,
  });
  const app = buildApp({ engine, logger: pino({ level: 'silent' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  gc();
  const base = process.memoryUsage();
  const peak = { rss: base.rss, heap: base.heapUsed, live: base.heapUsed };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/calls/export.csv`, { headers: { authorization: `Bearer ${KEY}` } });
  if (!res.ok || !res.body) throw new Error(`export failed: ${res.status}`);
  let bytes = 0;
  let newlines = 0;
  let nextGc = 4 * MB;
  for await (const chunk of res.body) {
    bytes += chunk.byteLength;
    for (const b of chunk) if (b === 10) newlines++;
    sample();
    // Every 4 MiB: what is still reachable (peak heapUsed above also counts garbage not yet collected).
    if (bytes >= nextGc) {
      nextGc += 4 * MB;
      gc();
      peak.live = Math.max(peak.live, process.memoryUsage().heapUsed);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);

  const rows = newlines - 1;
  console.log(`stored calls     ${N.toLocaleString('en-US')} (seeded in ${seedS.toFixed(1)} s; db ${(statSync(db).size / MB).toFixed(1)} MiB)`);
  console.log(`exported rows    ${rows.toLocaleString('en-US')}${rows === N ? '' : `  MISMATCH: expected ${N}`}`);
  console.log(`bytes            ${bytes.toLocaleString('en-US')} (${(bytes / MB).toFixed(1)} MiB)`);
  console.log(`time             ${seconds.toFixed(2)} s  (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s, ${(bytes / MB / seconds).toFixed(1)} MiB/s)`);
  console.log(`rss              baseline ${(base.rss / MB).toFixed(1)} MiB, peak ${(peak.rss / MB).toFixed(1)} MiB (+${((peak.rss - base.rss) / MB).toFixed(1)})`);
  console.log(`heap used        baseline ${(base.heapUsed / MB).toFixed(1)} MiB, peak ${(peak.heap / MB).toFixed(1)} MiB (+${((peak.heap - base.heapUsed) / MB).toFixed(1)}, garbage included)`);
  if ((globalThis as { gc?: unknown }).gc) {
    console.log(`live heap        peak after GC ${(peak.live / MB).toFixed(1)} MiB (+${((peak.live - base.heapUsed) / MB).toFixed(1)}), sampled every 4 MiB streamed`);
  } else {
    console.log('live heap        run with --expose-gc to sample it');
  }
  await app.close();
  await engine.stop(1000);
  if (args.keep) console.log(`kept ${db}`);
  else rmSync(dir, { recursive: true, force: true });
  if (rows !== N) process.exitCode = 1;
}

void main();
