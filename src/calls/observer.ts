/**
 * Hooks for things that watch calls without steering them (metrics, webhooks, live-call views).
 * Every hook is optional and must not throw or block: the call flow calls them synchronously and ignores errors.
 */
import type { CallRow } from '../store/index.js';

export type CallPhase = 'accepted' | 'ivr' | 'routing' | 'ringing' | 'bridged' | 'ending' | 'ended';

export interface CallObserver {
  /** An INVITE was rejected before any row was written. */
  rejected?(info: { sipCode: number; reason: string; campaignId?: string }): void;
  /** The call row was written; the call is live. */
  started?(call: Readonly<CallRow>): void;
  phase?(callId: string, phase: CallPhase, at: Date): void;
  ivrFinished?(callId: string, campaignId: string, result: 'qualified' | 'not_qualified' | 'abandoned'): void;
  routed?(callId: string, info: { campaignId: string; candidates: number; skipped: number; decisionMs: number }): void;
  attempt?(callId: string, info: { buyerId: string; targetId: string; result: string; sipCode: number | null }): void;
  /** The row is final (status completed). */
  ended?(call: Readonly<CallRow>): void;
}

export function notify<K extends keyof CallObserver>(
  observers: readonly CallObserver[],
  event: K,
  ...args: Parameters<NonNullable<CallObserver[K]>>
): void {
  for (const o of observers) {
    try {
      (o[event] as ((...a: unknown[]) => void) | undefined)?.(...args);
    } catch {
      // An observer's bug must never affect a call.
    }
  }
}
