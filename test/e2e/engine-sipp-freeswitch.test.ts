/**
 * The engine's sipp scenarios (test/e2e/support/engine-scenarios.ts) on the freeswitch driver, against a real
 * drachtio-server + FreeSWITCH named in the environment (test/support/real-stack-env.ts); says so when skipped.
 */
import { onRealStack } from '../support/real-stack-suite.js';
import { startFreeswitchEngineHarness } from './support/engine-harness.js';
import { engineSippScenarios } from './support/engine-scenarios.js';

onRealStack('engine sipp scenarios', (stack) => engineSippScenarios(`engine + freeswitch driver on real ${stack.label} + sipp`, () => startFreeswitchEngineHarness(stack)));
