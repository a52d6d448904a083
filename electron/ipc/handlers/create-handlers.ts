import type { AppInfo } from '../../../shared/common/app-info';
import type { Handlers } from '../router';
import { createAppInfoHandler } from './app-info';

/** What every host (Electron main, the development host, the CLI) hands to the handlers. */
export interface HandlerDependencies {
  appInfo: AppInfo;
}

export function createHandlers(deps: HandlerDependencies): Handlers {
  return {
    'app:info': createAppInfoHandler(deps.appInfo),
  };
}
