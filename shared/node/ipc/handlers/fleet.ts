import { AppFailure } from '../../../common/errors/app-error';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import type { Handler, Handlers } from '../router';
import type { SystemTrust } from './system-trust';

type FleetHandlers = Pick<Handlers, 'fleet:status' | 'fleet:repair'>;

export interface FleetDependencies {
  stores: ConnectionStoreProvider;
  systemTrust: SystemTrust;
  userDataDir: string;
  /** The existing operations a repair is: Update Remote Agent, Update Agent in WE. */
  updateAgent: Handler<'agent:update'>;
  registerRoute: Handler<'we:register'>;
}

// STUB: replaced by the fleet's handlers.
export function createFleetHandlers(_deps: FleetDependencies): FleetHandlers {
  return {
    async 'fleet:status'() {
      throw new AppFailure({ code: 'internal', message: 'Not built yet.' });
    },
    async 'fleet:repair'() {
      throw new AppFailure({ code: 'internal', message: 'Not built yet.' });
    },
  };
}
