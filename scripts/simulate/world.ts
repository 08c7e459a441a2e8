/**
 * The synthetic market the replay runs in: campaigns, publishers, buyers and callers, built through the real config
 * schemas so defaults and validation match production. Chosen to exercise every billing rule: time zones on both
 * sides of the Atlantic, business hours with a holiday, hourly/daily/monthly/revenue caps, concurrency, geography,
 * required tags, duplicate policies of every scope (one with force-new-buyer), conversion pricing, percent payouts,
 * carrier and trunk costs.
 */
import { buyer, campaign, carrier, publisher, trunk } from '../../src/config/schema/index.js';
import type { Buyer, Campaign, Carrier, Publisher, Trunk } from '../../src/config/schema/index.js';
import type { Rng } from '../../src/core/distribution/rng.js';
import nanp from '../../src/core/geo-data/nanp-regions.json' with { type: 'json' };

export interface World {
  carrier: Carrier;
  trunks: Map<string, Trunk>;
  publishers: Publisher[];
  buyers: Buyer[];
  campaigns: Campaign[];
  /** target id -> its buyer. */
  buyerOfTarget: Map<string, Buyer>;
}

const sip = (host: string) => ({ sip: `sip:intake@${host}` });
const weekdays = (range: string) => ({ mon: [range], tue: [range], wed: [range], thu: [range], fri: [range] });

export function buildWorld(): World {
  const buyers = [
    buyer.parse({
      id: 'lawfirm_ny', name: 'NY Law', timezone: 'America/New_York', price_cents: 6000, min_duration_s: 90,
      hours: { timezone: 'America/New_York', weekly: { ...weekdays('08:00-20:00'), sat: ['10:00-16:00'] }, holidays: ['2026-03-17'] },
      caps: [{ metric: 'billable', period: 'day', limit: 25 }, { metric: 'routed', period: 'hour', limit: 4 }],
      concurrency: 2, duplicate: { window: '30d', scope: 'buyer' },
      targets: [{ id: 'ny_main', destination: sip('10.0.0.1') }, { id: 'ny_overflow', destination: { number: '+12125550199', trunk: 'out' }, price_cents: 5500 }],
    }),
    buyer.parse({
      id: 'insurer_west', name: 'West Insurance', timezone: 'America/Los_Angeles', price_cents: 3500, min_duration_s: 60,
      geography: { states: ['CA', 'OR', 'WA', 'NV', 'AZ'] }, required_tags: { age_65_plus: 'yes' },
      caps: [{ metric: 'revenue_cents', period: 'day', limit: 7000 }, { metric: 'connected', period: 'month', limit: 2500 }],
      duplicate: { window: '7d', scope: 'campaign', force_new_buyer: true },
      targets: [{ id: 'west_main', destination: sip('10.0.0.2') }],
    }),
    buyer.parse({
      id: 'insurer_any', name: 'Any Insurance', timezone: 'America/Chicago', price_cents: 2500, min_duration_s: 45,
      required_tags: { age_65_plus: 'yes' }, concurrency: 3, duplicate: { window: '7d', scope: 'campaign', force_new_buyer: true },
      targets: [{ id: 'any_main', destination: { number: '+13125550100', trunk: 'out' } }],
    }),
    buyer.parse({
      id: 'solar_conv', name: 'Solar (pays on sale)', timezone: 'Europe/London', price_cents: 9000, pricing: 'conversion',
      caps: [{ metric: 'billable', period: 'month', limit: 400 }], dispute_window_days: 14,
      targets: [{ id: 'solar_main', destination: sip('10.0.0.4') }],
    }),
    buyer.parse({
      id: 'home_services', name: 'Home Services', timezone: 'America/Denver', price_cents: 1800, min_duration_s: 30,
      geography: { zip_prefixes: ['802', '941', '981', '100'] }, duplicate: { window: '24h', scope: 'global' },
      hours: { timezone: 'America/Denver', weekly: { ...weekdays('07:00-19:00'), sat: ['08:00-12:00'] }, holidays: [] },
      caps: [{ metric: 'routed', period: 'total', limit: 600 }],
      targets: [{ id: 'home_main', destination: sip('10.0.0.5') }],
    }),
  ];
  const publishers = [
    publisher.parse({ id: 'pub_fixed', name: 'Fixed Media', payout: { type: 'fixed', amount_cents: 1200 }, min_duration_s: 60, duplicate: { window: '30d', scope: 'campaign' } }),
    publisher.parse({ id: 'pub_percent', name: 'Percent Partners', payout: { type: 'percent', percent: 37.5 }, min_duration_s: 30 }),
    publisher.parse({ id: 'pub_quick', name: 'Quick Calls', timezone: 'America/New_York', payout: { type: 'fixed', amount_cents: 700 }, min_duration_s: 20, caps: [{ metric: 'connected', period: 'day', limit: 120 }] }),
    publisher.parse({ id: 'pub_global', name: 'Global Leads', payout: { type: 'percent', percent: 45 }, min_duration_s: 90, duplicate: { window: '14d', scope: 'global' } }),
  ];
  const did = (n: number, pub: string) => ({ number: `+1800555${String(n).padStart(4, '0')}`, publisher: pub });
  const campaigns = [
    campaign.parse({
      id: 'injury', name: 'Personal injury', timezone: 'America/New_York', max_attempts: 2,
      dids: [did(1, 'pub_fixed'), did(2, 'pub_quick')], duplicate: { window: '30d', scope: 'campaign' },
      routes: [{ target: 'ny_main', priority: 1 }, { target: 'ny_overflow', priority: 2 }, { target: 'home_main', priority: 3 }],
    }),
    campaign.parse({
      id: 'medicare', name: 'Medicare', timezone: 'America/Chicago', max_attempts: 3,
      dids: [did(3, 'pub_percent'), did(4, 'pub_global')], concurrency: 20,
      hours: { timezone: 'America/Chicago', weekly: { ...weekdays('07:00-21:00'), sat: ['09:00-17:00'], sun: ['10:00-14:00'] }, holidays: [] },
      closed: { action: 'message', prompt: 'closed' },
      routes: [{ target: 'west_main', priority: 1 }, { target: 'any_main', priority: 2 }],
    }),
    campaign.parse({
      id: 'solar', name: 'Solar', timezone: 'Europe/London',
      dids: [did(5, 'pub_percent'), did(6, 'pub_fixed')], caps: [{ metric: 'routed', period: 'day', limit: 60 }],
      routes: [{ target: 'solar_main', priority: 1 }, { target: 'home_main', priority: 2 }],
    }),
  ];
  const buyerOfTarget = new Map(buyers.flatMap((b) => b.targets.map((t) => [t.id, b] as const)));
  return {
    carrier: carrier.parse({ id: 'carrier_a', name: 'Carrier A', sources: ['127.0.0.1'], cost_per_minute_cents: 0.65 }),
    trunks: new Map([['out', trunk.parse({ id: 'out', host: '127.0.0.1:5080', cost_per_minute_cents: 1.1 })]]),
    publishers, buyers, campaigns, buyerOfTarget,
  };
}

const AREA_CODES = Object.keys(nanp.prefixes).filter((p) => p.length === 3);

/** A pool of callers: real NANP area codes (so geography resolves), a few withheld numbers. */
export function callerPool(rng: Rng, size: number): string[] {
  const pool: string[] = [];
  for (let i = 0; i < size; i++) {
    const npa = AREA_CODES[Math.floor(rng() * AREA_CODES.length)] ?? '415';
    pool.push(`+1${npa}555${String(Math.floor(rng() * 10_000)).padStart(4, '0')}`);
  }
  return pool;
}
