/**
 * Driver-level sipp scenarios (test/e2e/support/driver-scenarios.ts) on the freeswitch driver against a real
 * drachtio-server + FreeSWITCH named in the environment (test/support/real-stack-env.ts); says so when skipped.
 */
import { onRealStack } from '../support/real-stack-suite.js';
import { startFreeswitchHarness } from './support/driver-harness.js';
import { driverSippScenarios } from './support/driver-scenarios.js';

onRealStack('driver sipp scenarios', (stack) => driverSippScenarios(`freeswitch driver on real ${stack.label} with sipp`, () => startFreeswitchHarness(stack)));
