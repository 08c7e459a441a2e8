/** Runtime settings: flags beat environment variables beat defaults; bad values name the flag and the variable. */
import { describe, expect, it } from 'vitest';
import { advertisedAddress, loadSettings } from '../../../src/config/settings.js';
import { errorOf } from './settings-error.js';

describe('loadSettings', () => {
  it('uses the documented defaults', () => {
    const s = loadSettings([], {});
    expect(s).toMatchObject({
      config: 'config/example.yaml',
      driver: 'embedded',
      sipHost: '0.0.0.0',
      sipPort: 5060,
      sipTransports: ['udp', 'tcp'],
      rtpPortMin: 20000,
      rtpPortMax: 30000,
      httpHost: '127.0.0.1',
      httpPort: 8080,
      db: 'data/callroute.sqlite',
      logLevel: 'info',
      verboseSip: false,
    });
  });

  it('lets environment variables beat defaults and flags beat both', () => {
    const env = { CALLROUTE_SIP_PORT: '5070', CALLROUTE_HTTP_PORT: '9090', CALLROUTE_LOG_LEVEL: 'debug', CALLROUTE_VERBOSE_SIP: 'yes' };
    const fromEnv = loadSettings([], env);
    expect(fromEnv).toMatchObject({ sipPort: 5070, httpPort: 9090, logLevel: 'debug', verboseSip: true });
    const both = loadSettings(['--sip-port', '5080', '--log-level=warn', '--sip-transports', 'udp'], env);
    expect(both).toMatchObject({ sipPort: 5080, httpPort: 9090, logLevel: 'warn', sipTransports: ['udp'] });
  });

  it('ignores empty environment variables', () => {
    expect(loadSettings([], { CALLROUTE_DRIVER: '' }).driver).toBe('embedded');
  });

  it('names the flag and the variable of a bad value', () => {
    expect(errorOf(() => loadSettings(['--sip-port', '70000'], {}))).toContain('--sip-port (CALLROUTE_SIP_PORT)');
    expect(errorOf(() => loadSettings([], { CALLROUTE_DRIVER: 'asterisk' }))).toContain('--driver (CALLROUTE_DRIVER)');
    expect(errorOf(() => loadSettings(['--sip-transports', 'udp,sctp'], {}))).toContain('--sip-transports (CALLROUTE_SIP_TRANSPORTS)');
    expect(errorOf(() => loadSettings(['--hash-secret', 'short'], {}))).toContain('--hash-secret (CALLROUTE_HASH_SECRET)');
  });

  it('reports every bad value at once', () => {
    const msg = errorOf(() => loadSettings(['--http-port', 'x', '--log-level', 'loud'], {}));
    expect(msg).toContain('--http-port');
    expect(msg).toContain('--log-level');
  });

  it('rejects unknown flags, missing values, stray arguments and an inverted RTP range', () => {
    expect(errorOf(() => loadSettings(['--sip-prot', '1'], {}))).toBe('unknown flag --sip-prot');
    expect(errorOf(() => loadSettings(['--db'], {}))).toBe('flag --db needs a value');
    expect(errorOf(() => loadSettings(['config.yaml'], {}))).toBe('unexpected argument "config.yaml"');
    expect(errorOf(() => loadSettings(['--rtp-port-min', '40000', '--rtp-port-max', '30000'], {}))).toContain('--rtp-port-min');
  });
});

describe('advertisedAddress', () => {
  it('prefers the explicit address, else the SIP host, else loopback for a wildcard', () => {
    expect(advertisedAddress({ advertisedAddress: '192.0.2.1', sipHost: '0.0.0.0' })).toBe('192.0.2.1');
    expect(advertisedAddress({ sipHost: '127.0.0.2' })).toBe('127.0.0.2');
    expect(advertisedAddress({ sipHost: '0.0.0.0' })).toBe('127.0.0.1');
  });
});
