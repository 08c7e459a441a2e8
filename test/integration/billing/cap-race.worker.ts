/** One contender in the cap race: its own connection to the shared file, released by a barrier, then one reservation. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../../src/store/db.js';
import { CapRepository } from '../../../src/store/caps.js';
import type { CapSlot } from '../../../src/core/caps.js';

interface Job {
  file: string;
  barrier: SharedArrayBuffer;
  contenders: number;
  callId: string;
  slot: CapSlot;
  rounds: number;
}

const job = workerData as Job;
const db = openDatabase(job.file);
const caps = new CapRepository(db);
const gate = new Int32Array(job.barrier);
const wins: boolean[] = [];
for (let round = 0; round < job.rounds; round++) {
  // Everyone arrives, the last one opens the gate: all reservations start together.
  if (Atomics.add(gate, round, 1) + 1 === job.contenders) Atomics.notify(gate, round);
  else while (Atomics.load(gate, round) < job.contenders) Atomics.wait(gate, round, Atomics.load(gate, round), 1000);
  const slot = { ...job.slot, periodKey: `${job.slot.periodKey}-${round}` };
  wins.push(caps.reserve({ callId: `${job.callId}-${round}`, attemptKey: '1', slots: [slot], live: [], now: Date.now() }).ok);
}
db.close();
parentPort?.postMessage(wins);
