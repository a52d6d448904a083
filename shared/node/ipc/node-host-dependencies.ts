import type { NodeHost } from '../../common/app-info';
import { nodeAppInfo } from '../app/node-app-info';
import { createConnectionStoreProvider } from '../connections/connection-store-provider';
import type { BrowserOpener } from '../entra/browser-sign-in';
import { systemBrowser } from '../entra/system-browser';
import { defaultUserDataDir } from '../paths/user-data-dir';
import { KeyFileVault } from '../vault/key-file-vault';
import { type FileChooser, noFileDialog } from './file-chooser';
import type { HandlerDependencies } from './handlers/create-handlers';
import { OperationRegistry } from './operations';

export interface NodeHostOptions {
  host: NodeHost;
  userDataDir?: string;
  chromeVersion?: string | null;
  /** The development host's stand-in for main's Save dialog; the CLI has none. */
  chooseFile?: FileChooser;
  /** The development host's stand-in for the system browser; the CLI opens the real one. */
  openBrowser?: BrowserOpener;
}

/** The handler dependencies of the hosts that run on plain Node: the CLI and the development host. */
export function nodeHostDependencies(options: NodeHostOptions): HandlerDependencies {
  const userDataDir = options.userDataDir ?? defaultUserDataDir();
  return {
    caller: options.host === 'cli' ? 'terminal' : 'window',
    appInfo: nodeAppInfo({ host: options.host, chromeVersion: options.chromeVersion ?? null, userDataDir }),
    connectionStores: createConnectionStoreProvider({
      dir: userDataDir,
      vault: () => KeyFileVault.open(userDataDir),
    }),
    operations: new OperationRegistry(),
    chooseFile: options.chooseFile ?? noFileDialog,
    openBrowser: options.openBrowser ?? systemBrowser(),
  };
}
