import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './main-window-options';

describe('mainWindowOptions', () => {
  const { webPreferences } = mainWindowOptions('/app/out/preload/index.cjs');

  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads the sandbox-compatible CommonJS preload', () => {
    expect(webPreferences?.preload).toMatch(/\.cjs$/);
  });
});
