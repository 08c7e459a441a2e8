/**
 * After calls driven through the call flow: /metrics shows them in the right series, and the P&L totals equal
 * the sums of the stored call rows, for every grouping and in any time zone.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallQueryRepository } from '../../src/store/call-query.js';
import type { CallRow } from '../../src/store/index.js';
import { KEYS, connectedCall, json, screenedOutCall, startHarness, type Harness } from './support.js';

let h: Harness;
let rows: CallRow[];

beforeAll(async () => {
  h = await startHarness();
  const converted = await connectedCall(h, { caller: '+14155550301', talkS: 90 });
  await connectedCall(h, { caller: '+14155550302', talkS: 30 });
  await screenedOutCall(h, '+14155550303');
  // 03:00 UTC on the 25th is still the evening of the 24th in Los Angeles.
  h.clock.advance(Date.parse('2026-11-25T03:00:00Z') - h.clock.now().getTime());
  await connectedCall(h, { caller: '+14155550304', did: '+18005550200', buyer: 'second', talkS: 120 });
  const blocked = h.driver.placeCall({ did: '+18005550100', caller: '+14155550666' });
  expect(blocked.rejected?.sipCode).toBe(603);
  const r = await h.req(KEYS.operator, { method: 'POST', url: `/calls/${converted.id}/conversions`, payload: { eventId: 'sale-1' } });
  expect(r.statusCode).toBe(200);
  rows = new CallQueryRepository(h.engine.store.db).page({}, 100);
});
afterAll(() => h.close());

/** `name{labels}` -> value, from the Prometheus text format. */
async function scrape(): Promise<{ text: string; get(series: string): number | undefined }> {
  const r = await h.req(null, { method: 'GET', url: '/metrics' });
  expect(r.statusCode).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/plain/);
  const values = new Map<string, number>();
  for (const line of r.body.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    values.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return { text: r.body, get: (s) => values.get(s) };
}

const sum = (f: (r: CallRow) => number) => rows.reduce((a, r) => a + f(r), 0);

