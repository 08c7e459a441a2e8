/** One HTTP try of one delivery, with undici. Never throws: every failure comes back as a result. */
import { Agent, request } from 'undici';
import type { DeliveryView } from '../store/webhooks.js';
import { ATTEMPT_HEADER, EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signDelivery } from './sign.js';

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
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
      return { statusCode: res.statusCode, error: null, latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      const e = err as Error & { code?: string };
      return { statusCode: null, error: (e.code ?? e.name) + ': ' + e.message, latencyMs: Math.round(performance.now() - started) };
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
