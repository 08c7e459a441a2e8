/**
 * HTTP side of ping-post: one undici Agent per engine, shared by every auction.
 *
 * Hot-path costs are paid once: connections are kept alive and reused per bidder origin (no TCP/TLS
 * handshake per ping), and DNS answers are cached by the dns interceptor (no lookup per ping).
 * Every ping is bounded by its own timer, which settles the ping even if the socket never answers,
 * so an auction can never outlast its deadline because of a bidder.
 */
import { performance } from 'node:perf_hooks';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import type { PingResult } from '../core/distribution/auction.js';

export interface PingRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface PingResponse {
  result: PingResult;
  /** From send to the answer (or to the timeout, for a late bidder). */
  latencyMs: number;
  httpStatus: number | null;
}

export interface BidderClientOptions {
  /** Open connections kept per bidder origin. Default 32. */
  connectionsPerOrigin?: number;
  /** Idle keep-alive, ms. Default 60 s: bidders are pinged often, keep their sockets warm. */
  keepAliveMs?: number;
  /** Biggest bid response accepted, bytes. Default 16 KiB. */
  maxResponseBytes?: number;
  /** Epoch-ms clock, for bid expiry. */
  clock?: () => number;
}

export class BidderClient {
  readonly #agent: Agent;
  readonly #dispatcher: Dispatcher;
  readonly #clock: () => number;

  constructor(opts: BidderClientOptions = {}) {
    const keepAlive = opts.keepAliveMs ?? 60_000;
    this.#agent = new Agent({
      connections: opts.connectionsPerOrigin ?? 32,
      keepAliveTimeout: keepAlive,
      keepAliveMaxTimeout: Math.max(keepAlive, 600_000),
      maxResponseSize: opts.maxResponseBytes ?? 16 * 1024,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    this.#dispatcher = this.#agent.compose(interceptors.dns({ maxTTL: 60_000 }));
    this.#clock = opts.clock ?? Date.now;
  }

  get clock(): () => number {
    return this.#clock;
  }

  /** Never rejects: every failure is a `PingResult` the auction can judge and record. */
  async ping(req: PingRequest): Promise<PingResponse> {
    const started = performance.now();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<PingResponse>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve({ result: { kind: 'late' }, latencyMs: performance.now() - started, httpStatus: null });
      }, req.timeoutMs);
    });
    const answer = this.#send(req, abort.signal).then(
      ({ status, text }): PingResponse => ({
        result: { kind: 'response', status, text, receivedAtMs: this.#clock() },
        latencyMs: performance.now() - started,
        httpStatus: status,
      }),
      (err: unknown): PingResponse => ({
        result: { kind: 'transport_error', detail: errorDetail(err) },
        latencyMs: performance.now() - started,
        httpStatus: null,
      }),
    );
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #send(req: PingRequest, signal: AbortSignal): Promise<{ status: number; text: string }> {
    const res = await request(req.url, {
      method: 'POST',
      body: req.body,
      headers: { 'content-type': 'application/json', ...req.headers },
      signal,
      dispatcher: this.#dispatcher,
    });
    // Read the body even for errors: a drained response leaves the connection reusable.
    const text = await res.body.text();
    return { status: res.statusCode, text };
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

function errorDetail(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
