/**
 * The `freeswitch` telephony driver: drachtio-server terminates SIP (drachtio-srf), FreeSWITCH plays prompts and
 * anchors bridged media (drachtio-fsmrf endpoints), the engine's own modesl connection watches each FreeSWITCH.
 *
 * Readiness = drachtio connected and at least one media server up. With no media server up the driver lets go of
 * drachtio (drachtio-server then refuses new INVITEs itself) and takes it back when one returns.
 */
import { EventEmitter } from 'node:events';
import type pino from 'pino';
import Srf from 'drachtio-srf';
import type { DriverEvents, TelephonyDriver } from '../types.js';
import { DrachtioLink } from './drachtio-link.js';
import { MediaPool } from './media-pool.js';
import type { MediaServerStatus } from './media-server-link.js';
import type { HeartbeatMetrics } from './esl-monitor.js';
import { FsInboundCall } from './inbound-call.js';
import type { RelayStats } from './buyer-leg.js';

export interface FreeswitchDriverOptions {
  drachtio: { host: string; port: number; secret: string };
  /** Event sockets, `host:port` each. */
  freeswitchServers: { host: string; port: number }[];
  freeswitchSecret: string;
  /** Where FreeSWITCH's outbound event-socket connections come in (port +i for the i-th server). */
  eslListen: { address: string; port: number };
  /** The address FreeSWITCH dials for those connections (X-esl-outbound). */
  eslAdvertisedAddress: string;
  retryAfterS: number;
  /** Hang up a call whose caller or buyer sends no RTP for this long (FreeSWITCH's media_timeout); 0 = never. */
  mediaTimeoutS?: number;
  /** Where FreeSWITCH sees the prompt files (its mount of the prompts directory); default: the paths as configured. */
  promptsDir?: string;
  /** Longest pause between reconnect attempts, ms. Default 10 000. */
  retryMaxDelayMs?: number;
  logger: pino.Logger;
}

/**
 * Headers on drachtio-fsmrf's INVITE for each endpoint; the drachtio_mrf dialplan copies them into channel variables
 * before the answer, when FreeSWITCH reads them (freeswitch/conf/dialplan/drachtio_mrf.xml).
 */
function endpointHeaders(mediaTimeoutS: number): Record<string, string> {
  return { 'X-Media-Timeout': String(mediaTimeoutS * 1000) };
}

/** Srf delegates every SIP method to its app; its typings only declare a few of them. */
interface OptionsRoute {
  options(handler: (req: Srf.SrfRequest, res: Srf.SrfResponse) => void): void;
}

export class FreeswitchDriver extends EventEmitter<DriverEvents> implements TelephonyDriver {
  readonly name = 'freeswitch' as const;
  private readonly srf = new Srf();
  private readonly drachtio: DrachtioLink;
  private readonly pool: MediaPool;
  private readonly calls = new Set<FsInboundCall>();
  /** Relay counters of recently ended calls, by Call-ID (bounded: diagnostics and tests). */
  private readonly endedStats = new Map<string, RelayStats>();
  private ready = false;
  private running = false;
  private readonly log: pino.Logger;

  constructor(private readonly opts: FreeswitchDriverOptions) {
    super();
    this.log = opts.logger.child({ component: 'freeswitch-driver' });
    this.drachtio = new DrachtioLink(this.srf, {
      ...opts.drachtio,
      retryMaxDelayMs: opts.retryMaxDelayMs,
      logger: this.log,
    });
    this.pool = new MediaPool({
      servers: opts.freeswitchServers,
      secret: opts.freeswitchSecret,
      listenAddress: opts.eslListen.address,
      listenPort: opts.eslListen.port,
      advertisedAddress: opts.eslAdvertisedAddress,
      srf: this.srf,
      logger: this.log,
    });
    this.srf.invite((req, res) => this.onInvite(req, res));
    // carriers' trunk keepalives: without a handler drachtio-server answers them 503 ("no providers") while we are up
    (this.srf as unknown as OptionsRoute).options((_req, res) => res.send(this.ready ? 200 : 503));
    this.drachtio.on('change', (up) => this.onDrachtioChange(up));
    this.pool.on('change', (up) => this.onPoolChange(up));
  }

