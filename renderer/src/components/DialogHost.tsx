import { useConnectionsStore } from '../stores/connections-store';
import { useDialogsStore } from '../stores/dialogs-store';
import { ActiveDirectoryDialog } from './ad/ActiveDirectoryDialog';
import { DeleteConnectionDialog } from './DeleteConnectionDialog';
import { ImportReportDialog } from './ImportReportDialog';
import { ActiveDirectoryWizard } from './wizard/ActiveDirectoryWizard';

/** Renders whichever dialog the dialogs store says is open. */
export function DialogHost() {
  const dialog = useDialogsStore((s) => s.dialog);
  const editing = useConnectionsStore((s) =>
    dialog?.kind === 'editConnection' ? s.connections.find((c) => c.id === dialog.connectionId) : undefined,
  );
  switch (dialog?.kind) {
    case 'newActiveDirectory':
      return <ActiveDirectoryWizard />;
    case 'confirmDelete':
      return <DeleteConnectionDialog connectionId={dialog.connectionId} />;
    case 'editConnection':
      // The Microsoft Online connection dialog (Remote Agent tab) arrives with its own issue.
      return editing?.kind === 'activeDirectory' ? (
        <ActiveDirectoryDialog key={editing.id} connection={editing} />
      ) : null;
    case 'importReport':
      return <ImportReportDialog fileName={dialog.fileName} outcome={dialog.outcome} />;
    default:
      return null;
  }
}
