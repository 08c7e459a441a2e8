/** One HTTP try of one delivery, with undici. Never throws: every failure comes back as a result. */
import { Agent, request } from 'undici';
import type { DeliveryView } from '../store/webhooks.js';
import { ATTEMPT_HEADER, EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signDelivery } from './sign.js';

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  /** The receiver's `Retry-After` (seconds or HTTP date) as ms from now, when it sent one. */
  retryAfterMs?: number;
}

function retryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export class WebhookSender {
  readonly #agent: Agent;

  /** `connectionsPerHost`: sockets per origin (the worker also limits requests per host). */
  constructor(connectionsPerHost: number) {
    this.#agent = new Agent({ connections: connectionsPerHost, keepAliveTimeout: 10_000 });
  }

  async send(d: DeliveryView, secret: string, timeoutMs: number, nowMs: number, signal: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    const headers: Record<string, string> = {
      'user-agent': 'callroute-webhooks/1',
      [EVENT_HEADER]: d.kind,
      [EVENT_ID_HEADER]: d.event_id,
      [ATTEMPT_HEADER]: String(d.attempts + 1),
      [TIMESTAMP_HEADER]: String(nowMs),
      [SIGNATURE_HEADER]: signDelivery(secret, nowMs, d.url, d.body),
    };
    if (d.content_type) headers['content-type'] = d.content_type;
    try {
      const res = await request(d.url, {
        method: d.method as 'POST' | 'PUT' | 'GET',
        headers,
        body: d.body ?? null,
        dispatcher: this.#agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      await res.body.dump();
      const after = retryAfter(res.headers['retry-after'], nowMs);
      return { statusCode: res.statusCode, error: null, latencyMs: Math.round(performance.now() - started), ...(after !== undefined ? { retryAfterMs: after } : {}) };
    } catch (err) {
      const e = err as Error & { code?: string };
      return { statusCode: null, error: (e.code ?? e.name) + ': ' + e.message, latencyMs: Math.round(performance.now() - started) };
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
