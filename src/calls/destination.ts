/** Turns a target's configured destination into what the driver dials. */
import type { LoadedConfig } from '../config/model.js';
import type { Target } from '../config/schema/index.js';
import type { BridgeTarget } from '../telephony/types.js';

export type Destination = Target['destination'];

export function toBridgeTarget(
  config: LoadedConfig,
  destination: Destination,
  callerId: string,
  headers: Record<string, string> = {},
): BridgeTarget {
  if ('sip' in destination) return { uri: destination.sip, callerId, headers };
  const trunk = config.trunks.get(destination.trunk);
  if (!trunk) throw new Error(`trunk ${destination.trunk} missing from a validated config`);
  const user = trunk.strip_plus ? destination.number.slice(1) : destination.number;
  return {
    uri: `sip:${user}@${trunk.host}`,
    transport: trunk.transport,
    callerId,
    headers,
    ...(trunk.username && trunk.password ? { auth: { username: trunk.username, password: trunk.password } } : {}),
  };
}

/** The destination as stored in a bridge attempt row (no credentials). */
export function describeDestination(destination: Destination): string {
  return 'sip' in destination ? destination.sip : `${destination.number} via ${destination.trunk}`;
}
