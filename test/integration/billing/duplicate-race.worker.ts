/**
 * One side of the duplicate race: its own connection to the shared SQLite file, a call context built as the call
 * manager builds one, released by a barrier, then `finishCall` (the real hangup path: money, ledger, caps, CDR,
 * webhook outbox) for its call of each round.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { loadConfigText } from '../../../src/config/load.js';
import type { CallContext, CallDeps } from '../../../src/calls/context.js';
import { finishCall } from '../../../src/calls/finish.js';
import { staticCandidates } from '../../../src/calls/routing.js';
import { openStore } from '../../../src/store/index.js';
import { WebhookRepository } from '../../../src/store/webhooks.js';
import type { InboundCall } from '../../../src/telephony/types.js';
import { WebhookEmitter } from '../../../src/webhooks/emitter.js';

export interface RaceCall {
  id: string;
  caller: string;
  inviteAt: number;
  buyerAnswerAt: number;
  endAt: number;
}

interface Job {
  file: string;
  yaml: string;
  configFile: string;
  barrier: SharedArrayBuffer;
  contenders: number;
  /** This worker's call in each round. */
  calls: RaceCall[];
}

const job = workerData as Job;
const loaded = loadConfigText(job.yaml, job.configFile, {});
if (!loaded.ok) throw new Error(`race config invalid: ${JSON.stringify(loaded.issues)}`);
const config = loaded.config;
const store = openStore(job.file);
const logger = pino({ level: 'silent' });
let clock = 0;
const now = () => new Date(clock);
const events = new WebhookEmitter({ repo: new WebhookRepository(store.db), hashSecret: 'race-key', now, logger });
const deps: CallDeps = { store, logger, now, observers: [], hashSecret: 'race-key', events };
const gate = new Int32Array(job.barrier);
const errors: string[] = [];

job.calls.forEach((c, round) => {
  const ctx: CallContext = {
    id: c.id, call: { receivedAt: new Date(c.inviteAt) } as InboundCall, config, campaign: config.campaigns.get('medicare')!,
    publisher: config.publishers.get('pub_one')!, carrier: config.carriers[0]!, did: '+18005550100', caller: c.caller, log: logger,
    deps, tags: {}, answers: [], qualified: true,
  };
  const candidate = staticCandidates(ctx).candidates[0]!;
  clock = c.endAt;
  // Everyone arrives, the last one opens the gate: both finishes start together.
  if (Atomics.add(gate, round, 1) + 1 === job.contenders) Atomics.notify(gate, round);
  else while (Atomics.load(gate, round) < job.contenders) Atomics.wait(gate, round, Atomics.load(gate, round), 1000);
  try {
    finishCall(ctx, { outcome: 'connected', end: { at: new Date(c.endAt), side: 'caller', cause: 'bye' }, connection: { candidate, answeredAt: new Date(c.buyerAnswerAt) } });
  } catch (err) {
    errors.push(`${c.id}: ${(err as Error).message}`);
  }
});
store.close();
parentPort?.postMessage(errors);
