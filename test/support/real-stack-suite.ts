/** Suites that need a real drachtio-server + FreeSWITCH (kept apart from real-stack-env.ts, which scripts import too). */
import { describe, it } from 'vitest';
import { REAL_STACK_SKIP_REASON, realStackFromEnv, type RealStack } from './real-stack-env.js';

/**
 * Define `suite` for the real stack named in the environment, or a skipped placeholder that says why, on stderr
 * (where a run's reader looks) and in the skipped test's name.
 */
export function onRealStack(what: string, suite: (stack: RealStack) => void): void {
  const stack = realStackFromEnv();
  if (stack) return suite(stack);
  process.stderr.write(`${REAL_STACK_SKIP_REASON}\n`);
  describe.skip(REAL_STACK_SKIP_REASON, () => it.skip(`${what}: needs a real drachtio-server and FreeSWITCH`, () => {}));
}
