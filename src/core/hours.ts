/**
 * Business hours: weekly wall-clock ranges in an IANA time zone, plus holidays (closed all day).
 * Evaluated on the local wall clock, so DST needs no special case: on a spring-forward day a 01:00-04:00 range is
 * open two real hours, on a fall-back day three, exactly as the clock on the buyer's wall says.
 * Ranges are start-inclusive, end-exclusive: 09:00-17:00 is open at 16:59:59.999 and closed at 17:00:00.
 */
import { DateTime } from 'luxon';
import type { Campaign, Hours } from '../config/schema/index.js';

export type HoursState = { open: true } | { open: false; reason: 'holiday' | 'outside_hours' };

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type DayKey = (typeof DAY_KEYS)[number];

/** `HH:MM` to minutes after local midnight; `24:00` is 1440. */
function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':') as [string, string];
  return Number(h) * 60 + Number(m);
}

/** The local date/time of `now` in `zone`. Throws for an unknown zone (config validation rules that out). */
export function localTime(now: number, zone: string): DateTime {
  const dt = DateTime.fromMillis(now, { zone });
  if (!dt.isValid) throw new Error(`invalid time zone or instant: ${zone} @ ${now}`, { cause: dt.invalidExplanation });
  return dt;
}

/** Whether `hours` is open at `now` (epoch ms). No hours configured means always open. */
export function hoursState(hours: Hours | undefined, now: number): HoursState {
  if (!hours) return { open: true };
  const local = localTime(now, hours.timezone);
  if (hours.holidays.includes(local.toISODate() ?? '')) return { open: false, reason: 'holiday' };
  const day: DayKey = DAY_KEYS[local.weekday - 1] ?? 'mon';
  const ranges = hours.weekly[day] ?? [];
  const minute = local.hour * 60 + local.minute;
  for (const range of ranges) {
    const [start, end] = range.split('-') as [string, string];
    if (minute >= minutes(start) && minute < minutes(end)) return { open: true };
  }
  return { open: false, reason: 'outside_hours' };
}

export function isOpen(hours: Hours | undefined, now: number): boolean {
  return hoursState(hours, now).open;
}

export type CampaignHoursDecision =
  | { kind: 'open' }
  | { kind: 'message'; prompt: string }
  | { kind: 'after_hours_target'; targetId: string }
  | { kind: 'reject' };

/** What to do with a call to a campaign at `now`: route normally, or its closed-hours action (none = reject, 480). */
export function campaignHours(campaign: Pick<Campaign, 'hours' | 'closed'>, now: number): CampaignHoursDecision {
  if (isOpen(campaign.hours, now)) return { kind: 'open' };
  const closed = campaign.closed;
  if (!closed) return { kind: 'reject' };
  return closed.action === 'message' ? { kind: 'message', prompt: closed.prompt } : { kind: 'after_hours_target', targetId: closed.target };
}
