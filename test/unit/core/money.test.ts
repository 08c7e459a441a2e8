import { describe, expect, it } from 'vitest';
import { billedSeconds, divRound, formatCents, perMinuteCost, percentOf } from '../../../src/core/money.js';

describe('money', () => {
  it.each([
    [1000, 10, 100],
    [1005, 50, 503], // 502.5 rounds half up
    [1, 50, 1],
    [1, 49.9, 0],
    [3333, 33.33, 1111], // 1110.8889
    [4999, 12.5, 625], // 624.875
    [0, 80, 0],
    [7, 100, 7],
  ])('%i cents at %d%% = %i', (cents, pct, want) => {
    expect(percentOf(cents, pct)).toBe(want);
  });

  it.each([
    [60, 1, 1],
    [30, 1, 1], // 0.5 -> 1
    [29, 1, 0], // 0.483
    [3600, 0.9, 54],
    [61, 2.5, 3], // 2.5417
    [0, 5, 0],
    [125, 1.2, 3], // 2.5 -> 3
  ])('%i s at %d c/min = %i cents', (s, rate, want) => {
    expect(perMinuteCost(s, rate)).toBe(want);
  });

  it('bills a started second', () => {
    expect([0, -5, 1, 999, 1000, 1001].map(billedSeconds)).toEqual([0, 0, 1, 1, 1, 2]);
  });

  it('refuses non-integer money and bad denominators', () => {
    expect(() => percentOf(10.5, 10)).toThrow(RangeError);
    expect(() => divRound(1, 0)).toThrow(RangeError);
    expect(() => perMinuteCost(1.5, 1)).toThrow(RangeError);
  });

  it('formats cents', () => {
    expect(formatCents(123456)).toBe('$1,234.56');
    expect(formatCents(-5)).toBe('-$0.05');
  });
});
