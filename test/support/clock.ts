/** A clock tests move by hand, shared by the engine and the in-memory driver so talk times are exact. */
export class ManualClock {
  #t: number;
  constructor(start = Date.parse('2026-11-24T15:00:00Z')) {
    this.#t = start;
  }
  now = (): Date => new Date(this.#t);
  advance(ms: number): void {
    this.#t += ms;
  }
}
