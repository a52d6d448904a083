import { useConnectionsStore } from '../stores/connections-store';
import { useDialogsStore } from '../stores/dialogs-store';
import { ActiveDirectoryDialog } from './ad/ActiveDirectoryDialog';
import { DeleteConnectionDialog } from './DeleteConnectionDialog';
import { ImportReportDialog } from './ImportReportDialog';
import { MicrosoftOnlineDialog } from './microsoft-online/MicrosoftOnlineDialog';
import { SettingsDialog } from './SettingsDialog';
import { ActiveDirectoryWizard } from './wizard/ActiveDirectoryWizard';
import { MicrosoftOnlineWizard } from './wizard/MicrosoftOnlineWizard';

/** Renders whichever dialog the dialogs store says is open. */
export function DialogHost() {
  const dialog = useDialogsStore((s) => s.dialog);
  // A connection deleted by another process stays in its open editor (as last seen), which then says so.
  const editing = useConnectionsStore((s) =>
    dialog?.kind === 'editConnection'
      ? (s.connections.find((c) => c.id === dialog.connectionId) ??
        s.deletedElsewhere.find((c) => c.id === dialog.connectionId))
      : undefined,
  );
  switch (dialog?.kind) {
    case 'newActiveDirectory':
      return <ActiveDirectoryWizard />;
    case 'newMicrosoftOnline':
      return <MicrosoftOnlineWizard />;
    case 'settings':
      return <SettingsDialog />;
    case 'confirmDelete':
      return <DeleteConnectionDialog connectionId={dialog.connectionId} />;
    case 'editConnection':
      if (editing?.kind === 'activeDirectory')
        return <ActiveDirectoryDialog key={editing.id} connection={editing} />;
      if (editing?.kind === 'microsoftOnline')
        return <MicrosoftOnlineDialog key={editing.id} connection={editing} />;
      return null;
    case 'importReport':
      return <ImportReportDialog fileName={dialog.fileName} outcome={dialog.outcome} />;
    default:
      return null;
  }
}
