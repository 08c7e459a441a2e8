import { describe, expect, it } from 'vitest';
import { capSlots, firstFullSlot, periodKey, slotFull, slotLabel, type CapSlot } from '../../../src/core/caps.js';
import { at } from './billing-fixtures.js';

describe('cap period buckets in the owner time zone', () => {
  it.each([
    ['total', 'America/New_York', '2026-03-08T07:00:00Z', 'total'],
    // 23:59:59 EST on Feb 28 is already March 1 in UTC: the buyer's day and month win.
    ['day', 'America/New_York', '2026-03-01T04:59:59Z', 'day:2026-02-28'],
    ['day', 'America/New_York', '2026-03-01T05:00:00Z', 'day:2026-03-01'],
    ['month', 'America/New_York', '2026-03-01T04:59:59Z', 'month:2026-02'],
    ['month', 'America/New_York', '2026-03-01T05:00:00Z', 'month:2026-03'],
    // Fall back: the 01:00 hour happens twice and is two buckets.
    ['hour', 'America/New_York', '2026-11-01T05:30:00Z', 'hour:2026-11-01T01-04:00'],
    ['hour', 'America/New_York', '2026-11-01T06:30:00Z', 'hour:2026-11-01T01-05:00'],
    // Spring forward: 01:59:59 EST and 03:00 EDT are consecutive seconds in different hours.
    ['hour', 'America/New_York', '2026-03-08T06:59:59Z', 'hour:2026-03-08T01-05:00'],
    ['hour', 'America/New_York', '2026-03-08T07:00:00Z', 'hour:2026-03-08T03-04:00'],
    ['day', 'Europe/London', '2026-10-24T23:30:00Z', 'day:2026-10-25'],
    ['day', 'Europe/London', '2026-10-25T23:30:00Z', 'day:2026-10-25'],
    // Half-hour zone: local hours are not UTC hours.
    ['hour', 'Asia/Kolkata', '2026-06-01T00:29:59Z', 'hour:2026-06-01T05+05:30'],
    ['hour', 'Asia/Kolkata', '2026-06-01T00:30:00Z', 'hour:2026-06-01T06+05:30'],
  ] as const)('%s in %s at %s', (period, zone, instant, key) => {
    expect(periodKey(period, at(instant), zone)).toBe(key);
  });
});

describe('cap slots', () => {
  const owner = {
    kind: 'buyer' as const, id: 'acme', timezone: 'UTC',
    caps: [
      { metric: 'routed' as const, period: 'day' as const, limit: 10 },
      { metric: 'revenue_cents' as const, period: 'month' as const, limit: 100_000 },
    ],
  };
  it('counts one call, or its expected revenue', () => {
    const slots = capSlots(owner, at('2026-06-01T10:00:00Z'), 4500);
    expect(slots.map((s) => [s.periodKey, s.amount, s.limit])).toEqual([['day:2026-06-01', 1, 10], ['month:2026-06', 4500, 100_000]]);
    expect(slotLabel(slots[0] as CapSlot)).toBe('buyer:routed/day');
  });

  const slot = (limit: number, amount: number): CapSlot => ({ ownerKind: 'buyer', ownerId: 'a', metric: 'routed', period: 'day', periodKey: 'day:x', limit, amount });
  it.each([
    [10, 1, 9, false],
    [10, 1, 10, true],
    [0, 1, 0, true],
    [1000, 500, 500, false],
    [1000, 501, 500, true],
    [1000, 0, 999, false],
    [1000, 0, 1000, true], // a zero-revenue call does not slip past a reached revenue cap
  ])('limit %i, amount %i, used %i -> full %s', (limit, amount, used, full) => {
    expect(slotFull(slot(limit, amount), used)).toBe(full);
  });

  it('finds the first full slot', () => {
    const slots = [slot(10, 1), { ...slot(5, 1), period: 'hour' as const }];
    expect(firstFullSlot(slots, (s) => (s.period === 'hour' ? 5 : 0))?.period).toBe('hour');
    expect(firstFullSlot(slots, () => 0)).toBeUndefined();
  });
});
