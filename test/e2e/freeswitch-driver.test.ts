/**
 * Driver-level sipp scenarios (test/e2e/support/driver-scenarios.ts) on the freeswitch driver against a real
 * drachtio-server + FreeSWITCH named in the environment (test/support/real-stack-env.ts); says so when skipped.
 */
import { describe, it } from 'vitest';
import { REAL_STACK_SKIP_REASON, realStackFromEnv } from '../support/real-stack-env.js';
import { startFreeswitchHarness } from './support/driver-harness.js';
import { driverSippScenarios } from './support/driver-scenarios.js';

const REAL = realStackFromEnv();
if (REAL) driverSippScenarios(`freeswitch driver on real ${REAL.label} with sipp`, () => startFreeswitchHarness(REAL));
else {
  process.stderr.write(`${REAL_STACK_SKIP_REASON}\n`);
  describe.skip(REAL_STACK_SKIP_REASON, () => it.skip('driver sipp scenarios need a real drachtio-server and FreeSWITCH', () => {}));
}
