import { makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { useFocusReturn } from '../hooks/use-focus-return';
import { useConnectionsStore } from '../stores/connections-store';
import { useDialogsStore } from '../stores/dialogs-store';
import { DialogErrorBoundary } from './DialogErrorBoundary';

// Each dialog is its own chunk, fetched the first time it opens: the shell paints without their code
// (and without zod, tabs, radios and the dialog machinery they share).
const ActiveDirectoryWizard = lazy(() =>
  import('./wizard/ActiveDirectoryWizard').then((m) => ({ default: m.ActiveDirectoryWizard })),
);
const MicrosoftOnlineWizard = lazy(() =>
  import('./wizard/MicrosoftOnlineWizard').then((m) => ({ default: m.MicrosoftOnlineWizard })),
);
const SettingsDialog = lazy(() => import('./SettingsDialog').then((m) => ({ default: m.SettingsDialog })));
const DeleteConnectionDialog = lazy(() =>
  import('./DeleteConnectionDialog').then((m) => ({ default: m.DeleteConnectionDialog })),
);
const ActiveDirectoryDialog = lazy(() =>
  import('./ad/ActiveDirectoryDialog').then((m) => ({ default: m.ActiveDirectoryDialog })),
);
const MicrosoftOnlineDialog = lazy(() =>
  import('./microsoft-online/MicrosoftOnlineDialog').then((m) => ({ default: m.MicrosoftOnlineDialog })),
);
const ImportReportDialog = lazy(() =>
  import('./ImportReportDialog').then((m) => ({ default: m.ImportReportDialog })),
);
const DiagnoseDialog = lazy(() =>
  import('./diagnostics/DiagnoseDialog').then((m) => ({ default: m.DiagnoseDialog })),
);
const ExportDiagnosticsDialog = lazy(() =>
  import('./diagnostics/ExportDiagnosticsDialog').then((m) => ({ default: m.ExportDiagnosticsDialog })),
);

const useStyles = makeStyles({
  // Where the dialog will appear, above the panel, without taking focus from the control that opened it.
  loading: {
    position: 'fixed',
    inset: 0,
    margin: 'auto',
    height: 'fit-content',
    width: 'fit-content',
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow16,
  },
});

function OpenDialog() {
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
    case 'diagnose':
      return <DiagnoseDialog connectionId={dialog.connectionId} />;
    case 'exportDiagnostics':
      return <ExportDiagnosticsDialog />;
    default:
      return null;
  }
}

/**
 * Renders whichever dialog the dialogs store says is open. Each opening gets its own error boundary (keyed by
 * the dialog): a chunk that fails to load, or a dialog that throws, takes only its own place, never the window.
 */
export function DialogHost() {
  const styles = useStyles();
  useFocusReturn(useDialogsStore((s) => s.dialog !== null));
  const dialogKey = useDialogsStore((s) =>
    s.dialog && 'connectionId' in s.dialog
      ? `${s.dialog.kind}:${s.dialog.connectionId}`
      : (s.dialog?.kind ?? ''),
  );
  const close = useDialogsStore((s) => s.close);
  return (
    <DialogErrorBoundary key={dialogKey} onClose={close}>
      <Suspense fallback={<Spinner size="tiny" label="Loading…" className={styles.loading} />}>
        <OpenDialog />
      </Suspense>
    </DialogErrorBoundary>
  );
}
