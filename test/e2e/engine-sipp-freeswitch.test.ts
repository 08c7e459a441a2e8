/**
 * The engine's sipp scenarios (test/e2e/support/engine-scenarios.ts) on the freeswitch driver, against a real
 * drachtio-server + FreeSWITCH named in the environment (test/support/real-stack-env.ts); says so when skipped.
 */
import { describe, it } from 'vitest';
import { REAL_STACK_SKIP_REASON, realStackFromEnv } from '../support/real-stack-env.js';
import { startFreeswitchEngineHarness } from './support/engine-harness.js';
import { engineSippScenarios } from './support/engine-scenarios.js';

const REAL = realStackFromEnv();
if (REAL) engineSippScenarios(`engine + freeswitch driver on real ${REAL.label} + sipp`, () => startFreeswitchEngineHarness(REAL));
else {
  process.stderr.write(`${REAL_STACK_SKIP_REASON}\n`);
  describe.skip(REAL_STACK_SKIP_REASON, () => it.skip('engine sipp scenarios need a real drachtio-server and FreeSWITCH', () => {}));
}
