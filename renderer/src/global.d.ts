import type { ConnectionUtilityBridge } from '../../shared/common/ipc/bridge';

declare global {
  interface Window {
    /** Installed by the preload (Electron) or the development host (Chromium); absent in a plain browser. */
    connectionUtility?: ConnectionUtilityBridge;
  }
}
