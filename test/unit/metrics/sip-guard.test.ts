/** Guard metrics read at scrape time: a counter per reason, the banned-sources gauge, no address in any label. */
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerSipGuardMetrics, sipGuardSource } from '../../../src/metrics/sip-guard.js';
import { SipGuard } from '../../../src/telephony/embedded/sip/guard.js';

describe('SIP guard metrics', () => {
  it('export each counter under a reason label and the banned sources, never an address', async () => {
    let now = 0;
    const guard = new SipGuard(pino({ level: 'silent' }), { burst: 2, ratePerS: 1, banMs: 10_000 }, () => now);
    guard.isCarrier = (a) => a === '10.0.0.1';
    const registry = new Registry();
    const source = sipGuardSource({ guard });
    expect(source).toBe(guard);
    registerSipGuardMetrics(registry, 'callroute_', source!);
    for (let i = 0; i < 5; i++) if (guard.admit('192.0.2.9')) guard.malformed('192.0.2.9');
    const text = await registry.metrics();
    expect(text).toContain('callroute_sip_guard_packets_total{reason="malformed"} 2');
    expect(text).toContain('callroute_sip_guard_packets_total{reason="rate_limited"} 1');
    expect(text).toContain('callroute_sip_guard_packets_total{reason="banned"} 2');
    expect(text).toContain('callroute_sip_guard_packets_total{reason="not_carrier"} 0');
    expect(text).toContain('callroute_sip_guard_banned_sources 1');
    expect(text).not.toContain('192.0.2.9');
    now += 11_000;
    expect(await registry.metrics()).toContain('callroute_sip_guard_banned_sources 0');
  });

  it('is absent for drivers without a guard (freeswitch)', () => {
    expect(sipGuardSource({ name: 'freeswitch' })).toBeUndefined();
  });
});
