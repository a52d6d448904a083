import { arch, release, type, version } from 'node:os';
import type { AppInfo } from '../../../common/app-info';

/** What support asks first: which build, on which runtime, on which system, sealing secrets how. */
export function versionFacts(appInfo: AppInfo) {
  return {
    app: { name: appInfo.appName, version: appInfo.appVersion, host: appInfo.host },
    electron: appInfo.versions.electron,
    chrome: appInfo.versions.chrome,
    node: appInfo.versions.node,
    os: { platform: appInfo.platform, type: type(), release: release(), version: version(), arch: arch() },
    vault: appInfo.vault,
  };
}
