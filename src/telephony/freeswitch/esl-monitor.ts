/**
 * The engine's own event-socket connection to one FreeSWITCH (modesl): liveness and HEARTBEAT metrics.
 * drachtio-fsmrf keeps its own connection for endpoints; this one is what decides whether the server is up,
 * and it carries commands fsmrf does not wrap (`api()`).
 */
import { EventEmitter } from 'node:events';
import modesl from 'modesl';
import type pino from 'pino';
import { Backoff } from './backoff.js';

export interface HeartbeatMetrics {
  /** Channels up on the server (`Session-Count`). */
  sessions: number;
  /** `Max-Sessions` from switch.conf. */
  maxSessions: number;
  /** Sessions created in the last second (`Session-Per-Sec`). */
  sessionsPerSecond: number;
  /** Idle CPU percentage (`Idle-CPU`). */
  idleCpu: number;
  /** When the HEARTBEAT arrived. */
  at: Date;
}

export interface EslMonitorEvents {
  up: [];
  down: [];
  heartbeat: [HeartbeatMetrics];
}

export interface EslMonitorOptions {
  host: string;
  port: number;
  secret: string;
  logger: pino.Logger;
  backoff?: Backoff;
}

/** The reason on the retry line when FreeSWITCH refuses the password (logged at error level: an operator must act). */
export const PASSWORD_REJECTED = 'password rejected (CALLROUTE_FREESWITCH_SECRET)';

const num = (v: string | undefined): number => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};

export class EslMonitor extends EventEmitter<EslMonitorEvents> {
  private conn: modesl.Connection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private isUp = false;
  private readonly backoff: Backoff;
  /** Last HEARTBEAT, undefined until the first one. */
  metrics: HeartbeatMetrics | undefined;

  constructor(private readonly opts: EslMonitorOptions) {
    super();
    this.backoff = opts.backoff ?? new Backoff();
  }

  get up(): boolean {
    return this.isUp;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.drop();
  }

  /** Run an API command on this server (`api <command>`); resolves with the response body. */
  api(command: string): Promise<string> {
    const conn = this.conn;
    if (!conn || !this.isUp) return Promise.reject(new Error('event socket not connected'));
    return new Promise((resolve) => conn.api(command, (evt) => resolve(evt.getBody())));
  }

  private connect(): void {
    const { host, port, secret } = this.opts;
    let settled = false;
    const conn = new modesl.Connection(host, port, secret, () => {
      settled = true;
      this.onAuthenticated(conn);
    });
    this.conn = conn;
    conn.on('esl::event::auth::fail', () => {
      settled = true;
      this.lost(conn, PASSWORD_REJECTED);
    });
    conn.on('error', (err: Error) => this.lost(conn, settled ? err.message : `unreachable: ${err.message}`));
    conn.on('esl::end', () => this.lost(conn, 'connection closed'));
  }

  private onAuthenticated(conn: modesl.Connection): void {
    conn.subscribe(['HEARTBEAT']);
    conn.on('esl::event::HEARTBEAT::*', (evt: modesl.Event) => this.onHeartbeat(evt));
    this.backoff.reset();
    this.isUp = true;
    this.opts.logger.info({ host: this.opts.host, port: this.opts.port }, 'freeswitch event socket connected');
    this.emit('up');
  }

  private onHeartbeat(evt: modesl.Event): void {
    this.metrics = {
      sessions: num(evt.getHeader('Session-Count')),
      maxSessions: num(evt.getHeader('Max-Sessions')),
      sessionsPerSecond: num(evt.getHeader('Session-Per-Sec')),
      idleCpu: num(evt.getHeader('Idle-CPU')),
      at: new Date(),
    };
    this.emit('heartbeat', this.metrics);
  }

  /** One failure path for errors, closes and auth rejections: drop the socket, log one line, schedule a retry. */
  private lost(conn: modesl.Connection, reason: string): void {
    if (conn !== this.conn) return;
    this.drop();
    if (this.isUp) {
      this.isUp = false;
      this.emit('down');
    }
    if (this.stopped) return;
    const { attempt, delayMs } = this.backoff.next();
    const level = reason === PASSWORD_REJECTED ? 'error' : 'warn';
    this.opts.logger[level](
      { host: this.opts.host, port: this.opts.port, attempt, delayMs, reason },
      'freeswitch event socket down, retrying',
    );
    this.timer = setTimeout(() => this.connect(), delayMs);
  }

  private drop(): void {
    const conn = this.conn;
    this.conn = undefined;
    if (!conn) return;
    conn.removeAllListeners();
    conn.on('error', () => {}); // a late socket error must not become an unhandled 'error'
    if (conn.socket) conn.disconnect();
  }
}
