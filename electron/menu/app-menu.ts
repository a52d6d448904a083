import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayloadOf } from '../../shared/common/ipc/event-map';

type MenuCommand = EventPayloadOf<'menu'>['command'];

export interface MenuActions {
  /** Asks the window to do what its toolbar does. */
  command(command: MenuCommand): void;
  about(): void;
  openLogsFolder(): void;
  quit(): void;
}

/** The application menu as data, so its items and their wiring are asserted by unit tests. */
export function appMenuTemplate(
  actions: MenuActions,
  platform: NodeJS.Platform,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      {
        label: 'New Connection...',
        submenu: [
          {
            label: 'Microsoft Active Directory',
            accelerator: 'CmdOrCtrl+N',
            click: () => actions.command('newActiveDirectory'),
          },
          {
            label: 'Microsoft Online',
            accelerator: 'CmdOrCtrl+Shift+N',
            click: () => actions.command('newMicrosoftOnline'),
          },
        ],
      },
      { type: 'separator' },
      { label: 'Import...', accelerator: 'CmdOrCtrl+O', click: () => actions.command('import') },
      { label: 'Export...', accelerator: 'CmdOrCtrl+E', click: () => actions.command('export') },
      { label: 'Export diagnostics...', click: () => actions.command('exportDiagnostics') },
      { type: 'separator' },
      { label: 'Settings...', accelerator: 'CmdOrCtrl+,', click: () => actions.command('settings') },
      { type: 'separator' },
      {
        label: mac ? 'Quit Connection Utility' : 'E&xit',
        accelerator: mac ? 'Cmd+Q' : 'Alt+F4',
        click: actions.quit,
      },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Connections', accelerator: 'CmdOrCtrl+1', click: () => actions.command('showConnections') },
      { label: 'Agents', accelerator: 'CmdOrCtrl+2', click: () => actions.command('showAgents') },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    submenu: [
      { label: 'Open logs folder', click: actions.openLogsFolder },
      { type: 'separator' },
      { label: 'About Connection Utility', click: actions.about },
    ],
  };
  return [file, edit, view, help];
}

/** Help → About: the versions an admin quotes in a support request. */
export function aboutText(versions: {
  app: string;
  electron: string;
  chrome: string;
  node: string;
  vault: string;
}): string {
  return [
    `Connection Utility ${versions.app}`,
    `Electron ${versions.electron} · Chromium ${versions.chrome} · Node.js ${versions.node}`,
    `Secrets sealed by: ${versions.vault}`,
  ].join('\n');
}
