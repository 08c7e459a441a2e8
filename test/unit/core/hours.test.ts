import { describe, expect, it } from 'vitest';
import { campaignHours, hoursState, isOpen } from '../../../src/core/hours.js';
import type { Hours } from '../../../src/config/schema/index.js';
import { at, makeCampaign } from './billing-fixtures.js';

const h = (timezone: string, weekly: Hours['weekly'], holidays: string[] = []): Hours => ({ timezone, weekly, holidays });
const NY_SUN_EARLY = h('America/New_York', { sun: ['01:00-04:00'] });
const NY_SUN_ONE = h('America/New_York', { sun: ['01:00-02:00'] });
const NY_OFFICE = h('America/New_York', { mon: ['09:00-17:00'], fri: ['09:00-17:00'] }, ['2026-12-25']);
const LON_SUN_NIGHT = h('Europe/London', { sun: ['00:30-03:00'] });
const LON_SUN_ONE = h('Europe/London', { sun: ['01:00-02:00'] });
const LON_OFFICE = h('Europe/London', { mon: ['09:00-17:00'] });
const LATE = h('UTC', { tue: ['20:00-24:00'] });

describe('business hours', () => {
  const cases: [string, Hours | undefined, string, boolean][] = [
    ['no hours: always open', undefined, '2026-03-08T07:00:00Z', true],
    // New York, spring forward 2026-03-08 02:00 EST -> 03:00 EDT: 01:00-04:00 is two real hours.
    ['NY spring: 00:59:59 EST closed', NY_SUN_EARLY, '2026-03-08T05:59:59Z', false],
    ['NY spring: 01:00:00 EST opens', NY_SUN_EARLY, '2026-03-08T06:00:00Z', true],
    ['NY spring: 01:59:59 EST open', NY_SUN_EARLY, '2026-03-08T06:59:59Z', true],
    ['NY spring: next second is 03:00:00 EDT, open', NY_SUN_EARLY, '2026-03-08T07:00:00Z', true],
    ['NY spring: 03:59:59 EDT open', NY_SUN_EARLY, '2026-03-08T07:59:59Z', true],
    ['NY spring: 04:00:00 EDT closed', NY_SUN_EARLY, '2026-03-08T08:00:00Z', false],
    // New York, fall back 2026-11-01 02:00 EDT -> 01:00 EST: 01:00-02:00 happens twice.
    ['NY fall: 01:00 EDT open', NY_SUN_ONE, '2026-11-01T05:00:00Z', true],
    ['NY fall: 01:59:59 EDT open', NY_SUN_ONE, '2026-11-01T05:59:59Z', true],
    ['NY fall: 01:00 EST (again) open', NY_SUN_ONE, '2026-11-01T06:00:00Z', true],
    ['NY fall: 01:59:59 EST open', NY_SUN_ONE, '2026-11-01T06:59:59Z', true],
    ['NY fall: 02:00 EST closed', NY_SUN_ONE, '2026-11-01T07:00:00Z', false],
    ['NY fall: 00:59:59 EDT closed', NY_SUN_ONE, '2026-11-01T04:59:59Z', false],
    // Office hours either side of the change: same wall clock, different UTC.
    ['NY Mon before DST 08:59:59 EST closed', NY_OFFICE, '2026-03-02T13:59:59Z', false],
    ['NY Mon before DST 09:00 EST open', NY_OFFICE, '2026-03-02T14:00:00Z', true],
    ['NY Mon after DST 08:59:59 EDT closed', NY_OFFICE, '2026-03-09T12:59:59Z', false],
    ['NY Mon after DST 09:00 EDT open', NY_OFFICE, '2026-03-09T13:00:00Z', true],
    ['NY Mon after DST 16:59:59 EDT open', NY_OFFICE, '2026-03-09T20:59:59Z', true],
    ['NY Mon after DST 17:00:00 EDT closed (end exclusive)', NY_OFFICE, '2026-03-09T21:00:00Z', false],
    ['NY Tuesday: no ranges', NY_OFFICE, '2026-03-10T15:00:00Z', false],
    // London, spring forward 2026-03-29 01:00 GMT -> 02:00 BST.
    ['London spring: 00:29:59 GMT closed', LON_SUN_NIGHT, '2026-03-29T00:29:59Z', false],
    ['London spring: 00:30 GMT open', LON_SUN_NIGHT, '2026-03-29T00:30:00Z', true],
    ['London spring: 00:59:59 GMT open', LON_SUN_NIGHT, '2026-03-29T00:59:59Z', true],
    ['London spring: 02:00 BST open', LON_SUN_NIGHT, '2026-03-29T01:00:00Z', true],
    ['London spring: 02:59:59 BST open', LON_SUN_NIGHT, '2026-03-29T01:59:59Z', true],
    ['London spring: 03:00 BST closed', LON_SUN_NIGHT, '2026-03-29T02:00:00Z', false],
    // London, fall back 2026-10-25 02:00 BST -> 01:00 GMT.
    ['London fall: 01:00 BST open', LON_SUN_ONE, '2026-10-25T00:00:00Z', true],
    ['London fall: 01:00 GMT (again) open', LON_SUN_ONE, '2026-10-25T01:00:00Z', true],
    ['London fall: 01:59:59 GMT open', LON_SUN_ONE, '2026-10-25T01:59:59Z', true],
    ['London fall: 02:00 GMT closed', LON_SUN_ONE, '2026-10-25T02:00:00Z', false],
    ['London Mon in BST 09:00 open', LON_OFFICE, '2026-10-19T08:00:00Z', true],
    ['London Mon in BST 08:59:59 closed', LON_OFFICE, '2026-10-19T07:59:59Z', false],
    ['London Mon in GMT 09:00 open', LON_OFFICE, '2026-10-26T09:00:00Z', true],
    ['London Mon in GMT 08:59:59 closed', LON_OFFICE, '2026-10-26T08:59:59Z', false],
    ['London Mon in GMT 17:00:00 closed', LON_OFFICE, '2026-10-26T17:00:00Z', false],
    ['24:00 end: 23:59:59 open', LATE, '2026-03-10T23:59:59Z', true],
    ['24:00 end: midnight is the next day', LATE, '2026-03-11T00:00:00Z', false],
  ];
  it.each(cases)('%s', (_name, hours, instant, open) => {
    expect(isOpen(hours, at(instant))).toBe(open);
  });

  it('closes all day on a holiday, by the local date', () => {
    expect(hoursState(NY_OFFICE, at('2026-12-25T15:00:00Z'))).toEqual({ open: false, reason: 'holiday' });
    // 03:00 UTC on the 26th is still Christmas evening in New York: the local date decides.
    expect(hoursState(NY_OFFICE, at('2026-12-26T03:00:00Z'))).toEqual({ open: false, reason: 'holiday' });
    expect(hoursState(NY_OFFICE, at('2026-12-18T15:00:00Z'))).toEqual({ open: true });
    expect(hoursState(NY_OFFICE, at('2026-12-18T22:00:00Z'))).toEqual({ open: false, reason: 'outside_hours' });
  });
});

describe('campaign closed hours', () => {
  const hours = h('America/Chicago', { mon: ['08:00-20:00'] });
  const closedAt = at('2026-03-10T15:00:00Z');
  const openAt = at('2026-03-09T15:00:00Z');
  it.each([
    ['open', makeCampaign({ hours }), openAt, { kind: 'open' }],
    ['closed, no action: reject', makeCampaign({ hours }), closedAt, { kind: 'reject' }],
    ['closed, message', makeCampaign({ hours, closed: { action: 'message', prompt: 'closed' } }), closedAt, { kind: 'message', prompt: 'closed' }],
    ['closed, after-hours target', makeCampaign({ hours, closed: { action: 'route', target: 'night' } }), closedAt, { kind: 'after_hours_target', targetId: 'night' }],
  ] as const)('%s', (_n, c, now, want) => {
    expect(campaignHours(c, now)).toEqual(want);
  });
});
