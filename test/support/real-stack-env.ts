/**
 * Where a real drachtio-server + FreeSWITCH are, when a run is given them in the environment:
 *   CALLROUTE_TEST_DRACHTIO=host:port[:secret]   drachtio's admin port (secret default `cymru`)
 *   CALLROUTE_TEST_FS=host:port[:password][,host:port…]  FreeSWITCH event sockets (password default `ClueCon`,
 *                                                one password for all, from the first)
 *   CALLROUTE_TEST_DRACHTIO_SIP=host:port        drachtio's SIP contact (default <drachtio host>:5060)
 *   CALLROUTE_TEST_ESL_LISTEN=address:port       where FreeSWITCH can reach the engine's outbound-socket listener
 * FreeSWITCH must run this repository's freeswitch/conf (drachtio_mrf profile) and reach the test's SIP peers,
 * prompt files and ESL listener (all on loopback when everything runs on one machine).
 */
export interface RealStack {
  drachtio: { host: string; port: number; secret: string };
  /** The first media server (password shared by all). */
  fs: { host: string; port: number; password: string };
  /** Every media server, `host:port`. */
  fsServers: string[];
  sip: { host: string; port: number };
  eslListen: string;
  /** For test names and logs: addresses only, never the secrets. */
  label: string;
}

export const REAL_STACK_SKIP_REASON = 'real drachtio + FreeSWITCH suite SKIPPED: set CALLROUTE_TEST_DRACHTIO=host:port[:secret] and CALLROUTE_TEST_FS=host:port[:password] to run it';

function split(v: string, defaultSecret: string): [string, number, string] {
  const [host = '127.0.0.1', port = '0', secret = defaultSecret] = v.split(':');
  return [host, Number(port), secret];
}

export function realStackFromEnv(env: NodeJS.ProcessEnv = process.env): RealStack | undefined {
  if (!env.CALLROUTE_TEST_DRACHTIO || !env.CALLROUTE_TEST_FS) return undefined;
  const [dHost, dPort, dSecret] = split(env.CALLROUTE_TEST_DRACHTIO, 'cymru');
  const servers = env.CALLROUTE_TEST_FS.split(',').map((v) => split(v.trim(), ''));
  const [fHost, fPort] = servers[0]!;
  const fPassword = servers[0]![2] || 'ClueCon';
  const [sipHost, sipPort] = split(env.CALLROUTE_TEST_DRACHTIO_SIP ?? `${dHost}:5060`, '');
  return {
    drachtio: { host: dHost, port: dPort, secret: dSecret },
    fs: { host: fHost, port: fPort, password: fPassword },
    fsServers: servers.map(([h, p]) => `${h}:${p}`),
    sip: { host: sipHost, port: sipPort },
    eslListen: env.CALLROUTE_TEST_ESL_LISTEN ?? '127.0.0.1:0',
    label: `drachtio ${dHost}:${dPort} (SIP ${sipHost}:${sipPort}) + FreeSWITCH ${servers.map(([h, p]) => `${h}:${p}`).join(',')}`,
  };
}

/** The engine's command-line settings that point the `freeswitch` driver at that stack. */
export function realStackArgs(s: RealStack): string[] {
  return ['--driver', 'freeswitch', '--drachtio-host', s.drachtio.host, '--drachtio-port', String(s.drachtio.port),
    '--drachtio-secret', s.drachtio.secret, '--freeswitch-servers', s.fsServers.join(','),
    '--freeswitch-secret', s.fs.password, '--esl-listen', s.eslListen];
}