  start(): Promise<void> {
    this.running = true;
    this.pool.start();
    const { host, port } = this.opts.drachtio;
    // drachtio is dialled once a media server is up: an engine that cannot play media should not be offered calls
    this.log.info({ servers: this.pool.links.map((l) => l.address), drachtio: `${host}:${port}` }, 'freeswitch driver connecting to media servers first, then drachtio');
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.calls].map((c) => c.hangup('shutdown')));
    this.drachtio.release();
    this.pool.stop();
    this.updateReady();
  }

  isReady(): boolean {
    return this.ready;
  }

  activeCalls(): number {
    return this.calls.size;
  }

  /** For metrics: one row per configured FreeSWITCH (up, calls placed, last HEARTBEAT figures). */
  mediaServers(): MediaServerStatus[] {
    return this.pool.status();
  }

  /** For metrics: called with each HEARTBEAT (event-socket address, figures). Returns an unsubscribe function. */
  onHeartbeat(listener: (server: string, metrics: HeartbeatMetrics) => void): () => void {
    this.pool.on('heartbeat', listener);
    return () => this.pool.off('heartbeat', listener);
  }

  /** RTP packets through the media server's bridge (buyer endpoint counters) of an ended call, by Call-ID. */
  relayStats(callId: string): RelayStats | undefined {
    return this.endedStats.get(callId);
  }

  private onCallEnded(call: FsInboundCall): void {
    this.calls.delete(call);
    if (call.relayStats) this.endedStats.set(call.id, call.relayStats);
    if (this.endedStats.size > 4096) this.endedStats.delete(this.endedStats.keys().next().value!);
  }

  /** For metrics: whether the drachtio admin connection is up. */
  drachtioConnected(): boolean {
    return this.drachtio.isConnected;
  }

  /** Run an API command on the first media server up (commands drachtio-fsmrf does not wrap). */
  api(command: string): Promise<string> {
    const link = this.pool.links.find((l) => l.up);
    if (!link) return Promise.reject(new Error('no media server up'));
    return link.monitor.api(command);
  }

  /** Calls cannot outlive the drachtio connection: their SIP dialogs are only reachable through it. */
  private onDrachtioChange(up: boolean): void {
    if (!up && this.calls.size > 0) {
      this.log.warn({ calls: this.calls.size }, 'drachtio connection lost: ending live calls');
      for (const c of this.calls) void c.hangup('transport_error');
    }
    this.updateReady();
  }

  private onPoolChange(up: number): void {
    if (!this.running) return;
    if (up > 0) this.drachtio.connect();
    else {
      this.log.warn('no media server up: releasing drachtio so it stops offering calls');
      this.drachtio.release();
    }
    this.updateReady();
  }

  private updateReady(): void {
    const ready = this.running && this.drachtio.isConnected && this.pool.upCount() > 0;
    if (ready === this.ready) return;
    this.ready = ready;
    this.log.info({ ready }, 'freeswitch driver readiness');
    this.emit('ready', ready);
  }

  private onInvite(req: Srf.SrfRequest, res: Srf.SrfResponse): void {
    if (!this.ready) {
      res.send(503, { headers: { 'Retry-After': String(this.opts.retryAfterS) } });
      return;
    }
    const call = new FsInboundCall(req, res, {
      srf: this.srf,
      pool: this.pool,
      logger: this.log,
      retryAfterS: this.opts.retryAfterS,
      endpointHeaders: endpointHeaders(this.opts.mediaTimeoutS ?? 0),
      promptsDir: this.opts.promptsDir,
      onEnd: (c) => this.onCallEnded(c),
    });
    this.calls.add(call);
    if (this.listenerCount('call') === 0) {
      void call.reject(503);
      return;
    }
    this.emit('call', call);
  }
}
