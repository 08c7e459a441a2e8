/**
 * Failover policy: whether an attempt's outcome moves on to the next buyer, and whether another attempt
 * fits within the campaign's attempt limit and overall routing time.
 */

/** Outcome of one bridge attempt, as the telephony driver reports it (`BridgeOutcome['result']`). */
export type AttemptResult = 'answered' | 'busy' | 'no_answer' | 'failed' | 'caller_hangup';

export interface FailoverPolicy {
  /** Buyers tried before giving up (campaign `max_attempts`). */
  maxAttempts: number;
  /** Per-attempt ring time (campaign `ring_timeout_s`), ms. */
  ringTimeoutMs: number;
  /** Overall time spent trying buyers (campaign `routing_timeout_s`), ms. */
  routingTimeoutMs: number;
}

/** Shortest ring worth starting: below this the buyer cannot realistically answer. */
export const MIN_RING_MS = 1000;

export function policyFor(campaign: { max_attempts: number; ring_timeout_s: number; routing_timeout_s: number }): FailoverPolicy {
  return {
    maxAttempts: campaign.max_attempts,
    ringTimeoutMs: campaign.ring_timeout_s * 1000,
    routingTimeoutMs: campaign.routing_timeout_s * 1000,
  };
}

/**
 * Busy, no answer, a SIP error or a transport failure are the buyer's problem: try the next one.
 * Answered ends routing (success); a caller who hung up leaves nobody to route.
 */
export function movesOn(result: AttemptResult): boolean {
  return result === 'busy' || result === 'no_answer' || result === 'failed';
}

export type NextAttempt =
  | { ok: true; ringTimeoutMs: number }
  | { ok: false; reason: 'max_attempts' | 'routing_timeout' };

/**
 * May the flow start attempt number `attemptsMade + 1`, and with how long a ring?
 * The ring is cut to what is left of the routing time so the overall limit holds.
 */
export function nextAttempt(policy: FailoverPolicy, attemptsMade: number, routingStartedMs: number, nowMs: number): NextAttempt {
  if (attemptsMade >= policy.maxAttempts) return { ok: false, reason: 'max_attempts' };
  const left = policy.routingTimeoutMs - (nowMs - routingStartedMs);
  if (left < MIN_RING_MS) return { ok: false, reason: 'routing_timeout' };
  return { ok: true, ringTimeoutMs: Math.min(policy.ringTimeoutMs, left) };
}
