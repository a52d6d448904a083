import type { ConnectionStoreProvider } from '../../../shared/node/connections/connection-store-provider';
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
>;

export function createConnectionHandlers(
  stores: ConnectionStoreProvider,
  recent: RecentTests,
): ConnectionHandlers {
  return {
    'connections:list': async () => (await stores.forReading()).list(),
    'connections:get': async ({ id }) => (await stores.forReading()).get(id),
    async 'connections:save'({ testedBy, ...request }) {
      const store = await stores.forWriting();
      const saved = await store.save(request);
      const domain = saved.kind === 'microsoftOnline' ? saved.tenantDomain : saved.domain;
      const lastTest = testedBy ? recent.outcomeFor(testedBy, domain) : null;
      return lastTest ? store.recordTest(saved.id, lastTest) : saved;
    },
    'connections:delete': async ({ id }) => (await stores.forWriting()).delete(id),
    'connections:export': async ({ ids }) => (await stores.forReading()).exportDocument(ids),
    'connections:import': async ({ document }) => (await stores.forWriting()).import(document),
  };
}
