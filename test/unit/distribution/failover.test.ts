import { describe, expect, it } from 'vitest';
import { movesOn, nextAttempt, policyFor } from '../../../src/core/distribution/failover.js';
import { autoPauseRule, decidePause, durationMs } from '../../../src/core/distribution/autopause.js';

describe('failover policy', () => {
  const policy = policyFor({ max_attempts: 3, ring_timeout_s: 20, routing_timeout_s: 45 });

  it('moves on for busy, no answer and failures only', () => {
    expect(['busy', 'no_answer', 'failed'].every((r) => movesOn(r as never))).toBe(true);
    expect(movesOn('answered')).toBe(false);
    expect(movesOn('caller_hangup')).toBe(false);
  });

  it('stops at the attempt limit', () => {
    expect(nextAttempt(policy, 2, 0, 1000)).toEqual({ ok: true, ringTimeoutMs: 20_000 });
    expect(nextAttempt(policy, 3, 0, 1000)).toEqual({ ok: false, reason: 'max_attempts' });
  });

  it('cuts the ring to the routing time left and stops when it is used up', () => {
    expect(nextAttempt(policy, 2, 0, 40_000)).toEqual({ ok: true, ringTimeoutMs: 5000 });
    expect(nextAttempt(policy, 2, 0, 44_500)).toEqual({ ok: false, reason: 'routing_timeout' });
  });
});

describe('auto-pause rule', () => {
  const rule = autoPauseRule({ unanswered: 3, window: '10m', pause_for: '30m' });
  const now = new Date('2026-03-01T12:00:00Z');
  const ago = (m: number) => new Date(now.getTime() - m * 60_000);

  it('parses durations', () => {
    expect(durationMs('45s')).toBe(45_000);
    expect(durationMs('2h')).toBe(7_200_000);
  });

  it('pauses after N unanswered within the window, for the configured time', () => {
    const d = decidePause(rule, [ago(9), ago(5), ago(1)], null, now);
    expect(d?.until.toISOString()).toBe('2026-03-01T12:30:00.000Z');
    expect(d?.reason).toBe('3 unanswered calls within 600s');
  });

  it('ignores misses outside the window or before the last pause ended', () => {
    expect(decidePause(rule, [ago(11), ago(5), ago(1)], null, now)).toBeNull();
    expect(decidePause(rule, [ago(8), ago(5), ago(1)], ago(6), now)).toBeNull();
  });
});
