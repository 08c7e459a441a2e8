import { describe, expect, it } from 'vitest';
import { orderByPriority, orderRoundRobin, orderWeighted, type Candidate } from '../../../src/core/distribution/order.js';
import { seededRng } from '../../../src/core/distribution/rng.js';

const c = (id: string, priority = 1, weight = 1): Candidate => ({ id, priority, weight });
const ids = (cs: readonly Candidate[]) => cs.map((x) => x.id);

describe('priority (waterfall)', () => {
  it('orders by priority level, config order within a level', () => {
    expect(ids(orderByPriority([c('a', 2), c('b', 1), c('c', 3), c('d', 1)]))).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('weighted', () => {
  it('sends calls in proportion to weight within the first level (fixed seed, many calls)', () => {
    const rng = seededRng(42);
    const cands = [c('heavy', 1, 6), c('mid', 1, 3), c('light', 1, 1), c('backup', 2, 100)];
    const firsts: Record<string, number> = { heavy: 0, mid: 0, light: 0, backup: 0 };
    const N = 10_000;
    for (let i = 0; i < N; i++) firsts[orderWeighted(cands, rng)[0]!.id]! += 1;
    // Ignoring weights would give ~1/3 each; the shares must match 60/30/10 within 2 points.
    expect(Math.abs(firsts.heavy! / N - 0.6)).toBeLessThan(0.02);
    expect(Math.abs(firsts.mid! / N - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(firsts.light! / N - 0.1)).toBeLessThan(0.02);
    // A lower priority level never goes first, whatever its weight.
    expect(firsts.backup).toBe(0);
  });

  it('is reproducible with a seed and keeps every candidate for failover', () => {
    const cands = [c('a', 1, 5), c('b', 1, 1), c('c', 2, 1), c('d', 2, 9)];
    const run = (seed: number) => {
      const rng = seededRng(seed);
      return Array.from({ length: 50 }, () => ids(orderWeighted(cands, rng)));
    };
    expect(run(7)).toEqual(run(7));
    for (const order of run(7)) {
      expect([...order].sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(order.slice(0, 2).sort()).toEqual(['a', 'b']);
    }
  });
});

describe('round robin', () => {
  it('rotates evenly and hands the position back', () => {
    const cands = [c('a'), c('b'), c('c')];
    let position = {};
    const firsts: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = orderRoundRobin(cands, position);
      firsts.push(r.ordered[0]!.id);
      expect(r.ordered).toHaveLength(3);
      position = r.position;
    }
    expect(firsts).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('skips an ineligible buyer without giving its turn twice to the next one', () => {
    const all = ['a', 'b', 'c', 'd'];
    // Last call went to `a`; `b` is ineligible now: the turn goes to `c`, then `d`, then wraps to `a`.
    let r = orderRoundRobin([c('a'), c('c'), c('d')], { 1: 'a' }, all);
    expect(ids(r.ordered)).toEqual(['c', 'd', 'a']);
    r = orderRoundRobin([c('a'), c('b'), c('c'), c('d')], r.position, all);
    expect(ids(r.ordered)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('rotates each priority level on its own', () => {
    const cands = [c('a', 1), c('b', 1), c('x', 2), c('y', 2)];
    const r1 = orderRoundRobin(cands, {});
    const r2 = orderRoundRobin(cands, r1.position);
    expect(ids(r1.ordered)).toEqual(['a', 'b', 'x', 'y']);
    expect(ids(r2.ordered)).toEqual(['b', 'a', 'y', 'x']);
  });
});
