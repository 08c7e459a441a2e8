/**
 * The guard's decisions on its own, with an injected clock: scanners, strangers, bans, carriers, memory bound, the
 * pre-parse address check and the charge for packets that do not parse.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/telephony/embedded/sip/parse.js';
import type { SipMessage } from '../../src/telephony/embedded/sip/message.js';
import { isScanner, SipGuard } from '../../src/telephony/embedded/sip/guard.js';
import type { SourceAddress } from '../../src/telephony/types.js';
import { request } from './support/sip.js';

const log = pino({ level: 'silent' });
const msg = (method: 'INVITE' | 'OPTIONS', extra: { userAgent?: string } = {}): SipMessage => {
  const r = parseMessage(request(method, { did: '+18005550100', target: '127.0.0.1:5060', ...extra }));
  if (r.ok !== true) throw new Error('fixture does not parse');
  return r.message;
};
const from = (address: string): SourceAddress => ({ address, port: 5060, transport: 'udp' });

function guard(opts = {}) {
  let now = 1_000_000;
  const g = new SipGuard(log, { ratePerS: 1, burst: 3, banMs: 60_000, ...opts }, () => now);
  g.isCarrier = (a) => a === '127.0.0.1';
  return { g, tick: (ms: number) => (now += ms) };
}

describe('SipGuard', () => {
  it('knows scanner user agents, case-insensitively, and nothing else', () => {
    expect(['friendly-scanner', 'SIPVicious 0.3', 'sipcli/v1.8', 'VaxSIPUserAgent/3.1'].map(isScanner)).toEqual([true, true, true, true]);
    expect(['Asterisk PBX 18', 'FreeSWITCH', undefined].map(isScanner)).toEqual([false, false, false]);
  });

  it('forbids a stranger, drops it once over its burst, and forgives it after the ban', () => {
    const { g, tick } = guard();
    const v = () => g.judge(msg('INVITE'), from('198.51.100.7'));
    expect([v(), v(), v(), v(), v()]).toEqual(['forbid', 'forbid', 'forbid', 'drop', 'drop']);
    // The fourth starts the ban (one rate-limited packet); only the fifth is dropped for being banned.
    expect(g.stats).toMatchObject({ forbidden: 3, banned: 1, bans: 1 });
    expect(g.bannedSources()).toBe(1);
    tick(59_000);
    expect(v()).toBe('drop');
    tick(2_000);
    expect(v()).toBe('forbid');
  });

  it('never limits a carrier, drops scanners even from a carrier, passes strangers in dialogs, drops their bare ACKs', () => {
    const { g } = guard();
    for (let i = 0; i < 100; i++) expect(g.judge(msg('INVITE'), from('127.0.0.1'))).toBe('pass');
    expect(g.judge(msg('OPTIONS', { userAgent: 'friendly-scanner' }), from('127.0.0.1'))).toBe('drop');
    const bye = msg('OPTIONS');
    bye.method = 'BYE';
    bye.set('to', '<sip:+18005550100@127.0.0.1>;tag=abc');
    expect(g.judge(bye, from('203.0.113.5'))).toBe('pass');
    const ack = msg('OPTIONS');
    ack.method = 'ACK';
    expect(g.judge(ack, from('203.0.113.6'))).toBe('drop');
  });

  it('does not count in-dialog requests from a stranger (buyer BYEs), but drops them once it is banned', () => {
    const { g } = guard();
    const bye = msg('OPTIONS');
    bye.method = 'BYE';
    bye.set('to', '<sip:+18005550100@127.0.0.1>;tag=abc');
    for (let i = 0; i < 50; i++) expect(g.judge(bye, from('203.0.113.9'))).toBe('pass');
    const v = () => g.judge(msg('INVITE'), from('203.0.113.9'));
    expect([v(), v(), v(), v()]).toEqual(['forbid', 'forbid', 'forbid', 'drop']);
    expect(g.judge(bye, from('203.0.113.9'))).toBe('drop');
  });

  it('charges strangers for packets that do not parse, bans them, then refuses them by address alone', () => {
    const { g, tick } = guard();
    expect([1, 2, 3, 4].map(() => g.malformed('198.51.100.8'))).toEqual([true, true, true, false]);
    expect(g.stats).toMatchObject({ malformed: 3, bans: 1, banned: 0 });
    expect(g.admit('198.51.100.8')).toBe(false);
    expect(g.judge(msg('INVITE'), from('198.51.100.8'))).toBe('drop');
    expect(g.stats.banned).toBe(2);
    expect(g.admit('198.51.100.9')).toBe(true);
    tick(61_000);
    expect(g.admit('198.51.100.8')).toBe(true);
    expect(g.bannedSources()).toBe(0);
  });

  it('never charges or refuses a carrier before parsing, however much garbage it sends', () => {
    const { g } = guard();
    for (let i = 0; i < 100; i++) expect(g.malformed('127.0.0.1') && g.admit('127.0.0.1')).toBe(true);
    expect(g.stats).toMatchObject({ malformed: 0, bans: 0, banned: 0 });
    expect(g.tracked).toBe(0);
  });

  it('lets malformed packets and out-of-dialog requests share one budget, and never spends it on dialogs', () => {
    const { g } = guard();
    const bye = msg('OPTIONS');
    bye.method = 'BYE';
    bye.set('to', '<sip:+18005550100@127.0.0.1>;tag=abc');
    expect(g.malformed('203.0.113.20')).toBe(true);
    for (let i = 0; i < 50; i++) expect(g.judge(bye, from('203.0.113.20'))).toBe('pass');
    expect(g.judge(msg('INVITE'), from('203.0.113.20'))).toBe('forbid');
    expect(g.malformed('203.0.113.20')).toBe(true);
    expect(g.malformed('203.0.113.20')).toBe(false);
    expect(g.admit('203.0.113.20')).toBe(false);
  });

  it('charges a stranger for scanner requests, so a scanner flood gets banned and then refused unread', () => {
    const { g } = guard();
    const scan = () => g.judge(msg('OPTIONS', { userAgent: 'friendly-scanner' }), from('203.0.113.30'));
    expect([scan(), scan(), scan(), scan()]).toEqual(['drop', 'drop', 'drop', 'drop']);
    expect(g.stats).toMatchObject({ scanner: 3, bans: 1 });
    expect(g.admit('203.0.113.30')).toBe(false);
  });

  it('keeps its source table bounded under spoofed sources', () => {
    const { g } = guard({ maxSources: 100 });
    for (let i = 0; i < 1000; i++) g.judge(msg('OPTIONS'), from(`10.0.${i >> 8}.${i & 255}`));
    expect(g.tracked).toBeLessThanOrEqual(100);
  });

  it('without a source policy every source is a carrier', () => {
    const g = new SipGuard(log);
    expect(g.judge(msg('INVITE'), from('198.51.100.7'))).toBe('pass');
  });
});
