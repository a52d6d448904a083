import { createHandlers } from '../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../shared/node/ipc/node-host-dependencies';
import type { OperationRegistry } from '../shared/node/ipc/operations';
import type { Handlers } from '../shared/node/ipc/router';

/**
 * Every handler, as the app's: loaded by cli-router.ts only when a command calls one, because with them come
 * the LDAP and MSAL clients and the connection store, which `app info` and --help never need.
 */
export function cliHandlers(userDataDir: string, operations: OperationRegistry): Handlers {
  return createHandlers({ ...nodeHostDependencies({ host: 'cli', userDataDir }), operations });
}
