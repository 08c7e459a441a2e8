import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { mediaServerSource, registerMediaServerMetrics } from '../../../src/metrics/media-servers.js';
import type { MediaServerStatus } from '../../../src/telephony/freeswitch/media-server-link.js';

describe('media-server gauges', () => {
  it('exports each server\'s state and last HEARTBEAT at scrape time', async () => {
    let servers: MediaServerStatus[] = [
      { address: '10.0.0.5:8021', up: true, activeCalls: 3, heartbeat: { sessions: 7, maxSessions: 5000, sessionsPerSecond: 2, idleCpu: 87.5, at: new Date() } },
      { address: '10.0.0.6:8021', up: false, activeCalls: 0, heartbeat: undefined },
    ];
    const registry = new Registry();
    const source = mediaServerSource({ mediaServers: () => servers });
    expect(source).toBeDefined();
    registerMediaServerMetrics(registry, 'callroute_', source!);
    const text = await registry.metrics();
    expect(text).toContain('callroute_media_server_up{server="10.0.0.5:8021"} 1');
    expect(text).toContain('callroute_media_server_up{server="10.0.0.6:8021"} 0');
    expect(text).toContain('callroute_media_server_engine_calls{server="10.0.0.5:8021"} 3');
    expect(text).toContain('callroute_media_server_sessions{server="10.0.0.5:8021"} 7');
    expect(text).toContain('callroute_media_server_idle_cpu_ratio{server="10.0.0.5:8021"} 0.875');
    expect(text).not.toContain('callroute_media_server_sessions{server="10.0.0.6:8021"}');
    servers = [];
    expect(await registry.metrics()).not.toContain('server="10.0.0.5:8021"');
  });

  it('is absent for drivers without media servers (embedded)', () => {
    expect(mediaServerSource({ name: 'embedded' })).toBeUndefined();
  });
});
