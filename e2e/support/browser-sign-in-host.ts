import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { forgetSignIns } from '../../shared/node/entra/sign-in';
import type { DispatchTrace } from '../../shared/node/ipc/router';
import { launchRendererHost } from '../../tools/renderer-host';
import type { SystemBrowserStandIn } from '../../tools/system-browser-stand-in';
import type { AppUnderTest } from '../fixtures/app-fixture';

export interface BrowserSignInHost {
  app: AppUnderTest;
  /** Where the app's "system browser" opens the sign-in pages: new pages of the same Chromium. */
  systemBrowser: SystemBrowserStandIn;
}

/**
 * The app on the development host, whose system browser is a Playwright page a spec can sign in with. Electron's
 * would be the desktop's own browser, which no spec can drive: browser sign-in is tested here, on either runtime.
 */
export const test = base.extend<{ host: BrowserSignInHost }>({
  host: async ({ headless }, use) => {
    // The handlers run in this process: a sign-in cached by an earlier test would skip the browser altogether.
    forgetSignIns();
    const userDataDir = await mkdtemp(join(tmpdir(), 'cu-e2e-browser-'));
    const traces: DispatchTrace[] = [];
    const host = await launchRendererHost({ userDataDir, headless, onTrace: (trace) => traces.push(trace) });
    try {
      await use({
        app: {
          page: host.page,
          runtime: 'chromium',
          userDataDir,
          traces: () => [...traces],
          answerSaveDialog: async (answer) => host.saveDialog.answerNext(answer),
        },
        systemBrowser: host.systemBrowser,
      });
    } finally {
      await host.close();
      forgetSignIns();
      await rm(userDataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