describe('/metrics after calls through the flow', () => {
  it('counts calls, IVR outcomes, attempts, money and rejections in their series', async () => {
    const m = await scrape();
    expect(rows).toHaveLength(4);
    expect(m.get('callroute_calls_total{campaign="medicare",outcome="connected"}')).toBe(3);
    expect(m.get('callroute_calls_total{campaign="medicare",outcome="not_qualified"}')).toBe(1);
    expect(m.get('callroute_calls_started_total{campaign="medicare"}')).toBe(4);
    expect(m.get('callroute_calls_rejected_total{reason="caller_blocked",sip_code="603"}')).toBe(1);
    expect(m.get('callroute_ivr_outcomes_total{campaign="medicare",result="qualified"}')).toBe(3);
    expect(m.get('callroute_ivr_outcomes_total{campaign="medicare",result="not_qualified"}')).toBe(1);
    expect(m.get('callroute_bridge_attempts_total{buyer="buyer_first",result="answered",sip_class="2xx"}')).toBe(2);
    expect(m.get('callroute_bridge_attempts_total{buyer="buyer_first",result="busy",sip_class="4xx"}')).toBe(1);
    expect(m.get('callroute_bridge_attempts_total{buyer="buyer_second",result="answered",sip_class="2xx"}')).toBe(1);
    expect(m.get('callroute_routing_decision_seconds_count{campaign="medicare"}')).toBe(3);
    const billable = rows.filter((r) => r.billable === 1);
    expect(billable.length).toBeGreaterThan(0);
    const byBuyer = (b: string, f: (r: CallRow) => number) => rows.filter((r) => r.buyer_id === b).reduce((a, r) => a + f(r), 0);
    for (const buyer of ['buyer_first', 'buyer_second']) {
      expect(m.get(`callroute_billable_calls_total{campaign="medicare",buyer="${buyer}"}`) ?? 0).toBe(byBuyer(buyer, (r) => r.billable));
      expect(m.get(`callroute_revenue_cents_total{campaign="medicare",buyer="${buyer}"}`) ?? 0).toBe(byBuyer(buyer, (r) => r.revenue_cents));
    }
    const payout = (p: string) => m.get(`callroute_payout_cents_total{campaign="medicare",publisher="${p}"}`) ?? 0;
    expect(payout('pub_one') + payout('pub_two')).toBe(sum((r) => r.payout_cents));
    expect(m.get('callroute_cost_cents_total{campaign="medicare"}') ?? 0).toBe(sum((r) => r.cost_cents));
  });

  it('exposes live state, store latency and process metrics, and never a phone number', async () => {
    const m = await scrape();
    expect(m.get('callroute_active_calls')).toBe(0);
    expect(m.get('callroute_driver_ready{driver="memory"}')).toBe(1);
    expect(m.get('callroute_store_write_seconds_count{op="insert"}')).toBe(4);
    expect(m.get('callroute_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(m.get('callroute_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.text).toContain('callroute_webhook_deliveries_total');
    for (const digits of ['4155550', '8005550', '14155550666']) expect(m.text).not.toContain(digits);
  });
});

describe('Grafana dashboard', () => {
  it('queries only metrics the engine exposes', async () => {
    const dashboard = readFileSync(new URL('../../grafana/callroute-dashboard.json', import.meta.url), 'utf8');
    const exprs = (JSON.parse(dashboard) as { panels: { targets?: { expr: string }[] }[] }).panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThan(20);
    const used = new Set(exprs.flatMap((e) => e.match(/callroute_[a-z0-9_]+/g) ?? []).map((n) => n.replace(/_bucket$/, '')));
    const { text } = await scrape();
    const exposed = new Set([...text.matchAll(/^# TYPE (callroute_[a-z0-9_]+) /gm)].map((m) => m[1]));
    expect([...used].filter((n) => !exposed.has(n))).toEqual([]);
  });
});

describe('P&L totals', () => {
  const pnl = async (qs: string) => json(await h.req(KEYS.operator, { method: 'GET', url: `/reports/pnl?${qs}` }));

  it('equal the sums of the stored call rows, for every grouping', async () => {
    const expected = {
      calls: rows.length,
      connected: rows.filter((r) => r.buyer_answer_at !== null).length,
      billable: sum((r) => r.billable),
      conversions: rows.filter((r) => (r as CallRow & { converted_at: number | null }).converted_at !== null).length,
      revenueCents: sum((r) => r.revenue_cents),
      payoutCents: sum((r) => r.payout_cents),
      costCents: sum((r) => r.cost_cents),
      marginCents: sum((r) => r.revenue_cents - r.payout_cents - r.cost_cents),
      conversionRate: Math.round((sum((r) => r.billable) / rows.length) * 10_000) / 10_000,
    };
    expect(expected.revenueCents).toBeGreaterThan(0);
    expect(expected.conversions).toBe(1);
    for (const groupBy of ['campaign', 'publisher', 'buyer', 'day']) {
      const r = await pnl(`from=2026-11-24&to=2026-11-25&tz=UTC&groupBy=${groupBy}`);
      expect([groupBy, r.totals]).toEqual([groupBy, expected]);
      for (const k of ['calls', 'connected', 'billable', 'conversions', 'revenueCents', 'payoutCents', 'costCents', 'marginCents'] as const) {
        expect([groupBy, k, r.rows.reduce((a: number, row: Record<string, number>) => a + row[k]!, 0)]).toEqual([groupBy, k, expected[k]]);
      }
    }
    const byPub = await pnl('from=2026-11-24&to=2026-11-25&groupBy=publisher');
    expect(byPub.rows.map((r: { key: string; calls: number }) => [r.key, r.calls])).toEqual([['pub_one', 3], ['pub_two', 1]]);
  });

  it('counts days in the requested time zone', async () => {
    const utc = await pnl('from=2026-11-24&to=2026-11-25&tz=UTC&groupBy=day');
    expect(utc.rows.map((r: { key: string; calls: number }) => [r.key, r.calls])).toEqual([['2026-11-24', 3], ['2026-11-25', 1]]);
    const la = await pnl('from=2026-11-24&to=2026-11-25&tz=America/Los_Angeles&groupBy=day');
    expect(la.rows.map((r: { key: string; calls: number }) => [r.key, r.calls])).toEqual([['2026-11-24', 4], ['2026-11-25', 0]]);
    const tokyo = await pnl('from=2026-11-25&to=2026-11-25&tz=Asia/Tokyo&groupBy=campaign');
    expect(tokyo.totals.calls).toBe(4);
  });
});
