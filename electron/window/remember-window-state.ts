import type { BrowserWindow } from 'electron';
import { saveWindowState } from './window-state';

/** Saves size, position and maximised state when the window closes (the normal bounds, not the maximised ones). */
export function rememberWindowState(
  window: BrowserWindow,
  dir: string,
  onError: (error: unknown) => void,
): void {
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    void saveWindowState(dir, { bounds, maximized: window.isMaximized() }).catch(onError);
  });
}
