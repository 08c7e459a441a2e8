/**
 * Media timeout end to end (test/e2e/support/media-timeout-scenarios.ts) on the freeswitch driver against a real
 * drachtio-server + FreeSWITCH named in the environment: FreeSWITCH's media_timeout, set per endpoint from the
 * engine's --media-timeout-s, ends the call; the suite says so when it skipped.
 */
import { onRealStack } from '../support/real-stack-suite.js';
import { startFreeswitchEngineHarness } from './support/engine-harness.js';
import { MEDIA_TIMEOUT_HARNESS, mediaTimeoutScenarios } from './support/media-timeout-scenarios.js';

onRealStack('media timeout scenarios', (stack) => mediaTimeoutScenarios(`media timeout on real ${stack.label} (sipp)`, () => startFreeswitchEngineHarness(stack, MEDIA_TIMEOUT_HARNESS)));
