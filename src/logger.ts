/** The one root logger. Redaction is a safety net: code should not log numbers or secrets in the first place. */
import pino, { type Logger, type DestinationStream } from 'pino';

export const REDACT_PATHS = [
  'caller', '*.caller', 'from', '*.from', 'password', '*.password', 'secret', '*.secret',
  'authorization', '*.authorization', 'headers.authorization', 'key', '*.key',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const opts = { level, base: { service: 'callroute' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(opts, destination) : pino(opts);
}
