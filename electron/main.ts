import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { forbiddenSenderError } from '../shared/common/errors/ipc-errors';
import { eventChannelName, ipcChannels } from '../shared/common/ipc/channel-names';
import { productName } from '../shared/common/product';
import { fail } from '../shared/common/result';
import { createConnectionStoreProvider } from '../shared/node/connections/connection-store-provider';
import { createHandlers } from './ipc/handlers/create-handlers';
import { OperationRegistry } from './ipc/operations';
import { createRouter } from './ipc/router';
import { isTrustedSender } from './ipc/trusted-sender';
import { SafeStorageVault } from './vault/safe-storage-vault';
import { mainWindowOptions } from './window/main-window-options';

// The CLI, the Remote Agent and this app agree on one data folder; CU_USER_DATA moves it (tests, portable use).
if (process.env.CU_USER_DATA) {
  app.setPath('userData', process.env.CU_USER_DATA);
}
app.setName(productName);
app.enableSandbox();

const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
const appUrl = pathToFileURL(rendererIndex).href;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start, (error: unknown) => {
    console.error('start-up failed:', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const vault = new SafeStorageVault();
  const connectionStores = createConnectionStoreProvider({
    dir: app.getPath('userData'),
    vault: async () => vault,
    readersTakeLock: true,
  });
  app.on('will-quit', () => void connectionStores.close());
  const operations = new OperationRegistry();
  const router = createRouter(
    createHandlers({
      connectionStores,
      operations,
      appInfo: {
        appName: productName,
        appVersion: app.getVersion(),
        host: 'electron',
        versions: {
          node: process.versions.node,
          electron: process.versions.electron ?? null,
          chrome: process.versions.chrome ?? null,
        },
        platform: process.platform,
        userDataDir: app.getPath('userData'),
        vault: vault.info,
      },
    }),
    {
      operations,
      onTrace: (trace) => console.log(JSON.stringify({ msg: 'ipc', ...trace })),
      onUnexpectedError: (error, facts) =>
        console.error(
          JSON.stringify({
            msg: 'ipc.unexpected',
            ...facts,
            error: error instanceof Error ? error.message : 'non-error',
          }),
        ),
    },
  );

  for (const channel of ipcChannels) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame, appUrl)) {
        return fail(forbiddenSenderError());
      }
      return router.dispatch(channel, payload, {
        emit: (name, eventPayload) => event.sender.send(eventChannelName(name), eventPayload),
      });
    });
  }

  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')));
  window.once('ready-to-show', () => window.show());
  await window.loadFile(rendererIndex);
}
