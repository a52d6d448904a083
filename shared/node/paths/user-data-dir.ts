import { homedir } from 'node:os';
import { join } from 'node:path';
import { productName } from '../../common/product';

/**
 * The folder Electron's app.getPath('userData') returns for this product, computed without Electron so
 * that the CLI and the Remote Agent on the same machine find the same files. CU_USER_DATA overrides it
 * (tests, portable installs).
 */
export function defaultUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env.CU_USER_DATA?.trim();
  if (override) {
    return override;
  }
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), productName);
    case 'darwin':
      return join(home, 'Library', 'Application Support', productName);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), productName);
  }
}
