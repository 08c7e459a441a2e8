/**
 * Buyer auto-pause, as a call observer: after each unanswered attempt, count the buyer's recent misses
 * from the call records and pause it when its `auto_pause` rule says so. Distribution skips paused
 * buyers; an operator sees the reason in the pause row and may resume early (PauseRepository.resume).
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/model.js';
import type { CallObserver } from '../calls/observer.js';
import { autoPauseRule, decidePause } from '../core/distribution/autopause.js';
import type { PauseRepository } from '../store/distribution.js';

export interface AutoPauseDeps {
  pauses: PauseRepository;
  config: () => LoadedConfig;
  now: () => Date;
  log: Logger;
}

/** Check one buyer after a miss; returns the new pause id, or null. */
export function checkAutoPause(deps: AutoPauseDeps, buyerId: string): number | null {
  const cfg = deps.config().buyers.get(buyerId)?.auto_pause;
  if (!cfg) return null;
  const now = deps.now();
  if (deps.pauses.isPaused(buyerId, now.getTime())) return null;
  const rule = autoPauseRule(cfg);
  const misses = deps.pauses.unansweredSince(buyerId, now.getTime() - rule.windowMs).map((t) => new Date(t));
  const ended = deps.pauses.lastPauseEnded(buyerId);
  const decision = decidePause(rule, misses, ended === null ? null : new Date(ended), now);
  if (!decision) return null;
  const id = deps.pauses.pause({ buyerId, source: 'auto', reason: decision.reason, now: now.getTime(), untilAt: decision.until.getTime() });
  deps.log.warn({ buyer: buyerId, until: decision.until.toISOString(), reason: decision.reason }, 'buyer auto-paused');
  return id;
}

export function autoPauseObserver(deps: AutoPauseDeps): CallObserver {
  return {
    attempt(_callId, info) {
      if (info.result !== 'no_answer') return;
      try {
        checkAutoPause(deps, info.buyerId);
      } catch (err) {
        deps.log.error({ err, buyer: info.buyerId }, 'auto-pause check failed');
      }
    },
  };
}
