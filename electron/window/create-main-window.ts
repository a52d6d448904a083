import { BrowserWindow } from 'electron';
import { productName } from '../../shared/common/product';
import { minimumSize, type WindowState } from './window-state';

/**
 * The one window. The options are a literal inside `new BrowserWindow(…)` on purpose: electronegativity reads
 * them there, and the unit test captures exactly what Electron receives.
 */
export function createMainWindow(preloadPath: string, state: WindowState): BrowserWindow {
  const window = new BrowserWindow({
    title: productName,
    ...state.bounds,
    minWidth: minimumSize.width,
    minHeight: minimumSize.height,
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // Middle-click must not open links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  if (state.maximized) window.maximize();
  return window;
}
