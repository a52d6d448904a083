import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, type BrowserWindow, dialog, ipcMain, Menu, screen, session, shell } from 'electron';
import { eventChannelName } from '../shared/common/ipc/channel-names';
import { productName } from '../shared/common/product';
import { createConnectionStoreProvider } from '../shared/node/connections/connection-store-provider';
import { agentOriginOf } from '../shared/node/connections/secret-binding';
import { createHandlers } from '../shared/node/ipc/handlers/create-handlers';
import { OperationRegistry } from '../shared/node/ipc/operations';
import { createRouter } from '../shared/node/ipc/router';
import { watchConnectionStores } from '../shared/node/ipc/store-watch';
import { createLog } from '../shared/node/logs/create-log';
import { registerIpcEntry } from './ipc-entry';
import { aboutText, appMenuTemplate } from './menu/app-menu';
import { hardenContents } from './security/harden-contents';
import { SafeStorageVault } from './vault/safe-storage-vault';
import { createMainWindow } from './window/create-main-window';
import { rememberWindowState } from './window/remember-window-state';
import { saveDialogChooser } from './window/save-dialog';
import { loadWindowState, placeWindow } from './window/window-state';

// The composition root: every decision lives in a module with its own tests; this file only wires them.

// The CLI, the Remote Agent and this app agree on one data folder; CU_USER_DATA moves it (tests, portable use).
if (process.env.CU_USER_DATA) app.setPath('userData', process.env.CU_USER_DATA);
app.setName(productName);
app.enableSandbox();

const userDataDir = app.getPath('userData');
const logsDir = join(userDataDir, 'logs');
const log = await createLog({ file: { dir: logsDir, name: 'main' } });
const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
const appUrl = pathToFileURL(rendererIndex).href;
/** Origins whose Remote Agent Swagger page may open in the browser: the agents that accepted their API key. */
let agentOrigins: readonly string[] = [];
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  hardenContents(app, session.defaultSession, {
    agentOrigins: () => agentOrigins,
    openExternal: (url) => void shell.openExternal(url),
  });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start, (error: unknown) => {
    log.error({ error }, 'start-up failed');
    console.error('start-up failed:', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const vault = new SafeStorageVault();
  if (vault.info.protection !== 'os') {
    log.warn({ backend: vault.info.backend }, 'secrets are protected only weakly on this system');
  }
  // The CLI writes while the window is open: the window lists again (the event carries no connection data),
  // and an agent key the CLI remembered lets that agent's Swagger page open too.
  const connectionStores = watchConnectionStores(
    createConnectionStoreProvider({ dir: userDataDir, vault: async () => vault }),
    {
      onChange: () => {
        if (mainWindow && !mainWindow.isDestroyed())
          mainWindow.webContents.send(eventChannelName('connections'), { by: 'anotherProcess' });
        void refreshAgentOrigins().catch(() => {});
      },
      onError: (error) => log.warn({ error }, 'store change not forwarded'),
    },
  );
  app.on('will-quit', () => void connectionStores.close());

  async function refreshAgentOrigins(): Promise<void> {
    agentOrigins = (await connectionStores.forReading()).agentKeyBindings().map(agentOriginOf);
  }
  void refreshAgentOrigins().catch(() => {});

  const operations = new OperationRegistry();
  const appInfo = {
    appName: productName,
    appVersion: app.getVersion(),
    host: 'electron' as const,
    versions: {
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      chrome: process.versions.chrome ?? null,
    },
    platform: process.platform,
    userDataDir,
    vault: vault.info,
  };
  const router = createRouter(
    createHandlers({
      caller: 'window',
      connectionStores,
      operations,
      appInfo,
      chooseFile: saveDialogChooser(() => mainWindow),
      // Browser sign-in: the sign-in code holds the URL to the authority's https pages before it gets here.
      openBrowser: async (url) => {
        if (new URL(url).protocol !== 'https:') throw new Error('only https pages are opened');
        await shell.openExternal(url);
      },
    }),
    {
      operations,
      onTrace: (trace) => {
        // stdout for the e2e harness (ELECTRON_ENABLE_LOGGING), the log file for the admin; never payloads.
        console.log(JSON.stringify({ msg: 'ipc', ...trace }));
        log[trace.outcome === 'ok' ? 'info' : 'warn']({ ...trace }, 'ipc');
        // Only an agent call can add an accepted key (any outcome: a 404 also means the key passed).
        if (trace.channel.startsWith('agent:')) void refreshAgentOrigins().catch(() => {});
      },
      onUnexpectedError: (error, facts) => {
        log.error({ ...facts, error }, 'ipc.unexpected');
        console.error(JSON.stringify({ msg: 'ipc.unexpected', ...facts }));
      },
    },
  );

  registerIpcEntry(ipcMain, {
    router,
    appUrl,
    onForbidden: (channel) => log.warn({ channel }, 'ipc.forbiddenSender'),
  });

  const displays = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map(
    (display) => display.workArea,
  );
  const window = createMainWindow(
    join(import.meta.dirname, '../preload/index.cjs'),
    placeWindow(await loadWindowState(userDataDir), displays),
  );
  mainWindow = window;
  rememberWindowState(window, userDataDir, (error) => log.warn({ error }, 'window state not saved'));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(
        {
          command: (command) => window.webContents.send(eventChannelName('menu'), { command }),
          about: () =>
            void dialog.showMessageBox(window, {
              title: `About ${productName}`,
              message: aboutText({
                app: appInfo.appVersion,
                electron: appInfo.versions.electron ?? '?',
                chrome: appInfo.versions.chrome ?? '?',
                node: appInfo.versions.node,
                vault: `${vault.info.backend} (${vault.info.protection})`,
              }),
            }),
          openLogsFolder: () => void shell.openPath(logsDir),
          quit: () => app.quit(),
        },
        process.platform,
      ),
    ),
  );

  window.once('ready-to-show', () => window.show());
  log.info({ version: appInfo.appVersion, electron: appInfo.versions.electron }, 'started');
  await window.loadFile(rendererIndex);
}
