/**
 * Runtime settings: where to listen, which driver, where the database lives.
 * Read here from command-line flags and environment variables, and nowhere else in the code base.
 * Flags win over environment variables, which win over defaults.
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform(
  (v) => v === true || v === 'true' || v === '1' || v === 'yes',
);

export const settingsSchema = z.object({
  /** Campaign config YAML. */
  config: z.string().min(1).default('config/example.yaml'),
  /** Telephony driver. */
  driver: z.enum(['embedded', 'freeswitch']).default('embedded'),
  /** SIP listen address (both transports). */
  sipHost: z.string().default('0.0.0.0'),
  sipPort: port.default(5060),
  /** Comma-separated list of transports to listen on. */
  sipTransports: z
    .string()
    .default('udp,tcp')
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['udp', 'tcp'])).min(1)),
  /** Address written into SDP and Contact (the public address behind NAT). Default: the SIP host, or 127.0.0.1 for 0.0.0.0. */
  advertisedAddress: z.string().optional(),
  rtpPortMin: port.default(20000),
  rtpPortMax: port.default(30000),
  /** Hang up a call whose inbound RTP stopped for this many seconds (0 disables). */
  mediaTimeoutS: z.coerce.number().int().min(0).default(30),
  /** Directory for WAV recordings of bridged calls; recording is off when unset. */
  recordingsDir: z.string().optional(),
  httpHost: z.string().default('127.0.0.1'),
  httpPort: port.default(8080),
  /** SQLite database file. */
  db: z.string().default('data/callroute.sqlite'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seconds to let live calls finish after SIGTERM before ending them. */
  drainTimeoutS: z.coerce.number().int().min(0).default(300),
  /** Retry-After seconds sent with 503 while draining or over capacity. */
  retryAfterS: z.coerce.number().int().min(1).default(30),
  /** Ceiling on concurrent calls; new INVITEs beyond it get 503. 0 = unlimited. */
  maxConcurrentCalls: z.coerce.number().int().min(0).default(0),
  /** Ceiling on new calls per second; 0 = unlimited. */
  maxCallsPerSecond: z.coerce.number().int().min(0).default(0),
  // SIP guard (embedded driver, sip/guard.ts): limits on non-carrier sources
  /** Requests per second a non-carrier source may send on average before it is banned. */
  sipGuardRatePerS: z.coerce.number().positive().max(100_000).default(10),
  /** Requests a non-carrier source may send in one burst. */
  sipGuardBurst: z.coerce.number().int().min(1).max(1_000_000).default(40),
  /** Seconds a source over its rate is ignored. */
  sipGuardBanS: z.coerce.number().int().min(1).max(86_400 * 7).default(120),
  /** Source addresses tracked at once (memory bound under spoofed floods). */
  sipGuardMaxSources: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  /** Secret for HMAC-hashing caller numbers in pings and exports. Required in production. */
  hashSecret: z.string().min(16).optional(),
  // freeswitch driver
  drachtioHost: z.string().default('127.0.0.1'),
  drachtioPort: port.default(9022),
  drachtioSecret: z.string().default('cymru'),
  /** Comma-separated `host:port` list of FreeSWITCH event sockets. */
  freeswitchServers: z.string().default('127.0.0.1:8021'),
  freeswitchSecret: z.string().default('ClueCon'),
  /** Address:port the engine listens on for FreeSWITCH outbound event-socket connections. */
  eslListen: z.string().default('0.0.0.0:8085'),
  /** Where FreeSWITCH finds the prompts (the prompts dir as mounted in the FreeSWITCH container). */
  freeswitchPromptsDir: z.string().optional(),
  verboseSip: bool.default(false),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Flag name (kebab-case) -> environment variable, for help text and the README table. */
const ENV_NAMES: Record<keyof Settings, string> = {
  config: 'CALLROUTE_CONFIG',
  driver: 'CALLROUTE_DRIVER',
  sipHost: 'CALLROUTE_SIP_HOST',
  sipPort: 'CALLROUTE_SIP_PORT',
  sipTransports: 'CALLROUTE_SIP_TRANSPORTS',
  advertisedAddress: 'CALLROUTE_ADVERTISED_ADDRESS',
  rtpPortMin: 'CALLROUTE_RTP_PORT_MIN',
  rtpPortMax: 'CALLROUTE_RTP_PORT_MAX',
  mediaTimeoutS: 'CALLROUTE_MEDIA_TIMEOUT_S',
  recordingsDir: 'CALLROUTE_RECORDINGS_DIR',
  httpHost: 'CALLROUTE_HTTP_HOST',
  httpPort: 'CALLROUTE_HTTP_PORT',
  db: 'CALLROUTE_DB',
  logLevel: 'CALLROUTE_LOG_LEVEL',
  drainTimeoutS: 'CALLROUTE_DRAIN_TIMEOUT_S',
  retryAfterS: 'CALLROUTE_RETRY_AFTER_S',
  maxConcurrentCalls: 'CALLROUTE_MAX_CONCURRENT_CALLS',
  maxCallsPerSecond: 'CALLROUTE_MAX_CALLS_PER_SECOND',
  sipGuardRatePerS: 'CALLROUTE_SIP_GUARD_RATE_PER_S',
  sipGuardBurst: 'CALLROUTE_SIP_GUARD_BURST',
  sipGuardBanS: 'CALLROUTE_SIP_GUARD_BAN_S',
  sipGuardMaxSources: 'CALLROUTE_SIP_GUARD_MAX_SOURCES',
  hashSecret: 'CALLROUTE_HASH_SECRET',
  drachtioHost: 'CALLROUTE_DRACHTIO_HOST',
  drachtioPort: 'CALLROUTE_DRACHTIO_PORT',
  drachtioSecret: 'CALLROUTE_DRACHTIO_SECRET',
  freeswitchServers: 'CALLROUTE_FREESWITCH_SERVERS',
  freeswitchSecret: 'CALLROUTE_FREESWITCH_SECRET',
  eslListen: 'CALLROUTE_ESL_LISTEN',
  freeswitchPromptsDir: 'CALLROUTE_FREESWITCH_PROMPTS_DIR',
  verboseSip: 'CALLROUTE_VERBOSE_SIP',
};

export const SETTING_ENV_NAMES: Readonly<Record<keyof Settings, string>> = ENV_NAMES;

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export class SettingsError extends Error {}

/** Parse `--flag value` / `--flag=value` pairs and the environment into validated settings. */
export function loadSettings(argv: readonly string[], env: NodeJS.ProcessEnv): Settings {
  const raw: Record<string, unknown> = {};
  const byFlag = new Map(Object.keys(ENV_NAMES).map((k) => [kebab(k), k]));
  for (const [key, envName] of Object.entries(ENV_NAMES)) {
    const v = env[envName];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new SettingsError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const key = byFlag.get(name);
    if (!key) throw new SettingsError(`unknown flag --${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new SettingsError(`flag --${name} needs a value`);
    raw[key] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `--${kebab(key)} (${ENV_NAMES[key as keyof Settings] ?? '?'}): ${i.message}`;
    });
    throw new SettingsError(`invalid settings:\n  ${lines.join('\n  ')}`);
  }
  const s = parsed.data;
  if (s.rtpPortMin > s.rtpPortMax) throw new SettingsError('--rtp-port-min must not exceed --rtp-port-max');
  return s;
}

/** The address to put in SDP c= lines and Contact headers. */
export function advertisedAddress(s: Pick<Settings, 'advertisedAddress' | 'sipHost'>): string {
  if (s.advertisedAddress) return s.advertisedAddress;
  return s.sipHost === '0.0.0.0' || s.sipHost === '::' ? '127.0.0.1' : s.sipHost;
}
