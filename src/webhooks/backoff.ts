/** Retry schedule: exponential backoff with jitter. Pure (random passed in). */

export interface BackoffOptions {
  /** Delay before the 2nd try, ms. Doubles per try. */
  baseMs: number;
  /** Ceiling on one delay, ms. */
  maxMs: number;
}

/**
 * Delay after the `attempt`-th failed try (1-based): base * 2^(attempt-1), capped, then scaled into [50%, 100%]
 * so receivers that failed together do not get their retries back in one burst.
 */
export function retryDelayMs(attempt: number, o: BackoffOptions, random: () => number): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exp * (0.5 + random() / 2));
}
