/**
 * Media timeout end to end (test/e2e/support/media-timeout-scenarios.ts) on the freeswitch driver against a real
 * drachtio-server + FreeSWITCH named in the environment: FreeSWITCH's media_timeout, set per endpoint from the
 * engine's --media-timeout-s, ends the call; the suite says so when it skipped.
 */
import { describe, it } from 'vitest';
import { REAL_STACK_SKIP_REASON, realStackFromEnv } from '../support/real-stack-env.js';
import { startFreeswitchEngineHarness } from './support/engine-harness.js';
import { MEDIA_TIMEOUT_HARNESS, mediaTimeoutScenarios } from './support/media-timeout-scenarios.js';

const REAL = realStackFromEnv();
if (REAL) mediaTimeoutScenarios(`media timeout on real ${REAL.label} (sipp)`, () => startFreeswitchEngineHarness(REAL, MEDIA_TIMEOUT_HARNESS));
else {
  process.stderr.write(`${REAL_STACK_SKIP_REASON}\n`);
  describe.skip(REAL_STACK_SKIP_REASON, () => it.skip('media timeout scenarios need a real drachtio-server and FreeSWITCH', () => {}));
}
