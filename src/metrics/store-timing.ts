/**
 * Store write latency. The engine owns the store and it has no timing hook, so the call repository's write
 * methods are wrapped on this one instance (the class is untouched); the wrapper only times and re-throws.
 */
import type { CallRepository } from '../store/calls.js';
import type { Metrics } from './metrics.js';

const WRITES = ['insert', 'update', 'insertAttempt', 'updateAttempt', 'insertSkips'] as const;

export function timeStoreWrites(calls: CallRepository, m: Metrics): void {
  for (const op of WRITES) {
    const original = (calls[op] as (...args: unknown[]) => unknown).bind(calls);
    Object.defineProperty(calls, op, {
      configurable: true,
      value: (...args: unknown[]) => {
        const end = m.storeWrite.startTimer({ op });
        try {
          return original(...args);
        } finally {
          end();
        }
      },
    });
  }
}
