/**
 * FreeSWITCH media-server gauges (freeswitch driver): up/down, this engine's calls, and the figures of each server's
 * last HEARTBEAT. Read at scrape time from the driver; the `server` label is a configured `host:port`, so bounded.
 */
import { Gauge, type Registry } from 'prom-client';
import type { MediaServerStatus } from '../telephony/freeswitch/media-server-link.js';

export type MediaServerSource = () => MediaServerStatus[];

type Pick = (s: MediaServerStatus) => number | undefined;

const GAUGES: [string, string, Pick][] = [
  ['media_server_up', 'FreeSWITCH event socket connected (1) or not (0)', (s) => (s.up ? 1 : 0)],
  ['media_server_engine_calls', 'Calls this engine has on the media server', (s) => s.activeCalls],
  ['media_server_sessions', 'Sessions up on the media server (last HEARTBEAT)', (s) => s.heartbeat?.sessions],
  ['media_server_max_sessions', 'max-sessions of the media server (last HEARTBEAT)', (s) => s.heartbeat?.maxSessions],
  ['media_server_sessions_per_second', 'Sessions created per second (last HEARTBEAT)', (s) => s.heartbeat?.sessionsPerSecond],
  ['media_server_idle_cpu_ratio', 'Idle CPU of the media server, 0..1 (last HEARTBEAT)', (s) => (s.heartbeat ? s.heartbeat.idleCpu / 100 : undefined)],
];

export function registerMediaServerMetrics(registry: Registry, prefix: string, source: MediaServerSource): void {
  for (const [name, help, pick] of GAUGES) {
    new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames: ['server'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of source()) {
          const v = pick(s);
          if (v !== undefined) this.set({ server: s.address }, v);
        }
      },
    });
  }
}

/** The driver's media-server status, when it has media servers (the freeswitch driver). */
export function mediaServerSource(driver: object): MediaServerSource | undefined {
  const d = driver as { mediaServers?: unknown };
  return typeof d.mediaServers === 'function' ? () => (d.mediaServers as () => MediaServerStatus[]).call(driver) : undefined;
}
