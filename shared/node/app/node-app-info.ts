import type { AppInfo, NodeHost } from '../../common/app-info';
import { productName } from '../../common/product';
import { defaultUserDataDir } from '../paths/user-data-dir';
import { keyFileVaultInfo } from '../vault/key-file-vault';
import { packageVersion } from './package-version';

export interface NodeAppInfoOptions {
  host: NodeHost;
  /** The browser the development host drives; null for the CLI. */
  chromeVersion?: string | null;
  userDataDir?: string;
}

/** The app:info facts for hosts that run on plain Node (the CLI, the development host). */
export function nodeAppInfo({
  host,
  chromeVersion = null,
  userDataDir = defaultUserDataDir(),
}: NodeAppInfoOptions): AppInfo {
  return {
    appName: productName,
    appVersion: packageVersion,
    host,
    versions: { node: process.versions.node, electron: null, chrome: chromeVersion },
    platform: process.platform,
    userDataDir,
    vault: keyFileVaultInfo,
  };
}
