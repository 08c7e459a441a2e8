/** Schemas for the P&L report. */
import { z } from 'zod';
import { timeZone } from '../../config/schema/common.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be an id');
const date = z.iso.date().describe('A local date, YYYY-MM-DD, in `tz`.');

export const pnlQuery = z.strictObject({
  from: date.describe('First day of the report (inclusive), in `tz`.'),
  to: date.describe('Last day of the report (inclusive), in `tz`.'),
  tz: timeZone.default('UTC').describe('IANA time zone the days are counted in, e.g. America/New_York.'),
  groupBy: z.enum(['campaign', 'publisher', 'buyer', 'day']).default('campaign'),
  campaign: id.optional(),
  publisher: id.optional(),
  buyer: id.optional(),
});

export const pnlFigures = z.object({
  calls: z.number().int(),
  connected: z.number().int().describe('Calls a buyer answered.'),
  billable: z.number().int(),
  conversions: z.number().int().describe('Calls a buyer reported a conversion for.'),
  revenueCents: z.number().int().optional().describe('Operators and buyers (for a buyer: what it was billed).'),
  payoutCents: z.number().int().optional().describe('Operators and publishers.'),
  costCents: z.number().int().optional().describe('Operators only: telephony cost.'),
  marginCents: z.number().int().optional().describe('Operators only: revenue - payout - cost.'),
  conversionRate: z.number().describe('Billable calls / calls, 4 decimals (0 when there were no calls): the pay-per-call conversion.'),
});

export const pnlReport = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  groupBy: z.string(),
  /** Campaign/publisher/buyer id, or the day; null for calls without one (e.g. no buyer answered). */
  rows: z.array(pnlFigures.extend({ key: z.string().nullable() })),
  totals: pnlFigures,
});
