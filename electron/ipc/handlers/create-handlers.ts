import type { AppInfo } from '../../../shared/common/app-info';
import type { ConnectionStoreProvider } from '../../../shared/node/connections/connection-store-provider';
import type { OperationRegistry } from '../operations';
import { RecentTests } from '../recent-tests';
import type { Handlers } from '../router';
import { createAgentHandlers } from './agent';
import { createAppInfoHandler } from './app-info';
import { createConnectionHandlers } from './connections';
import { createDirectoryHandlers } from './directory';
import { createEntraHandlers } from './entra';
import { createSettingsHandlers } from './settings';
import { createWorkflowEngineHandlers } from './workflow-engine';

/** What every host (Electron main, the development host, the CLI) hands to the handlers. */
export interface HandlerDependencies {
  appInfo: AppInfo;
  connectionStores: ConnectionStoreProvider;
  operations: OperationRegistry;
}

export function createHandlers(deps: HandlerDependencies): Handlers {
  const recent = new RecentTests();
  return {
    'app:info': createAppInfoHandler(deps.appInfo),
    ...createConnectionHandlers(deps.connectionStores, recent),
    ...createDirectoryHandlers(deps.connectionStores, deps.operations, recent),
    ...createEntraHandlers(deps.connectionStores, recent),
    ...createAgentHandlers(deps.connectionStores),
    ...createSettingsHandlers(deps.appInfo.userDataDir),
    ...createWorkflowEngineHandlers(deps.connectionStores, deps.appInfo.userDataDir),
  };
}
