import { useEffect } from 'react';
import type { EventPayloadOf } from '../../../shared/common/ipc/event-map';
import { useDialogsStore } from '../stores/dialogs-store';
import { useSettingsStore } from '../stores/settings-store';
import { useViewStore } from '../stores/view-store';
import { exportToFile, importFromFile } from '../transfer/transfer-actions';

type MenuCommand = EventPayloadOf<'menu'>['command'];

/** What each application-menu item does: the same as its toolbar twin. */
export function runMenuCommand(command: MenuCommand): void {
  const { open, dialog } = useDialogsStore.getState();
  // One modal at a time: the menu does not stack a second one over an open dialog.
  if (dialog && command !== 'export') return;
  switch (command) {
    case 'newActiveDirectory':
      open({ kind: 'newActiveDirectory' });
      return;
    case 'newMicrosoftOnline':
      void useSettingsStore
        .getState()
        .load()
        .then(() => open({ kind: 'newMicrosoftOnline' }));
      return;
    case 'settings':
      void useSettingsStore
        .getState()
        .load()
        .then(() => open({ kind: 'settings' }));
      return;
    case 'import':
      void importFromFile();
      return;
    case 'export':
      void exportToFile();
      return;
    case 'exportDiagnostics':
      open({ kind: 'exportDiagnostics' });
      return;
    case 'showConnections':
      useViewStore.getState().show('connections');
      return;
    case 'showAgents':
      useViewStore.getState().show('agents');
      return;
  }
}

export function useMenuCommands(): void {
  useEffect(() => window.connectionUtility?.on('menu', (event) => runMenuCommand(event.command)), []);
}
