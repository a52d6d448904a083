import { useDialogsStore } from '../stores/dialogs-store';
import { DeleteConnectionDialog } from './DeleteConnectionDialog';
import { ImportReportDialog } from './ImportReportDialog';
import { ActiveDirectoryWizard } from './wizard/ActiveDirectoryWizard';

/** Renders whichever dialog the dialogs store says is open. */
export function DialogHost() {
  const dialog = useDialogsStore((s) => s.dialog);
  switch (dialog?.kind) {
    case 'newActiveDirectory':
      return <ActiveDirectoryWizard />;
    case 'confirmDelete':
      return <DeleteConnectionDialog connectionId={dialog.connectionId} />;
    case 'importReport':
      return <ImportReportDialog fileName={dialog.fileName} outcome={dialog.outcome} />;
    default:
      return null;
  }
}
