/**
 * Buyer auto-pause: a buyer that leaves `unanswered` calls unanswered within `window` is paused for
 * `pause_for`. Pure: the store supplies the recent unanswered attempts and the end of the last pause.
 */

export interface AutoPauseRule {
  /** Unanswered attempts that trigger a pause. */
  unanswered: number;
  windowMs: number;
  pauseForMs: number;
}

export interface PauseDecision {
  until: Date;
  reason: string;
}

/** `45s`, `10m`, `2h`, `1d` -> ms (the config schema has already checked the shape). */
export function durationMs(text: string): number {
  const m = /^([0-9]+)(s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`bad duration "${text}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export function autoPauseRule(cfg: { unanswered: number; window: string; pause_for: string }): AutoPauseRule {
  return { unanswered: cfg.unanswered, windowMs: durationMs(cfg.window), pauseForMs: durationMs(cfg.pause_for) };
}

/**
 * Decide after an unanswered attempt. Attempts from before the last pause ended (or was resumed) do not
 * count again, so a resumed buyer gets a clean slate instead of being re-paused by its old misses.
 */
export function decidePause(
  rule: AutoPauseRule,
  unansweredAt: readonly Date[],
  lastPauseEnded: Date | null,
  now: Date,
): PauseDecision | null {
  const since = Math.max(now.getTime() - rule.windowMs, lastPauseEnded?.getTime() ?? -Infinity);
  const count = unansweredAt.filter((t) => t.getTime() > since && t.getTime() <= now.getTime()).length;
  if (count < rule.unanswered) return null;
  return {
    until: new Date(now.getTime() + rule.pauseForMs),
    reason: `${count} unanswered calls within ${Math.round(rule.windowMs / 1000)}s`,
  };
}
