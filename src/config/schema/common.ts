/** Building blocks shared by every section of the campaign config. */
import { z } from 'zod';

/** Ids are how sections refer to each other; keep them simple so they are safe in URLs, metrics and logs. */
export const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, _ or - (max 64), starting with a letter or digit');

/** Money in integer cents: no floating point anywhere near a bill. */
export const cents = z.number().int('must be whole cents').min(0);

/** E.164 number, e.g. +18005550100. */
export const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number such as +18005550100');

/** A duration like `30d`, `12h`, `90m`, `45s`. */
export const duration = z.string().regex(/^[0-9]+(s|m|h|d)$/, 'must be a duration such as 45s, 90m, 12h or 30d');

/** IANA time zone, checked against the runtime's tz database. */
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/New_York');

const hhmmRange = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$/, 'must be a range such as 09:00-17:30')
  .refine((r) => {
    const [a, b] = r.split('-') as [string, string];
    return a < b;
  }, 'range must end after it starts (split overnight ranges across two days)');

const day = z.array(hhmmRange);

/** Weekly opening hours in a time zone, with holidays (closed all day). Absent means always open. */
export const hours = z.strictObject({
  timezone: timeZone,
  weekly: z.strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }).partial(),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')).default([]),
});

export const capMetric = z.enum(['routed', 'connected', 'billable', 'revenue_cents']);
export const capPeriod = z.enum(['hour', 'day', 'month', 'total']);

/** A cap: at most `limit` of `metric` per `period`, counted in the owner's time zone. */
export const cap = z.strictObject({ metric: capMetric, period: capPeriod, limit: z.number().int().min(0) });

export const duplicateScope = z.enum(['campaign', 'buyer', 'global']);

/** Repeat callers within `window` are duplicates (not billed / not paid again). */
export const duplicatePolicy = z.strictObject({
  window: duration,
  scope: duplicateScope.default('campaign'),
  /** Route a repeat caller to a buyer that has not had them yet (buyers only). */
  force_new_buyer: z.boolean().default(false),
});

/** Where a caller must be for a buyer to take them. Empty lists mean anywhere. */
export const geography = z.strictObject({
  states: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter state code')).default([]),
  area_codes: z.array(z.string().regex(/^[2-9][0-9]{2}$/, 'must be a three-digit area code')).default([]),
  zip_prefixes: z.array(z.string().regex(/^[0-9]{3,5}$/, 'must be 3 to 5 digits')).default([]),
});

export type Hours = z.infer<typeof hours>;
export type Cap = z.infer<typeof cap>;
export type DuplicatePolicy = z.infer<typeof duplicatePolicy>;
export type Geography = z.infer<typeof geography>;
