/**
 * One side of the conversion race: its own connection to the shared SQLite file, released by a barrier each round,
 * then the buyer's conversion report for its call through the store's conversion path (the one the conversion
 * endpoint calls), with the campaign's duplicate policy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DuplicatePolicies } from '../../../src/core/duplicates.js';
import { billingRepos } from '../../../src/store/billing-repos.js';
import { openStore } from '../../../src/store/index.js';

export interface ConversionJob {
  file: string;
  barrier: SharedArrayBuffer;
  contenders: number;
  /** This worker's call in each round, and when its conversion is reported. */
  calls: { id: string; at: number }[];
}

/** Result per call: billable or not after the report, or the error it threw. */
export type ConversionOutcome = { id: string; billable: boolean } | { id: string; error: string };

const job = workerData as ConversionJob;
const store = openStore(job.file);
const repos = billingRepos(store.db);
const policies: DuplicatePolicies = {
  buyers: new Map(),
  campaigns: new Map([['injury', { duplicate: { window: '30d', scope: 'campaign', force_new_buyer: false } }]]),
};
const gate = new Int32Array(job.barrier);
const out: ConversionOutcome[] = [];

job.calls.forEach((c, round) => {
  // Everyone arrives, the last one opens the gate: both reports start together.
  if (Atomics.add(gate, round, 1) + 1 === job.contenders) Atomics.notify(gate, round);
  else while (Atomics.load(gate, round) < job.contenders) Atomics.wait(gate, round, Atomics.load(gate, round), 1000);
  try {
    const r = repos.conversions.report({ eventId: `sale-${c.id}`, callId: c.id, at: c.at }, c.at, policies);
    out.push({ id: c.id, billable: r.money?.billable ?? false });
  } catch (err) {
    out.push({ id: c.id, error: (err as Error).message });
  }
});
store.close();
parentPort?.postMessage(out);
