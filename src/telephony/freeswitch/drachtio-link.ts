/**
 * The connection to drachtio-server's admin port. drachtio-srf reconnects by itself (with backoff); this wraps it
 * with one log line per retry, a connected flag, and the ability to let go of drachtio on purpose (no media server
 * up: drachtio then answers new INVITEs itself instead of handing them to an engine that cannot take them).
 */
import { EventEmitter } from 'node:events';
import type pino from 'pino';
import type Srf from 'drachtio-srf';

export interface DrachtioLinkOptions {
  host: string;
  port: number;
  secret: string;
  /** Longest pause between retries, ms. Default 10 000. */
  retryMaxDelayMs?: number;
  logger: pino.Logger;
}

export interface DrachtioLinkEvents {
  change: [boolean];
}

/** drachtio-srf internals reached for in one place: the agent (`srf._app.client`) and its wire protocol. */
interface AgentInternals {
  wp?: { closing?: boolean; reconnectVars?: { retryTimer?: NodeJS.Timeout | null } };
  mapServer: Map<unknown, unknown>;
}

export class DrachtioLink extends EventEmitter<DrachtioLinkEvents> {
  private connected = false;
  private wanted = false;

  constructor(
    private readonly srf: Srf,
    private readonly opts: DrachtioLinkOptions,
  ) {
    super();
    const log = opts.logger;
    const where = { host: opts.host, port: opts.port };
    srf.on('connect', (err: Error | null, hostport: string) => {
      if (err) return void log.error({ ...where, err: err.message }, 'drachtio rejected the connection (secret?)');
      log.info({ ...where, hostport }, 'drachtio connected');
      this.set(true);
    });
    const events = srf as unknown as EventEmitter; // 'reconnecting' and 'close' are missing from srf's types
    events.on('reconnecting', (info: { attempt: number; delay: number }) => {
      log.warn({ ...where, attempt: info.attempt - 1, delayMs: info.delay }, 'drachtio unreachable, retrying');
    });
    events.on('close', () => this.set(false));
    // errors are followed by 'reconnecting' (logged above) or 'close'; keep them from being thrown
    srf.on('error', (err: Error) => log.debug({ ...where, err: err.message }, 'drachtio socket error'));
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Start connecting (idempotent); srf retries until `release()`. */
  connect(): void {
    if (this.wanted) return;
    this.wanted = true;
    const { host, port, secret, retryMaxDelayMs } = this.opts;
    // `reconnect` is read by drachtio-srf's wire protocol (not in its published types)
    void this.srf.connect({ host, port, secret, reconnect: { retryMaxDelay: retryMaxDelayMs ?? 10_000 } } as Srf.SrfConfig);
  }

  /** Let go of drachtio: close the socket, or stop the retry loop when not connected. */
  release(): void {
    if (!this.wanted) return;
    this.wanted = false;
    const agent = (this.srf as unknown as { _app: { client?: AgentInternals } })._app.client;
    if (!agent) return this.set(false);
    if (agent.mapServer.size > 0) {
      this.srf.disconnect();
    } else if (agent.wp) {
      // srf.disconnect() asserts on a missing socket; stop the retry loop the way it would
      agent.wp.closing = true;
      clearTimeout(agent.wp.reconnectVars?.retryTimer ?? undefined);
    }
    this.set(false);
  }

  private set(v: boolean): void {
    if (v === this.connected) return;
    this.connected = v;
    this.emit('change', v);
  }
}
