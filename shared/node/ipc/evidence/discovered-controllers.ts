import type { CertificateTrust, DirectoryTarget } from '../../../common/connections/connection';
import type { DiscoveredController } from '../../../common/directory/discovery';
import { directoryTrustKey, targetKey } from '../../connections/secret-binding';

/** What discovery was asked: the domain, the DNS server that answered for it, and the trust the probes used. */
export interface DiscoveryScope {
  domain: string;
  dnsServer?: string | undefined;
  trust: CertificateTrust;
}

/**
 * Domain controllers main found itself this session and whose certificates passed the trust it probed them
 * with. A stored password may go to one of them without being re-typed, when it belongs to a connection of
 * the same domain, DNS server and trust: main's own evidence, not the window's word.
 */
export class DiscoveredControllers {
  private readonly vouched = new Map<string, Set<string>>();

  constructor(private readonly limit = 200) {}

  remember(scope: DiscoveryScope, tls: DirectoryTarget['tls'], controllers: readonly DiscoveredController[]) {
    if (tls === 'none') return;
    const targets = new Set<string>();
    const domain = scope.domain.toLowerCase();
    for (const controller of controllers) {
      if (!controller.reachable || !controller.certificate?.trusted) continue;
      // Only the DC's name, and only inside the domain: the certificate was checked against that name, while
      // an address list from DNS may hold addresses that were never probed, and a name outside the domain is
      // no domain controller of it whatever its certificate says.
      const name = controller.hostName.toLowerCase();
      if (name !== domain && !name.endsWith(`.${domain}`)) continue;
      targets.add(targetKey({ host: name, port: controller.port, tls }));
    }
    const key = scopeKey(scope);
    this.vouched.delete(key);
    this.vouched.set(key, targets);
    while (this.vouched.size > this.limit) this.vouched.delete(this.vouched.keys().next().value as string);
  }

  vouchesFor(scope: DiscoveryScope, target: DirectoryTarget): boolean {
    return target.tls !== 'none' && (this.vouched.get(scopeKey(scope))?.has(targetKey(target)) ?? false);
  }
}

function scopeKey({ domain, dnsServer, trust }: DiscoveryScope): string {
  return JSON.stringify([domain.toLowerCase(), dnsServer ?? null, directoryTrustKey(trust)]);
}
