import { lookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A domain controller's addresses, and which resolver gave them (for the stage's one line). */
export interface ControllerAddress {
  addresses: string[];
  via: string;
}

function notFound(host: string, code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code} ${host}`), { code });
}

/**
 * The addresses of a target: through the connection's DNS server when it has one (the domain's DNS often knows
 * names this computer's does not), else, or when that server does not know the name, this computer's resolver.
 * An address needs no lookup. Rejects with the resolver's errno (ENOTFOUND, ETIMEOUT…).
 */
export async function resolveController(
  host: string,
  dnsServer: string | undefined,
  timeoutMs: number,
): Promise<ControllerAddress> {
  if (isIP(host)) return { addresses: [host], via: 'an address, no lookup' };
  let viaServer: unknown = null;
  if (dnsServer) {
    try {
      return { addresses: await resolveThrough(dnsServer, host, timeoutMs), via: `DNS server ${dnsServer}` };
    } catch (error) {
      viaServer = error;
    }
  }
  try {
    const found = await lookup(host, { all: true });
    if (found.length === 0) throw notFound(host, 'ENOTFOUND');
    const via = dnsServer
      ? `this computer’s resolver; the DNS server ${dnsServer} does not know it`
      : 'this computer’s resolver';
    return { addresses: found.map((entry) => entry.address), via };
  } catch (error) {
    // The connection's own DNS server is the one that should have known it: its answer says more.
    throw viaServer ?? error;
  }
}

async function resolveThrough(dnsServer: string, host: string, timeoutMs: number): Promise<string[]> {
  const resolver = new Resolver({ timeout: Math.max(200, Math.floor(timeoutMs / 2)), tries: 2 });
  resolver.setServers([dnsServer]);
  const settled = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  if (addresses.length > 0) return addresses;
  const failure = settled.find((result) => result.status === 'rejected');
  const code = (failure?.reason as NodeJS.ErrnoException | undefined)?.code ?? 'ENOTFOUND';
  // "No such name" and "no record of that type" both mean: this DNS server does not know the DC.
  throw notFound(host, code === 'ENODATA' ? 'ENOTFOUND' : code);
}

/** The address to connect to: IPv4 first, as discovery probes. */
export function preferredAddress(resolved: ControllerAddress): string {
  return resolved.addresses.find((address) => !address.includes(':')) ?? resolved.addresses[0] ?? '';
}
