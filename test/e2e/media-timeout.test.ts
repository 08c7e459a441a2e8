/** Media timeout end to end (test/e2e/support/media-timeout-scenarios.ts) on the embedded driver. */
import { startEngineHarness } from './support/engine-harness.js';
import { MEDIA_TIMEOUT_HARNESS, mediaTimeoutScenarios } from './support/media-timeout-scenarios.js';

mediaTimeoutScenarios('media timeout through the engine (sipp)', () => startEngineHarness(MEDIA_TIMEOUT_HARNESS));
