/** The FreeSWITCH servers this engine may use; each new call goes to the healthy one with the most headroom. */
import { EventEmitter } from 'node:events';
import type pino from 'pino';
import type Srf from 'drachtio-srf';
import { MediaServerLink, type MediaServerStatus } from './media-server-link.js';
import type { HeartbeatMetrics } from './esl-monitor.js';

export interface MediaPoolOptions {
  servers: { host: string; port: number }[];
  secret: string;
  listenAddress: string;
  /** First server listens here for outbound connections; the next ones on the following ports. */
  listenPort: number;
  advertisedAddress: string;
  srf: Srf;
  logger: pino.Logger;
}

export interface MediaPoolEvents {
  /** Number of servers up changed. */
  change: [number];
  heartbeat: [string, HeartbeatMetrics];
}

/** Parse `host:port,host:port` (port defaults to 8021). */
export function parseServers(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const i = s.lastIndexOf(':');
      if (i === -1) return { host: s, port: 8021 };
      return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
    });
}

export class MediaPool extends EventEmitter<MediaPoolEvents> {
  readonly links: MediaServerLink[];

  constructor(opts: MediaPoolOptions) {
    super();
    this.links = opts.servers.map(
      (s, i) =>
        new MediaServerLink({
          ...s,
          secret: opts.secret,
          listenAddress: opts.listenAddress,
          listenPort: opts.listenPort === 0 ? 0 : opts.listenPort + i,
          advertisedAddress: opts.advertisedAddress,
          srf: opts.srf,
          logger: opts.logger.child({ server: `${s.host}:${s.port}` }),
        }),
    );
    for (const link of this.links) {
      link.on('change', () => this.emit('change', this.upCount()));
      link.on('heartbeat', (m) => this.emit('heartbeat', link.address, m));
    }
  }

  start(): void {
    for (const l of this.links) l.start();
  }

  stop(): void {
    for (const l of this.links) l.stop();
  }

  upCount(): number {
    return this.links.filter((l) => l.up).length;
  }

  status(): MediaServerStatus[] {
    return this.links.map((l) => l.status());
  }

  /**
   * The healthy server with the fewest calls this engine placed on it; ties go to the one whose last
   * HEARTBEAT reported fewer sessions (other tenants of the same FreeSWITCH). Undefined when none is up.
   */
  pick(): MediaServerLink | undefined {
    let best: MediaServerLink | undefined;
    for (const l of this.links) {
      if (!l.up) continue;
      if (!best || l.activeCalls < best.activeCalls) best = l;
      else if (l.activeCalls === best.activeCalls && sessions(l) < sessions(best)) best = l;
    }
    return best;
  }
}

const sessions = (l: MediaServerLink): number => l.monitor.metrics?.sessions ?? 0;
