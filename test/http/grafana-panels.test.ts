/**
 * Every panel of the Grafana dashboard, including those nested in collapsed rows (Grafana keeps a collapsed row's
 * panels inside the row), queries only series the engine exposes: the engine's /metrics (in-memory driver), plus the
 * SIP guard's series, which only the embedded driver has and which are checked against the guard's own registration.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSipGuardMetrics } from '../../src/metrics/sip-guard.js';
import { SipGuard } from '../../src/telephony/embedded/sip/guard.js';
import { startHarness, type Harness } from './support.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string }[];
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync(new URL('../../grafana/callroute-dashboard.json', import.meta.url), 'utf8')) as { panels: Panel[] };
const all = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const names = (panels: Panel[]) => new Set(panels.flatMap((p) => p.targets ?? []).flatMap((t) => t.expr.match(/callroute_[a-z0-9_]+/g) ?? []).map((n) => n.replace(/_bucket$/, '')));
const typeNames = (text: string) => new Set([...text.matchAll(/^# TYPE (callroute_[a-z0-9_]+) /gm)].map((m) => m[1]!));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('Grafana dashboard, every panel', () => {
  it('queries only series the engine or its SIP guard exposes', async () => {
    const engine = typeNames((await h.req(null, { method: 'GET', url: '/metrics' })).body);
    const registry = new Registry();
    registerSipGuardMetrics(registry, 'callroute_', new SipGuard(pino({ level: 'silent' }), { ratePerS: 1, burst: 1, banMs: 1000, maxSources: 10 }, () => 0));
    const guard = typeNames(await registry.metrics());
    expect(guard.size).toBe(3);
    expect([...names(all)].filter((n) => !engine.has(n) && !guard.has(n))).toEqual([]);
    // Each guard series has a panel.
    expect([...guard].filter((n) => !names(all).has(n))).toEqual([]);
  });

  it('has unique panel ids, and a collapsed row keeps its panels below it', () => {
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    for (const row of dashboard.panels.filter((p) => p.type === 'row' && (p.panels?.length ?? 0) > 0)) {
      for (const p of row.panels!) expect(p.gridPos.y, p.title).toBeGreaterThan(row.gridPos.y);
    }
  });
});
