/** The SIP guard's limits as settings: today's defaults, flags and environment, validation naming flag and variable. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/config/settings.js';
import { errorOf } from './settings-error.js';
import { DEFAULT_GUARD_OPTIONS, SipGuard } from '../../../src/telephony/embedded/sip/guard.js';

const log = pino({ level: 'silent' });

describe('SIP guard settings', () => {
  it('default to the guard\'s built-in limits', () => {
    const s = loadSettings([], {});
    expect(s).toMatchObject({ sipGuardRatePerS: 10, sipGuardBurst: 40, sipGuardBanS: 120, sipGuardMaxSources: 50_000 });
    expect(DEFAULT_GUARD_OPTIONS).toEqual({ ratePerS: 10, burst: 40, banMs: 120_000, maxSources: 50_000 });
  });

  it('are read from flags and environment variables, flags first', () => {
    const env = { CALLROUTE_SIP_GUARD_RATE_PER_S: '2.5', CALLROUTE_SIP_GUARD_BURST: '8', CALLROUTE_SIP_GUARD_BAN_S: '30', CALLROUTE_SIP_GUARD_MAX_SOURCES: '1000' };
    expect(loadSettings([], env)).toMatchObject({ sipGuardRatePerS: 2.5, sipGuardBurst: 8, sipGuardBanS: 30, sipGuardMaxSources: 1000 });
    expect(loadSettings(['--sip-guard-burst', '3', '--sip-guard-ban-s=600'], env)).toMatchObject({ sipGuardBurst: 3, sipGuardBanS: 600 });
  });

  it('reach the guard: burst and ban length come from the flags', () => {
    let now = 0;
    const g = SipGuard.forSettings(loadSettings(['--sip-guard-burst', '2', '--sip-guard-ban-s', '5'], {}), log, () => now);
    g.isCarrier = () => false;
    expect([g.malformed('192.0.2.1'), g.malformed('192.0.2.1'), g.malformed('192.0.2.1')]).toEqual([true, true, false]);
    now += 4_000;
    expect(g.admit('192.0.2.1')).toBe(false);
    now += 2_000;
    expect(g.admit('192.0.2.1')).toBe(true);
  });

  it('reject nonsense, naming the flag and the variable', () => {
    expect(errorOf(() => loadSettings(['--sip-guard-rate-per-s', '0'], {}))).toContain('--sip-guard-rate-per-s (CALLROUTE_SIP_GUARD_RATE_PER_S)');
    expect(errorOf(() => loadSettings(['--sip-guard-burst', '1.5'], {}))).toContain('--sip-guard-burst (CALLROUTE_SIP_GUARD_BURST)');
    expect(errorOf(() => loadSettings([], { CALLROUTE_SIP_GUARD_BAN_S: '0' }))).toContain('--sip-guard-ban-s (CALLROUTE_SIP_GUARD_BAN_S)');
    expect(errorOf(() => loadSettings(['--sip-guard-max-sources', 'lots'], {}))).toContain('--sip-guard-max-sources (CALLROUTE_SIP_GUARD_MAX_SOURCES)');
  });
});
