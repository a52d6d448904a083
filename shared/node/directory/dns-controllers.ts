import { Resolver } from 'node:dns/promises';
import { querySrv } from './srv-query';

export interface SrvController {
  hostName: string;
  port: number;
  priority: number;
  weight: number;
  addresses: string[];
}

export interface DnsLookup {
  controllers: SrvController[];
  /** Why a lookup found nothing, when it did not (the caller turns these into warnings). */
  problems: string[];
}

/**
 * DCs from the locator records `_ldap._tcp.dc._msdcs.<domain>` (and the site's own), with their addresses
 * resolved through the same DNS server: the domain's DNS usually knows names the machine's resolver does not.
 */
export async function lookupControllers(
  domain: string,
  options: { dnsServer?: string; site?: string; timeoutMs: number },
): Promise<DnsLookup> {
  const resolver = new Resolver({ timeout: Math.max(200, Math.floor(options.timeoutMs / 2)), tries: 2 });
  if (options.dnsServer) resolver.setServers([options.dnsServer]);
  const names = [
    `_ldap._tcp.dc._msdcs.${domain}`,
    ...(options.site ? [`_ldap._tcp.${options.site}._sites.dc._msdcs.${domain}`] : []),
  ];
  const problems: string[] = [];
  const found = new Map<string, SrvController>();
  const timeoutMs = Math.max(200, Math.floor(options.timeoutMs / 2));
  const answers = await Promise.all(
    names.map((name) =>
      querySrv(name, {
        ...(options.dnsServer ? { dnsServer: options.dnsServer } : {}),
        timeoutMs,
        tries: 2,
      }).catch((error: NodeJS.ErrnoException) => {
        problems.push(`${name}: ${error.code ?? error.message}`);
        return [];
      }),
    ),
  );
  for (const record of answers.flat()) {
    const hostName = record.name.toLowerCase().replace(/\.$/, '');
    if (!found.has(hostName)) {
      found.set(hostName, {
        hostName,
        port: record.port,
        priority: record.priority,
        weight: record.weight,
        addresses: [],
      });
    }
  }
  await Promise.all(
    [...found.values()].map(async (controller) => {
      const [v4, v6] = await Promise.all([
        resolver.resolve4(controller.hostName).catch(() => [] as string[]),
        resolver.resolve6(controller.hostName).catch(() => [] as string[]),
      ]);
      controller.addresses = [...v4, ...v6];
    }),
  );
  return { controllers: [...found.values()], problems };
}
