import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from '@playwright/test';
import { forbiddenSenderError, unknownChannelError } from '../shared/common/errors/ipc-errors';
import { bridgeGlobalName } from '../shared/common/ipc/bridge';
import { type IpcEvent, ipcChannels, ipcEvents } from '../shared/common/ipc/channel-names';
import type { EventPayloadOf } from '../shared/common/ipc/event-map';
import { fail } from '../shared/common/result';
import { createHandlers } from '../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../shared/node/ipc/node-host-dependencies';
import { createRouter, type DispatchTrace } from '../shared/node/ipc/router';
import { watchConnectionStores } from '../shared/node/ipc/store-watch';
import { isTrustedSender } from '../shared/node/ipc/trusted-sender';
import { type BridgeInstallArgs, installBridge } from './install-bridge';
import { SaveDialogStandIn } from './save-dialog-stand-in';
import { serveStatic } from './static-server';
import { SystemBrowserStandIn } from './system-browser-stand-in';

export const rendererOutDir = resolve(import.meta.dirname, '../out/renderer');

/** Without the background-networking flags Chromium keeps dialling Google's hosts, which this network refuses. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const invokeBinding = '__connectionUtilityInvoke';
const emitName = '__connectionUtilityEmit';

export interface RendererHostOptions {
  userDataDir: string;
  headless: boolean;
  executablePath?: string;
  /** What the stand-in Save dialog answers when no test queued an answer (default: Cancel). */
  saveAs?: string;
  onTrace?: (trace: DispatchTrace) => void;
  onUnexpectedError?: (error: unknown, facts: { channel: string; errorId: string }) => void;
}

export interface RendererHost {
  browser: Browser;
  page: Page;
  url: string;
  /** Answers main's Save dialog in place of the admin (settings:chooseRoutesFile). */
  saveDialog: SaveDialogStandIn;
  /** The system browser for browser sign-in: each sign-in page opens as a new page of this Chromium. */
  systemBrowser: SystemBrowserStandIn;
  close(): Promise<void>;
}

/** What main's webContents.send does in Electron: hands the event to the bridge's listeners in the page. */
function emitToPage<E extends IpcEvent>(page: Page, event: E, payload: EventPayloadOf<E>): void {
  void page
    .evaluate(
      ([name, event, body]) =>
        (window as unknown as Record<string, (e: string, p: unknown) => void>)[name]?.(event, body),
      [emitName, event, payload] as const,
    )
    .catch(() => {});
}

/**
 * The development host: the built renderer in Debian's Chromium, with window.connectionUtility wired to the
 * real router and handlers running in this Node process, exactly as electron/main.ts wires them in Electron.
 */
export async function launchRendererHost(options: RendererHostOptions): Promise<RendererHost> {
  const server = await serveStatic(rendererOutDir);
  const appUrl = `${server.url}index.html`;
  const browser = await chromium.launch({
    executablePath: options.executablePath ?? '/usr/bin/chromium',
    headless: options.headless,
    args: chromiumArgs,
    // Our callers stop in order on Ctrl+C (the demo's agent and DC too); Playwright's own handler would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const saveDialog = new SaveDialogStandIn(options.saveAs ?? null);
  const systemBrowser = new SystemBrowserStandIn(browser);
  let page: Page | null = null;
  const nodeHost = nodeHostDependencies({
    host: 'devHost',
    chromeVersion: browser.version(),
    userDataDir: options.userDataDir,
    chooseFile: saveDialog.choose,
    openBrowser: systemBrowser.open,
  });
  // As electron/main.ts does: a commit by another process (the CLI) makes the window re-list.
  const dependencies = {
    ...nodeHost,
    connectionStores: watchConnectionStores(nodeHost.connectionStores, {
      onChange: () => {
        if (page) emitToPage(page, 'connections', { by: 'anotherProcess' });
      },
    }),
  };
  const shutDown = async () => {
    await browser.close();
    await dependencies.connectionStores.close();
    await server.close();
  };
  try {
    const router = createRouter(createHandlers(dependencies), {
      operations: dependencies.operations,
      onTrace: options.onTrace,
      onUnexpectedError: options.onUnexpectedError,
    });
    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    page = await context.newPage();
    await page.exposeBinding(invokeBinding, async (source, channel: unknown, payload: unknown) => {
      if (!isTrustedSender({ url: source.frame.url(), parent: source.frame.parentFrame() }, appUrl)) {
        return fail(forbiddenSenderError());
      }
      return router.dispatch(channel, payload, {
        emit: (event, eventPayload) => emitToPage(source.page, event, eventPayload),
      });
    });
    const bridgeArgs: BridgeInstallArgs = {
      bridgeName: bridgeGlobalName,
      invokeBinding,
      emitName,
      channels: ipcChannels,
      events: ipcEvents,
      unknownChannel: unknownChannelError(),
    };
    // The function travels as source text. Loaders that keep function names (tsx, esbuild) wrap them in
    // __name(...) calls that do not exist in the page, so the script brings its own no-op __name.
    await page.addInitScript({
      content: `(() => { const __name = (target) => target; (${installBridge.toString()})(${JSON.stringify(bridgeArgs)}); })();`,
    });
    await page.goto(appUrl);
    return {
      browser,
      page,
      url: appUrl,
      saveDialog,
      systemBrowser,
      close: shutDown,
    };
  } catch (error) {
    await shutDown();
    throw error;
  }
}
