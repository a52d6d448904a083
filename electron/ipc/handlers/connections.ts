import type { ConnectionStoreProvider } from '../../../shared/node/connections/connection-store-provider';
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

export function createConnectionHandlers(stores: ConnectionStoreProvider): ConnectionHandlers {
  return {
    'connections:list': async () => (await stores.forReading()).list(),
    'connections:get': async ({ id }) => (await stores.forReading()).get(id),
    'connections:save': async (request) => (await stores.forWriting()).save(request),
    'connections:delete': async ({ id }) => (await stores.forWriting()).delete(id),
    'connections:export': async ({ ids }) => (await stores.forReading()).exportDocument(ids),
    'connections:import': async ({ document }) => (await stores.forWriting()).import(document),
  };
}
