/** Which carrier (if any) a SIP source address belongs to. One BlockList per carrier, built once per config. */
import { BlockList, isIPv6 } from 'node:net';
import type { Carrier } from '../config/schema/index.js';

interface CarrierMatcher {
  carrier: Carrier;
  list: BlockList;
}

const cache = new WeakMap<readonly Carrier[], CarrierMatcher[]>();

function compile(carriers: readonly Carrier[]): CarrierMatcher[] {
  return carriers.map((carrier) => {
    const list = new BlockList();
    for (const src of carrier.sources) {
      const [addr, bits] = src.split('/') as [string, string | undefined];
      const type = isIPv6(addr) ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(addr, type);
      else list.addSubnet(addr, Number(bits), type);
    }
    return { carrier, list };
  });
}

/** The carrier whose sources include `address`, or undefined. IPv4-mapped IPv6 (::ffff:a.b.c.d) is treated as IPv4. */
export function carrierFor(carriers: readonly Carrier[], address: string): Carrier | undefined {
  let matchers = cache.get(carriers);
  if (!matchers) {
    matchers = compile(carriers);
    cache.set(carriers, matchers);
  }
  const mapped = address.startsWith('::ffff:') ? address.slice(7) : address;
  const type = isIPv6(mapped) ? 'ipv6' : 'ipv4';
  return matchers.find((m) => m.list.check(mapped, type))?.carrier;
}
