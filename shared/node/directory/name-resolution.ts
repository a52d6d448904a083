import { AsyncLocalStorage } from 'node:async_hooks';
import type { LookupAddress } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';

// The domain's DNS server often knows names this computer's resolver does not (a lab domain, a branch office).
// Discovery takes it as a request field; `ad test` on the command line takes it as --dns-server, and the CLI
// runs the test inside resolveNamesThrough(), so the domain controller is reached by the address that server
// gives while its certificate is still checked against the name that was typed.

const dnsServerInScope = new AsyncLocalStorage<string>();

/** Runs `work` with the names that directory connections open resolved through `dnsServer` (IP[:PORT]). */
export function resolveNamesThrough<T>(dnsServer: string, work: () => Promise<T>): Promise<T> {
  return dnsServerInScope.run(dnsServer, work);
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    hostname,
  });
}

function lookupThrough(dnsServer: string): LookupFunction {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([dnsServer]);
  // net and tls call it with or without `all`, and read the answer's shape accordingly.
  return (hostname, options, callback) => {
    const wanted = (family: 4 | 6) => !options.family || options.family === family;
    Promise.all([
      wanted(4) ? resolver.resolve4(hostname).catch(() => []) : [],
      wanted(6) ? resolver.resolve6(hostname).catch(() => []) : [],
    ]).then(([v4, v6]) => {
      const found: LookupAddress[] = [
        ...v4.map((address) => ({ address, family: 4 })),
        ...v6.map((address) => ({ address, family: 6 })),
      ];
      const [first] = found;
      if (!first) callback(notFound(hostname), '');
      else if (options.all) callback(null, found);
      else callback(null, first.address, first.family);
    });
  };
}

/** The `lookup` for net/tls connections in the current scope; undefined: the system's resolver. */
export function lookupInScope(): LookupFunction | undefined {
  const dnsServer = dnsServerInScope.getStore();
  return dnsServer ? lookupThrough(dnsServer) : undefined;
}
