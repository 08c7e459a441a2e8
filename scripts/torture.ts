/**
 * RFC 4475 torture run against a live engine (embedded driver, in this process, ephemeral ports).
 *
 *   node --expose-gc --import tsx scripts/torture.ts [--rounds 3] [--quiet-ms 1500]
 *
 * Sends every file in ../shared/sip-torture (SIP_TORTURE_DIR overrides; rfc5118/ too, bytes as stored) over UDP and TCP from the carrier
 * address 127.0.0.1, prints each file's outcome (response code or dropped), then checks the engine still answers a
 * normal OPTIONS (200) and INVITE (100 + 200 from the IVR), and prints heap/RSS before and after (`--rounds` repeats
 * the whole set to make a leak visible). Exits 1 if a check fails.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { DIDS, prepare, startTestEngine } from '../test/resilience/support/engine.js';
import { describe, request, sendUdp } from '../test/resilience/support/sip.js';
import { blast, formatResults, perFileOutcomes, tortureFiles } from '../test/resilience/support/torture.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, 'quiet-ms': { type: 'string', default: '1500' } } });

function memory(): { heapMB: number; rssMB: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heapMB: Math.round(m.heapUsed / 1e5) / 10, rssMB: Math.round(m.rss / 1e5) / 10 };
}

async function main(): Promise<void> {
  const setup = await prepare();
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const target = { host: '127.0.0.1', port: setup.sipPort };
  const files = tortureFiles();
  const quietMs = Number(args['quiet-ms']);
  const start = async () => {
    const { engine } = await startTestEngine(setup, logger);
    return { target, stop: () => engine.stop(1000) };
  };
  console.log(formatResults(await perFileOutcomes(files, start, quietMs)));

  // One engine takes the whole set, both transports at once, `rounds` times; then normal requests must still work.
  const { engine } = await startTestEngine(setup, logger);
  await blast(target, files, quietMs);
  const before = memory();
  for (let i = 0; i < Number(args.rounds); i++) await blast(target, files, quietMs);
  const after = memory();
  const options = await sendUdp(target, request('OPTIONS', { did: DIDS.direct, target: `127.0.0.1:${setup.sipPort}` }), 5000);
  const invite = await sendUdp(target, request('INVITE', { did: DIDS.ivr, target: `127.0.0.1:${setup.sipPort}` }), 5000);
  console.log(`\nafter ${Number(args.rounds) + 1} round(s) of all ${files.length} files over UDP+TCP at one engine: OPTIONS -> ${describe(options)}, INVITE -> ${invite.codes.join(' ')}`);
  const gc = (globalThis as { gc?: unknown }).gc ? 'after gc' : 'no gc: run with --expose-gc';
  console.log(`memory (${gc}): heap ${before.heapMB} -> ${after.heapMB} MB, rss ${before.rssMB} -> ${after.rssMB} MB`);
  await engine.stop(2000);
  if (!options.codes.includes(200) || !invite.codes.includes(200)) process.exitCode = 1;
}

await main();
