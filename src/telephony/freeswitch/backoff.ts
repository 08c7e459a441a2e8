/** Exponential backoff for reconnect loops: 250 ms doubling to a ceiling, so an absent peer costs one log line per try. */
export interface BackoffOptions {
  /** First delay in ms. Default 250. */
  initialMs?: number;
  /** Ceiling in ms. Default 10 000. */
  maxMs?: number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 250;
    this.maxMs = opts.maxMs ?? 10_000;
  }

  /** The attempt number of the retry about to be scheduled (1-based) and its delay. */
  next(): { attempt: number; delayMs: number } {
    this.attempt += 1;
    const delayMs = Math.min(this.maxMs, this.initialMs * 2 ** (this.attempt - 1));
    return { attempt: this.attempt, delayMs };
  }

  reset(): void {
    this.attempt = 0;
  }
}
