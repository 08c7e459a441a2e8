/**
 * One FreeSWITCH: the modesl monitor decides liveness; once it is up, a drachtio-fsmrf MediaServer is attached
 * over its own drachtio-modesl connection (built here rather than via Mrf#connect, whose connection keeps
 * retrying in the background after a failed first attempt, beyond our control).
 */
import { EventEmitter } from 'node:events';
import type pino from 'pino';
import type Srf from 'drachtio-srf';
import eslLib from 'drachtio-modesl';
import MediaServer from 'drachtio-fsmrf/lib/mediaserver.js';
import { EslMonitor, type HeartbeatMetrics } from './esl-monitor.js';

export interface MediaServerLinkOptions {
  host: string;
  port: number;
  secret: string;
  /** Where this engine listens for this server's outbound event-socket connections. */
  listenAddress: string;
  listenPort: number;
  /** What FreeSWITCH is told to connect to (X-esl-outbound). */
  advertisedAddress: string;
  srf: Srf;
  logger: pino.Logger;
}

export interface MediaServerStatus {
  /** `host:port` of the event socket. */
  address: string;
  up: boolean;
  /** Calls this engine placed on the server and has not released. */
  activeCalls: number;
  heartbeat: HeartbeatMetrics | undefined;
}

export interface MediaServerLinkEvents {
  change: [boolean];
  heartbeat: [HeartbeatMetrics];
}

export class MediaServerLink extends EventEmitter<MediaServerLinkEvents> {
  readonly address: string;
  readonly monitor: EslMonitor;
  private ms: MediaServer | undefined;
  private attaching = false;
  private stopped = false;
  /** Calls placed here by this engine; the pool balances on it between heartbeats. */
  activeCalls = 0;

  constructor(private readonly opts: MediaServerLinkOptions) {
    super();
    this.address = `${opts.host}:${opts.port}`;
    this.monitor = new EslMonitor({ ...opts, logger: opts.logger });
    this.monitor.on('up', () => this.attach());
    this.monitor.on('down', () => this.detach('event socket down'));
    this.monitor.on('heartbeat', (m) => this.emit('heartbeat', m));
  }

  get up(): boolean {
    return this.ms !== undefined && this.monitor.up;
  }

  get mediaServer(): MediaServer | undefined {
    return this.up ? this.ms : undefined;
  }

  status(): MediaServerStatus {
    return { address: this.address, up: this.up, activeCalls: this.activeCalls, heartbeat: this.monitor.metrics };
  }

  start(): void {
    this.stopped = false;
    this.monitor.start();
  }

  stop(): void {
    this.stopped = true;
    this.detach('stopping');
    this.monitor.stop();
  }

  private attach(): void {
    if (this.attaching || this.ms || this.stopped) return;
    this.attaching = true;
    const { host, port, secret, logger } = this.opts;
    const conn = new eslLib.Connection(host, port, secret, () => {
      const ms = new MediaServer(conn, { srf: this.opts.srf, customEvents: [] }, this.opts.listenAddress,
        this.opts.listenPort, this.opts.advertisedAddress, this.opts.listenPort, 'drachtio_mrf');
      ms.once('ready', () => this.onReady(ms));
      ms.once('error', (err: Error) => this.attachFailed(conn, err.message));
    });
    conn.once('error', (err: Error) => this.attachFailed(conn, err.message));
    logger.debug({ server: this.address }, 'attaching drachtio-fsmrf media server');
  }

  private onReady(ms: MediaServer): void {
    this.attaching = false;
    if (this.stopped || !this.monitor.up) return void ms.disconnect();
    this.ms = ms;
    // fsmrf's connection would reconnect on its own and lose its subscriptions: treat its end as a failure
    // and let the monitor's loop rebuild everything.
    ms.on('end', () => this.detach('media server connection closed'));
    ms.on('error', () => {});
    this.opts.logger.info({ server: this.address }, 'freeswitch media server ready');
    this.emit('change', true);
  }

  private attachFailed(conn: eslLib.Connection, reason: string): void {
    this.attaching = false;
    conn.removeAllListeners();
    conn.on('error', () => {});
    if (conn.socket) conn.disconnect();
    this.opts.logger.warn({ server: this.address, reason }, 'freeswitch media server attach failed');
    // the monitor connection is up but fsmrf could not attach (profile missing, listen port busy…):
    // restart the monitor so the retry goes through its backoff and logging.
    this.monitor.stop();
    if (!this.stopped) this.monitor.start();
  }

  private detach(reason: string): void {
    const ms = this.ms;
    this.ms = undefined;
    if (!ms) return;
    ms.removeAllListeners();
    ms.on('error', () => {});
    try {
      ms.disconnect();
    } catch {
      // already closed
    }
    this.opts.logger.warn({ server: this.address, reason }, 'freeswitch media server lost');
    this.emit('change', false);
  }
}
