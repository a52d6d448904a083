import { describe, expect, it, vi } from 'vitest';

const created: unknown[] = [];
const maximize = vi.fn();
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: unknown) {
      created.push(options);
    }
    maximize = maximize;
  },
}));

const { createMainWindow } = await import('./create-main-window');

describe('createMainWindow', () => {
  it('isolates and sandboxes the renderer with no Node access, exactly as Electron receives it', () => {
    createMainWindow('/app/out/preload/index.cjs', {
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      maximized: false,
    });
    expect(created.at(-1)).toMatchObject({
      x: 10,
      y: 20,
      width: 1000,
      height: 700,
      show: false,
      webPreferences: {
        preload: '/app/out/preload/index.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    expect(maximize).not.toHaveBeenCalled();
  });

  it('loads the sandbox-compatible CommonJS preload, and restores a maximised window', () => {
    createMainWindow('/app/out/preload/index.cjs', {
      bounds: { x: 0, y: 0, width: 800, height: 600 },
      maximized: true,
    });
    expect((created.at(-1) as { webPreferences: { preload: string } }).webPreferences.preload).toMatch(
      /\.cjs$/,
    );
    expect(maximize).toHaveBeenCalledOnce();
  });
});
