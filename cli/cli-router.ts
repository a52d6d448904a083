import { type IpcChannel, ipcChannels } from '../shared/common/ipc/channel-names';
import { nodeAppInfo } from '../shared/node/app/node-app-info';
import { createAppInfoHandler } from '../shared/node/ipc/handlers/app-info';
import { OperationRegistry } from '../shared/node/ipc/operations';
import {
  createRouter,
  type Handler,
  type Handlers,
  type Router,
  type RouterOptions,
} from '../shared/node/ipc/router';
import { defaultUserDataDir } from '../shared/node/paths/user-data-dir';

/** A handler that loads every handler on its first call, then hands the request to the real one. */
function deferred<C extends IpcChannel>(channel: C, all: () => Promise<Handlers>): Handler<C> {
  return async (request, context) => {
    const handler: Handler<C> = (await all())[channel];
    return handler(request, context);
  };
}

/**
 * The CLI's router: the app's router and handlers, with the handlers loaded on the first call that needs them
 * (a chunk of their own in the bundle). `app:info` needs none of them, so `app info` starts almost as fast as
 * Node itself.
 */
export function cliRouter(
  options: Pick<RouterOptions, 'onUnexpectedError'> & { userDataDir?: string } = {},
): Router {
  const { userDataDir = defaultUserDataDir(), ...routerOptions } = options;
  const operations = new OperationRegistry();
  let loaded: Promise<Handlers> | undefined;
  const all = () => {
    loaded ??= import('./cli-handlers').then(({ cliHandlers }) => cliHandlers(userDataDir, operations));
    return loaded;
  };
  // Keyed by ipcChannels, the list the Handlers type is keyed by.
  const handlers = Object.fromEntries(
    ipcChannels.map((channel) => [channel, deferred(channel, all)]),
  ) as unknown as Handlers;
  return createRouter(
    { ...handlers, 'app:info': createAppInfoHandler(nodeAppInfo({ host: 'cli', userDataDir })) },
    { operations, ...routerOptions },
  );
}
