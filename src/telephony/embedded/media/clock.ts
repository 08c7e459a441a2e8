/**
 * The one media clock: a single timer for every call, ticking every 20 ms on average. Node timers jitter,
 * so it fires a little more often and emits a tick each time a 20 ms boundary passed (catching up at most
 * a few frames after a stall, then resynchronising instead of bursting).
 */
export const FRAME_MS = 20;
export const FRAME_SAMPLES = 160;
const MAX_CATCH_UP = 3;

export type TickListener = () => void;

export class MediaClock {
  private readonly listeners = new Set<TickListener>();
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  ticks = 0;

  add(fn: TickListener): void {
    this.listeners.add(fn);
    if (!this.timer) {
      this.next = performance.now() + FRAME_MS;
      this.timer = setInterval(() => this.poll(), FRAME_MS / 4);
    }
  }

  remove(fn: TickListener): void {
    this.listeners.delete(fn);
    if (this.listeners.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private poll(): void {
    const now = performance.now();
    let due = 0;
    while (this.next <= now && due < MAX_CATCH_UP) {
      due++;
      this.next += FRAME_MS;
    }
    if (this.next <= now) this.next = now + FRAME_MS;
    for (let i = 0; i < due; i++) this.tick();
  }

  private tick(): void {
    this.ticks++;
    for (const fn of [...this.listeners]) {
      try {
        fn();
      } catch {
        // one call's failure must not stop the clock for the others
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
