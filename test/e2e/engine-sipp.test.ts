/** The engine's sipp scenarios (test/e2e/support/engine-scenarios.ts) on the embedded driver. */
import { startEngineHarness } from './support/engine-harness.js';
import { engineSippScenarios } from './support/engine-scenarios.js';

engineSippScenarios('engine + embedded driver + sipp', () => startEngineHarness());
