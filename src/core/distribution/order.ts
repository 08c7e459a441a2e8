/**
 * Ordering of eligible candidates by a campaign's distribution method.
 *
 * Every method returns a full order (not just a pick) so the call flow can fail over down the list.
 * Priority levels always come first: a lower `priority` number is tried before a higher one; the method
 * decides the order *within* a level. Input order is the config order and breaks remaining ties.
 */
import type { Rng } from './rng.js';

export interface Candidate {
  /** Target id (what rotation state and weights refer to). */
  id: string;
  /** 1 = tried first. */
  priority: number;
  /** Relative share within its priority level (weighted only). */
  weight: number;
}

/** Round-robin position: per priority level, the id served first by the previous call. */
export type RoundRobinPosition = Readonly<Record<number, string>>;

/** Group by priority level, ascending, keeping config order inside each level. */
export function levels<C extends Candidate>(candidates: readonly C[]): C[][] {
  const byLevel = new Map<number, C[]>();
  for (const c of candidates) {
    const level = byLevel.get(c.priority);
    if (level) level.push(c);
    else byLevel.set(c.priority, [c]);
  }
  return [...byLevel.entries()].sort((a, b) => a[0] - b[0]).map(([, cs]) => cs);
}

/** Waterfall: priority ascending, config order within a level. */
export function orderByPriority<C extends Candidate>(candidates: readonly C[]): C[] {
  return levels(candidates).flat();
}

/**
 * Weighted: within each level, draw without replacement with probability proportional to weight,
 * so the first pick follows the weights and the rest still form a sensible failover order.
 */
export function orderWeighted<C extends Candidate>(candidates: readonly C[], rng: Rng): C[] {
  return levels(candidates).flatMap((level) => weightedShuffle(level, rng));
}

function weightedShuffle<C extends Candidate>(items: readonly C[], rng: Rng): C[] {
  const pool = [...items];
  const out: C[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, c) => sum + Math.max(0, c.weight), 0);
    let ticket = rng() * total;
    let index = pool.length - 1;
    for (let i = 0; i < pool.length; i++) {
      ticket -= Math.max(0, pool[i]!.weight);
      if (ticket < 0) {
        index = i;
        break;
      }
    }
    out.push(...pool.splice(index, 1));
  }
  return out;
}

export interface RoundRobinOrder<C> {
  ordered: C[];
  /** Store this and pass it to the next call of the same campaign. */
  position: RoundRobinPosition;
}

/**
 * Round robin: within each level, start with the candidate after the one that went first last time
 * (in config order, wrapping). Keyed by id rather than an index so an ineligible buyer or a config
 * reload does not skew the rotation; an id that vanished restarts the level at its first candidate.
 * `allIds` is the campaign's full route list in config order (eligible or not), so the rotation
 * skips an ineligible buyer instead of handing its turn to whoever follows it twice.
 */
export function orderRoundRobin<C extends Candidate>(
  candidates: readonly C[],
  position: RoundRobinPosition,
  allIds: readonly string[] = candidates.map((c) => c.id),
): RoundRobinOrder<C> {
  const next: Record<number, string> = { ...position };
  const ordered = levels(candidates).flatMap((level) => {
    const priority = level[0]!.priority;
    const rotated = rotateAfter(level, position[priority], allIds);
    next[priority] = rotated[0]!.id;
    return rotated;
  });
  return { ordered, position: next };
}

function rotateAfter<C extends Candidate>(level: readonly C[], lastId: string | undefined, allIds: readonly string[]): C[] {
  if (lastId === undefined) return [...level];
  const rank = (id: string): number => allIds.indexOf(id);
  const lastRank = rank(lastId);
  if (lastRank === -1) return [...level];
  const after = level.filter((c) => rank(c.id) > lastRank);
  const before = level.filter((c) => rank(c.id) <= lastRank);
  return [...after, ...before];
}
