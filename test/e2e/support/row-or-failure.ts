/** Waiting for a call row while sipp runs: a sipp that fails first reports its error instead of a test timeout. */
import type { CallRow } from '../../../src/store/index.js';
import type { SippProcess } from './sipp.js';

/** The next closed row, or the error of a sipp that exited non-zero before it came. */
export function rowOrFailure(h: { nextRow(): Promise<CallRow> }, procs: SippProcess[]): Promise<CallRow> {
  const failed = new Promise<never>((_, reject) => {
    for (const p of procs) void p.done.then((r) => r.code !== 0 && reject(new Error(`sipp exited ${r.code}: ${r.errors}\n${r.stderr}`)));
  });
  return Promise.race([h.nextRow(), failed]);
}
