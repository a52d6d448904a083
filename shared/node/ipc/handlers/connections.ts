import type { Connection } from '../../../common/connections/connection';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { directoryTrustKey, targetKey } from '../../connections/secret-binding';
import type { DiscoveredControllers } from '../evidence/discovered-controllers';
import type { RecentTests } from '../recent-tests';
import type { Handlers } from '../router';

type ConnectionHandlers = Pick<
  Handlers,
  | 'connections:list'
  | 'connections:get'
  | 'connections:save'
  | 'connections:delete'
  | 'connections:export'
  | 'connections:import'
  | 'connections:testHistory'
>;

/**
 * The one change of destination that keeps a stored password: an Active Directory connection, same domain,
 * DNS server and trust, whose new targets are DCs main itself discovered through those settings and whose
 * certificates passed that trust. Removing a target narrows the destination and keeps it too.
 */
function discoveredSameDomain(controllers: DiscoveredControllers) {
  return (previous: Connection, next: Connection): boolean => {
    if (previous.kind !== 'activeDirectory' || next.kind !== 'activeDirectory') return false;
    if (
      previous.domain !== next.domain ||
      (previous.dnsServer ?? null) !== (next.dnsServer ?? null) ||
      previous.allowInsecure !== next.allowInsecure ||
      directoryTrustKey(previous.trust) !== directoryTrustKey(next.trust)
    ) {
      return false;
    }
    const saved = new Set(previous.targets.map(targetKey));
    const scope = { domain: previous.domain, dnsServer: previous.dnsServer, trust: previous.trust };
    return next.targets.every(
      (target) => saved.has(targetKey(target)) || controllers.vouchesFor(scope, target),
    );
  };
}

export function createConnectionHandlers(
  stores: ConnectionStoreProvider,
  recent: RecentTests,
  controllers: DiscoveredControllers,
): ConnectionHandlers {
  const keepSecret = discoveredSameDomain(controllers);
  return {
    'connections:list': async () => (await stores.forReading()).list(),
    'connections:get': async ({ id }) => (await stores.forReading()).get(id),
    async 'connections:save'({ testedBy, ...request }) {
      const store = await stores.forWriting();
      const saved = await store.save(request, { keepSecret });
      const domain = saved.kind === 'microsoftOnline' ? saved.tenantDomain : saved.domain;
      const tested = testedBy ? recent.outcomeFor(testedBy, domain) : null;
      return tested
        ? store.recordTest(saved.id, tested.lastTest, { source: 'wizard', durationMs: tested.durationMs })
        : saved;
    },
    'connections:delete': async ({ id }) => (await stores.forWriting()).delete(id),
    'connections:export': async ({ ids }) => (await stores.forReading()).exportDocument(ids),
    'connections:import': async ({ document }) => (await stores.forWriting()).import(document),
    'connections:testHistory': async ({ id }) => (await stores.forReading()).testHistory(id),
  };
}
